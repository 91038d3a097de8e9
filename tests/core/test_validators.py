import pytest
from django.core.exceptions import ValidationError

from core.validators import (
    is_outward_code,
    normalise_company_number,
    normalise_postcode,
    outward_code,
    validate_charity_number,
    validate_company_number,
    validate_phone,
    validate_postcode,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ls1 1ur", "LS1 1UR"),
        ("  LS11UR ", "LS1 1UR"),
        ("hd1  2ab", "HD1 2AB"),
        ("wf17 5aa", "WF17 5AA"),
        ("ec1a1bb", "EC1A 1BB"),
    ],
)
def test_postcodes_are_normalised_to_upper_case_with_one_space(typed, stored):
    assert normalise_postcode(typed) == stored
    validate_postcode(normalise_postcode(typed))


@pytest.mark.parametrize("typed", ["LS1", "not a postcode", "LS1 1U", "12345", "LS1 1URX", ""])
def test_things_that_are_not_postcodes_are_rejected(typed):
    with pytest.raises(ValidationError, match="Enter a real postcode"):
        validate_postcode(normalise_postcode(typed))


def test_outward_code_is_read_from_a_postcode_and_recognised_alone():
    assert outward_code("LS14 6JB") == "LS14"
    assert outward_code("nonsense") == ""
    assert is_outward_code("ls14")
    assert is_outward_code("EC1A")
    assert not is_outward_code("food")


def test_company_numbers_are_zero_padded_and_checked():
    assert normalise_company_number("1234567") == "01234567"
    validate_company_number("SC123456")
    with pytest.raises(ValidationError):
        validate_company_number("ABC")


@pytest.mark.parametrize("number", ["1123456", "220949", "SC012345", "NIC100001"])
def test_real_shaped_charity_numbers_pass(number):
    validate_charity_number(number)


def test_a_charity_number_with_letters_in_the_wrong_place_fails():
    with pytest.raises(ValidationError):
        validate_charity_number("12A4567")


@pytest.mark.parametrize("number", ["0113 496 0000", "01484 960000", "+44 113 496 0000", "(0113) 496-0000"])
def test_uk_phone_numbers_pass(number):
    validate_phone(number)


@pytest.mark.parametrize("number", ["call me", "0113", "1234567890123", "0113 496 0000 ext 5"])
def test_other_phone_numbers_fail_with_a_clear_message(number):
    with pytest.raises(ValidationError, match="phone number"):
        validate_phone(number)
