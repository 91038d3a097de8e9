"""The engagement log's pages for the people who keep it: the follow-up list, where an
anchor's editors (officers: every anchor's) see the contacts they said they would follow up,
the overdue ones marked, and mark each one done."""

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
from core.views import ForgivingPaginationMixin

from .models import Engagement
from .selectors import follow_ups_for
from .services import engagement_follow_up_done


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
        return super().get_context_data(
            breadcrumbs=[(_("Home"), reverse("portal:home")), (_("Your account"), reverse("portal:account"))],
            **kwargs,
        )


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
