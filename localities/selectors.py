"""Reads of the tree of places that pages, other apps and the dashboard share, and where a
resident's postcode is."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from core.permissions import COUNCILLOR_GROUP, is_councillor
from core.validators import is_postcode, normalise_postcode, outward_code

from .models import Locality, LocalityKind, LocalityQuerySet, Postcode, WardBoundary, WardRepresentation
from .onspd import postcode_key


@dataclass(frozen=True)
class PostcodePlace:
    """Where a postcode a resident typed is, as far as the portal knows.

    ``postcode`` is the written form ("LS14 6JB") and ``outward`` its district ("LS14").
    ``ward`` is the portal's ward for it, or None. ``found`` says whether the ONS Postcode
    Directory (as imported) lists it; ``retired`` is the year it was retired, if it was.
    ``approximate`` is True when the ward is not known and results can only be matched on the
    postcode district. ``latitude`` and ``longitude`` are the postcode's centroid (decimal
    degrees, WGS84) where the directory gives one, else None. ``district_listed`` says whether
    the imported directory lists any postcode of ``outward``: a postcode it lacks although its
    district is there is unknown (new, or mistyped), not outside the areas covered.
    """

    postcode: str
    outward: str
    ward: Locality | None
    found: bool
    retired: int | None
    latitude: float | None = None
    longitude: float | None = None
    district_listed: bool = False

    @property
    def approximate(self) -> bool:
        return self.ward is None


def postcode_place(text: str) -> PostcodePlace | None:
    """Where the postcode ``text`` (any case or spacing) is, from the imported ONS Postcode
    Directory (``manage.py import_postcodes``); None when ``text`` is not shaped like a full UK
    postcode. One query for a postcode the directory lists, two for one it does not.

    A postcode the directory does not list (none imported for its council yet, a new or
    mistyped postcode, or one outside the councils covered) comes back with ``found`` False and
    no ward, and ``district_listed`` saying whether its postcode district is in the directory
    (the ``outward`` index), so the caller can tell "unknown here" from "somewhere else".
    """
    if not is_postcode(text):
        return None
    written = normalise_postcode(text)
    row = Postcode.objects.select_related("ward").filter(key=postcode_key(written)).first()
    if row is None:
        outward = outward_code(written)
        return PostcodePlace(
            postcode=written,
            outward=outward,
            ward=None,
            found=False,
            retired=None,
            district_listed=Postcode.objects.filter(outward=outward).exists(),
        )
    return PostcodePlace(
        postcode=row.postcode,
        outward=row.outward,
        ward=row.ward,
        found=True,
        retired=row.terminated.year if row.terminated else None,
        latitude=row.latitude,
        longitude=row.longitude,
        district_listed=True,
    )


def districts_covered() -> list[Locality]:
    """The districts (councils) the portal covers today, by name: what a resident whose
    postcode is elsewhere is told the portal is for. One query."""
    return list(Locality.objects.current().filter(kind=LocalityKind.DISTRICT).order_by("name"))


def ward_list_with_boundaries(locality: Locality, *, on: datetime.date | None = None) -> list[Locality]:
    """The wards in force on ``on`` (default today) in ``locality``'s subtree (the locality
    itself if it is a ward), by name, each with its boundary loaded: one query. Read a ward's
    outline with ``ward_boundary(ward)``."""
    return ward_list_within([locality], on=on)


def ward_list_within(places: Sequence[Locality], *, on: datetime.date | None = None) -> list[Locality]:
    """``ward_list_with_boundaries`` for several places at once (the places an organisation
    serves): the wards in force on ``on`` in any of their subtrees, each once, by name, with
    boundaries loaded. One query; none for no places."""
    if not places:
        return []
    condition = Q(pk__in=[place.pk for place in places])
    for place in places:
        condition |= Q(ancestor_path__startswith=place.descendant_prefix)
    return list(
        Locality.objects.current(on)
        .filter(condition, kind=LocalityKind.WARD)
        .select_related("boundary")
        .order_by("name")
    )


def ward_boundary(ward: Locality) -> WardBoundary | None:
    """The ward's outline, or None when it has none (no query once ``boundary`` is loaded)."""
    try:
        return ward.boundary
    except WardBoundary.DoesNotExist:
        return None


def localities_in_force_during(
    root: Locality, *, kind: str, start: datetime.date, end: datetime.date
) -> LocalityQuerySet:
    """The places of ``kind`` (a ``LocalityKind`` value) in ``root``'s subtree that were in
    force on at least one day from ``start`` to ``end`` (both included), in tree order. A ward
    abolished in May still counts for the quarter April–June: it had groups in April. One
    query when read."""
    return (
        Locality.objects.subtree(root)
        .filter(kind=kind)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end), Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .in_tree_order()
    )


def wards_in_force_during(root: Locality, *, start: datetime.date, end: datetime.date) -> LocalityQuerySet:
    """``localities_in_force_during`` for wards (a ward is itself when ``root`` is one)."""
    return localities_in_force_during(root, kind=LocalityKind.WARD, start=start, end=end)


def wards_represented_by(user, *, on: datetime.date | None = None) -> LocalityQuerySet:
    """The wards ``user`` represents on ``on`` (default today): those of their current
    ``WardRepresentation`` terms, but only while they are in the ``Councillor`` group (a ward
    link without the group grants nothing; see docs/adr/0010-councillors-and-their-wards.md).
    Empty for anyone else. Two queries when read (the group, then the wards)."""
    if not is_councillor(user):
        return Locality.objects.none()
    terms = WardRepresentation.objects.current(on).for_user(user)
    return Locality.objects.filter(pk__in=terms.values("ward_id")).order_by("name")


def councillors_for(locality: Locality, *, on: datetime.date | None = None) -> QuerySet:
    """The active accounts in the ``Councillor`` group holding, on ``on`` (default today), a
    term in a ward that ``locality`` concerns (``WardRepresentationQuerySet.concerning``), by
    name: who should hear about a plan for ``locality``. One query when read."""
    terms = WardRepresentation.objects.current(on).concerning(locality)
    return (
        get_user_model()
        ._default_manager.filter(is_active=True, groups__name=COUNCILLOR_GROUP, pk__in=terms.values("user_id"))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
