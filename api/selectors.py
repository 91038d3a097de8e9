"""Reads for the Open Referral UK API. Visibility is the organisations app's own rule
(``Organisation.objects.public()``, ``TaxonomyTerm.objects.services()``); this module only
narrows, orders and prefetches, so that a page of any size costs a fixed number of queries.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.db.models import (
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Lower
from django.utils import timezone

from localities.geography import METRES_PER_DEGREE, Origin
from localities.models import Locality
from localities.selectors import postcode_place
from organisations.models import (
    AnchorRole,
    Language,
    Organisation,
    OrganisationQuerySet,
    Schedule,
    Taxonomy,
    TaxonomyTerm,
)
from organisations.search import order_by_relevance, search_organisations

from .vocabularies import ANCHOR_ROLES, NETWORKS, PLACES, find_term, vocabulary_by_id


def organisations() -> OrganisationQuerySet:
    """Published organisations with everything ``api.hsds`` shows: their services and needs
    (``api_terms``, with taxonomy and parent), the places they serve (``api_places``), their
    current anchor roles with networks (``current_anchor_roles``), and their postcode's centroid
    from the ONS Postcode Directory (``centroid_latitude``/``centroid_longitude``, None where the
    directory lacks the postcode). Six queries for any number of organisations."""
    return (
        Organisation.objects.public()
        .with_centroid()
        .prefetch_related(
            Prefetch(
                "services",
                queryset=TaxonomyTerm.objects.services().select_related("taxonomy", "parent").order_by("name", "pk"),
                to_attr="api_terms",
            ),
            Prefetch("localities", queryset=Locality.objects.order_by("ancestor_path", "name"), to_attr="api_places"),
            Prefetch(
                "schedules",
                queryset=Schedule.objects.not_ended(timezone.localdate()).order_by("pk"),
                to_attr="api_schedules",
            ),
            Prefetch("languages", queryset=Language.objects.order_by("name"), to_attr="api_languages"),
            Prefetch(
                "anchor_roles",
                queryset=AnchorRole.objects.current().select_related("network").order_by("network__name", "role"),
                to_attr="current_anchor_roles",
            ),
        )
    )


def located(queryset: OrganisationQuerySet) -> OrganisationQuerySet:
    """Organisations with a place people can go to (``api.hsds.has_location``)."""
    return queryset.exclude(address="", postcode="")


def in_name_order(queryset: OrganisationQuerySet) -> OrganisationQuerySet:
    """Case-insensitive name order, then id, so pages never overlap (``organisation_public_name_idx``)."""
    return queryset.order_by(Lower("name"), "pk")


def search(queryset: OrganisationQuerySet, text: str) -> OrganisationQuerySet:
    """The directory's own search (``organisations.search``), best matches first."""
    return order_by_relevance(search_organisations(queryset, text)) if text else in_name_order(queryset)


def with_term(queryset: OrganisationQuerySet, taxonomy_term_id: str) -> OrganisationQuerySet:
    """Organisations described by the term ``taxonomy_term_id``: a service or need they offer,
    or a term of the portal's own taxonomies (an anchor role or network they hold a current
    role in, a place they serve or one inside it). None for an unknown id."""
    links = Organisation.services.through.objects.filter(organisation=OuterRef("pk"))
    term = TaxonomyTerm.objects.services().filter(uuid=taxonomy_term_id).first()
    if term is not None:
        return queryset.filter(Exists(links.filter(taxonomyterm=term)))
    portal = find_term(taxonomy_term_id)
    if portal is None:
        return queryset.none()
    if portal.vocabulary == ANCHOR_ROLES:
        return queryset.with_anchor_role(portal.key)
    if portal.vocabulary == NETWORKS:
        roles = AnchorRole.objects.current().filter(organisation=OuterRef("pk"), network_id=portal.key)
        return queryset.filter(Exists(roles))
    return queryset.serving(Locality.objects.get(pk=portal.key))


def in_taxonomy(queryset: OrganisationQuerySet, taxonomy_id: str) -> OrganisationQuerySet:
    """Organisations described by any term of the taxonomy ``taxonomy_id``. None for an unknown id."""
    found = Taxonomy.objects.services().filter(uuid=taxonomy_id).first()
    if found is not None:
        links = Organisation.services.through.objects.filter(organisation=OuterRef("pk"), taxonomyterm__taxonomy=found)
        return queryset.filter(Exists(links))
    vocabulary = vocabulary_by_id(taxonomy_id)
    if vocabulary in (ANCHOR_ROLES, NETWORKS):
        return queryset.filter(Exists(AnchorRole.objects.current().filter(organisation=OuterRef("pk"))))
    if vocabulary == PLACES:
        return queryset.filter(Exists(Organisation.localities.through.objects.filter(organisation=OuterRef("pk"))))
    return queryset.none()


