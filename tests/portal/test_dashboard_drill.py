"""Drill-down from the dashboard (issue 14): every figure links to the list of the records
behind it, and that list's heading gives the same count — for an officer, a network
coordinator, a lead anchor and a ward councillor, on the hand-counted Kirklees of
``test_dashboard.world`` (period boundaries on 1 April, 30 June and 1 July; a group serving
two wards). The lists name only what the person may open, refuse places outside their patch,
answer bad addresses with a clear 400 and cost the same queries for 3 records as for 30."""

from __future__ import annotations

import html
import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from core.models import PublicationStatus
from core.permissions import COUNCILLOR_GROUP
from engagement.models import EngagementKind, ExchangeEntry, SupportRequest
from engagement.selectors import (
    GROUP_FIGURES,
    Activity,
    GroupActivity,
    OutreachStatus,
    group_counts_for,
    group_figures,
    groups_counted,
)
from organisations.models import Organisation
from tests.engagement.factories import (
    ExchangeEntryFactory,
    SkillTermFactory,
    SupportRelationshipFactory,
    SupportRequestFactory,
)
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, WardRepresentationFactory
from tests.portal.test_dashboard import DASHBOARD, LONG_AGO, at, day, engagement, q1_query

pytestmark = pytest.mark.django_db

RECORDS = "/dashboard/records/"
FIGURE_LINK = re.compile(
    r'<a class="govuk-link" href="(/dashboard/records/[^"]+)">(\d+)<span class="govuk-visually-hidden">'
)
RECORD_COUNT = re.compile(r'<span id="record-count">(\d+)</span>')


def records(kind: str) -> str:
    return reverse("portal:dashboard_records", kwargs={"kind": kind})


def linked_figures(response) -> list[tuple[str, int]]:
    """Each figure on the dashboard's page that links to a drill-down list: (address, value)."""
    return [(html.unescape(link), int(value)) for link, value in FIGURE_LINK.findall(response.content.decode())]


def listed_count(response) -> int:
    """The count in a drill-down list's heading."""
    return int(RECORD_COUNT.search(response.content.decode())[1])


def _editor_of(organisation, username: str):
    return MembershipFactory(organisation=organisation, user__username=username).user


def _councillor_of(ward, username: str = "cllr"):
    councillor = UserFactory(username=username)
    councillor.groups.add(Group.objects.get_or_create(name=COUNCILLOR_GROUP)[0])
    WardRepresentationFactory(user=councillor, ward=ward, starts_on=day(5, 8, 2024))
    return councillor


@pytest.fixture
def people(world):
    return {
        "officer": (world["officer"], "kirklees"),
        "coordinator": (_editor_of(world["coordinator"], "coordinator"), "kirklees"),
        "lead": (_editor_of(world["lead"], "lead"), "batley-and-spen"),
        "councillor": (_councillor_of(world["east"]), "batley-east"),
    }


# ------------------------------------------------------------------------------------------
# The figure and the list agree, for every role
# ------------------------------------------------------------------------------------------
QUARTER = {"period": "quarter", "quarter": "2025-Q1"}
FIRST_OF_JULY = {"period": "custom", "start_0": "1", "start_1": "7", "start_2": "2025"}
FIRST_OF_JULY |= {"end_0": "1", "end_1": "7", "end_2": "2025"}


@pytest.mark.parametrize(
    ("role", "period"),
    [
        *((role, QUARTER) for role in ("officer", "coordinator", "lead", "councillor")),
        # One day, the day after the quarter: the engagement and the request of 1 July only.
        ("lead", FIRST_OF_JULY),
        ("councillor", FIRST_OF_JULY),
    ],
    ids=["officer", "coordinator", "lead", "councillor", "lead-first-of-july", "councillor-first-of-july"],
)
def test_every_linked_figure_equals_the_count_of_its_list(client, world, people, role, period):
    user, place = people[role]
    client.force_login(user)
    page = client.get(DASHBOARD, {"place": place, **period})
    assert page.status_code == HTTPStatus.OK

    figures = linked_figures(page)
    # Cards (groups, statuses, requests, support, exchange, follow-ups) and the wards' rows.
    assert len(figures) >= 20, figures
    for link, value in figures:
        listed = client.get(link)
        assert listed.status_code == HTTPStatus.OK, link
        assert listed_count(listed) == value, link


