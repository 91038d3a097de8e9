"""Councillors and the plans shared for their wards (issue 16): who sees a shared plan, the
"Shared with you" list, the email on sharing, the record of what was shared and what changed
since, and who has opened it."""

from __future__ import annotations

import datetime
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from core.concurrency import version_of
from core.permissions import COUNCILLOR_GROUP
from localities.models import LocalityKind, WardRepresentation
from localities.selectors import councillors_for, wards_represented_by
from plans.models import LocalityPlan, PlanOpening, PlanShare
from plans.selectors import plan_changes_since_shared
from plans.services import plan_share, plan_update
from tests.factories import LocalityFactory, UserFactory, WardRepresentationFactory
from tests.plans.factories import LocalityPlanFactory, PlanItemFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()  # noqa: DTZ011 - terms are compared with the local date
YESTERDAY = TODAY - datetime.timedelta(days=1)


def councillor_for(ward, username: str, **term) -> object:
    """A new account in the Councillor group with a term in ``ward`` (running unless dated)."""
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name=COUNCILLOR_GROUP)[0])
    WardRepresentationFactory(user=user, ward=ward, **term)
    return user


def shared_plan(world, locality=None, owner=None, **kwargs) -> LocalityPlan:
    return LocalityPlanFactory(
        locality=locality or world.batley, owner=owner or world.batley_lead, shared=True, **kwargs
    )


# --- Terms and wards ---------------------------------------------------------------------
def test_a_councillor_represents_the_wards_of_their_current_terms_only(world):
    councillor = councillor_for(world.dewsbury_west, "dewsbury-cllr", starts_on=datetime.date(2022, 5, 5))
    WardRepresentationFactory(
        user=councillor, ward=world.batley_east, starts_on=datetime.date(2018, 5, 3), ends_on=YESTERDAY
    )
    WardRepresentationFactory(user=councillor, ward=world.armley, starts_on=TODAY + datetime.timedelta(days=1))

    assert list(wards_represented_by(councillor)) == [world.dewsbury_west]
    assert set(wards_represented_by(councillor, on=datetime.date(2023, 1, 1))) == {
        world.dewsbury_west,
        world.batley_east,
    }


def test_a_ward_link_without_the_councillor_group_grants_nothing(world):
    former = UserFactory(username="former")
    WardRepresentationFactory(user=former, ward=world.batley_east)
    shared = shared_plan(world)

    assert not wards_represented_by(former).exists()
    assert not LocalityPlan.objects.visible_to(former).filter(pk=shared.pk).exists()


def test_only_a_ward_can_have_councillors_and_a_term_ends_after_it_starts(world):
    term = WardRepresentation(user=world.councillor, ward=world.batley, starts_on=TODAY)
    with pytest.raises(ValidationError) as refused:
        term.full_clean()
    assert "Choose a ward" in str(refused.value)

    backwards = WardRepresentation(user=world.councillor, ward=world.batley_east, starts_on=TODAY, ends_on=YESTERDAY)
    with pytest.raises(ValidationError) as refused:
        backwards.full_clean()
    assert "on or after the first" in str(refused.value)