def for_ages(queryset: OrganisationQuerySet, minimum: float | None, maximum: float | None) -> OrganisationQuerySet:
    """Services for people of the given ages. Unchanged: the portal records no age ranges, and a
    service that states none serves all ages. Fill in when organisations record them."""
    return queryset


def open_at(
    queryset: OrganisationQuerySet, day: str | None, start: datetime.time | None, end: datetime.time | None
) -> OrganisationQuerySet:
    """Services open on ``day`` (an RFC 5545 code) from ``start`` to ``end``, by their regular
    weekly schedules (``OrganisationQuerySet.open_weekly``); unchanged when none is given."""
    if day is None and start is None and end is None:
        return queryset
    return queryset.open_weekly(day, start, end)


def modified_since(queryset: OrganisationQuerySet, moment: datetime.datetime | None) -> OrganisationQuerySet:
    """Organisations changed at or after ``moment`` (``organisation_updated_idx``)."""
    return queryset if moment is None else queryset.filter(updated_at__gte=moment)


def near_postcode(queryset: OrganisationQuerySet, postcode: str, metres: float) -> OrganisationQuerySet:
    """Organisations within ``metres`` of ``postcode``, nearest first, measured between postcode
    centroids from the ONS Postcode Directory (``postcode_place``).

    The distance is the equirectangular approximation (longitude scaled by the cosine of the
    search postcode's latitude), within 0.5% of the great-circle distance at the scale of a
    council. Where a centroid is missing, the postcode district stands in for it: an
    organisation whose postcode the directory lacks matches when it is in the search postcode's
    district, and a search postcode the directory lacks matches its district's organisations.
    One query more than the list itself.
    """
    place = postcode_place(postcode)
    if place is None or place.latitude is None or place.longitude is None:
        return in_name_order(queryset.filter(postcode_outward=place.outward if place else ""))
    limit = (metres / METRES_PER_DEGREE) ** 2
    queryset = queryset.with_distance_from(Origin(place.latitude, place.longitude))
    near = Q(distance_squared__lte=limit) | Q(centroid_latitude__isnull=True, postcode_outward=place.outward)
    return queryset.filter(near).order_by(F("distance_squared").asc(nulls_last=True), Lower("name"), "pk")


def organisation_with_uuid(value: uuid.UUID | None) -> Organisation | None:
    """The published organisation with the uuid ``value`` (from
    ``api.identifiers.organisation_uuid_of``), with ``organisations()``'s prefetches; None if
    there is none or ``value`` is None. One indexed query, then the prefetches."""
    return None if value is None else organisations().filter(uuid=value).first()


def _newest(queryset, field: str = "history_date") -> Max:
    """The newest ``field`` of ``queryset``, as an aggregate of a scalar subquery (the last
    entry of the column's index), so that several can share one query."""
    return Max(Subquery(queryset.order_by(f"-{field}").values(field)[:1]))


def latest_organisation_change(organisation: Organisation | None = None) -> datetime.datetime | None:
    """When any organisation (or only ``organisation``), published or not, or anything hanging
    from it last changed; None when there is no organisation. One query.

    Read from the history as well as ``updated_at``: a row's ``updated_at`` cannot say that it
    was deleted, that a link to a term, place or language was removed (``Organisation.history``
    records m2m changes, ``m2m_fields``), or that an anchor role or opening time ended or was
    deleted (``AnchorRole.history``, ``Schedule.history``). So a list's or record's
    Last-Modified moves when something leaves it, as well as when something in it changes."""
    rows = Organisation.objects.all()
    history, roles, schedules = Organisation.history.all(), AnchorRole.history.all(), Schedule.history.all()
    if organisation is not None:
        rows = rows.filter(pk=organisation.pk)
        history = history.filter(id=organisation.pk)
        roles = roles.filter(organisation_id=organisation.pk)
        schedules = schedules.filter(organisation_id=organisation.pk)
    found = rows.aggregate(
        updated=Max("updated_at"), history=_newest(history), roles=_newest(roles), schedules=_newest(schedules)
    )
    return max((moment for moment in found.values() if moment is not None), default=None)


def changed_at(rows: Iterable[Organisation]) -> list[datetime.datetime]:
    """When each organisation in ``rows``, and each record it shows, last changed (what has
    left them is ``latest_organisation_change``'s to see)."""
    moments = []
    for org in rows:
        moments.append(org.updated_at)
        moments += [schedule.updated_at for schedule in org.api_schedules]
        moments += [language.updated_at for language in org.api_languages]
        moments += [term.updated_at for term in org.api_terms]
        moments += [place.updated_at for place in org.api_places]
        moments += [role.updated_at for role in org.current_anchor_roles]
        moments += [role.network.updated_at for role in org.current_anchor_roles]
    return moments
