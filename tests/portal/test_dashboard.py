"""The officers' monitoring dashboard: every figure against a small world counted by hand, the
period's boundaries, scoping by role, the downloads equal to the page, empty states and a
query count that does not grow with the data."""

from __future__ import annotations

import csv
import datetime
import io
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains

from core.models import PublicationStatus
from core.permissions import COUNCILLOR_GROUP
from engagement.models import (
    Engagement,
    EngagementKind,
    ExchangeEntry,
    QuietReason,
    SupportRelationship,
    SupportRequest,
    SupportRequestStatus,
)
from localities.models import LocalityKind
from organisations.models import AnchorRoleKind, NetworkStructure, Organisation
from portal.dashboard import build_dashboard
from portal.dashboard_views import dashboard_rows
from portal.periods import Period, quarter_choices
from tests.engagement.factories import (
    EngagementFactory,
    ExchangeEntryFactory,
    QuietNoteFactory,
    SkillTermFactory,
    SupportRelationshipFactory,
    SupportRequestFactory,
)
from tests.factories import (
    AnchorRoleFactory,
    DistrictFactory,
    LocalityFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
    WardBoundaryFactory,
    WardRepresentationFactory,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("portal:dashboard")
Q1 = Period.quarter(2025, 1)  # 1 April to 30 June 2025
LONG_AGO = timezone.make_aware(datetime.datetime.combine(datetime.date(2024, 1, 1), datetime.time(12)))


def day(month: int, date: int, year: int = 2025) -> datetime.date:
    return datetime.date(year, month, date)


def at(when: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(when, datetime.time(hour)))


def engagement(anchor, on, kind, organisations, **fields) -> Engagement:
    return EngagementFactory(anchor=anchor, occurred_on=on, kind=kind, organisations=organisations, **fields)


@pytest.fixture
def world():
    """Kirklees, tiered: area Batley and Spen (wards Batley East and Batley West, a lead anchor
    for the area and a local anchor for Batley East) and area Dewsbury (ward Dewsbury East,
    no anchor). Groups: ``both`` serves both Batley wards; ``east`` Batley East; ``quiet`` and
    ``newcomer`` Dewsbury East; ``archived`` Batley West (left out). Every group's record is
    from 2024, so only contact decides whether it is quiet.

    Counted by hand for Q1 2025/26 (1 April – 30 June 2025, statuses as on 30 June):
    engagements on 1 April (event: both, east), 10 May (first contact: east, by the local
    anchor), 15 June (first contact: newcomer) and 30 June (advice: both) count; one on 1 July
    (quiet) and one in March 2024 (east, lapsed) do not.
    """
    district = DistrictFactory(name="Kirklees", slug="kirklees")
    coordinator = OrganisationFactory(name="Third Sector Leaders", kind="infrastructure_charity")
    network = NetworkFactory(
        name="Kirklees Community Anchor Network",
        district=district,
        coordinator=coordinator,
        structure=NetworkStructure.TIERED,
    )
    batley = LocalityFactory(name="Batley and Spen", slug="batley-and-spen", kind=LocalityKind.AREA, parent=district)
    dewsbury = LocalityFactory(name="Dewsbury", slug="dewsbury", kind=LocalityKind.AREA, parent=district)
    east = LocalityFactory(name="Batley East", slug="batley-east", parent=batley)
    west = LocalityFactory(name="Batley West", slug="batley-west", parent=batley)
    dewsbury_east = LocalityFactory(name="Dewsbury East", slug="dewsbury-east", parent=dewsbury)
    lead_role = AnchorRoleFactory(
        network=network, locality=batley, role=AnchorRoleKind.LEAD_ANCHOR, organisation__name="Batley Trust"
    )
    local_role = AnchorRoleFactory(
        network=network,
        locality=east,
        role=AnchorRoleKind.LOCAL_ANCHOR,
        lead=lead_role,
        organisation__name="East Batley Centre",
    )
    lead, local = lead_role.organisation, local_role.organisation
    groups = {
        "both": OrganisationFactory(name="Batley Allotments", localities=[east, west]),
        "east": OrganisationFactory(name="Batley Pantry", localities=[east]),
        "quiet": OrganisationFactory(name="Dewsbury Knitters", localities=[dewsbury_east]),
        "newcomer": OrganisationFactory(name="Dewsbury Youth", localities=[dewsbury_east]),
        "archived": OrganisationFactory(name="Batley Old Club", localities=[west], status=PublicationStatus.ARCHIVED),
    }
    Organisation.objects.filter(pk__in=[g.pk for g in groups.values()]).update(created_at=LONG_AGO)
    g = groups
    engagement(lead, day(4, 1), EngagementKind.EVENT, [g["both"], g["east"]], follow_up_on=day(7, 15))
    engagement(local, day(5, 10), EngagementKind.FIRST_CONTACT, [g["east"]])
    engagement(lead, day(6, 15), EngagementKind.FIRST_CONTACT, [g["newcomer"]])
    engagement(lead, day(6, 30), EngagementKind.ADVICE, [g["both"]], follow_up_on=day(6, 20))
    engagement(lead, day(7, 1), EngagementKind.ADVICE, [g["quiet"]])  # the day after Q1
    engagement(lead, day(3, 1, 2024), EngagementKind.ADVICE, [g["east"]])  # lapsed by Q1
    engagement(lead, day(4, 2), EngagementKind.ADVICE, [g["archived"]])  # an archived group: not counted
    QuietNoteFactory(organisation=g["quiet"], reason=QuietReason.FOLDED)
    SupportRelationshipFactory(anchor=lead, group=g["both"], started_on=day(5, 1))
    SupportRelationshipFactory(
        anchor=lead, group=g["east"], started_on=day(1, 1, 2024), ended_on=day(5, 31), end_reason="Finished"
    )
    term = SkillTermFactory()
    offer = ExchangeEntryFactory(organisation=g["both"], term=term)
    need = ExchangeEntryFactory(organisation=g["east"], term=SkillTermFactory(), need=True)
    met = ExchangeEntryFactory(organisation=g["quiet"], term=term, need=True)
    ExchangeEntry.objects.filter(pk__in=[offer.pk, need.pk, met.pk]).update(created_at=at(day(4, 10)))
    ExchangeEntry.objects.filter(pk=met.pk).update(met_by=g["both"], closed_at=at(day(5, 20)))
    requests = [
        SupportRequestFactory(anchor=lead, locality=east, status=SupportRequestStatus.ACKNOWLEDGED),
        SupportRequestFactory(anchor=lead, locality=east, status=SupportRequestStatus.ACKNOWLEDGED),
        SupportRequestFactory(anchor=lead, locality=dewsbury_east),
        SupportRequestFactory(anchor=lead, locality=east),
    ]
    # Received 1 April (acknowledged 3 April: in time), 2 June (acknowledged 1 July, after
    # its 10 working days ended 16 June: late), 25 June (never: overdue) and 1 July (next quarter).
    for request, received, acknowledged in zip(
        requests, [day(4, 1), day(6, 2), day(6, 25), day(7, 1)], [day(4, 3), day(7, 1), None, None], strict=True
    ):
        SupportRequest.objects.filter(pk=request.pk).update(
            created_at=at(received), acknowledged_at=at(acknowledged) if acknowledged else None
        )
    officer = UserFactory(username="officer", is_staff=True)
    return {
        "district": district,
        "network": network,
        "batley": batley,
        "dewsbury": dewsbury,
        "east": east,
        "west": west,
        "dewsbury_east": dewsbury_east,
        "lead": lead,
        "local": local,
        "coordinator": coordinator,
        "groups": groups,
        "officer": officer,
    }


def figures_of(dashboard) -> dict[str, dict[str, object]]:
    return {group.key: dict(group.rows) for group in dashboard.groups}


def whole_network(world, period=Q1, user=None):
    return build_dashboard(user=user or world["officer"], place=world["district"], period=period, officer=True)


# ------------------------------------------------------------------------------------------
# The figures, counted by hand
# ------------------------------------------------------------------------------------------
def test_overview_counts_each_group_once_and_each_engagement_once_per_group(world):
    overview = figures_of(whole_network(world))["overview"]

    assert overview == {
        "Anchors active": 2,
        "Groups known": 4,
        "Groups engaged in the period": 3,
        "New groups reached": 2,
        "Engagements": 4,
        "Organisation engagements (once per group per engagement)": 5,
        "Quiet groups": 1,
        "Groups supported by nobody": 3,
    }


def test_outreach_status_is_as_on_the_periods_last_day(world):
    assert figures_of(whole_network(world))["outreach"] == {
        "Not contacted": 1,
        "Contacted": 1,
        "Engaged": 1,
        "Supported": 1,
    }


def test_engagements_by_kind(world):
    kinds = figures_of(whole_network(world))["kinds"]

    assert kinds["Event"] == 1
    assert kinds["First contact"] == 2
    assert kinds["Advice"] == 1
    assert kinds["Training"] == 0


def test_requests_relationships_exchange_and_follow_ups(world):
    figures = figures_of(whole_network(world))

    assert figures["requests"] == {
        "Received": 3,
        "Acknowledged in time": 1,
        "Acknowledged late": 1,
        "Overdue, not yet acknowledged": 1,
    }
    assert figures["support"] == {"Started": 1, "Ended": 1, "Active at the end of the period": 1}
    assert figures["exchange"] == {
        "Skills and assets offered": 1,
        "Skills and assets needed": 1,
        "Exchanges made (needs met)": 1,
    }
    assert figures["follow_ups"] == {"Open follow-ups due in the period": 1, "Of which overdue": 1}


def test_the_day_after_the_period_counts_in_the_next_one(world):
    q2 = figures_of(whole_network(world, Period.quarter(2025, 2)))

    assert q2["overview"]["Engagements"] == 1  # 1 July: the quiet group's advice
    assert q2["overview"]["Groups engaged in the period"] == 1
    assert q2["requests"]["Received"] == 1


def test_a_custom_period_of_one_day_counts_that_day(world):
    one_day = figures_of(whole_network(world, Period.custom(day(6, 30), day(6, 30))))

    assert one_day["overview"]["Engagements"] == 1


def test_coverage_by_ward_counts_a_group_once_in_each_ward_it_serves(world):
    dashboard = whole_network(world)
    wards = {row.locality.name: row for row in dashboard.wards}

    east, west, dewsbury_east = wards["Batley East"], wards["Batley West"], wards["Dewsbury East"]
    assert (east.groups_known, east.groups_engaged, east.share_engaged, east.engagements) == (2, 2, 100, 3)
    assert (west.groups_known, west.groups_engaged, west.engagements) == (1, 1, 2)
    assert (dewsbury_east.groups_known, dewsbury_east.groups_engaged, dewsbury_east.share_engaged) == (2, 1, 50)
    assert east.days_since_contact == 0
    assert dewsbury_east.days_since_contact == 15  # 15 June; 1 July is after the period
    assert (east.anchors, west.anchors, dewsbury_east.anchors) == (2, 1, 0)
    assert dewsbury_east.quiet == 1
    assert dewsbury_east.quiet_reasons == [("Folded", 1)]
    assert dashboard.wards_without_anchor == [world["dewsbury_east"]]
    assert dashboard.wards_without_engagement == []


def test_areas_count_a_group_serving_two_of_their_wards_once(world):
    dashboard = whole_network(world)
    areas = {row.locality.name: row for row in dashboard.areas}

    assert (areas["Batley and Spen"].groups_known, areas["Batley and Spen"].engagements) == (2, 3)
    assert (areas["Dewsbury"].groups_known, areas["Dewsbury"].share_engaged) == (2, 50)
    assert dashboard.area_median["share_engaged"] == 75
    assert areas["Dewsbury"].below_median
    assert not areas["Batley and Spen"].below_median


def test_a_ward_scope_counts_only_that_ward(world):
    dashboard = build_dashboard(user=world["officer"], place=world["west"], period=Q1, officer=True)

    assert figures_of(dashboard)["overview"]["Groups known"] == 1
    assert figures_of(dashboard)["overview"]["Engagements"] == 2
    assert [row.locality for row in dashboard.wards] == [world["west"]]
    assert dashboard.areas == []


# ------------------------------------------------------------------------------------------
# The page
# ------------------------------------------------------------------------------------------
def q1_query(place: str = "kirklees", **extra) -> dict[str, str]:
    return {"place": place, "period": "quarter", "quarter": "2025-Q1", **extra}


def test_the_page_shows_every_figure_and_marks_the_quiet_area_in_words(client, world):
    client.force_login(world["officer"])

    response = client.get(DASHBOARD, q1_query())

    assert response.status_code == HTTPStatus.OK
    assertContains(response, "Q1 2025/26 (Apr–Jun 2025)")
    for group in response.context["dashboard"].groups:
        for figure in group.figures:
            assertContains(response, f'<dt class="govuk-summary-list__key">{figure.label}</dt>', html=True)
    assertContains(response, "Quieter than most", count=1)
    assertContains(response, "No anchor")


def test_without_choices_the_page_shows_the_current_quarter_of_the_first_network(client, world):
    client.force_login(world["officer"])

    response = client.get(DASHBOARD)

    assert response.status_code == HTTPStatus.OK
    assert response.context["dashboard"].period == Period.current_quarter()
    assert response.context["dashboard"].place == world["district"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (q1_query(place="nowhere"), "Choose an option from the list."),
        (q1_query(quarter="2025-Q9"), "Choose an option from the list."),
        ({"place": "kirklees", "period": "decade"}, "Choose an option from the list."),
        (
            {"place": "kirklees", "period": "custom", "start_0": "31", "start_1": "2", "start_2": "2025"},
            "Enter a real date",
        ),
        (
            {
                "place": "kirklees",
                "period": "custom",
                **{"start_0": "2", "start_1": "5", "start_2": "2025"},
                **{"end_0": "1", "end_1": "5", "end_2": "2025"},
            },
            "The last day must be the same as or after the first day",
        ),
        ({"place": "kirklees", "period": "custom"}, "Enter the first day of the period"),
    ],
)
def test_bad_choices_give_a_clear_error_and_no_figures(client, world, query, message):
    client.force_login(world["officer"])

    response = client.get(DASHBOARD, query)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["dashboard"] is None
    assertContains(response, "There is a problem", status_code=HTTPStatus.BAD_REQUEST)
    assertContains(response, message, status_code=HTTPStatus.BAD_REQUEST)