def test_non_officers_get_a_list_for_every_figure_and_no_admin_link(client, world, people):
    user, place = people["coordinator"]
    client.force_login(user)
    page = client.get(DASHBOARD, q1_query(place=place))

    assertNotContains(page, "/admin/engagement/")
    dashboard = page.context["dashboard"]
    counted = [figure for group in dashboard.groups for figure in group.figures]
    # Only "anchors active" and "organisation engagements" count no record of a list.
    assert [figure.label for figure in counted if not figure.link] == [
        "Anchors active",
        "Organisation engagements (once per group per engagement)",
    ]
    # The residents' voices figures lead to the voices brief, which gives the same counts to
    # the same readers as the dashboard (the voices themselves are for anchors and officers).
    brief = reverse("portal:voices_brief")
    assert all(figure.link.startswith((RECORDS, brief)) for figure in counted if figure.link)
    assert {figure.label for figure in counted if figure.link.startswith(brief)} == {
        "Residents heard",
        "Heard",
        "In the plan",
        "Acted on",
        "Not taken forward",
    }


def test_officers_keep_the_admin_lists_for_engagements_and_requests(client, world):
    client.force_login(world["officer"])
    dashboard = client.get(DASHBOARD, q1_query()).context["dashboard"]
    links = {(group.key, figure.label): figure.link for group in dashboard.groups for figure in group.figures}

    assert links[("overview", "Engagements")].startswith("/admin/engagement/engagement/")
    assert links[("requests", "Received")].startswith("/admin/engagement/supportrequest/")
    assert links[("requests", "Acknowledged in time")].startswith(RECORDS)
    assert links[("overview", "Groups known")].startswith(RECORDS)


# ------------------------------------------------------------------------------------------
# What the lists hold
# ------------------------------------------------------------------------------------------
def _q1(place: str, figure: str, **extra) -> dict[str, str]:
    return q1_query(place=place, figure=figure, **extra)


def test_a_group_serving_two_wards_is_listed_in_each_wards_row_and_once_in_the_area(client, world):
    client.force_login(world["officer"])

    for ward in ("batley-east", "batley-west"):
        listed = client.get(records("groups"), _q1("batley-and-spen", "known", within=ward))
        assertContains(listed, "Batley Allotments", count=1)
    area = client.get(records("groups"), _q1("kirklees", "known", within="batley-and-spen"))
    assert listed_count(area) == 2
    assertContains(area, "Batley Allotments", count=1)
    assertNotContains(area, "Batley Old Club")  # archived: not a group known


def test_the_engagements_list_holds_the_periods_boundary_days_and_not_the_day_after(client, world):
    client.force_login(world["officer"])

    listed = client.get(records("engagements"), _q1("kirklees", "all"))

    assert listed_count(listed) == 4
    dates = [entry.occurred_on for entry in listed.context["records"]]
    assert dates == [day(6, 30), day(6, 15), day(5, 10), day(4, 1)]


def test_requests_acknowledged_in_time_late_and_overdue_by_working_days(client, world):
    client.force_login(world["officer"])

    counts = {
        figure: listed_count(client.get(records("requests"), _q1("kirklees", figure)))
        for figure in ("received", "in_time", "late", "overdue")
    }

    assert counts == {"received": 3, "in_time": 1, "late": 1, "overdue": 1}


# ------------------------------------------------------------------------------------------
# Each person sees only what they may open
# ------------------------------------------------------------------------------------------
def test_a_councillor_is_told_how_many_records_they_cannot_open(client, world, people):
    user, place = people["councillor"]
    client.force_login(user)

    listed = client.get(records("engagements"), _q1(place, "all"))

    # Batley East's groups were in three entries of the log: nobody's log is a councillor's.
    assert listed_count(listed) == 3
    assert listed.context["records"] == []
    assertContains(listed, "You cannot open any of these 3 engagements")
    assertNotContains(listed, "Batley Trust")
    requests = client.get(records("requests"), _q1(place, "received"))
    assert listed_count(requests) == 2
    assertNotContains(requests, "ANR-")


def test_a_lead_anchor_lists_its_own_entries_and_counts_its_local_anchors(client, world, people):
    user, place = people["lead"]
    client.force_login(user)

    listed = client.get(records("engagements"), _q1(place, "all"))

    assert listed_count(listed) == 3
    assert {entry.anchor.name for entry in listed.context["records"]} == {"Batley Trust"}
    assertContains(listed, "1 of these 3 engagements are not listed")