# --- Who sees a shared plan ---------------------------------------------------------------
def test_a_councillor_sees_the_shared_plans_of_their_wards_and_no_other(client, world):
    batley = shared_plan(world)  # the area containing the councillor's ward
    kirklees_wide = shared_plan(world, locality=world.kirklees)
    neighbourhood = LocalityFactory(
        name="Mount Pleasant", slug="mount-pleasant", kind=LocalityKind.NEIGHBOURHOOD, parent=world.batley_east
    )
    inside_the_ward = shared_plan(world, locality=neighbourhood)
    dewsbury = shared_plan(world, locality=world.dewsbury, owner=world.dewsbury_lead, title="Dewsbury shared plan")
    client.force_login(world.councillor)

    for plan in (batley, kirklees_wide, inside_the_ward):
        assert client.get(plan.get_absolute_url()).status_code == HTTPStatus.OK
    assert client.get(dewsbury.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert client.get(reverse("plans:as_shared", args=[dewsbury.slug])).status_code == HTTPStatus.NOT_FOUND
    assertNotContains(client.get(reverse("plans:shared_with_you")), dewsbury.title)
    # Nor is the other ward's plan recorded as opened by them, for its editors to see.
    assert not PlanOpening.objects.filter(plan=dewsbury).exists()
    assert PlanOpening.objects.filter(plan=batley, user=world.councillor).exists()


def test_a_councillor_whose_term_has_ended_no_longer_sees_the_wards_shared_draft(client, world):
    plan = shared_plan(world)
    WardRepresentation.objects.filter(user=world.councillor).update(ends_on=YESTERDAY)
    client.force_login(world.councillor)

    assert client.get(plan.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assertNotContains(client.get(reverse("plans:shared_with_you")), plan.title)


def test_the_public_never_sees_a_plan_as_it_was_shared_even_once_published(client, world):
    plan = shared_plan(world)
    PlanShare.objects.create(plan=plan, shared_on=plan.shared_on, snapshot={"title": plan.title, "items": []})
    LocalityPlan.objects.filter(pk=plan.pk).update(status="published", published_on=TODAY)

    assert client.get(plan.get_absolute_url()).status_code == HTTPStatus.OK
    assertNotContains(client.get(plan.get_absolute_url()), "Shared with councillors")
    assert client.get(reverse("plans:as_shared", args=[plan.slug])).status_code == HTTPStatus.NOT_FOUND


# --- Shared with you ----------------------------------------------------------------------
def test_shared_with_you_lists_the_wards_plans_newest_first_read_or_unread(client, world):
    older = shared_plan(world, title="Older plan", shared_on=datetime.date(2025, 1, 10))
    newer = shared_plan(world, locality=world.kirklees, title="Newer plan", shared_on=datetime.date(2026, 2, 1))
    shared_plan(world, locality=world.dewsbury, owner=world.dewsbury_lead, title="Dewsbury plan")
    LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, title="Draft plan")
    PlanOpening.objects.create(plan=older, user=world.councillor, first_opened_at=datetime.datetime.now(datetime.UTC))
    client.force_login(world.councillor)

    response = client.get(reverse("plans:shared_with_you"))

    assert [plan.title for plan in response.context["plans"]] == [newer.title, older.title]
    page = response.content.decode()
    assert page.index("Newer plan") < page.index(">Unread<") < page.index("Older plan") < page.index('--grey">Read<')
    assertContains(response, "Batley East")


@pytest.mark.parametrize(
    ("who", "says"),
    [
        ("councillor", "No plan has been shared for your wards yet"),
        ("resident", "Your account is not a councillor"),
    ],
)
def test_shared_with_you_explains_an_empty_list(client, world, who, says):
    client.force_login(getattr(world, who))
    assertContains(client.get(reverse("plans:shared_with_you")), says)


def test_a_councillor_without_a_ward_today_is_told_to_ask_an_officer(client, world):
    WardRepresentation.objects.filter(user=world.councillor).delete()
    client.force_login(world.councillor)
    assertContains(client.get(reverse("plans:shared_with_you")), "no ward is recorded for you today")


def test_shared_with_you_costs_the_same_queries_for_2_and_25_plans(client, world, django_assert_max_num_queries):
    client.force_login(world.councillor)
    for _ in range(2):
        shared_plan(world)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("plans:shared_with_you"))
    for _ in range(23):
        shared_plan(world)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("plans:shared_with_you"))


# --- Sharing: the snapshot, the email, the openings ----------------------------------------
@pytest.fixture
def draft(world):
    plan = LocalityPlanFactory(locality=world.batley, owner=world.batley_lead, title="Batley plan")
    PlanItemFactory(plan=plan, kind="priority", order=1, title="Warm spaces", detail="Somewhere warm in winter.")
    PlanItemFactory(plan=plan, kind="concern", order=1, title="Buses", detail="The 202 stops at six.")
    PlanItemFactory(plan=plan, kind="opportunity", order=1, title="Church hall", detail="Free on Mondays.")
    return plan


def share(plan, user, django_capture_on_commit_callbacks) -> LocalityPlan:
    with django_capture_on_commit_callbacks(execute=True):
        return plan_share(plan=plan, user=user)