def test_a_custom_period_from_the_form(client, world):
    client.force_login(world["officer"])
    dates = {"start_0": "30", "start_1": "6", "start_2": "2025", "end_0": "30", "end_1": "6", "end_2": "2025"}

    response = client.get(DASHBOARD, {"place": "kirklees", "period": "custom", **dates})

    assert response.status_code == HTTPStatus.OK
    assert figures_of(response.context["dashboard"])["overview"]["Engagements"] == 1
    assertContains(response, "30 June 2025 to 30 June 2025")


def test_an_empty_period_says_there_is_nothing_to_show(client, world):
    Organisation.objects.update(created_at=at(datetime.date(2021, 1, 4)))
    client.force_login(world["officer"])

    response = client.get(DASHBOARD, {"place": "dewsbury", "period": "quarter", "quarter": _oldest_quarter()})

    assert response.status_code == HTTPStatus.OK
    assertNotContains(response, "There is nothing to show")  # groups are known, even with no activity
    assertContains(response, "Nothing was recorded for Dewsbury area")
    assert figures_of(response.context["dashboard"])["overview"]["Engagements"] == 0


def test_groups_known_are_those_known_by_the_end_of_the_period(client, world):
    """A closed quarter's "groups known" does not grow as groups are entered later; a group
    entered later but met (and logged) within the quarter was known then."""
    entered_late = OrganisationFactory(name="Dewsbury Walkers", localities=[world["dewsbury_east"]])
    met_then = OrganisationFactory(name="Dewsbury Choir", localities=[world["dewsbury_east"]])
    Organisation.objects.filter(pk__in=[entered_late.pk, met_then.pk]).update(created_at=at(day(8, 1)))
    engagement(world["lead"], day(6, 1), EngagementKind.VISIT, [met_then])
    client.force_login(world["officer"])

    dashboard = client.get(DASHBOARD, q1_query(place="dewsbury")).context["dashboard"]

    assert figures_of(dashboard)["overview"]["Groups known"] == 3  # quiet, newcomer and the choir
    assert [row.groups_known for row in dashboard.wards] == [3]


