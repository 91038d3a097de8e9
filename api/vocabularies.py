"""The portal's own taxonomies, published through the API so that what is particular to a
community anchor network travels as Open Referral *attributes*: an organisation's anchor role,
the networks it holds a role in, and the places it serves.

They are not ``Taxonomy`` rows: their terms are the portal's anchor role kinds, ``Network``
rows and ``Locality`` rows, read where they live, so they can never drift from them. Their ids
are derived (``api.identifiers``) from the role's value or the row's primary key, which never
change.

An organisation's outreach status (``engagement.selectors``) is not published: no public page
shows it, it is the network's working record about a group.
"""

from __future__ import annotations

from dataclasses import dataclass

from localities.models import Locality
from organisations.models import AnchorRoleKind, Network

from .identifiers import derived_id


@dataclass(frozen=True)
class Vocabulary:
    """One of the portal's own taxonomies. ``key`` names it in derived ids."""

    key: str
    name: str
    description: str

    @property
    def id(self) -> str:
        return derived_id("taxonomy", self.key)


@dataclass(frozen=True)
class Term:
    """A term of a ``Vocabulary``: ``code`` is the role's value, or the network's or place's slug;
    ``parent_id`` the id of the enclosing place's term, for places."""

    vocabulary: Vocabulary
    key: object
    name: str
    description: str = ""
    code: str = ""
    parent_id: str | None = None

    @property
    def id(self) -> str:
        return term_id(self.vocabulary, self.key)


ANCHOR_ROLES = Vocabulary(
    "anchor-roles",
    "AnchorNet anchor roles",
    "An organisation's current role in a community anchor network: lead anchor or local anchor "
    "where the network has tiers (Kirklees), anchor where its anchors are peers (Leeds).",
)
NETWORKS = Vocabulary(
    "networks",
    "AnchorNet networks",
    "The community anchor networks in which an organisation holds a current anchor role.",
)
PLACES = Vocabulary(
    "places",
    "AnchorNet places",
    "The districts, areas, wards and neighbourhoods an organisation serves; a ward's code is its "
    "ONS GSS code where the portal has it.",
)
VOCABULARIES = (ANCHOR_ROLES, NETWORKS, PLACES)


def term_id(vocabulary: Vocabulary, key: object) -> str:
    """The id of the term ``key`` (a role value or a primary key) of ``vocabulary``."""
    return derived_id("taxonomy_term", vocabulary.key, key)


def anchor_role_term(role: str) -> Term:
    return Term(ANCHOR_ROLES, role, str(AnchorRoleKind(role).label), code=role)


def network_term(network: Network) -> Term:
    return Term(NETWORKS, network.pk, network.name, network.description, code=network.slug)


def place_term(locality: Locality) -> Term:
    parent_id = term_id(PLACES, locality.parent_id) if locality.parent_id else None
    return Term(
        PLACES,
        locality.pk,
        locality.name,
        locality.description,
        code=locality.gss_code or locality.slug,
        parent_id=parent_id,
    )


ANCHOR_ROLE_TERMS = tuple(anchor_role_term(role) for role in AnchorRoleKind.values)


def vocabulary_by_id(taxonomy_id: str) -> Vocabulary | None:
    return next((vocabulary for vocabulary in VOCABULARIES if vocabulary.id == taxonomy_id), None)


def find_term(taxonomy_term_id: str) -> Term | None:
    """The portal term whose id is ``taxonomy_term_id``, or None. Ids are one-way hashes, so
    networks and places are read whole and hashed: two queries at most, each of a table of
    tens to hundreds of rows."""
    for term in ANCHOR_ROLE_TERMS:
        if term.id == taxonomy_term_id:
            return term
    for network in Network.objects.order_by("pk"):
        if term_id(NETWORKS, network.pk) == taxonomy_term_id:
            return network_term(network)
    for pk in Locality.objects.order_by("pk").values_list("pk", flat=True):
        if term_id(PLACES, pk) == taxonomy_term_id:
            return place_term(Locality.objects.get(pk=pk))
    return None
