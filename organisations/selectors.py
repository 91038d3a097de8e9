"""Reads for the public pages that span models. Every function returns only what residents may
see (published organisations) and fetches related rows in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When

from localities.models import Locality, path_ids

from .models import AnchorRole, Language, Network, Organisation, OrganisationQuerySet, ProfileRevision

# "Profiles you can edit" lists at most this many (an officer edits in the admin instead).
EDITABLE_LIST_LIMIT = 200


def organisation_list_public() -> OrganisationQuerySet:
    """Published organisations with what a directory card shows prefetched."""
    return Organisation.objects.public().with_public_relations()


def organisation_names_public() -> list[str]:
    """The names of every published organisation, for spelling suggestions. One query."""
    return list(Organisation.objects.public().values_list("name", flat=True))


def organisation_detail_public() -> OrganisationQuerySet:
    """Published organisations with everything their public page shows: services, areas,
    initiatives, current anchor roles with lead anchor and published local anchors, the
    networks they coordinate, opening times and languages, the places it serves with their
    ward boundaries (for the map of where it is), and its postcode's centroid
    (``with_centroid``). Eight queries in all, whatever the organisation."""
    published_locals = (
        AnchorRole.objects.current().public().select_related("organisation", "locality").order_by("organisation__name")
    )
    roles = (
        AnchorRole.objects.current()
        .select_related("network", "locality", "lead__organisation", "lead__locality")
        .prefetch_related(Prefetch("local_anchors", queryset=published_locals, to_attr="current_local_anchors"))
        .order_by("network__name", "role")
    )
    return (
        Organisation.objects.public()
        .with_centroid()
        .prefetch_related("services", "initiatives", "coordinated_networks", "schedules")
        .prefetch_related(Prefetch("languages", queryset=Language.objects.order_by("name")))
        .prefetch_related(Prefetch("localities", queryset=Locality.objects.select_related("boundary").order_by("name")))
        .prefetch_related(Prefetch("anchor_roles", queryset=roles, to_attr="current_anchor_roles"))
    )


def organisation_list_editable(*, user) -> list[Organisation]:
    """The organisations whose profile ``user`` may edit, by name, each with ``pending``: whether
    an edit to it waits for review. One query."""
    pending = ProfileRevision.objects.pending().filter(organisation=OuterRef("pk"))
    return list(
        Organisation.objects.editable_by(user)
        .annotate(pending=Exists(pending))
        .order_by("name")
        .only("pk", "name", "slug", "status")[:EDITABLE_LIST_LIMIT]
    )


def anchor_roles_public(*, network: Network | None = None, locality: Locality | None = None) -> QuerySet[AnchorRole]:
    """Current anchor roles of published organisations, optionally in one network and/or for a
    locality — where a locality is given: roles anchoring it, a place above it (the lead
    anchor of a ward's area) or a place inside it."""
    roles = (
        AnchorRole.objects.current()
        .public()
        .select_related("organisation", "network", "locality", "lead__organisation")
    )
    if network is not None:
        roles = roles.filter(network=network)
    if locality is not None:
        roles = roles.filter(
            Q(locality__in=Locality.objects.subtree(locality)) | Q(locality_id__in=locality.ancestor_ids)
        )
    return roles.order_by("locality__ancestor_path", "locality__name", "role", "organisation__name")


def network_list_public() -> QuerySet[Network]:
    """Every network, with its district and its coordinator when that is published."""
    return Network.objects.select_related("district", "coordinator").order_by("name")


def postcode_district_has_organisations(outward: str) -> bool:
    """Whether a published organisation has its address in the postcode district ``outward``
    ("LS14"): before the ONS Postcode Directory is imported, the only sign that a district is
    one the portal covers. One query (``organisation_postcode_outward`` index)."""
    return Organisation.objects.public().filter(postcode_outward=outward).exists()


def near_postcode_district(queryset: OrganisationQuerySet, outward: str) -> OrganisationQuerySet:
    """An approximate answer for a postcode the portal cannot place in a ward: organisations in
    the postcode district ``outward`` ("LS14"), then those serving the places that the district's
    published organisations serve. Annotated with ``reach`` (0 in the district, 1 nearby), as
    ``OrganisationQuerySet.for_place`` is."""
    in_district = Organisation.objects.public().filter(postcode_outward=outward)
    through = Organisation.localities.through.objects
    places = through.filter(organisation__in=in_district).values("locality_id")
    nearby = Exists(through.filter(organisation=OuterRef("pk"), locality__in=places))
    return queryset.filter(Q(postcode_outward=outward) | nearby).annotate(
        reach=Case(When(postcode_outward=outward, then=Value(0)), default=Value(1), output_field=IntegerField())
    )


def community_group_counts_by_ward(wards: Sequence[Locality]) -> dict[int, int]:
    """Published community groups (``community_groups()``: no current anchor role, no network
    to coordinate) serving each of ``wards`` or a place inside it, as {ward id: count}; each
    group once per ward, a group serving two wards counted in both; wards with none are left
    out. Groups that name only a larger place (the whole area) are not counted for any ward.
    One query, whatever the number of wards or groups."""
    by_id = {ward.pk: ward for ward in wards}
    if not by_id:
        return {}
    inside = Q(locality__in=list(by_id))
    for ward in wards:
        inside |= Q(locality__ancestor_path__startswith=ward.descendant_prefix)
    links = Organisation.localities.through.objects.filter(
        inside, organisation__in=Organisation.objects.public().community_groups()
    ).values_list("organisation_id", "locality_id", "locality__ancestor_path")
    groups: dict[int, set[int]] = {}
    for organisation_id, locality_id, ancestor_path in links:
        # The ward is the locality itself or, for a neighbourhood, the ward above it.
        candidates = [locality_id, *path_ids(ancestor_path)]
        for ward_id in candidates:
            if ward_id in by_id:
                groups.setdefault(ward_id, set()).add(organisation_id)
                break
    return {ward_id: len(members) for ward_id, members in groups.items()}