def test_an_empty_network_says_there_is_nothing_to_show(client, world):
    empty = DistrictFactory(name="Calderdale", slug="calderdale")
    NetworkFactory(name="Calderdale Anchors", district=empty)
    client.force_login(world["officer"])

    response = client.get(DASHBOARD, q1_query(place="calderdale"))

    assert response.status_code == HTTPStatus.OK
    assertContains(response, "There is nothing to show for Calderdale Anchors")
    assertContains(response, "There are no wards in Calderdale Anchors")


def _oldest_quarter() -> str:
    return quarter_choices()[-1][0]


# ------------------------------------------------------------------------------------------
# Drill-down: a figure's link lists the same number of records
# ------------------------------------------------------------------------------------------
def _figure(dashboard, key: str, label: str):
    return next(figure for figure in next(g for g in dashboard.groups if g.key == key).figures if figure.label == label)


def test_engagement_figures_link_to_the_admin_list_with_the_same_count(client, world):
    client.force_login(world["officer"])
    dashboard = client.get(DASHBOARD, q1_query()).context["dashboard"]

    for key, label in [("overview", "Engagements"), ("kinds", "First contact"), ("kinds", "Event")]:
        figure = _figure(dashboard, key, label)
        listed = client.get(figure.link)
        assert listed.status_code == HTTPStatus.OK, figure.link
        assert listed.context["cl"].result_count == figure.value, label


