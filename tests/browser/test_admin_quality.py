"""Accessibility and page-quality gates on the officers' admin, in a real browser.

The admin is where council officers work all day, so it is held to the same gates as the
public pages (``test_page_quality.py``). Signed in as an officer (an active staff user, not a
superuser), over the demo data (``demo_server``), each admin page type is loaded afresh at
1280 and at 320 CSS px wide, and:

- **axe-core** (WCAG 2.0, 2.1 and 2.2, A and AA rules, as ``test_page_quality.py`` runs it:
  colour contrast at 1280 px only) finds no violation, with every select2 autocomplete built;
- the page does **not scroll sideways**, at either width (WCAG 1.4.10 at 320 px); a wide
  inline table scrolls inside its own focusable region instead;
- the page runs its scripts without an error (an uncaught exception, or a script or style the
  Content-Security-Policy refused, would leave widgets unnamed or unbuilt);
- the **Nu HTML Checker** finds no error in the HTML as served (once per page type: the
  HTML does not depend on the width), all pages validated in one run of vnu.jar.

The page types: the admin index; the list and the change form of organisations, locality
plans, meetings, meeting series, anchor roles, networks and localities; the review queue of
editors' profile edits and a pending edit's review page; an organisation's change form sent
back with an error (its name emptied); an organisation's history; and the delete page of an
organisation that records refer to, where deletion is refused (docs/adr/0007); and "Find a
person's data", where officers answer a UK GDPR request; and a large import's progress page,
previewed and ready to confirm. Each record
is the fullest the demo data has (an organisation with anchor roles and an editor, the
network with the most anchor roles, a meeting with attendance and actions); what the demo
data lacks (an editor, a pending profile edit, an exception to a series) is made here.

No Nu message is filtered out: every error the admin's markup had is fixed in the admin's
templates (``templates/admin/``) or widgets (``core/admin.py``); see ``ACCEPTED_NU_MESSAGES``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser

from core.concurrency import version_of
from core.models import ImportJob
from localities.models import Locality, LocalityKind
from meetings.models import Meeting, MeetingSeries, MeetingSeriesException
from organisations.models import (
    AnchorRole,
    AnchorRoleKind,
    MembershipRole,
    Network,
    Organisation,
    ProfileRevision,
)
from organisations.services import organisation_profile_edit
from plans.models import LocalityPlan
from tests.browser.quality import (
    AXE_OPTIONS,
    AXE_OPTIONS_NARROW,
    REFLOW_WIDTH,
    axe_report,
    names_to_validate,
    nu_errors,
    sideways_scroll,
)
from tests.factories import ImportJobFactory, MembershipFactory, UserFactory

# The database is set up for these tests, but the data comes from ``demo_server`` (module-wide,
# committed, and removed when the module ends) and from ``officer_admin`` (committed too, so
# the live server's thread sees it on PostgreSQL); each test only reads what a visit found.
pytestmark = pytest.mark.django_db

WIDE = 1280
WIDTHS = (WIDE, REFLOW_WIDTH)

# Nu HTML Checker messages accepted on admin pages, with the reason: each must be about markup
# Django (or a package) generates that no template or widget of ours can change. None: every
# error the checker reported is fixed at its root (see the module docstring).
ACCEPTED_NU_MESSAGES: dict[str, str] = {}


@dataclass
class Records:
    """The demo records the admin pages show, and what the tests add to them."""

    organisation: Organisation
    plan: LocalityPlan
    meeting: Meeting
    series: MeetingSeries
    anchor_role: AnchorRole
    network: Network
    locality: Locality
    revision: ProfileRevision
    import_job: ImportJob


@dataclass(frozen=True)
class AdminPage:
    name: str
    path: Callable[[Records], str]
    # Text the page must show, so it is the state we mean to check (a form, not a sign-in page).
    expect: str
    # The error state: the form is sent with this field emptied, and the answer checked.
    empty_field: str = ""


def _admin(view: str, *args) -> Callable[[Records], str]:
    return lambda records: reverse(f"admin:{view}", args=[getattr(records, arg).pk for arg in args])


# (model admin URL prefix, the Records attribute of the record to change, its verbose name).
CHANGE_FORMS = [
    ("organisations_organisation", "organisation", "organisation"),
    ("plans_localityplan", "plan", "locality plan"),
    ("meetings_meeting", "meeting", "meeting"),
    ("meetings_meetingseries", "series", "meeting series"),
    ("organisations_anchorrole", "anchor_role", "anchor role"),
    ("organisations_network", "network", "network"),
    ("localities_locality", "locality", "locality"),
]

ADMIN_PAGES = [
    AdminPage("admin-index", _admin("index"), "Records"),
    *(
        page
        for prefix, record, noun in CHANGE_FORMS
        for page in (
            AdminPage(
                f"admin-{record.replace('_', '-')}-list", _admin(f"{prefix}_changelist"), f"Select {noun} to change"
            ),
            AdminPage(f"admin-{record.replace('_', '-')}-change", _admin(f"{prefix}_change", record), f"Change {noun}"),
        )
    ),
    AdminPage("admin-review-queue", _admin("organisations_profilerevision_changelist"), "Waiting for review"),
    AdminPage("admin-review-edit", _admin("organisations_profilerevision_change", "revision"), "Approve and publish"),
    AdminPage(
        "admin-organisation-change-error",
        _admin("organisations_organisation_change", "organisation"),
        "Please correct the error below.",
        empty_field="name",
    ),
    AdminPage(
        "admin-organisation-history", _admin("organisations_organisation_history", "organisation"), "Change history"
    ),
    AdminPage(
        "admin-organisation-delete-refused",
        _admin("organisations_organisation_delete", "organisation"),
        "archive it instead",
    ),
    # A person's UK GDPR request: requests for support and new groups they sent.
    AdminPage("admin-person-data", _admin("engagement_supportrequest_person"), "Find their data"),
    # A large import's progress page, previewed and waiting to be confirmed.
    AdminPage("admin-import-progress", _admin("core_importjob_progress", "import_job"), "Confirm import"),
]
PAGE_NAMES = [page.name for page in ADMIN_PAGES]
PAGES_BY_NAME = {page.name: page for page in ADMIN_PAGES}


def _demo_records() -> Records:
    """The fullest record of each kind in the demo data, plus what it lacks: an editor of the
    organisation, whose edit to its published profile waits for review, and an exception to
    the meeting series (so the series' inline table has a row)."""
    organisation = (
        Organisation.objects.public()
        .filter(anchor_roles__role=AnchorRoleKind.LEAD_ANCHOR)
        .annotate(roles=Count("anchor_roles", distinct=True))
        .order_by("-roles", "name")
        .first()
    )
    assert organisation is not None, "the demo data has no published lead anchor"
    editor = MembershipFactory(
        user=UserFactory(username="admin-quality-editor"), organisation=organisation, role=MembershipRole.EDITOR
    ).user
    revision = organisation_profile_edit(
        organisation=organisation,
        user=editor,
        values={"description": f"{organisation.description} Open on Saturdays too."},
        expected_version=version_of(organisation, None),
    )
    assert revision is not None, "an editor's edit to a published profile waits for review"

    series = MeetingSeries.objects.annotate(made=Count("meetings")).order_by("-made", "pk").first()
    assert series is not None, "the demo data has no meeting series"
    occurrence = series.meetings.exclude(occurrence_start=None).order_by("-start").first()
    MeetingSeriesException.objects.get_or_create(
        series=series,
        original_start=occurrence.occurrence_start if occurrence else series.dtstart + datetime.timedelta(days=364),
        defaults={"cancelled": True, "reason": "Christmas (demo)"},
    )

    meeting = (
        Meeting.objects.annotate(attended=Count("attendances", distinct=True), raised=Count("actions", distinct=True))
        .filter(attended__gt=0, raised__gt=0)
        .order_by("-attended", "-raised", "pk")
        .first()
    )
    network = Network.objects.annotate(roles=Count("anchor_roles")).order_by("-roles", "name").first()
    records = Records(
        organisation=organisation,
        plan=LocalityPlan.objects.order_by("pk").first(),
        meeting=meeting,
        series=series,
        anchor_role=AnchorRole.objects.filter(role=AnchorRoleKind.LOCAL_ANCHOR, lead__isnull=False)
        .order_by("pk")
        .first(),
        network=network,
        locality=Locality.objects.filter(kind=LocalityKind.WARD, parent__isnull=False).order_by("name").first(),
        revision=revision,
        import_job=ImportJobFactory(
            messages=["Row 12: Batley Food Bank: Possible duplicate of “Batley Foodbank” (WF17 5AA)."]
        ),
    )
    missing = [name for name, value in vars(records).items() if value is None]
    assert not missing, f"the demo data has no record for {missing}"
    return records


@dataclass
class Visit:
    """What loading one admin page type at one width found."""

    url: str
    html: bytes
    axe: str
    scroll: str
    script_errors: list[str] = field(default_factory=list)


class OfficerAdmin:
    """Visits each admin page type at each width once, on first use, signed in as an officer,
    and remembers what it found."""

    def __init__(self, browser: Browser, base_url: str, session_cookie: str, records: Records) -> None:
        self.browser = browser
        self.base_url = base_url
        self.session_cookie = session_cookie
        # Every address is worked out now, before any test opens its transaction.
        self.paths = {page.name: page.path(records) for page in ADMIN_PAGES}
        self.visits: dict[tuple[str, int], Visit | Exception] = {}

    def visit(self, name: str, width: int) -> Visit:
        """The visit to page type ``name`` at ``width``; fails (in every test that asks) when
        the visit itself failed."""
        key = (name, width)
        if key not in self.visits:
            try:
                self.visits[key] = self._visit(PAGES_BY_NAME[name], width)
            except Exception as error:
                self.visits[key] = error
        found = self.visits[key]
        if isinstance(found, Exception):
            pytest.fail(f"visiting {name} at {width}px failed: {found!r}", pytrace=False)
        return found

    def _visit(self, admin_page: AdminPage, width: int) -> Visit:
        url = self.base_url + self.paths[admin_page.name]
        context = self.browser.new_context(viewport={"width": width, "height": 900})
        context.set_default_timeout(10_000)
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": self.session_cookie, "url": self.base_url}]
        )
        try:
            page = context.new_page()
            script_errors: list[str] = []
            page.on("pageerror", lambda error: script_errors.append(f"uncaught: {error}"))
            page.on(
                "console",
                lambda message: (
                    script_errors.append(f"console: {message.text} ({message.location.get('url')})")
                    if message.type == "error"
                    else None
                ),
            )
            # Chromium's console message names no source; the violation event does.
            page.add_init_script(
                "document.addEventListener('securitypolicyviolation', (e) => console.error("
                "`CSP ${e.violatedDirective} refused ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}: ${e.sample}`))"
            )
            response = page.goto(url, wait_until="load")
            assert response is not None, f"{url}: no response"
            assert response.status == 200, f"{url} answered {response.status}"
            assert response.url == url, f"{url} went to {response.url} (not signed in?)"
            if admin_page.empty_field:
                page.locator(f"#id_{admin_page.empty_field}").fill("")
                with page.expect_navigation(wait_until="load") as navigation:
                    page.locator('input[type="submit"][name="_save"]').first.click()
                response = navigation.value
                assert response.status == 200, f"{url}: sending the form answered {response.status}"
            html = response.body()
            assert admin_page.expect.encode() in html, f"{url} does not show {admin_page.expect!r}"
            # Every autocomplete is built (select2 runs on DOM ready) before axe looks.
            assert page.evaluate(
                "() => [...document.querySelectorAll('select.admin-autocomplete:not([name*=__prefix__])')]"
                ".every((el) => el.classList.contains('select2-hidden-accessible'))"
            ), f"{url}: an autocomplete was not built"
            # The page's own errors, up to here: axe-core then adds <style> elements of its
            # own (for colour contrast), which the policy refuses as it should.
            page_errors = list(script_errors)
            axe = axe_report(page, AXE_OPTIONS if width == WIDE else AXE_OPTIONS_NARROW)
            scroll = sideways_scroll(page)
            return Visit(url, html, axe, scroll, page_errors)
        finally:
            context.close()