def test_a_coordinator_lists_every_entry_of_its_networks_anchors(client, world, people):
    user, place = people["coordinator"]
    client.force_login(user)

    listed = client.get(records("engagements"), _q1(place, "all"))

    assert len(listed.context["records"]) == listed_count(listed) == 4
    assertNotContains(listed, 'id="records-hidden"')


def test_a_draft_groups_name_stays_with_those_who_look_after_it(client, world, people):
    draft = OrganisationFactory(name="Batley Secret Draft", localities=[world["east"]], status=PublicationStatus.DRAFT)
    Organisation.objects.filter(pk=draft.pk).update(created_at=LONG_AGO)
    councillor, place = people["councillor"]
    client.force_login(councillor)

    listed = client.get(records("groups"), _q1(place, "known"))

    assert listed_count(listed) == 3
    assertNotContains(listed, "Batley Secret Draft")
    client.force_login(people["lead"][0])  # the lead anchor may edit groups in its area
    assertContains(client.get(records("groups"), _q1(place, "known")), "Batley Secret Draft")


# ------------------------------------------------------------------------------------------
# Refusals and mistakes
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("place", ["dewsbury", "kirklees", "dewsbury-east", "no-such-place"])
def test_a_place_outside_the_persons_patch_is_not_found(client, world, people, place):
    client.force_login(people["lead"][0])

    assert client.get(records("groups"), _q1(place, "known")).status_code == HTTPStatus.NOT_FOUND


def test_people_with_no_patch_are_refused_and_signed_out_people_sent_to_sign_in(client, world):
    assert client.get(records("groups")).status_code == HTTPStatus.FOUND
    client.force_login(_editor_of(world["groups"]["east"], "group-editor"))
    assert client.get(records("groups")).status_code == HTTPStatus.FORBIDDEN


def test_an_unknown_kind_of_record_is_not_found(client, world):
    client.force_login(world["officer"])
    assert client.get(records("meetings"), _q1("kirklees", "known")).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    ("kind", "query", "message"),
    [
        ("groups", _q1("kirklees", "bogus"), "Choose a figure from the dashboard"),
        ("engagements", _q1("kirklees", "kind_nonsense"), "Choose a figure from the dashboard"),
        ("groups", _q1("batley-and-spen", "known", within="dewsbury-east"), "Choose a ward or an area"),
        ("requests", {"place": "kirklees", "period": "custom", "figure": "received"}, "Enter the first day"),
        ("requests", {"place": "kirklees", "period": "quarter", "quarter": "1999-Q9"}, "Choose an option"),
        # The dashboard has no ward's or area's row for these: refused, never silently ignored.
        *(
            (kind, _q1("kirklees", figure, within="batley-east"), "only for the whole place the dashboard shows")
            for kind, figure in (
                ("requests", "received"),
                ("relationships", "started"),
                ("exchange", "offers"),
                ("follow-ups", "open"),
            )
        ),
        # A choice named twice: which the list is of would be a guess (Django takes the last).
        ("groups", {**_q1("kirklees", "known"), "place": ["kirklees", "dewsbury"]}, "Choose one network, area or ward"),
        ("groups", _q1("kirklees", "known", quarter=["2025-Q1", "2025-Q2"]), "Choose one quarter"),
        ("groups", _q1("kirklees", ["known", "new"]), "more than one figure"),
        ("groups", _q1("kirklees", "known", page="abc"), "That page number is not one of this list"),
        ("groups", _q1("kirklees", "known", page="99"), "That page number is not one of this list"),
    ],
)
def test_a_bad_address_gives_a_clear_error_and_no_records(client, world, kind, query, message):
    client.force_login(world["officer"])

    response = client.get(records(kind), query)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assertContains(response, message, status_code=HTTPStatus.BAD_REQUEST)
    assertContains(response, "There is a problem", status_code=HTTPStatus.BAD_REQUEST)
    assertNotContains(response, "Batley", status_code=HTTPStatus.BAD_REQUEST)


def test_the_dashboard_refuses_a_place_named_twice_in_words(client, world):
    client.force_login(world["officer"])

    response = client.get(DASHBOARD, q1_query(place=["kirklees", "dewsbury"]))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assertContains(response, "Choose one network, area or ward", status_code=HTTPStatus.BAD_REQUEST)
    assert response.context["dashboard"] is None