def test_request_figures_link_to_the_admin_list_with_the_same_count(client, world):
    client.force_login(world["officer"])
    dashboard = client.get(DASHBOARD, q1_query(place="batley-and-spen")).context["dashboard"]

    for label in ("Received", "Overdue, not yet acknowledged"):
        figure = _figure(dashboard, "requests", label)
        listed = client.get(figure.link)
        assert listed.status_code == HTTPStatus.OK, figure.link
        assert listed.context["cl"].result_count == figure.value, label


def test_groups_known_and_statuses_link_to_lists_with_the_same_count(client, world):
    client.force_login(world["officer"])
    current_year = Period.current_quarter().code.split("-")[0]
    dashboard = client.get(DASHBOARD, {"place": "batley-and-spen", "period": "year", "year": current_year}).context[
        "dashboard"
    ]

    for key, label in [("overview", "Groups known"), ("outreach", "Not contacted")]:
        figure = _figure(dashboard, key, label)
        listed = client.get(figure.link)
        assert listed.context["paginator"].count == figure.value, label


def test_a_past_periods_statuses_link_to_that_periods_list_not_todays_outreach_list(client, world):
    client.force_login(world["officer"])
    figure = _figure(whole_network(world), "outreach", "Engaged")

    assert figure.link.startswith(reverse("portal:dashboard_records", kwargs={"kind": "groups"}))
    assert client.get(figure.link).context["total"] == figure.value == 1


