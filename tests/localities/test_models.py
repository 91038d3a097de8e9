import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from localities.models import Locality, LocalityKind
from tests.factories import DistrictFactory, LocalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kirklees():
    district = DistrictFactory(name="Kirklees", slug="kirklees", gss_code="E08000034")
    area = LocalityFactory(name="Batley and Spen", slug="batley-and-spen", kind=LocalityKind.AREA, parent=district)
    ward = LocalityFactory(name="Batley East", slug="batley-east", parent=area, gss_code="E05001390")
    neighbourhood = LocalityFactory(name="Chickenley", slug="chickenley", kind=LocalityKind.NEIGHBOURHOOD, parent=ward)
    return district, area, ward, neighbourhood


def test_subtree_of_a_district_reaches_every_level_in_one_query(kirklees, django_assert_num_queries):
    district, area, ward, neighbourhood = kirklees
    LocalityFactory(name="Armley")  # in another district
    with django_assert_num_queries(1):
        names = set(Locality.objects.subtree(district).values_list("name", flat=True))
    assert names == {"Kirklees", "Batley and Spen", "Batley East", "Chickenley"}


def test_ancestors_come_root_first_in_one_query(kirklees, django_assert_num_queries):
    district, area, ward, neighbourhood = kirklees
    neighbourhood = Locality.objects.get(pk=neighbourhood.pk)
    with django_assert_num_queries(1):
        assert neighbourhood.ancestors() == [district, area, ward]
    assert neighbourhood.depth == 3


def test_moving_a_locality_moves_everything_below_it(kirklees):
    district, area, ward, neighbourhood = kirklees
    other_area = LocalityFactory(name="Dewsbury and Mirfield", kind=LocalityKind.AREA, parent=district)
    ward.parent = other_area
    ward.save()
    neighbourhood.refresh_from_db()
    assert neighbourhood.ancestors() == [district, other_area, ward]
    assert set(Locality.objects.subtree(area)) == {area}
    assert neighbourhood in Locality.objects.subtree(other_area)


def test_a_locality_cannot_be_placed_inside_itself(kirklees):
    district, area, ward, neighbourhood = kirklees
    area.parent = neighbourhood
    with pytest.raises(ValidationError, match="part of itself"):
        area.full_clean()


def test_a_ward_cannot_sit_under_a_neighbourhood(kirklees):
    district, area, ward, neighbourhood = kirklees
    other = Locality(name="Odd", slug="odd", kind=LocalityKind.WARD, parent=neighbourhood)
    with pytest.raises(ValidationError, match="larger kind of place"):
        other.full_clean()


def test_a_level_may_be_skipped_as_leeds_wards_sit_straight_under_the_district():
    leeds = DistrictFactory(name="Leeds")
    armley = Locality(name="Armley", slug="armley", kind=LocalityKind.WARD, parent=leeds)
    armley.full_clean()


def test_only_districts_are_roots_in_the_database():
    with pytest.raises(IntegrityError):
        Locality.objects.create(name="Orphan ward", slug="orphan", kind=LocalityKind.WARD)


def test_gss_codes_are_unique_and_well_formed_in_the_database(kirklees):
    with pytest.raises(IntegrityError):
        LocalityFactory(gss_code="E05001390")


def test_a_malformed_gss_code_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        LocalityFactory(gss_code="X123")


def test_many_localities_may_have_no_gss_code():
    district = DistrictFactory()
    LocalityFactory(gss_code=None, parent=district)
    LocalityFactory(gss_code=None, parent=district)
    assert Locality.objects.filter(gss_code__isnull=True).count() == 3


def test_an_ended_ward_is_not_current_but_stays(kirklees):
    district, area, ward, neighbourhood = kirklees
    golcar = LocalityFactory(name="Golcar", parent=area, valid_to=datetime.date(2026, 5, 6))
    new_ward = LocalityFactory(name="Colne Valley East", parent=area, valid_from=datetime.date(2026, 5, 7))
    on_election_eve = Locality.objects.current(on=datetime.date(2026, 5, 6))
    after = Locality.objects.current(on=datetime.date(2026, 5, 7))
    assert golcar in on_election_eve
    assert new_ward not in on_election_eve
    assert golcar not in after
    assert new_ward in after
    assert not golcar.is_current(on=datetime.date(2026, 11, 30))


def test_the_end_date_cannot_come_before_the_start_date():
    with pytest.raises(IntegrityError):
        LocalityFactory(valid_from=datetime.date(2026, 5, 7), valid_to=datetime.date(2026, 5, 6))