def test_sharing_keeps_the_plan_exactly_as_shared(world, draft, django_capture_on_commit_callbacks):
    share(draft, world.alice, django_capture_on_commit_callbacks)

    snapshot = PlanShare.objects.get(plan=draft).snapshot
    assert snapshot["title"] == "Batley plan"
    assert [(row["kind"], row["title"], row["detail"]) for row in snapshot["items"]] == [
        ("priority", "Warm spaces", "Somewhere warm in winter."),
        ("concern", "Buses", "The 202 stops at six."),
        ("opportunity", "Church hall", "Free on Mondays."),
    ]


def test_sharing_emails_each_current_councillor_of_its_wards_once(
    client, world, draft, django_capture_on_commit_callbacks
):
    second = councillor_for(world.batley_east, "second-cllr")
    councillor_for(world.dewsbury_west, "dewsbury-cllr")
    councillor_for(world.batley_east, "retired-cllr", starts_on=datetime.date(2018, 5, 3), ends_on=YESTERDAY)
    not_in_group = UserFactory(username="not-a-councillor")
    WardRepresentationFactory(user=not_in_group, ward=world.batley_east)

    share(draft, world.alice, django_capture_on_commit_callbacks)

    assert sorted(message.to[0] for message in mail.outbox) == sorted([world.councillor.email, second.email])
    message = mail.outbox[0]
    assert message.subject == "Locality plan shared with you: Batley and Spen 2025–2028"
    assert f"/accounts/sign-in/?next=/plans/{draft.slug}/" in message.body
    # The link takes a signed-in councillor straight to the plan.
    link = next(line for line in message.body.splitlines() if "/accounts/sign-in/" in line)
    client.force_login(world.councillor)
    followed = client.get(urlsplit(link).path + "?" + urlsplit(link).query)
    assert followed.status_code == HTTPStatus.FOUND
    assert followed.url == draft.get_absolute_url()

    # The task again (a retry): nobody is told twice.
    from plans.tasks import plan_shared_notify_councillors

    assert plan_shared_notify_councillors.call(draft.pk) == 0
    assert len(mail.outbox) == 2


def test_a_councillor_opening_the_plan_is_recorded_once_and_shown_to_its_editors(
    client, world, draft, django_capture_on_commit_callbacks
):
    share(draft, world.alice, django_capture_on_commit_callbacks)
    client.force_login(world.alice)
    assertContains(client.get(draft.get_absolute_url()), "Not opened yet")
    assert not PlanOpening.objects.exists()  # an editor reading it is not a councillor opening it

    client.force_login(world.councillor)
    client.get(draft.get_absolute_url())
    first = PlanOpening.objects.get(plan=draft, user=world.councillor).first_opened_at
    client.get(reverse("plans:as_shared", args=[draft.slug]))
    assert PlanOpening.objects.get().first_opened_at == first
    assertNotContains(client.get(draft.get_absolute_url()), "Who has read it")  # councillors do not see the list

    client.force_login(world.alice)
    response = client.get(draft.get_absolute_url())
    assertContains(response, "Who has read it")
    assertNotContains(response, "Not opened yet")


def test_the_plan_shows_what_was_added_removed_and_reworded_since_it_was_shared(
    client, world, draft, django_capture_on_commit_callbacks
):
    plan = share(draft, world.alice, django_capture_on_commit_callbacks)
    items = {item.title: item for item in plan.items.all()}
    items["Buses"].delete()
    items["Warm spaces"].title = "Warm and welcoming spaces"
    items["Warm spaces"].save()
    items["Church hall"].detail = "Free on Mondays and Thursdays."
    items["Church hall"].save()
    PlanItemFactory(plan=plan, kind="connection", order=1, title="Food bank")

    changes = plan_changes_since_shared(
        LocalityPlan.objects.prefetch_related("items").get(pk=plan.pk), PlanShare.objects.get(plan=plan)
    )
    assert [item.title for item in changes.added] == ["Food bank"]
    assert [item.title for item in changes.removed] == ["Buses"]
    assert [(change.after.title, change.what) for change in changes.changed] == [
        ("Warm and welcoming spaces", ("title",)),
        ("Church hall", ("detail",)),
    ]

    client.force_login(world.councillor)
    as_shared = client.get(reverse("plans:as_shared", args=[plan.slug]))
    # What councillors received is unchanged, word for word.
    assertContains(as_shared, "Warm spaces")
    assertContains(as_shared, "The 202 stops at six.")
    assertNotContains(as_shared, "Free on Mondays and Thursdays.")
    assertContains(as_shared, "Added (1)")
    assertContains(as_shared, "Removed (1)")
    assertContains(as_shared, "Reworded or moved (2)")
    assertContains(client.get(plan.get_absolute_url()), "shared as “Warm spaces”")