# ------------------------------------------------------------------------------------------
# Who sees what
# ------------------------------------------------------------------------------------------
def _editor_of(organisation, username):
    return MembershipFactory(organisation=organisation, user__username=username).user


def _places_offered(client, user) -> list[str]:
    client.force_login(user)
    response = client.get(DASHBOARD, q1_query(place=""))
    return [slug for _group, options in response.context["form"].fields["place"].choices for slug, _label in options]


def test_officers_choose_any_network_area_or_ward(client, world):
    assert _places_offered(client, world["officer"]) == [
        "kirklees",
        "batley-and-spen",
        "batley-east",
        "batley-west",
        "dewsbury",
        "dewsbury-east",
    ]


def test_a_network_coordinator_chooses_its_network(client, world):
    offered = _places_offered(client, _editor_of(world["coordinator"], "coordinator"))

    assert offered[0] == "kirklees"
    assert len(offered) == 6


def test_a_lead_anchor_chooses_its_area_and_its_wards_only(client, world):
    user = _editor_of(world["lead"], "lead")

    assert _places_offered(client, user) == ["batley-and-spen", "batley-east", "batley-west"]
    response = client.get(DASHBOARD, q1_query(place="dewsbury"))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert client.get(DASHBOARD, q1_query(place="kirklees")).status_code == HTTPStatus.BAD_REQUEST


