"""Search: full-text with weights on PostgreSQL, a word-by-word fallback on SQLite, and
postcodes or postcode districts matched exactly on both."""

import pytest
from django.db import connection

from organisations.models import Organisation
from organisations.search import order_by_relevance, query_words, search_organisations
from tests.factories import OrganisationFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db


def names(q):
    return list(order_by_relevance(search_organisations(Organisation.objects.all(), q)).values_list("name", flat=True))


def test_query_words_drop_punctuation_and_case():
    assert query_words("St. Mary's  LUNCH-club!") == ["st", "mary", "s", "lunch", "club"]


@pytest.mark.parametrize("name", ["St Marys Lunch Club", "St. Mary's Lunch Club"])
@pytest.mark.parametrize("q", ["St. Mary's", "st marys", "ST MARY'S lunch", "st. marys"])
def test_punctuation_and_case_do_not_matter(q, name):
    OrganisationFactory(name=name)
    OrganisationFactory(name="Armley Knit and Natter")
    assert names(q) == [name]


def test_a_postcode_in_any_spacing_finds_organisations_there():
    OrganisationFactory(name="Seacroft Good Neighbours", postcode="LS14 6JB")
    OrganisationFactory(name="Armley Knit and Natter", postcode="LS12 1AA")
    assert names("ls146jb") == ["Seacroft Good Neighbours"]
    assert names("LS14 6JB") == ["Seacroft Good Neighbours"]


def test_an_outward_code_finds_the_whole_postcode_district():
    OrganisationFactory(name="Seacroft Good Neighbours", postcode="LS14 6JB")
    OrganisationFactory(name="Chapel FM", postcode="LS14 5AA")
    OrganisationFactory(name="LS1 Hub", postcode="LS1 1UR")
    assert names("ls14") == ["Chapel FM", "Seacroft Good Neighbours"]


def test_a_search_for_a_need_finds_organisations_offering_it():
    food = TaxonomyTermFactory(name="Food support")
    OrganisationFactory(name="Chickenley Community Centre", services=[food])
    OrganisationFactory(name="Armley Knit and Natter")
    assert names("food") == ["Chickenley Community Centre"]


def test_a_search_with_only_punctuation_finds_nothing_rather_than_everything():
    OrganisationFactory(name="Armley Knit and Natter")
    assert names("!!!") == []


def test_a_blank_search_leaves_the_list_alone():
    OrganisationFactory(name="Armley Knit and Natter")
    assert names("   ") == ["Armley Knit and Natter"]


@pytest.mark.postgres
def test_words_match_as_prefixes_and_stems():
    OrganisationFactory(name="Huddersfield Mission", description="")
    OrganisationFactory(name="Communities Together", description="")
    assert names("huddersf") == ["Huddersfield Mission"]
    assert names("community") == ["Communities Together"]


@pytest.mark.postgres
def test_a_match_in_the_name_ranks_above_a_match_in_the_description():
    OrganisationFactory(name="Digital drop-in (described)", description="Help with phones, tablets and digital skills.")
    OrganisationFactory(name="Tablet Club", description="A friendly group that meets on Tuesdays.")
    assert names("tablet") == ["Tablet Club", "Digital drop-in (described)"]


@pytest.mark.postgres
def test_the_full_text_search_uses_the_gin_index():
    OrganisationFactory(name="Huddersfield Mission")
    queryset = search_organisations(Organisation.objects.all(), "huddersfield")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "organisation_search_idx" in plan
