"""Meetings pages and calendar feeds.

Every page and feed starts from ``Meeting.objects.visible_to``: a meeting someone may not see
answers 404, exactly as one that does not exist, and a joining link appears only for the
people that module allows — never on a public page or in a public feed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from core.permissions import is_signed_in
from core.views import ForgivingPaginationMixin
from localities.models import Locality

from . import calendar
from .models import LONDON, CalendarToken, Meeting, hash_calendar_token
from .permissions import MeetingViewer, can_follow_actions, can_manage_meeting, may_organise_meetings
from .selectors import (
    action_list_open,
    meeting_list_for_feed,
    meeting_list_past,
    meeting_list_upcoming,
)
from .seo import meeting_schema
from .services import calendar_token_create, calendar_token_revoke

MEETINGS_PAGE_SIZE = 20
# Set in the session for the one page view that shows a new private feed address.
NEW_TOKEN_SESSION_KEY = "meetings_new_calendar_token"


class MeetingsViewMixin:
    """Shared context: the header's "meetings" section and breadcrumbs up to the list."""

    nav_section = "meetings"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [(_("Home"), reverse("portal:home")), (_("Meetings"), reverse("meetings:list"))]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_section", self.nav_section)
        kwargs.setdefault("breadcrumbs", self.get_breadcrumbs())
        return super().get_context_data(**kwargs)


class _MeetingListBase(MeetingsViewMixin, ForgivingPaginationMixin, ListView):
    template_name = "meetings/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = MEETINGS_PAGE_SIZE
    is_archive = False

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            is_archive=self.is_archive,
            signed_in=is_signed_in(user),
            follows_actions=can_follow_actions(user),
            may_organise=may_organise_meetings(user),
            **kwargs,
        )


class MeetingListView(_MeetingListBase):
    """``/meetings/``: meetings not yet over that the visitor may see, soonest first, cancelled
    ones marked. A constant number of queries whatever the number of meetings."""

    def get_breadcrumbs(self):
        return [(_("Home"), reverse("portal:home"))]

    def get_queryset(self):
        return meeting_list_upcoming(user=self.request.user)


class PastMeetingListView(_MeetingListBase):
    """``/meetings/past/``: meetings that have ended, most recent first, with their minutes
    once published."""

    is_archive = True

    def get_queryset(self):
        return meeting_list_past(user=self.request.user)


def _visible_meeting(request, uuid) -> Meeting:
    """The meeting, if the visitor may see it; 404 otherwise, as for one that does not exist."""
    queryset = Meeting.objects.visible_to(request.user).select_related("network", "organiser", "series")
    return get_object_or_404(queryset, uuid=uuid)


class MeetingDetailView(MeetingsViewMixin, DetailView):
    """``/meetings/<uuid>/``: when and where, the agenda, the minutes once published, a
    cancelled banner; the joining link, attendance and actions only for those allowed."""

    template_name = "meetings/meeting_detail.html"
    context_object_name = "meeting"

    def get_object(self, queryset=None):
        return _visible_meeting(self.request, self.kwargs["uuid"])

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["show_joining_link"] or context["show_records"]:
            # A signed-in person's copy holds the joining link or the register: never for a
            # shared cache, and not kept on a shared computer (as the .ics download).
            patch_cache_control(response, private=True, no_store=True)
        return response

    def get_breadcrumbs(self):
        crumbs = super().get_breadcrumbs()
        if self.object.is_past:
            crumbs.append((_("Past meetings"), reverse("meetings:past")))
        return crumbs

    def get_context_data(self, **kwargs):
        meeting = self.object
        # The meeting came from Meeting.objects.visible_to(): only what it shows is left to decide.
        viewer = MeetingViewer(self.request.user)
        show_records = viewer.may_see_records(meeting)
        context = {
            "localities": list(meeting.localities.order_by("name")),
            "structured_data": meeting_schema(meeting),
            "show_joining_link": viewer.may_see_joining_link(meeting),
            "show_records": show_records,
            "can_manage": can_manage_meeting(self.request.user, meeting),
            "attendances": [],
            "actions": [],
        }
        if show_records:
            context["attendances"] = list(meeting.attendances.select_related("organisation"))
            context["actions"] = list(meeting.actions.select_related("owner").order_by("status", "due_on", "pk"))
        return super().get_context_data(**context, **kwargs)


