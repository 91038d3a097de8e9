"""Front-end pages for editors: change an organisation's profile; review the new groups sent
to their anchor and decide on each. Scope comes from
``Organisation.objects.editable_by``: an organisation outside it answers 404, as one that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView, UpdateView

from core.concurrency import VERSION_FIELD, EditConflict, RowEditConflict, accept_current_versions
from core.forms import error_links as error_links_for
from core.forms import exception_messages, is_storable_id
from core.permissions import is_officer

from .duplicates import duplicates_by_organisation
from .forms import (
    GroupSubmissionDecisionForm,
    GroupSubmissionFilterForm,
    OrganisationProfileForm,
    ScheduleInlineFormSet,
    with_another_row,
)
from .models import GroupSubmission, Organisation
from .permissions import can_edit_organisation, can_see_private_contacts, needs_review
from .services import (
    group_submission_decide,
    organisation_profile_edit,
    organisation_schedules_check,
    profile_values_from_form,
)


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


class OrganisationOpeningTimesView(LoginRequiredMixin, View):
    """``/organisations/<slug>/opening-times/``: an editor changes the organisation's weekly
    opening times (HSDS schedules), one row each, with a blank row to fill in; "Add another
    opening time" posts the form back with one blank row more and saves nothing (mistakes in
    what was typed are pointed out already), so it works without JavaScript. Saved at once
    (``services.organisation_schedules_check``); a row someone else changed meanwhile is
    refused beside that row, with everything typed kept."""

    template_name = "organisations/organisation_opening_times.html"
    prefix = "times"

    def get_organisation(self) -> Organisation:
        return get_object_or_404(Organisation.objects.editable_by(self.request.user), slug=self.kwargs["slug"])

    def get(self, request, *args, **kwargs):
        organisation = self.get_organisation()
        return self.render_page(organisation, ScheduleInlineFormSet(instance=organisation, prefix=self.prefix))

    def post(self, request, *args, **kwargs):
        organisation = self.get_organisation()
        if "add_another" in request.POST:
            data = with_another_row(request.POST, self.prefix)
            formset = ScheduleInlineFormSet(data, instance=organisation, prefix=self.prefix)
            return self.render_page(organisation, formset)
        formset = ScheduleInlineFormSet(request.POST, instance=organisation, prefix=self.prefix)
        if formset.is_valid():
            try:
                with transaction.atomic():
                    organisation_schedules_check(
                        organisation=organisation, user=request.user, loaded=formset.loaded_versions()
                    )
                    formset.save()
            except RowEditConflict as conflict:
                accept_current_versions(formset.form_for(conflict.row_id), conflict)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, _("The opening times of %(name)s are saved.") % {"name": organisation.name})
                return redirect("organisations:opening_times", slug=organisation.slug)
        return self.render_page(organisation, formset)

    def render_page(self, organisation: Organisation, formset):
        links: list[tuple[str, str]] = []
        for number, form in enumerate(formset.forms, start=1):
            form.position_label = _("Opening time %(number)s") % {"number": number}
            form.is_new = form.instance.pk is None
            if formset.is_bound:
                links += error_links_for(form, label=form.position_label)
        if formset.is_bound:
            links += [("opening-times", str(error)) for error in formset.non_form_errors()]
        return render(
            self.request,
            self.template_name,
            {
                "organisation": organisation,
                "formset": formset,
                "error_links": links,
                "breadcrumbs": [
                    (_("Home"), reverse("portal:home")),
                    (_("Your account"), reverse("portal:account")),
                    (organisation.name, reverse("organisations:edit", kwargs={"slug": organisation.slug})),
                ],
            },
        )


def _queue_crumbs():
    return [(_("Home"), reverse("portal:home")), (_("Your account"), reverse("portal:account"))]


class GroupSubmissionListView(LoginRequiredMixin, ListView):
    """``/new-groups/``: the new groups sent through "Add your group" that the person reviews
    (``GroupSubmission.objects.visible_to``: their anchor's, their network's as coordinator;
    officers: all), 50 to a page, each with the organisations it may duplicate (drafts
    included: reviewers see everything in their scope's queue). By default the groups waiting
    for review, oldest first (first come, first served); ``?show=decided`` the decided ones,
    latest decision first. A fixed number of queries whatever the number of groups."""

    template_name = "organisations/group_submission_list.html"
    context_object_name = "submissions"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = GroupSubmissionFilterForm(self.request.GET or None)
        submissions = GroupSubmission.objects.visible_to(self.request.user).select_related(
            "organisation", "reviewer", "locality", "decided_by", "duplicate_of"
        )
        if self.filter_form.shows_decided:
            return submissions.decided().order_by("-decided_at", "-pk")
        return submissions.open().order_by("created_at", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["submissions"])
        duplicates = duplicates_by_organisation([row.organisation for row in rows])
        context.update(
            rows=[(row, duplicates[row.organisation_id]) for row in rows],
            filter_form=self.filter_form,
            shows_decided=self.filter_form.shows_decided,
            is_officer=is_officer(self.request.user),
            breadcrumbs=_queue_crumbs(),
        )
        return context


class GroupSubmissionDetailView(LoginRequiredMixin, View):
    """``/new-groups/<id>/``: one new group with its sender's contact details, its possible
    duplicates and, while it waits, the decision (``services.group_submission_decide``).
    Outside the person's scope (``visible_to``), or an id no database holds, it answers 404.
    A decision someone else made first is refused with their decision shown, nothing changed."""

    template_name = "organisations/group_submission_detail.html"

    def get_object(self) -> GroupSubmission:
        pk = self.kwargs["pk"]
        if not is_storable_id(pk):
            raise Http404
        return get_object_or_404(
            GroupSubmission.objects.visible_to(self.request.user).select_related(
                "organisation", "reviewer", "locality", "decided_by", "duplicate_of"
            ),
            pk=pk,
        )

    def render_page(self, submission: GroupSubmission, form=None, errors=(), status=200):
        duplicates = duplicates_by_organisation([submission.organisation])[submission.organisation_id]
        if submission.is_open and form is None:
            form = GroupSubmissionDecisionForm(duplicates=duplicates)
        error_links = [("decision-status", str(message)) for message in errors]
        if form is not None and form.is_bound:
            error_links += error_links_for(form)
        return render(
            self.request,
            self.template_name,
            {
                "submission": submission,
                "duplicates": duplicates,
                "form": form if submission.is_open else None,
                "error_links": error_links,
                "is_officer": is_officer(self.request.user),
                "can_edit": submission.is_open and can_edit_organisation(self.request.user, submission.organisation),
                "breadcrumbs": [*_queue_crumbs(), (_("New groups to review"), reverse("organisations:new_groups"))],
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self.render_page(self.get_object())

    def post(self, request, *args, **kwargs):
        submission = self.get_object()
        if not submission.is_open:
            return self.render_page(submission, errors=[_("This group has been decided already: nothing was changed.")])
        duplicates = duplicates_by_organisation([submission.organisation])[submission.organisation_id]
        form = GroupSubmissionDecisionForm(request.POST, duplicates=duplicates)
        if not form.is_valid():
            return self.render_page(submission, form=form)
        try:
            decided = group_submission_decide(
                submission=submission,
                user=request.user,
                decision=form.cleaned_data["decision"],
                duplicate_of=form.cleaned_data.get("duplicate_of"),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error(None, error)
                return self.render_page(submission, form=form)
            # Someone decided first: show the group as it is now, with their decision.
            return self.render_page(self.get_object(), errors=error.messages)
        except PermissionDenied as error:
            return self.render_page(
                submission, errors=exception_messages(error, default=str(_("You cannot decide on this group.")))
            )
        messages.success(
            request,
            _("%(name)s: “%(decision)s”. The person who sent it will be emailed.")
            % {"name": decided.organisation.name, "decision": decided.get_status_display()},
        )
        return redirect("organisations:new_groups")
