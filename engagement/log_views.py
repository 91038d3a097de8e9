"""The pages of the network's own working record, for the people who keep it: the engagement
log, recording a contact on it and changing one; the follow-up list, where an anchor's
editors (officers: every anchor's) see the contacts they said they would follow up, the
overdue ones marked, and mark each one done; and the outreach list, the community groups of
their patch by outreach status, quiet ones first with the reason recorded."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from core.concurrency import VERSION_FIELD, EditConflict, accept_current_versions
from core.forms import error_links, is_storable_id
from core.permissions import is_officer
from core.views import ForgivingPaginationMixin, ShortQueryStringMixin

from .filters import EngagementFilter, OutreachFilter
from .forms import EngagementForm, QuietNoteForm, show_refusal
from .models import Engagement, QuietReason
from .permissions import engagement_anchors_for, may_record_engagements
from .selectors import (
    OutreachStatus,
    engagement_log,
    engagement_staff_for,
    follow_ups_for,
    lapse_days,
    outreach_groups,
    outreach_list,
    quiet_after_days,
    with_outreach,
)
from .services import engagement_follow_up_done, engagement_record, engagement_update, quiet_note_record


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Home"), reverse("portal:home")), (_("Your account"), reverse("portal:account"))]


class FilteredListMixin(LoginRequiredMixin, ShortQueryStringMixin, ForgivingPaginationMixin):
    """For a ``ListView`` of the network's working record: ``filter_class`` (django-filter)
    over ``base_queryset()``, 20 to a page. A filter that is not one of its choices shows its
    error and no rows, never a server error."""

    paginate_by = settings.DIRECTORY_PAGE_SIZE
    filter_class: type

    def base_queryset(self):
        raise NotImplementedError

    def make_filterset(self, queryset):
        return self.filter_class(self.request.GET or None, queryset=queryset)

    def get_queryset(self):
        self.filterset = self.make_filterset(self.base_queryset())
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filterset=self.filterset,
            form=self.filterset.form,
            is_filtered=bool(self.request.GET.keys() - {"page"}),
            breadcrumbs=_crumbs(),
            **kwargs,
        )


class FollowUpListView(LoginRequiredMixin, ForgivingPaginationMixin, ListView):
    """``/network/follow-ups/``: the follow-ups not yet done on the logs the person keeps,
    soonest first, overdue ones marked in words (not colour alone); 20 to a page, in a fixed
    number of queries. Anyone signed in may open it: someone who keeps no log sees why it is
    empty."""

    template_name = "engagement/follow_up_list.html"
    context_object_name = "follow_ups"
    paginate_by = settings.DIRECTORY_PAGE_SIZE

    def get_queryset(self):
        return follow_ups_for(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=_crumbs(), **kwargs)


class FollowUpDoneView(LoginRequiredMixin, View):
    """POST ``/network/follow-ups/<id>/done/``: mark one follow-up done, then back to the list
    (to the page it was on). An entry the person may not change, or with no follow-up, is a 404,
    as one that does not exist; one done already says so and changes nothing."""

    http_method_names = ["post"]

    def post(self, request, pk: str):
        if not is_storable_id(pk):
            raise Http404
        try:
            done = engagement_follow_up_done(engagement_id=int(pk), user=request.user)
        except Engagement.DoesNotExist as missing:
            raise Http404 from missing
        if done:
            messages.success(request, _("Follow-up marked as done."))
        else:
            messages.info(request, _("That follow-up was already marked as done, by you or someone else."))
        page = request.POST.get("page", "")
        url = reverse("engagement:follow_ups")
        return redirect(f"{url}?page={page}" if page.isdigit() and page != "1" else url)


class OutreachListView(FilteredListMixin, ListView):
    """``/network/outreach/``: the community groups of the person's patch (``outreach_list``;
    officers: every group) with their outreach status, last contact and, for quiet ones, the
    reason recorded; filterable by status, quiet or not, and area; 20 to a page, in a fixed
    number of queries. Anyone signed in may open it: someone with no patch sees why it is empty.
    """

    template_name = "engagement/outreach_list.html"
    context_object_name = "groups"
    filter_class = OutreachFilter

    def base_queryset(self):
        return outreach_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(lapse_days=lapse_days(), quiet_days=quiet_after_days(), **kwargs)
        statuses, reasons = dict(OutreachStatus.choices), dict(QuietReason.choices)
        for group in context["object_list"]:
            group.outreach_label = statuses[group.outreach_status]
            group.quiet_reason_label = reasons.get(group.quiet_reason, "")
        return context


# ------------------------------------------------------------------------------------------
# The engagement log: the anchor's entries, recording one and changing one
# ------------------------------------------------------------------------------------------
def _log_crumbs() -> list[tuple[str, str]]:
    return [*_crumbs(), (_("Engagement log"), reverse("engagement:engagements"))]


class EngagementListView(FilteredListMixin, ListView):
    """``/network/engagements/``: the log the person keeps (``engagement_log``; officers: every
    anchor's), newest first, filterable by kind, organisation and date range; 20 to a page, in
    a fixed number of queries. Anyone signed in may open it: someone who keeps no log sees why
    it is empty. Officers' notes are never listed."""

    template_name = "engagement/engagement_list.html"
    context_object_name = "entries"
    filter_class = EngagementFilter

    def base_queryset(self):
        return engagement_log(user=self.request.user)

    def make_filterset(self, queryset):
        return EngagementFilter(self.request.GET or None, queryset=queryset, log=queryset)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_record=may_record_engagements(self.request.user), nav_section="account", **kwargs
        )


