"""Quarterly returns: submitting one freezes the dashboard's rows and files for a closed
quarter; its page compares them with today's figures; downloading it again gives the same
bytes; a quarter submitted again is replaced explicitly, never overwritten; who may do what."""

from __future__ import annotations

import io
import json
import re
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains

from engagement.models import EngagementKind, SupportRequest, SupportRequestStatus
from portal.dashboard_views import dashboard_rows
from portal.models import SubmittedReturn
from portal.periods import Period
from portal.selectors import return_comparison
from portal.services import return_submit
from tests.factories import MembershipFactory, NetworkFactory, UserFactory
from tests.portal.factories import SubmittedReturnFactory
from tests.portal.test_dashboard import DASHBOARD, Q1, day, engagement, q1_query, whole_network

pytestmark = pytest.mark.django_db

SUBMIT = reverse("portal:return_submit")
RETURNS = reverse("portal:return_list")


def _submit(client, world, **extra):
    data = {"network": world["network"].slug, "quarter": "2025-Q1", "expected_current": "", **extra}
    return client.post(SUBMIT, data)


def _download(client, submitted: SubmittedReturn, file_format: str) -> bytes:
    response = client.get(reverse(f"portal:return_{file_format}", args=[submitted.pk]))
    assert response.status_code == HTTPStatus.OK
    return response.content


# ------------------------------------------------------------------------------------------
# Submitting freezes what the downloads hold
# ------------------------------------------------------------------------------------------
def test_a_submitted_return_holds_the_downloads_rows_and_files_with_who_and_when(client, world):
    client.force_login(world["officer"])
    live_csv = client.get(reverse("portal:dashboard_csv"), q1_query()).content

    response = _submit(client, world)

    submitted = SubmittedReturn.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == submitted.get_absolute_url()
    expected = json.loads(json.dumps(dashboard_rows(whole_network(world))))
    assert submitted.rows == expected
    assert submitted.rows[1] == ["Network, area or ward", "Kirklees Community Anchor Network"]
    assert submitted.rows[2] == ["Period", "Q1 2025/26 (Apr–Jun 2025)"]
    assert bytes(submitted.csv_file) == live_csv
    sheet = load_workbook(io.BytesIO(bytes(submitted.xlsx_file))).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)][1][:2] == expected[1]
    assert submitted.submitted_by == world["officer"]
    assert (submitted.period_start, submitted.period_end) == (Q1.start, Q1.end)
    assertContains(client.get(submitted.get_absolute_url()), "The return for Q1 2025/26 (Apr–Jun 2025) is submitted.")


def test_downloading_a_return_again_gives_the_same_bytes_even_after_an_old_record_changes(client, world):
    client.force_login(world["officer"])
    _submit(client, world)
    submitted = SubmittedReturn.objects.get()
    first = {file_format: _download(client, submitted, file_format) for file_format in ("csv", "xlsx")}

    assert first == {file_format: _download(client, submitted, file_format) for file_format in ("csv", "xlsx")}
    engagement(world["lead"], day(5, 5), EngagementKind.ADVICE, [world["groups"]["quiet"]])
    assert first == {file_format: _download(client, submitted, file_format) for file_format in ("csv", "xlsx")}
    assert first["csv"] != client.get(reverse("portal:dashboard_csv"), q1_query()).content


def test_a_return_page_says_no_changes_until_an_old_record_changes_then_shows_then_now_and_difference(client, world):
    client.force_login(world["officer"])
    _submit(client, world)
    url = SubmittedReturn.objects.get().get_absolute_url()

    unchanged = client.get(url)
    assertContains(unchanged, "No changes since submission.")
    assert unchanged.context["changes"] == []

    # Someone records a contact in May, after the return went in: the quarter's figures move.
    engagement(world["lead"], day(5, 5), EngagementKind.ADVICE, [world["groups"]["quiet"]])
    changed = client.get(url)

    assertNotContains(changed, "No changes since submission.")
    changes = {change.figure: change for change in changed.context["changes"]}
    advice = next(change for figure, change in changes.items() if figure.endswith("– Advice"))
    assert (advice.then, advice.now, advice.difference) == (1, 2, 1)
    ward = changes["Coverage by ward – Dewsbury East – Engagements"]
    assert (ward.then, ward.now, ward.difference) == (1, 2, 1)
    assertContains(changed, "Figures that changed since submission")
    assertContains(changed, "+1")


