"""core.db.among: the rows whose id is one of a list, however long, on either database."""

import pytest
from django.contrib.auth.models import Group

from core.db import among, free_slug
from localities.models import Locality
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def _groups(count: int) -> list[Group]:
    return Group.objects.bulk_create(Group(name=f"Group {n}") for n in range(count))


def test_among_keeps_exactly_the_listed_rows():
    groups = _groups(6)
    chosen = [groups[1].pk, groups[4].pk]

    assert set(Group.objects.filter(among("id", chosen)).values_list("pk", flat=True)) == set(chosen)
    made = Group.objects.filter(pk__in=[group.pk for group in groups])  # not the roles' groups
    assert set(made.exclude(among("id", chosen)).values_list("pk", flat=True)) == {
        group.pk for group in groups if group.pk not in chosen
    }


def test_among_an_empty_list_keeps_nothing():
    _groups(2)

    assert not Group.objects.filter(among("id", [])).exists()


def test_among_hundreds_of_ids_travel_as_one_query(django_assert_num_queries):
    groups = _groups(600)
    chosen = [group.pk for group in groups[::2]]

    with django_assert_num_queries(1):
        found = list(Group.objects.filter(among("id", chosen)).values_list("pk", flat=True))

    assert sorted(found) == sorted(chosen)


def test_among_accepts_ids_as_strings_or_a_generator_without_changing_the_answer():
    groups = _groups(3)

    assert list(Group.objects.filter(among("id", (str(group.pk) for group in groups[:2]))).order_by("pk")) == [
        groups[0],
        groups[1],
    ]


def test_free_slug_numbers_a_clash_within_the_columns_length():
    DistrictFactory(name="Long", slug="abcdef")
    DistrictFactory(name="Long 2", slug="abcd-2")

    assert free_slug(Locality.objects.all(), "Abcdefgh", max_length=6, fallback="place") == "abcd-3"
    assert free_slug(Locality.objects.all(), "Other", max_length=6, fallback="place") == "other"
    assert free_slug(Locality.objects.all(), "!!!", max_length=6, fallback="place") == "place"
