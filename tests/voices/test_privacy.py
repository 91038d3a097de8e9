"""Retention and erasure of residents' voices: contact details go after VOICE_RETENTION_DAYS,
history included, while the text and the counts stay; an officer erases a voice at the
resident's request (its words too); the daily job runs it."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from plans.models import PlanItem
from tests.voices.factories import VoiceFactory
from voices import privacy, tasks
from voices.models import Voice

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def aged(days: int, **kwargs) -> Voice:
    voice = VoiceFactory(contact_name="Ali", contact_email="ali@example.org", may_contact=True, **kwargs)
    voice.contact_phone = "07700 900123"
    voice.save()  # a second history row holding the contact details
    Voice.objects.filter(pk=voice.pk).update(created_at=NOW - datetime.timedelta(days=days))
    return voice


def contact_left(voice: Voice) -> list[str]:
    rows = [Voice.objects.get(pk=voice.pk), *Voice.history.filter(id=voice.pk)]
    return [value for row in rows for value in (row.contact_name, row.contact_email, row.contact_phone) if value]


@override_settings(VOICE_RETENTION_DAYS=365)
def test_retention_erases_contact_details_and_keeps_the_text_and_counts(world):
    item = world["items"][0]
    old, recent = aged(400, locality=world["ward"], anchor=world["lead"]), aged(30)
    old.cited_on.add(item)
    PlanItem.objects.filter(pk=item.pk).update(residents_raised=1)
    assert privacy.erase_expired_contacts(NOW) == 1
    assert contact_left(old) == []
    assert contact_left(recent) != []
    kept = Voice.objects.get(pk=old.pk)
    assert kept.what_matters
    assert Voice.objects.counted().count() == 2
    assert PlanItem.objects.get(pk=item.pk).residents_raised == 1
    assert privacy.erase_expired_contacts(NOW) == 0  # nothing left to do


@pytest.mark.parametrize("rows", [3, 30])
def test_the_retention_job_runs_a_fixed_number_of_queries(rows, django_assert_max_num_queries):
    for _ in range(rows):
        aged(400)
    with django_assert_max_num_queries(6):
        assert tasks.voice_erase_expired_contacts.call() == rows


def test_run_scheduled_jobs_runs_the_voices_retention_job(capsys):
    voice = aged(400)
    call_command("run_scheduled_jobs")
    assert "voice_erase_expired_contacts" in capsys.readouterr().out
    assert contact_left(voice) == []


def test_erasing_at_the_residents_request_removes_their_words_everywhere(admin_client, world):
    voice = aged(5, what_matters="ERASE-ME-MARKER")
    response = admin_client.post(
        "/admin/voices/voice/", {"action": "erase_at_request", "_selected_action": [voice.pk]}, follow=True
    )
    assert response.status_code == 200
    erased = Voice.objects.get(pk=voice.pk)
    assert erased.erased_at is not None
    assert (erased.what_matters, erased.may_contact, erased.may_quote) == ("", False, False)
    assert contact_left(voice) == []
    assert not Voice.history.filter(id=voice.pk, what_matters__contains="ERASE-ME").exists()
    assert Voice.objects.counted().filter(pk=voice.pk).exists()  # it still counts once


@override_settings(VOICE_RETENTION_DAYS=90)
def test_the_privacy_notice_states_the_voices_retention_period(client):
    assert "deleted 90 days after you told us" in client.get("/privacy/").content.decode()