def _organisations_offered(request, selected: list[str]):
    """The groups the form lists: those the person works with (``outreach_groups``), narrowed
    to names containing ``?q=`` when given, with those already ``selected`` always kept."""
    groups = outreach_groups(user=request.user)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        kept = [int(pk) for pk in selected if is_storable_id(pk)]
        groups = groups.filter(Q(name__icontains=query) | Q(pk__in=kept))
    return groups, query


class ServiceFormMixin:
    """``post`` for the log's forms: the form from what was sent (``form_for``), handed when
    valid to ``save`` (one service call); a refusal is shown on the form with everything typed
    kept (a stale copy: with what changed meanwhile, ``core.concurrency``), a success goes to
    ``success_url`` (a URL name) with ``success_message``. ``refused`` runs before the form is
    shown again (an editor reloads the record it shows beside the form)."""

    success_url = ""
    success_message = ""

    def save(self, form) -> None:
        raise NotImplementedError

    def refused(self) -> None:
        pass

    def get_success_message(self) -> str:
        return self.success_message

    def post(self, request, *args, **kwargs):
        form = self.form_for(request.POST)
        if form.is_valid():
            try:
                self.save(form)
            except EditConflict as conflict:
                accept_current_versions(form, conflict)
            except (ValidationError, PermissionDenied) as exc:
                show_refusal(form, exc)
            else:
                messages.success(request, self.get_success_message())
                return redirect(self.success_url)
        self.refused()
        return self.render_to_response(self.get_context_data(form=form))


class _EngagementFormMixin(ServiceFormMixin, LoginRequiredMixin):
    template_name = "engagement/engagement_form.html"
    entry: Engagement | None = None
    success_url = "engagement:engagements"

    def form_for(self, data=None, *, initial=None) -> EngagementForm:
        user = self.request.user
        if data is not None:
            selected = data.getlist("organisations")
        else:
            selected = [str(pk) for pk in (initial or {}).get("organisations", [])]
        if self.entry is not None and data is None:
            selected += [str(pk) for pk in self.entry.organisations.values_list("pk", flat=True)]
        groups, self.query = _organisations_offered(self.request, selected)
        anchors = engagement_anchors_for(user)
        staff_of = [self.entry.anchor_id] if self.entry is not None else anchors.values("pk")
        return EngagementForm(
            data,
            instance=self.entry,
            initial=initial,
            anchors=anchors,
            organisations=groups,
            staff=engagement_staff_for(staff_of),
            officer=is_officer(user),
        )

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form")
        return super().get_context_data(
            entry=self.entry,
            form=form,
            query=self.query,
            error_links=error_links(form) if form.is_bound else [],
            breadcrumbs=_log_crumbs(),
            nav_section="account",
            **kwargs,
        )