def test_without_choices_the_list_is_of_the_current_quarter_of_the_first_place(client, world, people):
    client.force_login(people["lead"][0])

    response = client.get(records("groups"))

    assert response.status_code == HTTPStatus.OK
    assertContains(response, "Groups known: <span")
    assertContains(response, "Batley and Spen area")


def test_an_empty_list_says_so(client, world):
    client.force_login(world["officer"])

    response = client.get(records("follow-ups"), _q1("dewsbury", "open"))

    assert listed_count(response) == 0
    assertContains(response, "There are no follow-ups behind this figure for Dewsbury area")
    assertNotContains(response, "<table")


def test_the_list_is_a_table_with_a_caption(client, world):
    client.force_login(world["officer"])

    response = client.get(records("relationships"), _q1("kirklees", "started"))

    assertContains(response, '<caption class="govuk-table__caption govuk-table__caption--m" id="records-caption">')
    assertContains(response, "Batley Allotments")


# ------------------------------------------------------------------------------------------
# Query count: the same for 3 records as for 30
# ------------------------------------------------------------------------------------------
def _add_records(world, count: int) -> None:
    """``count`` more groups in Batley East, each with a first contact and a follow-up in Q1, a
    support relationship started in Q1, an offer and a request received in Q1."""
    term = SkillTermFactory()
    for _n in range(count):
        group = OrganisationFactory(localities=[world["east"]])
        Organisation.objects.filter(pk=group.pk).update(created_at=LONG_AGO)
        engagement(world["lead"], day(5, 5), EngagementKind.ADVICE, [group], follow_up_on=day(6, 1))
        SupportRelationshipFactory(anchor=world["lead"], group=group, started_on=day(4, 2))
        entry = ExchangeEntryFactory(organisation=group, term=term)
        ExchangeEntry.objects.filter(pk=entry.pk).update(created_at=at(day(4, 10)))
        request = SupportRequestFactory(anchor=world["lead"], locality=world["east"])
        SupportRequest.objects.filter(pk=request.pk).update(created_at=at(day(5, 6)))


FIGURE_OF = {
    "groups": "known",
    "engagements": "all",
    "requests": "received",
    "relationships": "started",
    "exchange": "offers",
    "follow-ups": "open",
}


@pytest.mark.parametrize("kind", list(FIGURE_OF))
def test_the_query_count_does_not_grow_with_the_records(client, world, django_assert_max_num_queries, kind):
    lead, place = _editor_of(world["lead"], "lead"), "batley-and-spen"
    client.force_login(lead)
    current = {"place": place, "period": "year", "year": "2025", "figure": FIGURE_OF[kind]}
    _add_records(world, 3)
    with django_assert_max_num_queries(40) as captured:
        small = client.get(records(kind), current)
    few = len(captured)
    _add_records(world, 27)

    with django_assert_max_num_queries(few):
        large = client.get(records(kind), current)
    assert listed_count(large) == listed_count(small) + 27


# ------------------------------------------------------------------------------------------
# The figures and the lists read one rule per group
# ------------------------------------------------------------------------------------------
def test_group_figures_count_in_one_pass_what_each_list_selects():
    statuses = list(OutreachStatus.values)
    groups = {
        pk: GroupActivity(
            pk=pk,
            places=frozenset({1}),
            is_new=pk % 3 == 0,
            last_contact_on=None,
            outreach_status=statuses[pk % len(statuses)],
            is_quiet=pk % 5 == 0,
            quiet_reason=None,
            engagements=frozenset({pk}) if pk % 2 else frozenset(),
        )
        for pk in range(1, 31)
    }
    activity = Activity(groups=groups, dated=[], start=day(4, 1), end=day(6, 30))

    figures = group_figures(activity)

    assert list(figures) == list(GROUP_FIGURES)
    assert figures == {figure: len(groups_counted(activity, figure)) for figure in GROUP_FIGURES}
    assert (figures["known"], figures["engaged"], figures["new"], figures["quiet"]) == (30, 15, 10, 6)
    assert figures["unsupported"] == 30 - figures["status_supported"]
    with pytest.raises(ValueError, match="not a group figure"):
        group_counts_for(groups[1], "status_bogus")