def test_a_returns_comparison_is_the_same_whoever_reads_it(client, world):
    # The requests waiting longest are those the person looking may open: the coordinator's
    # editor opens none of the lead anchor's, an officer all of them. Neither is a change to
    # the quarter's records, so neither reader sees a difference, nor the other's requests.
    coordinator = MembershipFactory(organisation=world["coordinator"], user__username="coordinator").user
    waiting = SupportRequest.objects.filter(anchor=world["lead"]).exclude(status=SupportRequestStatus.CLOSED)
    assert waiting.exists()
    client.force_login(coordinator)
    _submit(client, world)
    theirs = SubmittedReturn.objects.get()
    client.force_login(world["officer"])
    _submit(client, world, expected_current=theirs.pk, reason="Checked by the council")
    ours = SubmittedReturn.objects.exclude(pk=theirs.pk).get()

    for reader in (world["officer"], coordinator):
        client.force_login(reader)
        for submitted in (theirs, ours):
            page = client.get(submitted.get_absolute_url())
            assert page.context["changes"] == [], (reader.username, submitted.submitted_by.username)
            assertContains(page, "No changes since submission.")
            if reader == coordinator:
                for request in waiting:
                    assertNotContains(page, request.reference)


def test_a_quarter_that_has_not_ended_cannot_be_submitted(client, world):
    client.force_login(world["officer"])
    current = Period.current_quarter()

    response = _submit(client, world, quarter=current.code)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assertContains(response, "Choose an option from the list.", status_code=HTTPStatus.BAD_REQUEST)
    assert not SubmittedReturn.objects.exists()
    with pytest.raises(ValidationError) as refused:
        return_submit(user=world["officer"], network=world["network"], period=current, expected_current=None)
    assert refused.value.code == "open"


# ------------------------------------------------------------------------------------------
# Submitting a quarter again
# ------------------------------------------------------------------------------------------
def test_submitting_a_quarter_again_replaces_the_return_explicitly_and_keeps_the_first(client, world):
    client.force_login(world["officer"])
    _submit(client, world)
    first = SubmittedReturn.objects.get()

    page = client.get(SUBMIT, {"network": world["network"].slug, "quarter": "2025-Q1"})
    assertContains(page, "Submitting again replaces it")
    assert page.context["form"]["expected_current"].value() == str(first.pk)

    without_reason = _submit(client, world, expected_current=first.pk)
    assertContains(without_reason, "Enter why this return replaces", status_code=HTTPStatus.BAD_REQUEST)
    assert SubmittedReturn.objects.count() == 1

    _submit(client, world, expected_current=first.pk, reason="A May visit was recorded late")
    second = SubmittedReturn.objects.exclude(pk=first.pk).get()
    first.refresh_from_db()
    assert second.replaces == first
    assert first.is_replaced
    assert list(SubmittedReturn.objects.current()) == [second]
    listing = client.get(RETURNS)
    assertContains(listing, "Replaced", count=1)
    assertContains(listing, "Current", count=1)
    assertContains(client.get(second.get_absolute_url()), "A May visit was recorded late")


def test_the_submit_page_reads_the_quarters_current_return_once(client, world):
    client.force_login(world["officer"])
    _submit(client, world)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(SUBMIT, {"network": world["network"].slug, "quarter": "2025-Q1"})

    assertContains(page, "Submitting again replaces it")
    reads = [query["sql"] for query in queries.captured_queries if 'FROM "portal_submittedreturn"' in query["sql"]]
    assert len(reads) == 1, reads


def test_a_return_submitted_meanwhile_is_shown_never_silently_replaced(client, world):
    client.force_login(world["officer"])
    someone_else = UserFactory(username="other-officer", is_staff=True)
    theirs = return_submit(user=someone_else, network=world["network"], period=Q1, expected_current=None)

    # This person loaded the page before the other submission: they saw no return.
    response = _submit(client, world, reason="Typed before noticing")

    assertContains(response, "Someone else submitted this quarter", status_code=HTTPStatus.BAD_REQUEST)
    assert list(SubmittedReturn.objects.all()) == [theirs]
    assert response.context["current"] == theirs
    # What they typed stays, and the return they have now seen is the one a resubmission replaces.
    assert response.context["form"]["expected_current"].value() == str(theirs.pk)
    assertContains(response, "Typed before noticing", status_code=HTTPStatus.BAD_REQUEST)


# ------------------------------------------------------------------------------------------
# The dashboard's button and who may do what
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "offered"),
    [
        (q1_query(), True),
        (q1_query(place="batley-east"), False),
        ({**q1_query(), "period": "year", "year": "2025"}, False),
    ],
)
def test_the_dashboard_offers_a_return_for_a_whole_network_and_an_ended_quarter_only(client, world, query, offered):
    client.force_login(world["officer"])

    response = client.get(DASHBOARD, query)

    assert bool(response.context["submit_return_url"]) is offered
    assert ("Submit this return" in response.content.decode()) is offered


