"""The duplicate check behind "Add your group": names that people write differently for the
same group match, names of different groups do not, and the search is one query."""

import importlib

import pytest
from django.apps import apps as django_apps

from core.models import PublicationStatus
from organisations.duplicates import normalised_name, possible_duplicates
from organisations.models import Organisation
from tests.factories import OrganisationFactory


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("St Mary's Lunch Club", "Saint Marys lunch club"),
        ("St. Mary’s Lunch Club", "ST MARYS LUNCH CLUB"),
        ("St Mary‘s Lunch Club", "Saint Mary's Lunch Club"),
        ("Friends & Neighbours", "Friends and Neighbours"),
        ("Friends&Neighbours", "friends and neighbours"),
        ("The Batley Food Bank", "Batley Food Bank"),
        ("  Batley   Food-Bank ", "Batley Food Bank"),
        ("Café Together", "Cafe Together"),
        ("Seacroft (Grange) Tenants’ Association", "Seacroft Grange Tenants Association"),
    ],
)
def test_variants_of_one_name_match(one, other):
    assert normalised_name(one) == normalised_name(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("St Mary's Lunch Club", "St Mark's Lunch Club"),
        ("Friends & Neighbours", "Friends of Neighbours"),
        ("Batley Food Bank", "Batley Food Bank Two"),
        ("Stanningley Scouts", "Saintanningley Scouts"),
    ],
)
def test_names_of_different_groups_do_not_match(one, other):
    assert normalised_name(one) != normalised_name(other)


def test_the_is_kept_when_it_is_the_whole_name():
    assert normalised_name("The") == "the"
    assert normalised_name("!!!") == ""


@pytest.mark.django_db
class TestPossibleDuplicates:
    def test_same_name_in_the_same_district_is_found(self):
        known = OrganisationFactory(name="St Mary’s Lunch Club", postcode="LS14 6JB")
        assert list(possible_duplicates("Saint Marys lunch club", "ls14 1aa", "")) == [known]

    def test_a_district_alone_is_enough(self):
        known = OrganisationFactory(name="Friends & Neighbours", postcode="LS14 6JB")
        assert list(possible_duplicates("Friends and Neighbours", "ls14", "")) == [known]

    def test_same_name_elsewhere_is_not_a_duplicate(self):
        OrganisationFactory(name="Friends & Neighbours", postcode="HD1 1AA")
        assert list(possible_duplicates("Friends and Neighbours", "LS14 6JB", "")) == []

    def test_no_postcode_matches_nothing_by_name(self):
        OrganisationFactory(name="Friends & Neighbours", postcode="")
        assert list(possible_duplicates("Friends and Neighbours", "", "")) == []

    def test_the_same_charity_number_is_found_whatever_the_name(self):
        known = OrganisationFactory(name="Batley Community Trust", charity_number="1123456", postcode="WF17 5AA")
        assert list(possible_duplicates("Something else entirely", "", " 112 3456 ")) == [known]

    def test_drafts_and_archived_ones_are_found_too_and_public_narrows(self):
        draft = OrganisationFactory(name="Lunch Club", postcode="LS14 6JB", status=PublicationStatus.DRAFT)
        shown = OrganisationFactory(name="The Lunch Club", postcode="LS14 2AB")
        found = possible_duplicates("lunch club", "LS14", "")
        assert set(found) == {draft, shown}
        assert list(found.public()) == [shown]

    def test_the_record_checked_is_not_its_own_duplicate(self):
        own = OrganisationFactory(name="Lunch Club", postcode="LS14 6JB")
        assert list(possible_duplicates("Lunch Club", "LS14 6JB", own.charity_number, exclude_pk=own.pk)) == []

    def test_renaming_keeps_the_key_in_step(self):
        organisation = OrganisationFactory(name="Old Name", postcode="LS14 6JB")
        organisation.name = "St Anne’s Drop-In"
        organisation.save(update_fields=["name"])
        organisation.refresh_from_db()
        assert organisation.name_key == "saint annes drop in"

    def test_one_query(self, django_assert_num_queries):
        for n in range(5):
            OrganisationFactory(name="Lunch Club", postcode=f"LS14 {n}AB", charity_number=f"11{n}4567")
        with django_assert_num_queries(1):
            assert len(list(possible_duplicates("lunch club", "LS14", "1104567"))) == 5


@pytest.mark.django_db
def test_the_migration_fills_the_key_of_existing_organisations():
    organisation = OrganisationFactory(name="St Mary’s Lunch Club")
    Organisation.objects.filter(pk=organisation.pk).update(name_key="")
    migration = importlib.import_module("organisations.migrations.0007_organisation_name_key")
    migration.fill_name_keys(django_apps, None)
    organisation.refresh_from_db()
    assert organisation.name_key == "saint marys lunch club"