class EngagementCreateView(_EngagementFormMixin, TemplateView):
    """``/network/engagements/new/``: record a contact on the log of an anchor the person acts
    for (``engagement_anchors_for``); ``?organisation=<id>`` ticks one group to start with,
    ``?q=`` narrows the groups listed to those whose name contains it. Anyone who keeps no log
    is told why (403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_record_engagements(request.user):
            return render(request, "engagement/engagement_not_allowed.html", {"breadcrumbs": _log_crumbs()}, status=403)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        initial = {"occurred_on": timezone.localdate()}
        chosen = request.GET.get("organisation", "")
        if is_storable_id(chosen) and outreach_groups(user=request.user).filter(pk=chosen).exists():
            initial["organisations"] = [int(chosen)]
        initial["staff"] = request.user.pk
        return self.render_to_response(self.get_context_data(form=self.form_for(initial=initial)))

    success_message = gettext_lazy("The contact is on the engagement log.")

    def save(self, form) -> None:
        engagement_record(
            user=self.request.user,
            anchor=form.cleaned_data["anchor"],
            organisations=list(form.cleaned_data["organisations"]),
            officer_notes=form.cleaned_data.get("officer_notes", ""),
            **form.values(),
        )


class EngagementUpdateView(_EngagementFormMixin, TemplateView):
    """``/network/engagements/<id>/edit/``: change an entry of a log the person keeps
    (``Engagement.objects.editable_by``); any other answers 404, as one that does not exist.
    A save made on a stale copy is refused and says what changed (``core.concurrency``)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not is_storable_id(kwargs["pk"]):
                raise Http404
            entries = Engagement.objects.editable_by(request.user).select_related("anchor", "support_request")
            self.entry = get_object_or_404(entries, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form_for()))

    success_message = gettext_lazy("Your changes are saved.")

    def save(self, form) -> None:
        engagement_update(
            engagement=self.entry,
            user=self.request.user,
            organisations=list(form.cleaned_data["organisations"]),
            values=form.values(),
            expected_version=form.cleaned_data.get(VERSION_FIELD),
            officer_notes=form.cleaned_data.get("officer_notes"),
        )

    def refused(self) -> None:
        self.entry.refresh_from_db()


# ------------------------------------------------------------------------------------------
# Why a group is quiet
# ------------------------------------------------------------------------------------------
class QuietNoteView(ServiceFormMixin, LoginRequiredMixin, TemplateView):
    """``/network/outreach/<id>/quiet/``: record why a group of the person's patch is quiet
    (``quiet_note_record``), then back to the outreach list, which shows the latest reason. A
    group outside ``outreach_groups`` answers 404, as one that does not exist."""

    template_name = "engagement/quiet_note_form.html"
    success_url = "engagement:outreach"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not is_storable_id(kwargs["pk"]):
                raise Http404
            groups = with_outreach(outreach_groups(user=request.user))
            self.group = get_object_or_404(groups, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form_for()))

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form")
        reasons = dict(QuietReason.choices)
        return super().get_context_data(
            group=self.group,
            current_reason=reasons.get(self.group.quiet_reason, ""),
            form=form,
            error_links=error_links(form) if form.is_bound else [],
            breadcrumbs=[*_crumbs(), (_("Outreach to community groups"), reverse("engagement:outreach"))],
            nav_section="account",
            **kwargs,
        )

    def form_for(self, data=None) -> QuietNoteForm:
        return QuietNoteForm(data)

    def save(self, form) -> None:
        quiet_note_record(user=self.request.user, organisation=self.group, **form.cleaned_data)

    def get_success_message(self) -> str:
        return _("The reason %(group)s is quiet is recorded.") % {"group": self.group.name}
