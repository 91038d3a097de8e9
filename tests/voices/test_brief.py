"""The residents' voices brief: the themes raised most, quotes only with consent, what was done,
for the dashboard's people and places only."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.periods import Period, financial_year_of
from tests.voices.factories import VoiceFactory
from voices.brief import voices_brief
from voices.models import VoiceStatus

pytestmark = pytest.mark.django_db

YEAR = Period.financial_year(financial_year_of(timezone.localdate()))


def brief_url(place: str, year: Period = YEAR) -> str:
    return reverse("portal:voices_brief") + f"?place={place}&period=year&year={year.code}"


def heard(world, n, *themes, place="ward", **fields):
    return [VoiceFactory(locality=world[place], anchor=world["lead"], themes=list(themes), **fields) for _ in range(n)]


def test_the_brief_ranks_themes_quotes_only_consenting_residents_and_says_what_was_done(client, world):
    heard(world, 4, world["transport"], what_matters="No bus after 7pm (quote me)", may_quote=True)
    heard(world, 1, world["transport"], what_matters="Private: my neighbour's debts", may_quote=False)
    done = heard(world, 1, world["transport"], status=VoiceStatus.IN_PLAN, what_matters="Shelter please")
    done[0].cited_on.set([world["items"][0]])
    heard(world, 2, world["young_people"], what_matters="Nothing for teenagers", may_quote=True)
    heard(world, 1, what_matters="Untagged yet")

    client.force_login(world["officer"])
    response = client.get(brief_url("batley-and-spen"))
    page = response.content.decode()

    assert response.status_code == 200
    # Transport (6 residents) before young people (2); voices without a theme last.
    assert page.index("Transport") < page.index("Young people") < page.index("Not yet given a theme")
    assert "6 residents; heard: 5; in the plan: 1." in page
    assert page.count("No bus after 7pm") == 3  # four may be quoted: three quotes at most
    assert "my neighbour" not in page
    assert "A bus shelter" in page
    assert "Residents heard" in page


def test_the_brief_counts_as_the_public_page_does_duplicates_once_and_erased_voices_without_words(world):
    kept = heard(world, 2, world["transport"], may_quote=True, what_matters="Buses")
    heard(world, 1, world["transport"], merged_into=kept[0])
    heard(world, 1, world["transport"], erased_at=timezone.now(), what_matters="", may_quote=True)
    old = heard(world, 1, world["transport"])
    type(old[0]).objects.filter(pk=old[0].pk).update(created_at=timezone.now() - datetime.timedelta(days=400))

    brief = voices_brief(world["area"], start=YEAR.start, end=YEAR.end, items=world["plan"].items.all())

    assert brief.people == 3
    assert [(theme.term, theme.people, theme.quotes) for theme in brief.themes] == [
        (world["transport"], 3, ["Buses", "Buses"])
    ]


def test_a_councillor_reads_the_brief_of_their_ward_and_not_another_area(client, world):
    heard(world, 2, world["transport"], what_matters="Road crossing", may_quote=True)
    client.force_login(world["councillor"])

    assert "Road crossing" in client.get(brief_url("batley-east")).content.decode()
    other = client.get(brief_url("huddersfield"))
    assert other.status_code == 400
    assert "Road crossing" not in other.content.decode()


def test_people_without_a_dashboard_are_refused_and_a_bad_choice_is_an_error(client, world):
    client.force_login(world["member"])
    assert client.get(reverse("portal:voices_brief")).status_code == 403

    client.force_login(world["officer"])
    response = client.get(reverse("portal:voices_brief") + "?period=custom")
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()


def test_a_period_nobody_spoke_in_says_so(client, world):
    client.force_login(world["officer"])
    page = client.get(brief_url("batley-and-spen")).content.decode()

    assert "No resident’s voice was recorded for Batley and Spen area in this period" in page


def test_the_brief_keeps_its_query_count_however_many_voices(client, world, django_assert_max_num_queries):
    client.force_login(world["officer"])
    heard(world, 3, world["transport"], may_quote=True)
    client.get(brief_url("batley-and-spen"))
    heard(world, 30, world["transport"], world["young_people"], may_quote=True)
    heard(world, 20, place="area")
    with django_assert_max_num_queries(20) as queries:
        client.get(brief_url("batley-and-spen"))
    baseline = len(queries)
    heard(world, 40, world["young_people"])
    with django_assert_max_num_queries(baseline):
        client.get(brief_url("batley-and-spen"))


def test_the_dashboard_links_to_the_brief_for_the_same_choice(client, world):
    client.force_login(world["officer"])
    page = client.get(reverse("portal:dashboard") + "?place=batley-and-spen&period=year&year=" + YEAR.code)

    assert reverse("portal:voices_brief") + "?place=batley-and-spen&amp;period=year&amp;year=" in page.content.decode()


def test_the_dashboards_voices_figures_equal_the_briefs(client, world):
    heard(world, 3, world["transport"])
    heard(world, 2, world["young_people"], status=VoiceStatus.IN_PLAN)
    heard(world, 1, status=VoiceStatus.NOT_TAKEN_FORWARD, status_reason="Not the council's to do")
    client.force_login(world["officer"])

    dashboard = client.get(reverse("portal:dashboard") + f"?place=batley-and-spen&period=year&year={YEAR.code}")
    brief = client.get(brief_url("batley-and-spen")).context["brief"]

    (voices,) = [group for group in dashboard.context["dashboard"].groups if group.key == "voices"]
    figures = {figure.label: figure.value for figure in voices.figures}
    assert figures["Residents heard"] == brief.people == 6
    assert [figures[str(status.label)] for status in VoiceStatus] == list(brief.by_status.values()) == [3, 2, 0, 1]
    assert all(figure.link.startswith(reverse("portal:voices_brief")) for figure in voices.figures)