def test_the_quarter_running_now_offers_no_return(client, world):
    client.force_login(world["officer"])

    response = client.get(DASHBOARD, {"place": "kirklees", "period": "quarter"})

    assert response.context["submit_return_url"] == ""


def test_a_network_coordinator_submits_and_reads_its_networks_returns_only(client, world):
    coordinator = MembershipFactory(organisation=world["coordinator"], user__username="coordinator").user
    elsewhere = SubmittedReturnFactory(network=NetworkFactory(name="Leeds Anchor Network"))
    client.force_login(coordinator)

    assert client.get(DASHBOARD, q1_query()).context["submit_return_url"]
    _submit(client, world)
    own = SubmittedReturn.objects.get(network=world["network"])

    assert client.get(own.get_absolute_url()).status_code == HTTPStatus.OK
    assert client.get(elsewhere.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert client.get(reverse("portal:return_csv", args=[elsewhere.pk])).status_code == HTTPStatus.NOT_FOUND
    listing = client.get(RETURNS)
    assertContains(listing, "Kirklees Community Anchor Network")
    assertNotContains(listing, "Leeds Anchor Network")
    other = _submit(client, world, network=elsewhere.network.slug)
    assert other.status_code == HTTPStatus.BAD_REQUEST


def test_an_anchors_editor_may_see_the_dashboard_but_not_submit(client, world):
    lead_editor = MembershipFactory(organisation=world["lead"], user__username="lead-editor").user
    client.force_login(lead_editor)

    assert client.get(DASHBOARD, q1_query(place="batley-and-spen")).context["submit_return_url"] == ""
    assert _submit(client, world).status_code == HTTPStatus.FORBIDDEN
    assert client.get(RETURNS).status_code == HTTPStatus.FORBIDDEN
    assert not SubmittedReturn.objects.exists()


def test_the_list_says_when_nothing_has_been_submitted(client, world):
    client.force_login(world["officer"])

    assertContains(client.get(RETURNS), "No return has been submitted yet.")


def _returns(count: int, **fields) -> None:
    """``count`` returns of different quarters (one per year from 1970)."""
    for _index in range(count):
        year = 1970 + SubmittedReturn.objects.count()
        SubmittedReturnFactory(period_start=day(4, 1, year), period_end=day(6, 30, year), **fields)


def test_the_list_costs_the_same_queries_for_3_or_30_returns(client, world, django_assert_max_num_queries):
    client.force_login(world["officer"])
    _returns(3, network=world["network"])
    with django_assert_max_num_queries(12) as few:
        client.get(RETURNS)
    _returns(17, network=world["network"])
    for _network in range(10):
        _returns(1)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(RETURNS)
    assert len(response.context["returns"]) == 30
    assert len(response.context["by_network"]) == 11


def test_a_forged_return_id_or_choice_is_a_clear_answer_not_a_server_error(client, world):
    client.force_login(world["officer"])

    assert client.get(reverse("portal:return_detail", args=[999999])).status_code == HTTPStatus.NOT_FOUND
    forged = _submit(client, world, expected_current="nonsense")
    assert forged.status_code == HTTPStatus.FOUND  # nothing had been submitted: none was expected
    assert _submit(client, world, network="nowhere").status_code == HTTPStatus.BAD_REQUEST


# ------------------------------------------------------------------------------------------
# The comparison, on rows made by hand
# ------------------------------------------------------------------------------------------
def test_the_comparison_keys_figures_table_cells_and_listed_names():
    then = [
        ["AnchorNet monitoring dashboard"],
        ["Period", "Q1"],
        [],
        ["Engagements"],
        ["Advice", 1],
        ["Event", 2],
        [],
        ["Coverage by ward"],
        ["Ward", "Groups known", "Groups engaged"],
        ["East", 3, 1],
        [],
        ["Wards with no anchor serving them"],
        ["West"],
        [],
        ["Groups supported by nobody", 4],
    ]
    now = [row[:] for row in then]
    now[4] = ["Advice", 3]
    now[9] = ["East", 3, 2]
    now[12] = ["North"]
    now[14] = ["Groups supported by nobody", 4]

    changes = {change.figure: change for change in return_comparison(then, now) if change.changed}

    assert set(changes) == {
        "Engagements – Advice",
        "Coverage by ward – East – Groups engaged",
        "Wards with no anchor serving them – West",
        "Wards with no anchor serving them – North",
    }
    assert changes["Engagements – Advice"].difference == 2
    assert changes["Coverage by ward – East – Groups engaged"].difference == 1
    assert (
        changes["Wards with no anchor serving them – West"].now,
        changes["Wards with no anchor serving them – North"].then,
    ) == (
        "Not listed",
        "Not listed",
    )
    assert not any(change.changed for change in return_comparison(then, then))


# ------------------------------------------------------------------------------------------
# The admin: to read, never to change
# ------------------------------------------------------------------------------------------
def test_officers_read_a_return_in_the_admin_but_cannot_change_or_delete_it(admin_client):
    submitted = SubmittedReturnFactory()
    change_url = reverse("admin:portal_submittedreturn_change", args=[submitted.pk])

    page = admin_client.get(change_url)

    assert page.status_code == HTTPStatus.OK
    assertNotContains(page, 'name="_save"')
    assert admin_client.post(change_url, {"period_label": "Rewritten"}).status_code == HTTPStatus.FORBIDDEN
    delete_url = reverse("admin:portal_submittedreturn_delete", args=[submitted.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN
    submitted.refresh_from_db()
    assert submitted.period_label != "Rewritten"


def test_the_pages_listing_returns_never_read_their_files(client, admin_client, world):
    # A return replaced by another: each page that names both reads neither's workbook.
    first = SubmittedReturnFactory(network=world["network"])
    second = SubmittedReturnFactory(network=world["network"], replaces=first, reason="Corrected")
    client.force_login(world["officer"])

    for browser, url in (
        (client, RETURNS),
        (client, first.get_absolute_url()),
        (client, second.get_absolute_url()),
        (admin_client, reverse("admin:portal_submittedreturn_changelist")),
        (admin_client, reverse("admin:portal_submittedreturn_change", args=[first.pk])),
    ):
        with CaptureQueriesContext(connection) as queries:
            page = browser.get(url)
        assertContains(page, str(world["network"]))
        reads = [query["sql"] for query in queries.captured_queries if '"portal_submittedreturn"' in query["sql"]]
        assert reads, url
        assert not [sql for sql in reads if '"xlsx_file"' in sql or '"csv_file"' in sql], url


# ------------------------------------------------------------------------------------------
# The printable page
# ------------------------------------------------------------------------------------------
def test_the_printable_page_shows_the_same_figures_pictures_and_tables_without_choices_or_script(client, world):
    client.force_login(world["officer"])
    screen = client.get(DASHBOARD, q1_query())

    paper = client.get(reverse("portal:dashboard_print"), q1_query())

    assert paper.status_code == HTTPStatus.OK
    for group in screen.context["dashboard"].groups:
        for figure in group.figures:
            assertContains(paper, f'<dt class="govuk-summary-list__key">{figure.label}</dt>', html=True)
    html = paper.content.decode()
    charts = set(re.findall(r'<svg[^>]*aria-labelledby="(chart-[a-z]+)', html))
    assert charts == set(re.findall(r'<svg[^>]*aria-labelledby="(chart-[a-z]+)', screen.content.decode()))
    assert {"chart-trend", "chart-kinds", "chart-outreach"} <= charts
    assertContains(paper, "Coverage by ward")
    assertContains(paper, "Areas side by side")
    assertContains(paper, 'href="/static/portal/dashboard-print.css" media="print"')
    assert "<script" not in html
    assertNotContains(paper, "Show figures")  # the choices are the dashboard's, not the paper's
    assertContains(screen, reverse("portal:dashboard_print"))


def test_the_print_stylesheet_starts_each_section_on_a_new_page_and_hides_navigation():
    from django.contrib.staticfiles import finders

    with open(finders.find("portal/dashboard-print.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()

    assert "@media print" in css
    assert ".app-print-section + .app-print-section" in css
    assert "break-before: page" in css
    assert ".govuk-service-navigation" in css


def test_a_returns_page_prints_with_the_dashboards_paper_layout(client, world):
    client.force_login(world["officer"])
    _submit(client, world)

    page = client.get(SubmittedReturn.objects.get().get_absolute_url())

    assertContains(page, 'href="/static/portal/dashboard-print.css" media="print"')
    # The changes, then every figure on a fresh page; the download links stay off the paper.
    assertContains(page, 'class="app-print-section"', count=2)
    assertContains(page, '<ul class="govuk-list app-no-print">')


def test_the_printable_page_with_bad_choices_says_so(client, world):
    client.force_login(world["officer"])

    response = client.get(reverse("portal:dashboard_print"), q1_query(quarter="nonsense"))

    assertContains(response, "There is nothing to print", status_code=HTTPStatus.BAD_REQUEST)
    # The paper has no form: the mistake links to its field on the dashboard, not to nothing.
    html = response.content.decode()
    assert 'href="#id_' not in html
    link = f'href="{DASHBOARD}?{urlencode(q1_query(quarter="nonsense"))}#id_quarter"'
    assertContains(response, link.replace("&", "&amp;"), status_code=HTTPStatus.BAD_REQUEST)
