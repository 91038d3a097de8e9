"""The project-level pages: those that gather several apps (home, an area, the account page)
and the site-wide ones (accessibility statement, sign-in and sign-out).

They ask each app's selectors and permissions; no rule is decided here.
"""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from core.charts import ChoroplethMap, describe_values
from core.permissions import is_councillor, is_officer
from core.views import ForgivingPaginationMixin
from engagement.permissions import can_see_request_queue
from localities.maps import ward_map
from localities.models import Locality, LocalityKind
from localities.selectors import ward_list_with_boundaries
from localities.seo import place_schema
from meetings.permissions import may_organise_meetings
from organisations.models import Organisation
from organisations.search import order_by_relevance
from organisations.selectors import (
    anchor_roles_public,
    community_group_counts_by_ward,
    network_list_public,
    organisation_list_editable,
    organisation_list_public,
)
from plans.selectors import plan_current_for_locality, plan_items_raised_by_residents
from voices.published import published_progress, published_voices

from .accessibility import tested_pages
from .dashboard import may_see_dashboard
from .periods import Period, financial_year_of


def home_crumb() -> tuple[str, str]:
    return (_("Home"), reverse("portal:home"))


class HomeView(TemplateView):
    """``/``: what the networks are, a search box, and the districts and areas to browse."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        places = list(
            Locality.objects.current().filter(kind__in=[LocalityKind.DISTRICT, LocalityKind.AREA]).in_tree_order()
        )
        for place in places:
            place.areas = [p for p in places if p.parent_id == place.pk]
        context.update(
            districts=[p for p in places if p.kind == LocalityKind.DISTRICT],
            networks=network_list_public(),
            organisation_count=Organisation.objects.public().count(),
        )
        return context


class AccessibilityStatementView(TemplateView):
    """``/accessibility/``: the accessibility statement the Public Sector Bodies (Websites and
    Mobile Applications) Accessibility Regulations 2018 require, in the GOV.UK sample format.
    The pages it says were tested are the browser gate's page types (``portal.accessibility``)."""

    template_name = "portal/accessibility.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(tested_pages=tested_pages(), **kwargs)


class PrivacyNoticeView(TemplateView):
    """``/privacy/``: what personal data the portal holds, why, for how long, and people's
    rights, as UK GDPR articles 13 and 14 require (in the ICO's "right to be informed" order)."""

    template_name = "portal/privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            PRIVACY_CONTACT_EMAIL=settings.PRIVACY_CONTACT_EMAIL,
            SUPPORT_REQUEST_RETENTION_DAYS=settings.SUPPORT_REQUEST_RETENTION_DAYS,
            GROUP_SUBMISSION_RETENTION_DAYS=settings.GROUP_SUBMISSION_RETENTION_DAYS,
            VOICE_RETENTION_DAYS=settings.VOICE_RETENTION_DAYS,
            breadcrumbs=[home_crumb()],
            **kwargs,
        )


