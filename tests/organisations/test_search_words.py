"""Search in residents' own words (issue 15): synonyms officers keep, spelling tolerance, the
services' and needs' words, why each result matched, and "did you mean". Every test here runs
on SQLite and on PostgreSQL; the two differ in how they tolerate a misspelt name (difflib over
the names' words on SQLite, pg_trgm on PostgreSQL) but not in what a resident sees."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from organisations.models import Organisation, SynonymGroup
from organisations.search import Lexicon, did_you_mean, order_by_relevance, read_search, search_organisations
from tests.factories import OrganisationFactory, SynonymGroupFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")


def names(q):
    return list(order_by_relevance(search_organisations(Organisation.objects.all(), q)).values_list("name", flat=True))


def result_names(response) -> list[str]:
    return [organisation.name for organisation in response.context["organisations"]]


@pytest.fixture
def food():
    return TaxonomyTermFactory(
        name="Food support", slug="food-support", description="Food banks, pantries, parcels and community meals."
    )


@pytest.fixture
def groups(food):
    """A food bank known only by its service, one by its name, and two that are neither."""
    OrganisationFactory(name="Chickenley Community Centre", description="A hall for hire.", services=[food])
    OrganisationFactory(name="Batley Foodbank", description="")
    OrganisationFactory(name="Seacroft Befriending Service", description="Weekly calls and visits.")
    OrganisationFactory(name="Huddersfield Mission", description="")
    OrganisationFactory(name="Armley Knit and Natter", description="Knitting, crochet and chat.")


# ------------------------------------------------------------------------------
# Synonyms
# ------------------------------------------------------------------------------
def test_the_seeded_list_holds_the_issues_everyday_words():
    seeded = [group.phrase_list for group in SynonymGroup.objects.all()]
    for words in (
        {"foodbank", "food bank", "food pantry", "food parcels"},
        {"warm space", "warm hub", "warm welcome"},
        {"loneliness", "isolation", "befriending", "social groups"},
        {"debt", "money advice"},
        {"mental health", "wellbeing"},
    ):
        assert any(words <= set(phrases) for phrases in seeded), words


@pytest.mark.parametrize(
    ("q", "found"),
    [
        # One word finds the phrase, and the phrase finds the word.
        ("food bank", "Batley Foodbank"),
        ("foodbank", "Chickenley Community Centre"),
        ("food parcels", "Batley Foodbank"),
        ("loneliness", "Seacroft Befriending Service"),
    ],
)
def test_a_synonym_finds_what_the_others_find_both_ways(groups, q, found):
    assert found in names(q)


def test_a_group_an_officer_adds_is_used_by_the_next_search(groups):
    assert names("crafts") == []
    SynonymGroupFactory(phrases="crafts, knit and natter")
    assert names("crafts") == ["Armley Knit and Natter"]
    assert names("Crafts!") == ["Armley Knit and Natter"]


def test_a_group_an_officer_changes_or_deletes_is_seen_by_the_next_search(groups):
    group = SynonymGroupFactory(phrases="crafts, knit and natter")
    assert names("crafts") == ["Armley Knit and Natter"]
    group.phrases = "crafts, macrame"
    group.save()
    assert names("crafts") == []
    group.phrases = "crafts, knit and natter"
    group.save()
    assert names("crafts") == ["Armley Knit and Natter"]
    group.delete()
    assert names("crafts") == []


def test_a_service_described_anew_is_seen_by_the_next_searchs_spelling(groups, food):
    # "alotments" is found only by reading it as a word the lexicon knows, so this fails if
    # the search keeps the lexicon it cached before the change.
    assert names("alotments") == []
    food.description = "Allotments for families."
    food.save()
    assert names("alotments") == ["Chickenley Community Centre"]


def test_the_second_search_reads_the_synonyms_and_services_from_the_cache(client, groups):
    SynonymGroupFactory(phrases="hot dinners, community meals")
    with CaptureQueriesContext(connection) as first:
        client.get(DIRECTORY, {"q": "hot dinners"})
    with CaptureQueriesContext(connection) as second:
        client.get(DIRECTORY, {"q": "hot dinners"})
    tables = ("organisations_synonymgroup", "organisations_taxonomyterm")
    lexicon_reads = [query["sql"] for query in first if query["sql"].lstrip().startswith("SELECT")]
    assert any(table in sql for sql in lexicon_reads for table in tables)
    assert len(second) < len(first)
    assert not any("organisations_synonymgroup" in query["sql"] for query in second)


def test_a_synonym_group_needs_two_different_phrases_and_stores_them_as_search_reads_them():
    with pytest.raises(ValidationError) as error:
        SynonymGroup(phrases="Foodbank, foodbank ,").full_clean()
    assert "at least two" in str(error.value)
    with pytest.raises(ValidationError):
        SynonymGroup(phrases="a, one two three four five").full_clean()
    group = SynonymGroup(phrases="Warm-Space,  WARM hub\nwarm space")
    group.full_clean()
    group.save()
    assert group.phrases == "warm space, warm hub"


def test_an_officer_adds_a_group_in_the_admin_and_a_lone_word_is_refused_with_a_reason(admin_client, groups):
    url = reverse("admin:organisations_synonymgroup_add")
    response = admin_client.post(url, {"phrases": "Crafts", "note": ""})
    assert response.status_code == HTTPStatus.OK
    assertContains(response, "Give at least two different words or phrases")
    assert not SynonymGroup.objects.filter(phrases__contains="crafts").exists()

    response = admin_client.post(url, {"phrases": "Crafts, Knit-and-Natter", "note": "Craft groups"})
    assert response.status_code == HTTPStatus.FOUND
    assert names("crafts") == ["Armley Knit and Natter"]


# ------------------------------------------------------------------------------
# Spelling and partial words
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("fodbank", "Batley Foodbank"),
        ("fodbank", "Chickenley Community Centre"),
        ("befriendng", "Seacroft Befriending Service"),
        ("huddersfeld", "Huddersfield Mission"),
        ("huddersf", "Huddersfield Mission"),
        ("chickenly community", "Chickenley Community Centre"),
    ],
)
def test_a_typo_or_a_partial_word_finds_the_right_organisation(groups, q, found):
    assert found in names(q)


def test_a_typo_does_not_drag_in_unrelated_organisations(groups):
    assert names("huddersfeld") == ["Huddersfield Mission"]
    assert names("befriendng") == ["Seacroft Befriending Service"]


def test_a_postcode_district_is_never_read_as_a_misspelling(groups):
    OrganisationFactory(name="LS1 Hub", postcode="LS1 1UR")
    OrganisationFactory(name="Chapel FM", postcode="LS14 5AA")
    assert names("ls14") == ["Chapel FM"]


# ------------------------------------------------------------------------------
# The services' and needs' words
# ------------------------------------------------------------------------------
def test_the_words_of_a_services_description_find_organisations_offering_it(groups):
    assert names("pantries") == ["Chickenley Community Centre"]


def test_a_need_and_a_name_together_find_an_organisation(groups):
    assert names("food chickenley") == ["Chickenley Community Centre"]


# ------------------------------------------------------------------------------
# Why it matched (the directory page)
# ------------------------------------------------------------------------------
def test_each_result_says_why_it_matched(client, groups):
    response = client.get(DIRECTORY, {"q": "foodbank"})
    assert result_names(response) == ["Batley Foodbank", "Chickenley Community Centre"]
    assertContains(response, "Matched: offers Food support (same as “foodbank”)")

    response = client.get(DIRECTORY, {"q": "food"})
    assertContains(response, "Matched: offers Food support")

    response = client.get(DIRECTORY, {"q": "food bank"})
    assertContains(response, "Matched “foodbank” (same as “food bank”)")

    response = client.get(DIRECTORY, {"q": "befriendng"})
    assertContains(response, "Similar spelling:")
    assertContains(response, "“befriendng”")


def test_a_match_in_the_name_as_typed_needs_no_explanation(client, groups):
    response = client.get(DIRECTORY, {"q": "huddersfield"})
    assert result_names(response) == ["Huddersfield Mission"]
    assertNotContains(response, "Matched")
    assertNotContains(response, "Similar spelling")


# The directory's queries for a search in words, whatever the number of results: the page's own
# (filters' choices, languages, count, page, prefetches) plus the synonym list and the services' words, and
# on SQLite the names (for spelling; PostgreSQL uses its trigram index instead).
QUERIES_FOR_A_SEARCH = 15


def test_why_it_matched_costs_no_query_per_result(client, food, django_assert_max_num_queries):
    SynonymGroupFactory(phrases="hot dinners, community meals")
    OrganisationFactory.create_batch(3, services=[food])
    with CaptureQueriesContext(connection) as three_results:
        assertContains(client.get(DIRECTORY, {"q": "hot dinners"}), "(same as “hot dinners”)", count=3)
    assert len(three_results) <= QUERIES_FOR_A_SEARCH

    OrganisationFactory.create_batch(27, services=[food])
    with django_assert_max_num_queries(len(three_results), info="30 results cost what 3 did"):
        response = client.get(DIRECTORY, {"q": "hot dinners"})
    assert response.context["paginator"].count == 30
    # A page holds 20: each says why.
    assertContains(response, "Matched: offers Food support (same as “hot dinners”)", count=20)


# ------------------------------------------------------------------------------
# Did you mean
# ------------------------------------------------------------------------------
def test_did_you_mean_offers_a_nearby_name_when_nothing_matches_and_its_link_works(client, groups):
    response = client.get(DIRECTORY, {"q": "chiknly"})
    assert result_names(response) == []
    assertContains(response, "No organisations match your search.")
    assertContains(response, "Did you mean")
    assert response.context["suggestion"] == "chickenley"

    followed = client.get(response.context["suggestion_url"])
    assert followed.status_code == HTTPStatus.OK
    assert result_names(followed) == ["Chickenley Community Centre"]


def test_did_you_mean_keeps_the_filters_and_starts_from_the_first_page(client, groups):
    response = client.get(DIRECTORY, {"q": "chiknly", "role": "community_group", "page": "3"})
    url = response.context["suggestion_url"]
    assert "q=chickenley" in url
    assert "role=community_group" in url
    assert "page=" not in url


def test_nonsense_gets_the_plain_empty_state_without_a_suggestion(client, groups):
    response = client.get(DIRECTORY, {"q": "xylophone quartet"})
    assertContains(response, "No organisations match your search.")
    assertNotContains(response, "Did you mean")


def test_did_you_mean_leaves_known_words_and_synonyms_alone():
    lexicon = Lexicon.build([["foodbank", "food bank"]], ["Food support"])
    search = read_search("food bank kirklees chikenley", lexicon)
    assert did_you_mean(search, lexicon, ["Chickenley Community Centre", "Kirklees Council"]) == (
        "food bank kirklees chickenley"
    )
    assert did_you_mean(read_search("food bank", lexicon), lexicon, []) is None


# ------------------------------------------------------------------------------
# Bad and hostile input
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "q",
    [
        "!&|:*()",
        "food:* | !bank & (",
        "<-> <2> !!",
        "'); DROP TABLE organisations_organisation; --",
        "%_%",
        "\\",
        "....",
        "ß ÆØÅ café naïve",
        "a " * 99,
        "food " * 40,
        "x" * 200,
        "x" * 500,
    ],
)
def test_hostile_or_odd_searches_never_fail(client, groups, q):
    response = client.get(DIRECTORY, {"q": q})
    assert response.status_code == HTTPStatus.OK


@pytest.mark.postgres
def test_a_misspelt_name_is_found_through_the_trigram_index():
    # PostgreSQL only: SQLite has no trigram index; its fallback reads names in Python.
    OrganisationFactory(name="Huddersfield Mission")
    queryset = Organisation.objects.filter(name__trigram_word_similar="huddersfeld")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "organisation_name_trgm_idx" in plan
