"""Finding organisations the directory may already hold: the duplicate warning shown to someone
adding their group and to the person reviewing it (issue 13).

Two organisations are *possible duplicates* when they share a registered charity number, or
when their names match once normalised (``normalised_name``) and they share a postcode or a
postcode district. The name rule is deliberately loose (it ignores case, punctuation, "&"
against "and", "St" against "Saint", apostrophes and a leading "The"): a false warning costs
a reviewer a glance, a missed duplicate costs a second public listing.
"""

from __future__ import annotations

import re

from django.db.models import Q

from core.validators import is_outward_code, is_postcode, normalise_charity_number, normalise_postcode, outward_code

from .models import Organisation, name_key

__all__ = ["normalised_name", "possible_duplicates"]

# The one rule lives on the model (it keeps ``Organisation.name_key`` filled); this is its name
# for callers.
normalised_name = name_key


def _district(postcode: str) -> str:
    """The postcode district of a full postcode or an outward code as typed (``ls14`` →
    ``LS14``), or ``""``."""
    if is_postcode(postcode):
        return outward_code(normalise_postcode(postcode))
    compact = re.sub(r"\s+", "", postcode or "").upper()
    return compact if is_outward_code(compact) else ""


def possible_duplicates(name: str, postcode: str = "", charity_number: str = "", *, exclude_pk: int | None = None):
    """Organisations (any status: drafts and archived ones included; callers showing them to
    the public narrow with ``.public()``) that may be the group described: the same charity
    number (normalised, so ``" 1234567 "`` matches ``1234567``), or the same ``normalised_name``
    with the same full postcode or the same postcode district. ``postcode`` may be a full
    postcode or just its district (``LS14``); empty matches nothing by name.

    Returns an unevaluated ``QuerySet[Organisation]`` in name order: one query when read, on
    the ``name_key`` and ``charity_number`` indexes. ``exclude_pk`` leaves out the record being
    checked (a submitted draft is not its own duplicate).
    """
    condition = Q(pk__in=[])
    charity = normalise_charity_number(charity_number)
    if charity:
        condition |= Q(charity_number=charity)
    key = name_key(name)
    district = _district(postcode)
    if key and district:
        condition |= Q(name_key=key, postcode_outward=district)
    found = Organisation.objects.filter(condition)
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return found.order_by("name", "pk")


def duplicates_by_organisation(organisations: list[Organisation]) -> dict[int, list[Organisation]]:
    """``possible_duplicates`` for each of ``organisations`` (saved ones: their stored name key,
    postcode district and charity number), as ``{organisation id: [other organisations]}``, for
    a list page: one query for the whole list, however long, none when it is empty."""
    condition = Q(pk__in=[])
    for organisation in organisations:
        if organisation.charity_number:
            condition |= Q(charity_number=organisation.charity_number)
        if organisation.name_key and organisation.postcode_outward:
            condition |= Q(name_key=organisation.name_key, postcode_outward=organisation.postcode_outward)
    found = list(Organisation.objects.filter(condition).order_by("name", "pk")) if organisations else []
    return {
        organisation.pk: [
            other
            for other in found
            if other.pk != organisation.pk
            and (
                (organisation.charity_number and other.charity_number == organisation.charity_number)
                or (
                    organisation.name_key
                    and organisation.postcode_outward
                    and (other.name_key, other.postcode_outward)
                    == (organisation.name_key, organisation.postcode_outward)
                )
            )
        ]
        for organisation in organisations
    }