class CookiesView(TemplateView):
    """``/cookies/``: the cookies the portal sets, read from the settings that name them, so
    the page stays true (the Privacy and Electronic Communications Regulations 2003, reg. 6:
    strictly necessary cookies need no consent, but people must be told about them)."""

    template_name = "portal/cookies.html"

    def get_context_data(self, **kwargs):
        cookies = [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "purpose": _("Keeps you signed in, and carries the short messages a page shows after a form."),
                "expires": _("When you close your browser, or after %(hours)s hours signed in")
                % {"hours": settings.SESSION_COOKIE_AGE // 3600},
                "when": _("Only once you sign in, or after you send a form"),
            },
            {
                "name": settings.CSRF_COOKIE_NAME,
                "purpose": _("Checks that a form you send was filled in on this site (protection against forgery)."),
                "expires": _("After %(days)s days") % {"days": settings.CSRF_COOKIE_AGE // 86400},
                "when": _("When you open a page with a form"),
            },
            {
                "name": "messages",
                "purpose": _("Carries a short message, such as “Plan saved”, to the next page you see."),
                "expires": _("When you close your browser"),
                "when": _("Only after you send a form"),
            },
        ]
        return super().get_context_data(cookies=cookies, breadcrumbs=[home_crumb()], **kwargs)


class SignInForm(AuthenticationForm):
    """Django's sign-in form, laid out with GOV.UK components and plain-English errors."""

    error_messages = {
        "invalid_login": _("Enter a correct username and password. Both are case-sensitive."),
        "inactive": _("This account is not active. Ask an officer to reactivate it."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = _("Enter your username")
        self.fields["password"].error_messages["required"] = _("Enter your password")
        self.fields["password"].widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's <form> carries the CSRF token and action
        self.helper.layout = Layout(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Button("submit", _("Sign in")),
        )


class SignInView(auth_views.LoginView):
    """``/accounts/sign-in/``: for editors and councillors (officers may use it too). Repeated
    failures lock the account for a while (django-axes)."""

    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """``/accounts/sign-out/`` (POST only, as Django requires)."""


class AccountView(LoginRequiredMixin, TemplateView):
    """``/account/``: what the signed-in person may do — the organisations whose profiles they
    edit, with edits waiting for review, and their roles."""

    template_name = "portal/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        officer = is_officer(user)
        return super().get_context_data(
            # Officers work in the admin, which lists everything.
            organisations=[] if officer else organisation_list_editable(user=user),
            is_officer=officer,
            is_councillor=is_councillor(user),
            may_organise_meetings=may_organise_meetings(user),
            may_see_request_queue=can_see_request_queue(user),
            may_see_dashboard=may_see_dashboard(user),
            memberships=user.memberships.select_related("organisation").order_by("organisation__name"),
            breadcrumbs=[home_crumb()],
            **kwargs,
        )


class AreaListView(ListView):
    """``/areas/``: current districts, areas and wards as a tree, in one query."""

    template_name = "portal/area_list.html"
    context_object_name = "localities"

    def get_queryset(self):
        return Locality.objects.current().in_tree_order()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        localities = list(context["localities"])
        children: dict[int | None, list[Locality]] = {}
        for locality in localities:
            children.setdefault(locality.parent_id, []).append(locality)
        for locality in localities:
            locality.current_children = sorted(children.get(locality.pk, []), key=lambda c: c.name)
        context.update(districts=children.get(None, []), nav_section="areas", breadcrumbs=[home_crumb()])
        return context


class AreaDetailView(ForgivingPaginationMixin, ListView):
    """``/areas/<slug>/``: one locality — where it sits, the anchors that serve it (its own,
    those of the places above it and inside it), its locality plan, the places inside it, and
    the published organisations serving it or anywhere inside it, then those serving a place
    that contains it (``OrganisationQuerySet.for_place``), 20 to a page.

    An ended locality (an abolished ward) keeps its page, marked as ended, so old links work.
    """

    template_name = "portal/area_detail.html"
    context_object_name = "organisations"
    paginate_by = settings.DIRECTORY_PAGE_SIZE

    def get_queryset(self):
        self.locality = get_object_or_404(Locality.objects.select_related("parent"), slug=self.kwargs["slug"])
        return order_by_relevance(organisation_list_public().for_place(self.locality))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locality = self.locality
        ancestors = locality.ancestors()
        # Those serving a larger place come after the local ones, saying which ("serves all of
        # Kirklees"): ``reach`` counts the levels up, ``ancestors`` runs from the root down.
        wider = dict(enumerate(reversed(ancestors), start=1))
        context["organisations"] = list(context["organisations"])
        for organisation in context["organisations"]:
            organisation.serves_all_of = wider.get(organisation.reach)
        context.update(
            locality=locality,
            ancestors=ancestors,
            breadcrumbs=[home_crumb(), (_("Areas"), reverse("portal:area_list"))]
            + [(a.name, a.get_absolute_url()) for a in ancestors],
            sub_areas=Locality.objects.current().filter(parent=locality).order_by("name"),
            anchor_roles=list(anchor_roles_public(locality=locality)),
            is_current=locality.is_current(),
            current_plan=plan_current_for_locality(locality),
            ward_map=area_ward_map(locality),
            structured_data=place_schema(locality),
            nav_section="areas",
        )
        return context


def area_ward_map(locality: Locality) -> ChoroplethMap | None:
    """For a district or an area: a map of its current wards shaded by the published
    community groups serving each (``community_group_counts_by_ward``); None for a ward or a
    neighbourhood, or a place with no current ward. Two queries."""
    if locality.kind not in (LocalityKind.DISTRICT, LocalityKind.AREA):
        return None
    wards = ward_list_with_boundaries(locality)
    if not wards:
        return None
    counts = community_group_counts_by_ward(wards)
    summary = describe_values([(ward.name, counts.get(ward.pk, 0)) for ward in wards], units=("group", "groups"))
    return ward_map(
        wards,
        counts,
        chart_id="ward-map",
        title=_("Community groups by ward in %(place)s") % {"place": locality.name},
        description=_(
            "Map of the %(count)s wards of %(place)s, each shaded by the number of published community "
            "groups that serve it. %(summary)s"
        )
        % {"count": len(wards), "place": locality.name, "summary": summary},
        value_heading=_("Community groups"),
    )


RAISED_ITEMS_SHOWN = 20


class AreaVoicesView(TemplateView):
    """``/areas/<slug>/what-residents-said/``: how many people told the network what matters in a
    place (or anywhere inside it) this financial year, by theme, and what became of it ("you
    said, we did": how many stand heard, in the plan, acted on, not taken forward, and the plan
    items residents raised), as ``voices.published`` allows (no count under five, no total that
    would give one back); never what anyone wrote."""

    template_name = "portal/area_voices.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locality = get_object_or_404(Locality.objects.select_related("parent"), slug=self.kwargs["slug"])
        today = timezone.localdate()
        year = Period.financial_year(financial_year_of(today))
        ancestors = locality.ancestors()
        progress, progress_total = published_progress(locality, start=year.start, end=today)
        raised_items = list(plan_items_raised_by_residents(locality)[:RAISED_ITEMS_SHOWN])
        context.update(
            locality=locality,
            published=published_voices(locality, start=year.start, end=today),
            progress=progress,
            progress_total=progress_total,
            raised_items=raised_items,
            year=year,
            is_current=locality.is_current(),
            breadcrumbs=[home_crumb(), (_("Areas"), reverse("portal:area_list"))]
            + [(a.name, a.get_absolute_url()) for a in ancestors]
            + [(locality.name, locality.get_absolute_url())],
            nav_section="areas",
        )
        return context
