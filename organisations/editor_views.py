"""Front-end pages for editors: change an organisation's profile; review the new groups sent
to their anchor. Scope comes from
``Organisation.objects.editable_by``: an organisation outside it answers 404, as one that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, UpdateView

from core.concurrency import VERSION_FIELD, EditConflict, accept_current_versions
from core.permissions import is_officer

from .duplicates import duplicates_by_organisation
from .forms import OrganisationProfileForm
from .models import GroupSubmission, Organisation
from .permissions import can_see_private_contacts, needs_review
from .services import organisation_profile_edit, profile_values_from_form


class OrganisationEditView(LoginRequiredMixin, UpdateView):
    """``/organisations/<slug>/edit/``: an editor changes a profile. On a published profile the
    change waits for an officer (the form shows it again, so nothing typed is lost); elsewhere
    it is saved at once."""

    form_class = OrganisationProfileForm
    template_name = "organisations/organisation_form.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.editable_by(self.request.user)

    def get_form_kwargs(self):
        self.pending = self.object.revisions.pending().first()
        return {
            **super().get_form_kwargs(),
            "private_contacts": can_see_private_contacts(self.request.user, self.object),
            "pending": self.pending,
        }

    def get_initial(self):
        # What the editor sees: the live profile with the edit waiting for review laid over it
        # (found by get_form_kwargs, which asks for this).
        return dict(self.pending.proposed) if self.pending else {}

    def get_context_data(self, **kwargs):
        # The form is made first (by super()): making it finds the pending edit (get_form_kwargs).
        context = super().get_context_data(**kwargs)
        context.update(
            pending=getattr(self, "pending", None),
            needs_review=needs_review(self.request.user, self.object),
            breadcrumbs=[(_("Home"), reverse("portal:home")), (_("Your account"), reverse("portal:account"))],
        )
        return context

    def form_valid(self, form):
        values = profile_values_from_form(form)
        try:
            revision = organisation_profile_edit(
                organisation=self.object,
                user=self.request.user,
                values=values,
                expected_version=form.cleaned_data.get(VERSION_FIELD),
            )
        except EditConflict as conflict:
            accept_current_versions(form, conflict)
            return self.form_invalid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if not values:
            messages.info(self.request, _("You did not change anything in %(name)s.") % {"name": self.object.name})
        elif revision is None:
            messages.success(self.request, _("Your changes to %(name)s are saved.") % {"name": self.object.name})
        else:
            messages.success(
                self.request,
                _(
                    "Your changes to %(name)s have been sent to an officer for review. "
                    "The public page shows the current version until they are approved."
                )
                % {"name": self.object.name},
            )
        return redirect("portal:account")


class GroupSubmissionListView(LoginRequiredMixin, ListView):
    """``/new-groups/``: the new groups sent through "Add your group" to the anchors the person
    edits (officers: all), newest first, 50 to a page, each with the organisations it may
    duplicate (drafts included: reviewers see everything in their scope's queue). A fixed
    number of queries whatever the number of groups."""

    template_name = "organisations/group_submission_list.html"
    context_object_name = "submissions"
    paginate_by = 50

    def get_queryset(self):
        return (
            GroupSubmission.objects.visible_to(self.request.user)
            .select_related("organisation", "reviewer", "locality")
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["submissions"])
        duplicates = duplicates_by_organisation([row.organisation for row in rows])
        context.update(
            rows=[(row, duplicates[row.organisation_id]) for row in rows],
            is_officer=is_officer(self.request.user),
            breadcrumbs=[(_("Home"), reverse("portal:home")), (_("Your account"), reverse("portal:account"))],
        )
        return context
