"""The anchor's voices: who sees which, the list and its untagged queue (fixed query count),
recording a voice for a resident, tagging, merging, citing on a plan item ("raised by N
residents") and moving a voice's status, each refusing a stale save."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core import mail
from pytest_django.asserts import assertContains, assertNotContains

from core.concurrency import version_of
from plans.models import PlanItem
from tests.plans.factories import PlanItemFactory
from tests.voices.factories import VoiceFactory
from voices import tasks
from voices.models import HeardVia, Voice, VoiceStatus

pytestmark = pytest.mark.django_db


def voice_in(world, place="ward", **kwargs) -> Voice:
    return VoiceFactory(locality=world[place], anchor=world["lead" if place != "other_area" else "other"], **kwargs)


# -- Who sees what ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("officer", {"ward", "area", "other_area"}),
        ("lead_editor", {"ward", "area"}),
        ("local_editor", {"ward"}),  # the local anchor serves the ward, not the whole area
        ("other_editor", {"other_area"}),
        ("councillor", set()),  # never the raw text: voices go to the anchor and officers only
        ("member", set()),
    ],
)
def test_voices_are_visible_to_their_anchor_and_officers_only(world, who, sees):
    made = {place: voice_in(world, place) for place in ("ward", "area", "other_area")}
    visible = set(Voice.objects.visible_to(world[who]))
    assert visible == {made[place] for place in sees}


def test_anonymous_people_see_no_voice(world):
    voice_in(world)
    assert not Voice.objects.visible_to(None).exists()


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("councillor", 403), ("lead_editor", 200)])
def test_only_anchors_and_officers_have_a_voices_list(client, world, who, status):
    client.force_login(world[who])
    assert client.get("/voices/").status_code == status


# -- The list ----------------------------------------------------------------------------
@pytest.mark.parametrize("count", [3, 30])
def test_the_list_runs_a_fixed_number_of_queries(client, world, count, django_assert_max_num_queries):
    for n in range(count):
        voice_in(world, themes=[world["transport"], world["young_people"]] if n % 2 else [])
    client.force_login(world["lead_editor"])
    with django_assert_max_num_queries(9):
        response = client.get("/voices/")
    assert len(response.context["voices"]) == count


def test_the_list_shows_newest_first_and_the_untagged_queue(client, world):
    tagged = voice_in(world, what_matters="Older and tagged", themes=[world["transport"]])
    untagged = voice_in(world, what_matters="Newer without a theme")
    client.force_login(world["lead_editor"])
    response = client.get("/voices/")
    assert list(response.context["voices"]) == [untagged, tagged]
    assertContains(response, "No theme yet (1)")
    queue = client.get("/voices/?queue=untagged")
    assert list(queue.context["voices"]) == [untagged]


def test_the_list_says_when_there_is_nothing(client, world):
    client.force_login(world["lead_editor"])
    assertContains(client.get("/voices/"), "No resident has told you what matters yet")
    assertContains(client.get("/voices/?queue=untagged"), "Every voice has a theme")


def test_another_anchors_voice_answers_404(client, world):
    voice = voice_in(world, "other_area")
    client.force_login(world["lead_editor"])
    assert client.get(voice.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert client.get("/voices/99999999999999999999999999/").status_code == HTTPStatus.NOT_FOUND


# -- Recording a voice for a resident -------------------------------------------------------
def test_an_anchor_records_a_voice_heard_in_conversation(client, world):
    client.force_login(world["local_editor"])
    response = client.post(
        "/voices/new/",
        {
            "locality": world["ward"].pk,
            "what_matters": "Nowhere for teenagers to go in the evening.",
            "heard_via": HeardVia.CONVERSATION,
            "themes": [world["young_people"].pk],
            "contact_phone": "07700 900123",
            "may_contact": "on",
            "may_quote": "on",
        },
    )
    voice = Voice.objects.get()
    assert response["Location"] == voice.get_absolute_url()
    assert voice.recorded_by == world["local_editor"]
    assert voice.anchor == world["local"]  # the anchor that heard it keeps it
    assert (voice.heard_via, voice.may_contact, voice.may_quote) == (HeardVia.CONVERSATION, True, True)
    assert mail.outbox == []  # the anchor wrote it: nobody to tell


def test_an_anchor_cannot_record_for_a_place_it_does_not_serve(client, world):
    client.force_login(world["local_editor"])
    response = client.post(
        "/voices/new/",
        {"locality": world["other_area"].pk, "what_matters": "Something", "heard_via": HeardVia.EVENT},
    )
    assertContains(response, "Choose a place from the list")
    assert not Voice.objects.exists()


# -- Tagging, merging, citing, moving -------------------------------------------------------
def post(client, voice, action, version=None, **data):
    fields = {f"{action}-{name}": value for name, value in data.items()}
    fields[f"{action}-loaded_version"] = version or version_of(Voice.objects.get(pk=voice.pk))
    return client.post(voice.get_absolute_url(), {"action": action, **fields})


def test_tagging_takes_a_voice_out_of_the_untagged_queue(client, world):
    voice = voice_in(world)
    client.force_login(world["lead_editor"])
    response = post(client, voice, "tag", themes=[world["transport"].pk])
    assert response.status_code == HTTPStatus.FOUND
    assert list(Voice.objects.untagged()) == []


def test_a_stale_save_is_refused_and_keeps_what_was_typed(client, world):
    voice = voice_in(world)
    stale = version_of(voice)
    client.force_login(world["lead_editor"])
    post(client, voice, "tag", themes=[world["transport"].pk])
    response = post(client, voice, "tag", version=stale, themes=[world["young_people"].pk])
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "govuk-error-summary")
    assert list(Voice.objects.get().themes.all()) == [world["transport"]]


def test_citing_voices_shows_raised_by_n_residents_on_the_plan(client, world):
    item = world["items"][0]
    first, second = voice_in(world), voice_in(world, "area")
    client.force_login(world["lead_editor"])
    for voice in (first, second):
        assert post(client, voice, "cite", items=[item.pk]).status_code == HTTPStatus.FOUND
    assert PlanItem.objects.get(pk=item.pk).residents_raised == 2
    client.logout()
    # A count under five is never published, on the plan's page as anywhere (core.disclosure).
    assertContains(client.get(world["plan"].get_absolute_url()), "Raised by fewer than 5 residents")


def test_a_merged_duplicate_counts_once(client, world):
    item = world["items"][0]
    original, duplicate = voice_in(world, themes=[world["transport"]]), voice_in(world)
    client.force_login(world["lead_editor"])
    post(client, original, "cite", items=[item.pk])
    post(client, duplicate, "cite", items=[item.pk])
    assert PlanItem.objects.get(pk=item.pk).residents_raised == 2
    response = post(client, duplicate, "merge", into=original.pk)
    assert response["Location"] == original.get_absolute_url()
    assert PlanItem.objects.get(pk=item.pk).residents_raised == 1
    assert list(Voice.objects.counted()) == [original]
    assert Voice.objects.get(pk=duplicate.pk).merged_into == original


def test_a_voice_cannot_be_merged_into_itself_or_one_out_of_scope(client, world):
    voice, elsewhere = voice_in(world), voice_in(world, "other_area")
    client.force_login(world["lead_editor"])
    for target in (voice, elsewhere):
        response = post(client, voice, "merge", into=target.pk)
        assertContains(response, "Choose a voice from the list")
    assert Voice.objects.counted().count() == 2


def test_citing_on_a_plan_the_anchor_cannot_change_is_refused(client, world):
    voice = voice_in(world, "other_area")
    client.force_login(world["other_editor"])
    response = post(client, voice, "cite", items=[world["items"][0].pk])
    assertContains(response, "Choose plan items from the list")
    assert PlanItem.objects.get(pk=world["items"][0].pk).residents_raised == 0


def test_not_taken_forward_needs_a_reason(client, world):
    voice = voice_in(world)
    client.force_login(world["lead_editor"])
    response = post(client, voice, "move", to_status=VoiceStatus.NOT_TAKEN_FORWARD, reason="")
    assertContains(response, "Say why it is not taken forward")
    assert Voice.objects.get().status == VoiceStatus.HEARD


def test_a_resident_who_consented_is_emailed_once_when_their_voice_moves(
    client, world, django_capture_on_commit_callbacks
):
    voice = voice_in(world, contact_email="ali@example.org", may_contact=True)
    silent = voice_in(world, contact_email="sam@example.org", may_contact=False)
    client.force_login(world["lead_editor"])
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, voice, "move", to_status=VoiceStatus.IN_PLAN).status_code == HTTPStatus.FOUND
        assert post(client, silent, "move", to_status=VoiceStatus.IN_PLAN).status_code == HTTPStatus.FOUND
    assert [message.to for message in mail.outbox] == [["ali@example.org"]]
    assert "in the plan" in mail.outbox[0].body
    # The task runs again (a retry): the resident is not told twice.
    tasks.voice_notify_resident.call(voice.pk, VoiceStatus.IN_PLAN)
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        post(client, voice, "move", to_status=VoiceStatus.NOT_TAKEN_FORWARD, reason="The council said no.")
    assert len(mail.outbox) == 2
    assert "The council said no." in mail.outbox[1].body


def test_a_step_that_is_not_next_is_refused(client, world):
    voice = voice_in(world)
    client.force_login(world["lead_editor"])
    response = post(client, voice, "move", to_status=VoiceStatus.ACTED_ON)
    assertContains(response, "Choose one of the steps shown")
    assertNotContains(response, "It is now")
    assert Voice.objects.get().status == VoiceStatus.HEARD


def test_an_officers_correction_in_the_admin_keeps_the_plan_items_count(admin_client, world):
    from tests.admin_forms import form_data

    item = world["items"][0]
    voice = voice_in(world)
    url = f"/admin/voices/voice/{voice.pk}/change/"
    data = form_data(admin_client.get(url))
    data["cited_on"] = [str(item.pk)]
    response = admin_client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    assert PlanItem.objects.get(pk=item.pk).residents_raised == 1


@pytest.mark.parametrize("others", [2, 20])
def test_a_voices_page_runs_a_fixed_number_of_queries(client, world, others, django_assert_max_num_queries):
    voice = voice_in(world, themes=[world["transport"]])
    for _ in range(others):
        voice_in(world)  # candidates to merge into
        PlanItemFactory(plan=world["plan"])  # items to cite it on
    client.force_login(world["lead_editor"])
    with django_assert_max_num_queries(20):
        response = client.get(voice.get_absolute_url())
    assertContains(response, "Merge into that voice")
    assertContains(response, "Save plan items")


def test_a_removed_or_merged_voice_can_no_longer_be_changed(client, world):
    from django.core.exceptions import PermissionDenied, ValidationError

    from voices import privacy
    from voices.services import voice_move, voice_tag

    erased, original, duplicate = voice_in(world), voice_in(world), voice_in(world)
    privacy.erase_at_request(Voice.objects.filter(pk=erased.pk), user=world["officer"])
    erased.refresh_from_db()
    with pytest.raises(PermissionDenied):
        voice_tag(voice=erased, user=world["officer"], themes=[world["transport"]], expected_version=version_of(erased))
    Voice.objects.filter(pk=duplicate.pk).update(merged_into=original)
    duplicate.refresh_from_db()
    with pytest.raises(ValidationError):
        voice_move(
            voice=duplicate,
            user=world["lead_editor"],
            to_status=VoiceStatus.IN_PLAN,
            expected_version=version_of(duplicate),
        )
    client.force_login(world["lead_editor"])
    assertNotContains(client.get(duplicate.get_absolute_url()), "Change the status")
