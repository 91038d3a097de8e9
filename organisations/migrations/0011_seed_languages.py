"""Seed a starting list of languages for the directory's language filter: those issue 15 names
(English, Urdu, Punjabi, Polish, Arabic, Bengali, Romanian, Kurdish, British Sign Language) and
a few more. Officers add others in the admin. Codes are ISO 639-1, or ISO 639-3 where there is
no two-letter code (British Sign Language: "bfi")."""

import uuid

from django.db import migrations

LANGUAGES = [
    ("en", "English"),
    ("bfi", "British Sign Language"),
    ("ur", "Urdu"),
    ("pa", "Punjabi"),
    ("pl", "Polish"),
    ("ar", "Arabic"),
    ("bn", "Bengali"),
    ("ro", "Romanian"),
    ("ku", "Kurdish"),
    ("gu", "Gujarati"),
    ("fa", "Persian (Farsi)"),
    ("ps", "Pashto"),
    ("so", "Somali"),
    ("ti", "Tigrinya"),
    ("uk", "Ukrainian"),
    ("cs", "Czech"),
    ("sk", "Slovak"),
    ("zh", "Chinese"),
]


def seed(apps, schema_editor):
    Language = apps.get_model("organisations", "Language")
    for code, name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name, "uuid": uuid.uuid4()})


class Migration(migrations.Migration):
    dependencies = [("organisations", "0010_opening_times_cost_languages_access")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
