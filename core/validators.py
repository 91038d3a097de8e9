"""Validators and normalisers for UK identifiers: postcodes, charity and company numbers, phones.

Each ``normalise_*`` function takes what a person typed and returns the canonical form, or the
input unchanged (stripped) where it cannot be read, so that the matching validator can report it.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The shape of a UK postcode: an outward code (area, district, optional sub-district letter)
# and an inward code (sector digit, two unit letters). Source: the format set out in the
# ONS Postcode Directory user guide and Royal Mail's PAF documentation; GIR 0AA is Girobank's
# non-geographic postcode. This checks the shape, not that the postcode is in use.
_POSTCODE_RE = re.compile(r"^(?:GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")
_OUTWARD_RE = re.compile(r"^(?:GIR|[A-Z]{1,2}[0-9][A-Z0-9]?)$")


def normalise_postcode(value: str) -> str:
    """Upper-case a postcode and put exactly one space before the inward code.

    >>> normalise_postcode(" ls1  1ur ")
    'LS1 1UR'

    Returns the stripped, upper-cased input unchanged when it is too short to be a postcode.
    """
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def is_postcode(value: str) -> bool:
    """True when ``value`` (any case and spacing) has the shape of a full UK postcode."""
    return bool(_POSTCODE_RE.match(normalise_postcode(value)))


def is_outward_code(value: str) -> bool:
    """True when ``value`` (any case) has the shape of a postcode's outward code, e.g. ``LS14``."""
    return bool(_OUTWARD_RE.match(re.sub(r"\s+", "", value or "").upper()))


def outward_code(postcode: str) -> str:
    """The outward code of a normalised postcode (``'LS14 6JB'`` → ``'LS14'``), or ``''``."""
    return postcode.split(" ", 1)[0] if is_postcode(postcode) else ""


def validate_postcode(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` has the shape of a full UK postcode."""
    if not is_postcode(value):
        raise ValidationError(
            _("Enter a real postcode, like LS1 1UR."), code="invalid_postcode", params={"value": value}
        )


def normalise_charity_number(value: str) -> str:
    """Strip spaces; Scottish (``SC``) and Northern Irish (``NIC``) prefixes upper-cased."""
    return re.sub(r"\s+", "", value or "").upper()


def validate_charity_number(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` looks like a UK registered charity number.

    England and Wales: 6 or 7 digits, sometimes with a ``-NN`` subsidiary suffix (Charity
    Commission register); Scotland: ``SC`` and 6 digits (OSCR); Northern Ireland: ``NIC`` and
    6 digits, or the older ``XN`` / ``XR`` numbers (CCNI).
    """
    if not re.fullmatch(r"(?:[0-9]{6,7}(?:-[0-9]{1,2})?|SC[0-9]{6}|NIC[0-9]{6}|X[NR][0-9]{4,6})", value):
        raise ValidationError(
            _("Enter a charity number like 1234567, SC012345 or NIC100001."), code="invalid_charity_number"
        )


def normalise_company_number(value: str) -> str:
    """Upper-case and zero-pad an all-digit company number to 8 characters (Companies House)."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if compact.isdigit() and len(compact) < 8:
        return compact.zfill(8)
    return compact


def validate_company_number(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` is a Companies House number: 8 digits, or a
    two-letter prefix (``SC``, ``NI``, ``OC``, ``CE``, ...) and 6 digits."""
    if not re.fullmatch(r"(?:[0-9]{8}|[A-Z]{2}[0-9]{6})", value):
        raise ValidationError(_("Enter a company number like 01234567 or SC123456."), code="invalid_company_number")


def normalise_phone(value: str) -> str:
    """Collapse runs of white space; keep the digits and grouping the person typed."""
    return re.sub(r"\s+", " ", value or "").strip()


def validate_phone(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` reads as a UK phone number.

    Accepts digits, spaces, brackets and hyphens, with 10 or 11 digits for a number starting
    ``0`` or ``+44`` and 9 or 10 digits after it (Ofcom's National Telephone Numbering Plan).
    """
    if not re.fullmatch(r"[0-9+() \-]+", value):
        raise ValidationError(_("Enter a phone number using digits, like 0113 496 0000."), code="invalid_phone")
    digits = re.sub(r"\D", "", value)
    ok = len(digits) in (11, 12) if value.startswith("+44") else digits.startswith("0") and len(digits) in (10, 11)
    if not ok:
        raise ValidationError(_("Enter a UK phone number, like 0113 496 0000."), code="invalid_phone")
