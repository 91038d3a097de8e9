"""Site-wide public pages: home and the accessibility statement."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core import permissions
from core.permissions.meetings import may_organise_meetings
from localities.models import Locality, LocalityKind
from organisations.models import Organisation
from organisations.selectors import network_list_public


class HomeView(TemplateView):
    """``/``: what the networks are, a search box, and the districts and areas to browse."""

    template_name = "core/home.html"

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
            organisation_count=Organisation.objects.published().count(),
        )
        return context


class AccessibilityStatementView(TemplateView):
    """``/accessibility/``: the accessibility statement the Public Sector Bodies (Websites and
    Mobile Applications) Accessibility Regulations 2018 require, in the GOV.UK sample format."""

    template_name = "core/accessibility.html"


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

    template_name = "core/account.html"

    def get_context_data(self, **kwargs):
        from organisations.models import ProfileRevisionStatus

        user = self.request.user
        editable = (
            permissions.editable_organisations(user)
            .order_by("name")
            .prefetch_related("revisions")
            .only("pk", "name", "slug", "status")
        )
        if permissions.is_officer(user):
            editable = editable.none()  # officers work in the admin, which lists everything
        organisations = list(editable[:200])
        for organisation in organisations:
            organisation.pending = any(r.status == ProfileRevisionStatus.PENDING for r in organisation.revisions.all())
        return super().get_context_data(
            organisations=organisations,
            is_officer=permissions.is_officer(user),
            is_councillor=permissions.is_councillor(user),
            may_organise_meetings=may_organise_meetings(user),
            memberships=user.memberships.select_related("organisation").order_by("organisation__name"),
            breadcrumbs=[(_("Home"), reverse("core:home"))],
            **kwargs,
        )
