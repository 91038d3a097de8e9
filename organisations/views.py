"""Public pages for residents: the directory, organisation pages and network pages.

No login is needed, and only published organisations ever appear: anything else answers 404.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from core.views import ForgivingPaginationMixin, ShortQueryStringMixin
from localities.models import POSTCODE_ATTRIBUTION
from localities.selectors import districts_covered

from .filters import OrganisationFilter
from .models import Organisation
from .sections import sections_for
from .selectors import anchor_roles_public, network_list_public, organisation_detail_public, organisation_list_public
from .seo import organisation_schema
from .whereabouts import organisation_whereabouts


class DirectoryView(ShortQueryStringMixin, ForgivingPaginationMixin, ListView):
    """``/directory/``: every published organisation, searchable and filterable through the
    query string (see ``OrganisationFilter``), 20 to a page. An out-of-range or malformed
    ``page`` shows the nearest real page rather than an error. A constant number of queries
    whatever the number of organisations."""

    template_name = "organisations/directory.html"
    context_object_name = "organisations"
    paginate_by = settings.DIRECTORY_PAGE_SIZE

    def get_queryset(self):
        self.filterset = OrganisationFilter(self.request.GET or None, queryset=organisation_list_public())
        if self.filterset.is_bound and not self.filterset.is_valid():
            return Organisation.objects.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        wider = self.filterset.wider_places()
        context["organisations"] = list(context["organisations"])
        for organisation in context["organisations"]:
            # Each result serving a larger place than the one chosen says which ("serves all of
            # Kirklees"), so a resident sees why it is listed after the local ones; and each
            # found by a service, a synonym or a spelling says so.
            organisation.serves_all_of = wider.get(getattr(organisation, "reach", 0))
            organisation.match_reasons = self.filterset.match_reasons(organisation)
            organisation.distance = self.filterset.distance(organisation)
        suggestion = self.filterset.suggestion() if not context["organisations"] else None
        context.update(
            place=self.filterset.place,
            postcode=self.filterset.postcode,
            outside_area=self.filterset.outside_area,
            districts_covered=districts_covered() if self.filterset.outside_area else [],
            postcode_attribution=POSTCODE_ATTRIBUTION,
            suggestion=suggestion,
            suggestion_url=self._url_with_query(suggestion) if suggestion else "",
            share_url=self._share_url(),
            filterset=self.filterset,
            form=form,
            query=self.filterset.form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else "",
            active_filters=self.filterset.active_filters() if form.is_bound else [],
            removable_filters=self.filterset.removable_filters(self.request.GET) if form.is_bound else [],
            is_filtered=bool(self.request.GET.keys() - {"page"}),
            nav_section="directory",
            breadcrumbs=[(_("Home"), reverse("portal:home"))],
        )
        return context

    def _share_url(self) -> str:
        """The full address of this search and its filters from the first page, to copy and
        share (an empty search: the directory itself)."""
        return self.request.build_absolute_uri(self._first_page_url())

    def _url_with_query(self, q: str) -> str:
        """This search with ``q`` in place of the resident's words, filters kept, from page 1."""
        return self._first_page_url(q=q)

    def _first_page_url(self, **changes: str) -> str:
        """The directory's address for this search from page 1, with ``changes`` (field name →
        value) in place; the directory itself when nothing is left."""
        params = self.request.GET.copy()
        params.pop("page", None)
        for name, value in changes.items():
            params[name] = value
        query = f"?{params.urlencode()}" if params else ""
        return f"{reverse('organisations:directory')}{query}"


class OrganisationDetailView(DetailView):
    """``/organisations/<slug>/``: about, services, areas served, network roles, lead or local
    anchors, contact details and initiatives of one published organisation."""

    template_name = "organisations/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return organisation_detail_public()

    def get_context_data(self, **kwargs):
        breadcrumbs = [
            (_("Home"), reverse("portal:home")),
            (_("Find organisations"), reverse("organisations:directory")),
        ]
        return super().get_context_data(
            nav_section="directory",
            breadcrumbs=breadcrumbs,
            sections=sections_for(self.object, self.request),
            whereabouts=organisation_whereabouts(self.object),
            structured_data=organisation_schema(self.object, self.object.localities.all()),
            **kwargs,
        )


class NetworkListView(ListView):
    """``/networks/``: the community anchor networks."""

    template_name = "organisations/network_list.html"
    context_object_name = "networks"

    def get_queryset(self):
        return network_list_public()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            nav_section="networks", breadcrumbs=[(_("Home"), reverse("portal:home"))], **kwargs
        )


class NetworkDetailView(DetailView):
    """``/networks/<slug>/``: what a network is, its coordinator, and its current anchors grouped
    by the locality they anchor."""

    template_name = "organisations/network_detail.html"
    context_object_name = "network"

    def get_queryset(self):
        return network_list_public()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            anchor_roles=list(anchor_roles_public(network=self.object)),
            nav_section="networks",
            breadcrumbs=[(_("Home"), reverse("portal:home")), (_("Networks"), reverse("organisations:network_list"))],
            **kwargs,
        )