def test_an_unchanged_plan_says_nothing_has_changed(client, world, draft, django_capture_on_commit_callbacks):
    plan = share(draft, world.alice, django_capture_on_commit_callbacks)
    # Saving the plan without changing an item's words is not a change.
    plan_update(
        plan=plan,
        user=world.alice,
        expected_status=plan.status,
        expected_version=version_of(plan),
        values={"title": plan.title},
    )
    client.force_login(world.councillor)
    assertContains(client.get(plan.get_absolute_url()), "Nothing has changed since it was shared.")


def test_a_plan_shared_before_snapshots_says_so(client, world):
    plan = shared_plan(world)
    client.force_login(world.councillor)
    assertContains(client.get(reverse("plans:as_shared", args=[plan.slug])), "before the portal kept a copy")


def test_the_councillors_of_a_place_are_those_in_office_in_the_group(world):
    councillor_for(world.dewsbury_west, "dewsbury-cllr")
    assert list(councillors_for(world.batley)) == [world.councillor]
    assert list(councillors_for(world.kirklees).values_list("username", flat=True)) == ["councillor", "dewsbury-cllr"]


def test_the_plan_as_shared_shows_each_items_facts_as_they_were_kept(client, world):
    plan = shared_plan(world)
    row = {"id": None, "kind": "priority", "order": 1, "title": "Warm spaces", "detail": "Somewhere warm."}
    row |= {"themes": ["Loneliness"], "organisations": ["Batley Food Bank"], "evidence": "45 people"}
    PlanShare.objects.create(plan=plan, shared_on=plan.shared_on, snapshot={"title": plan.title, "items": [row]})
    client.force_login(world.councillor)

    response = client.get(reverse("plans:as_shared", args=[plan.slug]))

    # The facts of the item as shared, named but not linked: the records may have changed since.
    assertContains(response, '<h4 class="govuk-heading-s">1. Warm spaces</h4>', html=True)
    assertContains(response, '<dd class="govuk-summary-list__value">Loneliness</dd>', html=True)
    assertContains(response, '<dd class="govuk-summary-list__value">Batley Food Bank</dd>', html=True)
    assertContains(response, '<dd class="govuk-summary-list__value">45 people</dd>', html=True)
    assertNotContains(response, 'id="item-')


def test_a_councillor_whose_term_began_after_sharing_is_told_by_the_daily_job(
    world, draft, django_capture_on_commit_callbacks, capsys
):
    from django.core.management import call_command

    share(draft, world.alice, django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[world.councillor.email]]
    published = shared_plan(world, locality=world.dewsbury, owner=world.dewsbury_lead)
    LocalityPlan.objects.filter(pk=published.pk).update(status="published", published_on=TODAY)
    # Elected at a by-election after the plan was shared, and recorded by an officer.
    newcomer = councillor_for(world.batley_east, "newcomer", starts_on=TODAY)
    councillor_for(world.dewsbury_west, "dewsbury-cllr")  # only a published plan there: nothing to tell

    call_command("run_scheduled_jobs")
    assert "shared_plans_notify_new_councillors" in capsys.readouterr().out

    assert [message.to for message in mail.outbox[1:]] == [[newcomer.email]]
    assert draft.get_absolute_url() in mail.outbox[1].body
    call_command("run_scheduled_jobs")
    assert len(mail.outbox) == 2  # told once
