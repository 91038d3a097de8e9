"""Seed the directory's synonym list with the everyday words residents use for the needs the
services taxonomy names formally (issue 15, "In their own words"). Officers change the list in
the admin afterwards; reversing this removes only groups still exactly as seeded."""

from django.db import migrations

SEED = [
    ("foodbank, food bank, food pantry, food parcels, food support", "Issue 15's list."),
    ("warm space, warm hub, warm welcome, warm room", "Winter warm spaces go by several names."),
    # Not "socials": PostgreSQL stems it to "social", which finds "social tenants" and "social housing".
    (
        "loneliness, lonely, isolation, isolated, befriending, social groups, social club, friendship, "
        "coffee morning, friendly phone calls",
        "Issue 15's list, and what groups for lonely people call themselves.",
    ),
    ("debt, money advice, debt advice, benefits advice, budgeting", "Issue 15's list."),
    ("mental health, wellbeing, well being, emotional support", "Issue 15's list."),
    ("lunch club, community meal, hot meal, free meal", "Shared meals, often where food support starts."),
    ("digital inclusion, getting online, computer help, digital skills", "How residents ask for help online."),
    ("youth club, young people, teenagers", "The taxonomy's term and what parents search for."),
    ("older people, elderly, pensioners, over 60s, over sixty", "The taxonomy's term and everyday words."),
    ("carers, unpaid carers, caring for someone", "The taxonomy's term and everyday words."),
    ("refugees, asylum seekers, sanctuary, new arrivals", "The taxonomy's term and the City of Sanctuary word."),
    ("jobs, employment, job club, finding work", "The taxonomy's term and everyday words."),
    ("community centre, community hall, room hire, community space", "Places to meet or hire."),
    ("volunteering, volunteer, helping out", "Prefix search does not reach 'volunteer' from 'volunteering'."),
    ("parent and toddler, toddler group, baby group, stay and play", "Early years groups go by many names."),
    ("housing, homelessness, homeless, rough sleeping", "The taxonomy's term and everyday words."),
    ("physical activity, exercise, keep fit, sport, walking group", "The taxonomy's term and everyday words."),
    (
        "welfare calls, check in calls, telephone befriending, friendly phone calls",
        "The taxonomy's term and everyday words.",
    ),
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("organisations", "SynonymGroup")
    SynonymGroup.objects.bulk_create(SynonymGroup(phrases=phrases, note=note) for phrases, note in SEED)


def unseed(apps, schema_editor):
    SynonymGroup = apps.get_model("organisations", "SynonymGroup")
    SynonymGroup.objects.filter(phrases__in=[phrases for phrases, _ in SEED]).delete()


class Migration(migrations.Migration):
    dependencies = [("organisations", "0012_synonym_groups")]

    operations = [migrations.RunPython(seed, unseed, elidable=False)]
