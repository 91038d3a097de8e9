"""The pages of the network's own working record, for the people who keep it: the follow-up
list, where an anchor's editors (officers: every anchor's) see the contacts they said they
would follow up, the overdue ones marked, and mark each one done; and the outreach list, the
community groups of their patch by outreach status, quiet ones first with the reason recorded."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from core.forms import is_storable_id
from core.views import ForgivingPaginationMixin, ShortQueryStringMixin

from .filters import OutreachFilter
from .models import Engagement, QuietReason
from .selectors import OutreachStatus, follow_ups_for, lapse_days, outreach_list, quiet_after_days
from .services import engagement_follow_up_done


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Home"), reverse("portal:home")), (_("Your account"), reverse("portal:account"))]


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


class OutreachListView(LoginRequiredMixin, ShortQueryStringMixin, ForgivingPaginationMixin, ListView):
    """``/network/outreach/``: the community groups of the person's patch (``outreach_list``;
    officers: every group) with their outreach status, last contact and, for quiet ones, the
    reason recorded; filterable by status, quiet or not, and area; 20 to a page, in a fixed
    number of queries. Anyone signed in may open it: someone with no patch sees why it is empty.
    """

    template_name = "engagement/outreach_list.html"
    context_object_name = "groups"
    paginate_by = settings.DIRECTORY_PAGE_SIZE

    def get_queryset(self):
        self.filterset = OutreachFilter(self.request.GET or None, queryset=outreach_list(user=self.request.user))
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            filterset=self.filterset,
            form=self.filterset.form,
            is_filtered=bool(self.request.GET.keys() - {"page"}),
            breadcrumbs=_crumbs(),
            lapse_days=lapse_days(),
            quiet_days=quiet_after_days(),
            **kwargs,
        )
        statuses, reasons = dict(OutreachStatus.choices), dict(QuietReason.choices)
        for group in context["object_list"]:
            group.outreach_label = statuses[group.outreach_status]
            group.quiet_reason_label = reasons.get(group.quiet_reason, "")
        return context
