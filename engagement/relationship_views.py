"""Support relationships, for the people who keep them: the list of an anchor's relationships
with their status today, adding one and changing one (ending it included). Anyone signed out
is sent to sign in; a relationship outside ``SupportRelationship.objects.editable_by`` answers
404, as one that does not exist. Every write goes through ``engagement.services``."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from core.concurrency import VERSION_FIELD
from core.forms import error_links, is_storable_id

from .filters import RelationshipFilter
from .forms import SupportRelationshipForm
from .log_views import FilteredListMixin, ServiceFormMixin
from .models import SupportRelationship
from .permissions import relationship_anchors_for
from .selectors import outreach_groups, relationship_list
from .services import support_relationship_create, support_relationship_update


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Home"), reverse("portal:home")), (_("Your account"), reverse("portal:account"))]


def _list_crumbs() -> list[tuple[str, str]]:
    return [*_crumbs(), (_("Support relationships"), reverse("engagement:relationships"))]


class RelationshipListView(FilteredListMixin, ListView):
    """``/network/relationships/``: the support relationships the person keeps, with their
    status today (upcoming, active or ended, from their dates), filterable by status and kind;
    20 to a page, in a fixed number of queries. Anyone signed in may open it: someone who keeps
    none sees why it is empty."""

    template_name = "engagement/relationship_list.html"
    context_object_name = "relationships"
    filter_class = RelationshipFilter

    def base_queryset(self):
        return relationship_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_add=relationship_anchors_for(self.request.user).exists(), nav_section="account", **kwargs
        )


class _RelationshipFormMixin(ServiceFormMixin, LoginRequiredMixin):
    template_name = "engagement/relationship_form.html"
    relationship: SupportRelationship | None = None
    success_url = "engagement:relationships"

    def form_for(self, data=None) -> SupportRelationshipForm:
        user = self.request.user
        return SupportRelationshipForm(
            data,
            instance=self.relationship,
            anchors=relationship_anchors_for(user),
            groups=outreach_groups(user=user),
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form_for()))

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form")
        return super().get_context_data(
            relationship=self.relationship,
            form=form,
            error_links=error_links(form) if form.is_bound else [],
            breadcrumbs=_list_crumbs(),
            nav_section="account",
            **kwargs,
        )


class RelationshipCreateView(_RelationshipFormMixin, TemplateView):
    """``/network/relationships/new/``: record that an anchor the person acts for supports a
    group of their patch. Anyone who keeps no relationships is told why (403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not relationship_anchors_for(request.user).exists():
            return render(
                request, "engagement/relationship_not_allowed.html", {"breadcrumbs": _list_crumbs()}, status=403
            )
        return super().dispatch(request, *args, **kwargs)

    success_message = gettext_lazy("The support relationship is recorded.")

    def save(self, form) -> None:
        support_relationship_create(user=self.request.user, anchor=form.cleaned_data["anchor"], **form.values())


class RelationshipUpdateView(_RelationshipFormMixin, TemplateView):
    """``/network/relationships/<id>/edit/``: change a relationship the person keeps, or end
    it (an end date and why). Any other answers 404; a save on a stale copy is refused and says
    what changed (``core.concurrency``)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not is_storable_id(kwargs["pk"]):
                raise Http404
            relationships = SupportRelationship.objects.editable_by(request.user).select_related("anchor", "group")
            self.relationship = get_object_or_404(relationships, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    success_message = gettext_lazy("Your changes are saved.")

    def save(self, form) -> None:
        support_relationship_update(
            relationship=self.relationship,
            user=self.request.user,
            values=form.values(),
            expected_version=form.cleaned_data.get(VERSION_FIELD),
        )

    def refused(self) -> None:
        self.relationship.refresh_from_db()