def _calendar_response(body: bytes, *, filename: str, cache: str, attachment: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type=calendar.CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = cache
    return response


class MeetingIcsView(View):
    """``/meetings/<uuid>.ics``: one meeting to add to a calendar. Same visibility as its page;
    the joining link only for those allowed."""

    def get(self, request, uuid):
        meeting = _visible_meeting(request, uuid)
        body = calendar.meetings_calendar(
            [meeting],
            name=meeting.title,
            absolute_url=request.build_absolute_uri,
            show_joining_link=MeetingViewer(request.user).may_see_joining_link,
            calendar_key=f"meeting:{meeting.uuid}",
        )
        date = timezone.localtime(meeting.start, LONDON).date().isoformat()
        filename = f"{slugify(meeting.title)[:60] or 'meeting'}-{date}.ics"
        # A signed-in person's copy may hold the joining link: never for a shared cache.
        shared = meeting.is_public and not is_signed_in(request.user)
        cache = "public, max-age=300" if shared else "private, no-store"
        return _calendar_response(body, filename=filename, cache=cache, attachment=True)


class PublicFeedView(View):
    """``/meetings/feed.ics``: every public meeting (from a year ago on). No joining links."""

    def get(self, request):
        body = calendar.meetings_calendar(
            meeting_list_for_feed(Meeting.objects.public()),
            name=str(_("Public network meetings")),
            absolute_url=request.build_absolute_uri,
            calendar_key="feed:public",
        )
        return _calendar_response(body, filename="meetings.ics", cache="public, max-age=900")


class LocalityFeedView(View):
    """``/meetings/feed/<locality>.ics``: public meetings concerning a place or any place inside
    it. No joining links."""

    def get(self, request, slug):
        locality = get_object_or_404(Locality, slug=slug)
        body = calendar.meetings_calendar(
            meeting_list_for_feed(Meeting.objects.public().for_locality(locality)),
            name=str(_("Meetings in %(place)s") % {"place": locality.name}),
            absolute_url=request.build_absolute_uri,
            calendar_key=f"feed:locality:{locality.pk}",
        )
        return _calendar_response(body, filename=f"meetings-{locality.slug}.ics", cache="public, max-age=900")


class PrivateFeedView(View):
    """``/meetings/feed/private/<token>.ics``: every meeting the token's owner may see, with
    the joining links they may see. A revoked or unknown token, or an inactive person's,
    answers 404."""

    def get(self, request, token):
        row = (
            CalendarToken.objects.active().select_related("user").filter(token_hash=hash_calendar_token(token)).first()
        )
        if row is None or not is_signed_in(row.user):
            raise Http404
        user = row.user
        body = calendar.meetings_calendar(
            meeting_list_for_feed(Meeting.objects.visible_to(user)),
            name=str(_("My network meetings")),
            absolute_url=request.build_absolute_uri,
            show_joining_link=MeetingViewer(user).may_see_joining_link,
            calendar_key=f"feed:private:{row.pk}",
        )
        response = _calendar_response(body, filename="my-meetings.ics", cache="private, no-store")
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response


class ActionListView(LoginRequiredMixin, MeetingsViewMixin, ListView):
    """``/meetings/actions/``: open actions from the meetings the person may see, grouped by
    the organisation that owns them (``?owner=<slug>`` for one). Network members and
    officers only."""

    template_name = "meetings/action_list.html"
    context_object_name = "actions"

    def dispatch(self, request, *args, **kwargs):
        if is_signed_in(request.user) and not can_follow_actions(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return action_list_open(user=self.request.user, owner_slug=self.request.GET.get("owner") or None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actions = context["actions"]
        owner = actions[0].owner if self.request.GET.get("owner") and actions else None
        context.update(owner=owner, today=timezone.localdate())
        return context


@method_decorator(never_cache, name="dispatch")
class SubscribeView(MeetingsViewMixin, TemplateView):
    """``/meetings/subscribe/``: the addresses to subscribe to in a calendar app. Everyone gets
    the public feed and a feed per area; a signed-in person can also make (and revoke) a
    private address for every meeting they may see, shown once when made."""

    template_name = "meetings/subscribe.html"

    def get_context_data(self, **kwargs):
        request = self.request
        user = request.user
        places = list(Locality.objects.current().in_tree_order())
        chosen = None
        if request.GET.get("area"):
            chosen = next((p for p in places if p.slug == request.GET["area"]), None)
        context = {
            "public_feed_url": request.build_absolute_uri(reverse("meetings:feed")),
            "places": places,
            "chosen_place": chosen,
            "place_feed_url": (
                request.build_absolute_uri(reverse("meetings:locality_feed", kwargs={"slug": chosen.slug}))
                if chosen
                else None
            ),
            "signed_in": is_signed_in(user),
            "login_url": f"{reverse(settings.LOGIN_URL)}?next={reverse('meetings:subscribe')}",
            "active_token": None,
            "new_feed_url": None,
        }
        if is_signed_in(user):
            context["active_token"] = CalendarToken.objects.active().filter(user=user).first()
            token = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
            if token and context["active_token"] is not None:
                context["new_feed_url"] = request.build_absolute_uri(
                    reverse("meetings:private_feed", kwargs={"token": token})
                )
        return super().get_context_data(**context, **kwargs)

    def post(self, request):
        if not is_signed_in(request.user):
            return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?next={reverse('meetings:subscribe')}")
        action = request.POST.get("action")
        if action == "create":
            _row, token = calendar_token_create(user=request.user)
            request.session[NEW_TOKEN_SESSION_KEY] = token
            messages.success(
                request,
                _("Your private calendar address is ready. Copy it now: it is shown only once."),
            )
        elif action == "revoke":
            if calendar_token_revoke(user=request.user):
                messages.success(request, _("Your private calendar address no longer works."))
        else:
            return HttpResponse(status=400)
        return HttpResponseRedirect(reverse("meetings:subscribe"))