@pytest.fixture(scope="module")
def officer_admin(browser: Browser, demo_server, demo_data_changed, django_db_blocker) -> OfficerAdmin:
    """An officer's session (an active staff user, not a superuser) and the records to show,
    made and committed before any test opens its transaction, as the demo data is. What this
    adds to the demo data goes with it when the module ends (``demo_data_changed``)."""
    with django_db_blocker.unblock():
        records = _demo_records()
        officer = UserFactory(username="admin-quality-officer", is_staff=True)
        client = Client()
        client.force_login(officer)
    return OfficerAdmin(browser, demo_server.url, client.cookies[settings.SESSION_COOKIE_NAME].value, records)


@pytest.fixture(scope="module")
def nu_report(officer_admin: OfficerAdmin, request: pytest.FixtureRequest, tmp_path_factory) -> dict[str, list[str]]:
    """The served HTML of every page type whose validity test runs (from its 1280 px visit),
    saved once and validated in ONE run of the Nu HTML Checker; its errors by page name."""
    wanted = names_to_validate(request, "test_admin_html_is_valid")
    folder = tmp_path_factory.mktemp("admin-html")
    paths = []
    for name in PAGE_NAMES:
        if name not in wanted:
            continue
        try:
            visit = officer_admin.visit(name, WIDE)
        except pytest.fail.Exception:
            continue  # the page's own tests report why
        path = folder / f"{name}.html"
        path.write_bytes(visit.html)
        paths.append(path)
    return nu_errors(paths) if paths else {}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_axe_finds_no_wcag_violation_in_the_admin(officer_admin: OfficerAdmin, name: str, width: int) -> None:
    visit = officer_admin.visit(name, width)
    assert not visit.axe, f"{visit.url} at {width}px\n{visit.axe}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_admin_page_does_not_scroll_sideways(officer_admin: OfficerAdmin, name: str, width: int) -> None:
    visit = officer_admin.visit(name, width)
    assert not visit.scroll, f"{visit.url} scrolls sideways at {width}px:\n{visit.scroll}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_admin_page_runs_its_scripts_without_error(officer_admin: OfficerAdmin, name: str, width: int) -> None:
    visit = officer_admin.visit(name, width)
    assert not visit.script_errors, f"{visit.url} at {width}px\n" + "\n".join(visit.script_errors)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_admin_html_is_valid(officer_admin: OfficerAdmin, nu_report: dict[str, list[str]], name: str) -> None:
    visit = officer_admin.visit(name, WIDE)
    errors = [
        error for error in nu_report.get(name, []) if not any(message in error for message in ACCEPTED_NU_MESSAGES)
    ]
    assert not errors, f"{visit.url}: {len(errors)} Nu HTML Checker error(s)\n" + "\n".join(errors)
