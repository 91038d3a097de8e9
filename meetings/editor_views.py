"""The front-end meeting editor for lead-anchor editors (officers may use it too; they also have
the admin): their meetings, adding one, changing or cancelling it, and recording attendance and
actions afterwards.

Scope comes from ``Meeting.objects.managed_by``: a meeting outside it answers 404, exactly
as one that does not exist, so nobody learns of another anchor's meetings through the editor.
Every save runs in one transaction; on any error nothing is saved and the page shows
everything typed again, with an error summary.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.concurrency import VERSION_FIELD, EditConflict, accept_current_versions
from core.forms import error_links, exception_messages
from core.permissions import is_officer

from .forms import ActionInlineFormSet, AttendanceForm, MeetingForm
from .models import Meeting
from .permissions import may_organise_meetings, meeting_localities_for, meeting_networks_for, meeting_organisers_for
from .selectors import meeting_attendance_candidates, meeting_list_managed
from .services import (
    ActionEditConflict,
    meeting_actions_check,
    meeting_attendance_set,
    meeting_create,
    meeting_update,
    parse_register_token,
)

MY_MEETINGS_PAGE_SIZE = 20
# How many upcoming meetings "Your meetings" lists before it says there are more.
MY_UPCOMING_LIMIT = 50


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Home"), reverse("portal:home")), (_("Meetings"), reverse("meetings:list")), *extra]


def _mine_crumb() -> tuple[str, str]:
    return (_("Your meetings"), reverse("meetings:mine"))


def managed_meeting(request, uuid) -> Meeting:
    """The meeting, if the person may change it; 404 otherwise, as for one that does not exist."""
    queryset = Meeting.objects.managed_by(request.user).select_related("network", "organiser", "series")
    try:
        return queryset.get(uuid=uuid)
    except Meeting.DoesNotExist:
        raise Http404(_("No meeting found")) from None


class ManagedMeetingMixin:
    """Views of one meeting the person organises: ``self.meeting``, or 404 (see
    ``managed_meeting``) before anything else runs. Signed-out people are sent to sign in."""

    meeting: Meeting | None = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.meeting = managed_meeting(request, kwargs["uuid"])
        return super().dispatch(request, *args, **kwargs)


def _organiser_rule(user):
    """``(network, organiser) -> bool`` for the form: the pairs ``user`` may organise."""

    def allowed(network, organiser) -> bool:
        return meeting_organisers_for(user, network).filter(pk=organiser.pk).exists()

    return allowed


def _messages(exc: Exception) -> list[str]:
    return exception_messages(exc, default=_("You cannot do that to this meeting."))


class MyMeetingsView(LoginRequiredMixin, TemplateView):
    """``/meetings/mine/``: the meetings the person organises, coming up and past (20 a page),
    with links to change each and record what happened, and a button to add one. Someone who
    organises none is told who can. A fixed number of queries whatever the number of meetings."""

    template_name = "meetings/my_meetings.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        upcoming, past = meeting_list_managed(user=user)
        upcoming = list(upcoming[: MY_UPCOMING_LIMIT + 1])
        page = Paginator(past, MY_MEETINGS_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            may_organise=may_organise_meetings(user),
            is_officer=is_officer(user),
            upcoming=upcoming[:MY_UPCOMING_LIMIT],
            more_upcoming=len(upcoming) > MY_UPCOMING_LIMIT,
            page_obj=page,
            past=page.object_list,
            nav_section="meetings",
            breadcrumbs=_crumbs(),
            **kwargs,
        )


class _MeetingFormView(LoginRequiredMixin, TemplateView):
    template_name = "meetings/meeting_form.html"
    meeting: Meeting | None = None

    def get_form(self, data=None) -> MeetingForm:
        user = self.request.user
        return MeetingForm(
            data,
            instance=self.meeting,
            networks=meeting_networks_for(user),
            organisers=meeting_organisers_for(user),
            localities=meeting_localities_for(user),
            organiser_rule=_organiser_rule(user),
        )

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form())

    def render_form(self, form: MeetingForm):
        context = self.get_context_data(
            form=form,
            meeting=self.meeting,
            error_links=error_links(form) if form.is_bound else [],
            nav_section="meetings",
            breadcrumbs=_crumbs(_mine_crumb()),
        )
        return self.render_to_response(context)


class MeetingCreateView(_MeetingFormView):
    """``/meetings/new/``: add a meeting — what, when, where, who can see it, the agenda.
    Officers and lead-anchor editors only (403 with an explanation for anyone else)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_organise_meetings(request.user):
            return render(
                request,
                "meetings/meeting_not_allowed.html",
                {"breadcrumbs": _crumbs(), "nav_section": "meetings"},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                meeting = meeting_create(
                    user=request.user, values=form.model_values(), localities=form.cleaned_data["localities"]
                )
            except (PermissionDenied, ValidationError) as exc:
                form.add_error(None, _messages(exc))
            else:
                messages.success(request, _("Meeting added. Everyone it is open to can see it now."))
                return redirect(meeting.get_absolute_url())
        return self.render_form(form)


class MeetingUpdateView(ManagedMeetingMixin, _MeetingFormView):
    """``/meetings/<uuid>/edit/``: change a meeting the person organises, publish its minutes,
    or cancel (or reinstate) it. Refuses to save over someone else's change made meanwhile."""

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                meeting = meeting_update(
                    user=request.user,
                    meeting=self.meeting,
                    values=form.model_values(),
                    localities=form.cleaned_data["localities"],
                    expected_version=form.cleaned_data.get(VERSION_FIELD),
                )
            except EditConflict as conflict:
                accept_current_versions(form, conflict)
            except (PermissionDenied, ValidationError) as exc:
                form.add_error(None, _messages(exc))
            else:
                messages.success(request, _("Meeting saved."))
                return redirect(meeting.get_absolute_url())
        return self.render_form(form)


class MeetingRecordsView(LoginRequiredMixin, ManagedMeetingMixin, TemplateView):
    """``/meetings/<uuid>/records/``: who was invited, came or sent apologies, and the actions
    the meeting raised, saved together. Each save keeps one blank action or two to fill in."""

    template_name = "meetings/meeting_records.html"

    def get_forms(self, data=None):
        meeting = self.meeting
        candidates = meeting_attendance_candidates(meeting)
        current = dict(meeting.attendances.values_list("organisation_id", "status"))
        attendance = AttendanceForm(data, candidates=candidates, current=current, prefix="register")
        actions = ActionInlineFormSet(data, instance=meeting, prefix="actions", owners=candidates)
        return attendance, actions

    def get(self, request, *args, **kwargs):
        return self.render_forms(*self.get_forms())

    def post(self, request, *args, **kwargs):
        attendance, actions = self.get_forms(request.POST)
        if attendance.is_valid() and actions.is_valid():
            try:
                with transaction.atomic():
                    meeting_attendance_set(
                        user=request.user,
                        meeting=self.meeting,
                        statuses=attendance.statuses(),
                        loaded=parse_register_token(attendance.cleaned_data.get(VERSION_FIELD)),
                    )
                    meeting_actions_check(meeting=self.meeting, loaded=actions.loaded_versions())
                    actions.save()
            except ActionEditConflict as conflict:
                accept_current_versions(actions.form_for(conflict.action_id), conflict)
            except EditConflict as conflict:
                accept_current_versions(attendance, conflict)
            except (PermissionDenied, ValidationError) as exc:
                attendance.add_error(None, _messages(exc))
            else:
                messages.success(request, _("Attendance and actions saved."))
                return redirect(reverse("meetings:records", kwargs={"uuid": self.meeting.uuid}))
        return self.render_forms(attendance, actions)

    def render_forms(self, attendance, actions):
        links = error_links(attendance) if attendance.is_bound else []
        for number, form in enumerate(actions.forms, start=1):
            form.position_label = _("Action %(number)s") % {"number": number}
            form.is_new = form.instance.pk is None
            if actions.is_bound:
                links += error_links(form, label=form.position_label)
        if actions.is_bound:
            links += [("actions", str(error)) for error in actions.non_form_errors()]
        context = self.get_context_data(
            meeting=self.meeting,
            attendance=attendance,
            actions=actions,
            error_links=links,
            nav_section="meetings",
            breadcrumbs=_crumbs(_mine_crumb()),
        )
        return self.render_to_response(context)