def test_a_local_anchor_chooses_its_ward_and_gets_no_admin_links(client, world):
    user = _editor_of(world["local"], "local")

    assert _places_offered(client, user) == ["batley-east"]
    response = client.get(DASHBOARD, q1_query(place="batley-east"))
    assert response.status_code == HTTPStatus.OK
    assertNotContains(response, "/admin/engagement/")
    # The requests in its ward went to the lead anchor: not the local anchor's to open.
    assert response.context["dashboard"].waiting_longest == []


def test_a_councillor_sees_the_wards_they_represent_while_in_office(client, world):
    councillor = UserFactory(username="cllr")
    councillor.groups.add(Group.objects.get_or_create(name=COUNCILLOR_GROUP)[0])
    term = WardRepresentationFactory(user=councillor, ward=world["dewsbury_east"], starts_on=day(5, 8, 2024))

    assert _places_offered(client, councillor) == ["dewsbury-east"]
    response = client.get(DASHBOARD, q1_query(place="dewsbury-east"))
    assert response.status_code == HTTPStatus.OK
    assert figures_of(response.context["dashboard"])["overview"]["Groups known"] == 2
    assertNotContains(response, "/admin/engagement/")
    assert client.get(DASHBOARD, q1_query(place="batley-east")).status_code == HTTPStatus.BAD_REQUEST

    term.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    term.save()
    assert client.get(DASHBOARD).status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("url", [DASHBOARD, reverse("portal:dashboard_csv"), reverse("portal:dashboard_xlsx")])
def test_people_with_no_patch_are_refused_and_signed_out_people_sent_to_sign_in(client, world, url):
    assert client.get(url).status_code == HTTPStatus.FOUND
    client.force_login(_editor_of(world["groups"]["east"], "group-editor"))
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN


def test_the_account_page_links_to_the_dashboard_for_those_who_may_see_it(client, world):
    client.force_login(world["officer"])
    assertContains(client.get(reverse("portal:account")), DASHBOARD)
    client.force_login(_editor_of(world["groups"]["east"], "group-editor"))
    assertNotContains(client.get(reverse("portal:account")), DASHBOARD)


# ------------------------------------------------------------------------------------------
# Downloads
# ------------------------------------------------------------------------------------------
def test_csv_and_xlsx_hold_what_the_page_shows(client, world):
    client.force_login(world["officer"])
    page = client.get(DASHBOARD, q1_query())
    expected = [[str(cell) for cell in row] for row in dashboard_rows(page.context["dashboard"])]

    csv_response = client.get(reverse("portal:dashboard_csv"), q1_query())
    xlsx_response = client.get(reverse("portal:dashboard_xlsx"), q1_query())

    assert csv_response["Content-Disposition"].endswith('.csv"')
    from_csv = list(csv.reader(io.StringIO(csv_response.content.decode())))
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    from_xlsx = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert from_csv == expected
    assert [_trimmed(row) for row in from_xlsx] == [_trimmed(row) for row in expected]
    assert from_csv[1] == ["Network, area or ward", "Kirklees Community Anchor Network"]
    assert from_csv[2] == ["Period", "Q1 2025/26 (Apr–Jun 2025)"]
    for group in page.context["dashboard"].groups:
        for label, value in group.rows:
            assert [label, str(value)] in from_csv
            assertContains(page, label)


def _trimmed(row: list[str]) -> list[str]:
    """A row without its empty cells at the end (a sheet's rows are as wide as its widest)."""
    while row and row[-1] == "":
        row = row[:-1]
    return row


