"""The published taxonomy the skills and assets exchange trades in (issue 13): what community
anchors and groups actually offer one another. A data migration rather than demo data, because
the exchange cannot work without it in production either.

Each term's code is its slug, as in the services taxonomy; the slugs are unique across every
taxonomy (``TaxonomyTerm.slug``), so none repeats a service's. Running it again changes
nothing; reversing it removes the terms no offer or need uses.
"""

from django.db import migrations

TAXONOMY = "AnchorNet skills and assets"
DESCRIPTION = (
    "What community organisations in a network offer one another and need from one another: "
    "skills, services and things to lend. Used by the skills and assets exchange."
)
# (slug, name, description)
TERMS = (
    ("safeguarding-training", "Safeguarding training", "Training staff and volunteers to keep children and adults safe."),
    ("funding-bids", "Funding bids", "Finding funders and writing or reviewing bids."),
    ("governance", "Governance", "Constitutions, trustee boards, policies and annual returns."),
    ("volunteer-recruitment", "Volunteer recruitment", "Finding, inducting and keeping volunteers."),
    ("dbs-checks", "DBS checks", "Processing Disclosure and Barring Service checks for volunteers and staff."),
    ("premises-and-rooms", "Premises and rooms", "Rooms, halls and kitchens to use or hire."),
    ("minibus", "Minibus", "A minibus to borrow, with or without a driver."),
    ("digital-skills", "Digital skills", "Help with computers, websites, online tools and data."),
    ("interpreting", "Interpreting", "Interpreting and translation for community languages."),
    ("accounts-and-payroll", "Accounts and payroll", "Bookkeeping, independent examination and payroll."),
    ("first-aid-training", "First aid training", "First aid courses for staff and volunteers."),
    ("event-equipment", "Event equipment", "Gazebos, tables, PA systems and other kit to lend."),
    ("mentoring", "Mentoring", "An experienced worker or trustee to guide a new group."),
    ("marketing-and-social-media", "Marketing and social media", "Leaflets, posters, social media and press."),
)


def create_taxonomy(apps, schema_editor):
    Taxonomy = apps.get_model("organisations", "Taxonomy")
    TaxonomyTerm = apps.get_model("organisations", "TaxonomyTerm")
    taxonomy, _ = Taxonomy.objects.get_or_create(name=TAXONOMY, defaults={"description": DESCRIPTION})
    for slug, name, description in TERMS:
        TaxonomyTerm.objects.get_or_create(
            slug=slug, defaults={"taxonomy": taxonomy, "code": slug, "name": name, "description": description}
        )


def remove_taxonomy(apps, schema_editor):
    Taxonomy = apps.get_model("organisations", "Taxonomy")
    TaxonomyTerm = apps.get_model("organisations", "TaxonomyTerm")
    TaxonomyTerm.objects.filter(taxonomy__name=TAXONOMY, exchange_entries__isnull=True).delete()
    Taxonomy.objects.filter(name=TAXONOMY, terms__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0002_exchange"),
    ]

    operations = [
        migrations.RunPython(create_taxonomy, remove_taxonomy),
    ]