def test_a_download_with_bad_choices_shows_the_errors(client, world):
    client.force_login(world["officer"])

    response = client.get(reverse("portal:dashboard_csv"), q1_query(quarter="nonsense"))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assertContains(response, "Choose an option from the list.", status_code=HTTPStatus.BAD_REQUEST)


def test_a_group_name_cannot_become_a_spreadsheet_formula(client, world):
    Organisation.objects.filter(pk=world["groups"]["quiet"].pk).update(name="=HYPERLINK(1)")
    client.force_login(world["officer"])

    response = client.get(reverse("portal:dashboard_csv"), q1_query())

    assert "'=HYPERLINK(1)" in response.content.decode()


# ------------------------------------------------------------------------------------------
# Query count
# ------------------------------------------------------------------------------------------
def _grow(world, times: int) -> None:
    """``times`` more wards in each area, each with groups and engagements."""
    for n in range(times):
        for area in (world["batley"], world["dewsbury"]):
            ward = LocalityFactory(parent=area)
            groups = [OrganisationFactory(localities=[ward]) for _ in range(3)]
            engagement(world["lead"], day(5, 1 + n), EngagementKind.ADVICE, groups)
            SupportRelationshipFactory(anchor=world["lead"], group=groups[0], started_on=day(4, 1))
            SupportRequestFactory(anchor=world["lead"], locality=ward)


def _queries_for_page(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(DASHBOARD, q1_query()).status_code == HTTPStatus.OK
    return len(captured)


def test_the_query_count_does_not_grow_with_wards_groups_or_engagements(client, world, django_assert_max_num_queries):
    client.force_login(world["officer"])
    _grow(world, 1)
    small = _queries_for_page(client)
    _grow(world, 3)

    with django_assert_max_num_queries(small):
        client.get(DASHBOARD, q1_query())
    assert SupportRelationship.objects.count() > 5


# ------------------------------------------------------------------------------------------
# Pictures and per-resident figures
# ------------------------------------------------------------------------------------------
def test_the_trend_counts_engagements_in_each_of_the_eight_quarters_to_the_periods_end(world):
    dashboard = whole_network(world)

    assert dashboard.trend_periods[0] == "Q2 2023/24"
    assert dashboard.trend_periods[-1] == "Q1 2025/26"
    lines = dict(dashboard.trend)
    # March 2024 (Q4 2023/24): the lapsed advice to Batley Pantry; Q1 2025/26: the four above.
    assert lines["Kirklees Community Anchor Network"] == [0, 0, 1, 0, 0, 0, 0, 4]
    assert lines["Batley and Spen"] == [0, 0, 1, 0, 0, 0, 0, 3]
    assert lines["Dewsbury"] == [0, 0, 0, 0, 0, 0, 0, 1]


def test_the_page_draws_each_picture_with_its_numbers_in_a_table(client, world):
    WardBoundaryFactory(locality=world["east"])
    client.force_login(world["officer"])

    page = client.get(DASHBOARD, q1_query())

    for chart_id in ("chart-trend", "chart-kinds", "chart-outreach", "chart-wards"):
        assertContains(page, f'id="{chart_id}-title"')
        assertContains(page, f'id="{chart_id}-desc"')
    # Only Batley East has an outline: the map names the others rather than dropping them.
    assertContains(page, "No boundary for:")
    assertContains(page, "Open Government Licence")
    map_part = page.content.decode().split('id="chart-wards-title"', 1)[1]
    assert "Batley West" in map_part
    assert "Dewsbury East" in map_part


def test_engagements_per_1000_residents_where_an_officer_entered_a_population(client, world):
    world["east"].population, world["east"].population_source = 4000, "ONS mid-2022 ward estimates"
    world["east"].save()

    dashboard = whole_network(world)
    rows = {row.locality.name: row for row in dashboard.wards}

    # Batley East: the 1 April event, 10 May first contact and 30 June advice (via Batley
    # Allotments) = 3 engagements for 4,000 residents.
    assert rows["Batley East"].per_thousand == 0.8
    assert rows["Batley West"].per_thousand is None
    cells = {tuple(row[:1]): row for row in dashboard_rows(dashboard) if row and row[0] == "Batley East"}
    assert cells[("Batley East",)][5] == 0.8
