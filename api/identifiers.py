"""Stable Open Referral UK ids for records the portal does not store as rows of their own.

The service and the service-at-location of an organisation are looked up by id
(``/services/{id}``, ``/service_at_locations/{id}``), so their ids must lead back to the
organisation: each is the organisation's ``uuid`` XOR a fixed mask of its kind (``_MASKS``),
which keeps the UUID's version and variant bits, and ``organisation_uuid_of`` undoes it, so a
lookup is one indexed query on ``Organisation.uuid`` instead of hashing every organisation's.
The organisation's uuid is published anyway (``organization_id``), so nothing is revealed.

An organisation, a taxonomy and a taxonomy term have their own ``uuid`` column. The
location and address that the API derives from an organisation (one each,
see ``api.hsds``), the attributes linking records to terms, and the terms of the portal's own
taxonomies (``api.vocabularies``) get a UUID version 5 (RFC 9562, name-based, SHA-1) from
``NAMESPACE`` and a name built from ids that never change. The same record therefore keeps the
same id on every call and across deployments, so harvesters can match it; changing
``NAMESPACE``, a name's shape or a mask would give every such record a new id.
"""

from __future__ import annotations

import uuid

# Fixed once, for AnchorNet's Open Referral UK output. Never change it (see the module docstring).
NAMESPACE = uuid.UUID("a4062356-6b80-47cd-a524-531cb82bc4a8")


def derived_id(kind: str, *parts: object) -> str:
    """The id, as a lower-case hyphenated UUID string, of the record of ``kind`` (e.g.
    ``"service"``) named by ``parts`` (e.g. the organisation's UUID)."""
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *(str(part) for part in parts)])))


# Zero in the version (bits 76-79) and variant (bits 62-63) positions, so that XOR leaves them.
_KEEP_VERSION_AND_VARIANT = ~((0xF << 76) | (0x3 << 62)) & ((1 << 128) - 1)
# One fixed mask per kind of record whose id leads back to its organisation.
_MASKS = {
    kind: uuid.uuid5(NAMESPACE, f"mask:{kind}").int & _KEEP_VERSION_AND_VARIANT
    for kind in ("service", "service_at_location")
}


def _masked(kind: str, value: uuid.UUID) -> uuid.UUID:
    return uuid.UUID(int=value.int ^ _MASKS[kind])


def organisation_uuid_of(kind: str, record_id: str) -> uuid.UUID | None:
    """The uuid of the organisation whose record of ``kind`` (``"service"`` or
    ``"service_at_location"``) has the id ``record_id``; None when ``record_id`` is not a UUID.
    Whether that organisation exists, and is public, is for the caller to ask."""
    value = parse_uuid(record_id)
    return None if value is None else _masked(kind, uuid.UUID(value))


def service_id(organisation_uuid: uuid.UUID) -> str:
    """The id of the one service an organisation offers (``organisation_uuid_of`` undoes it)."""
    return str(_masked("service", uuid.UUID(str(organisation_uuid))))


def location_id(organisation_uuid: uuid.UUID) -> str:
    """The id of the location at an organisation's address."""
    return derived_id("location", organisation_uuid)


def address_id(organisation_uuid: uuid.UUID) -> str:
    """The id of an organisation's address (of its location)."""
    return derived_id("address", organisation_uuid)


def service_at_location_id(organisation_uuid: uuid.UUID) -> str:
    """The id of an organisation's service at its location (``organisation_uuid_of`` undoes it)."""
    return str(_masked("service_at_location", uuid.UUID(str(organisation_uuid))))


def attribute_id(link_id: str, taxonomy_term_id: str) -> str:
    """The id of the attribute linking the record ``link_id`` to the term ``taxonomy_term_id``."""
    return derived_id("attribute", link_id, taxonomy_term_id)


def identifier_id(organisation_uuid: uuid.UUID, scheme: str) -> str:
    """The id of an organisation's identifier in ``scheme`` (an org-id.guide code, e.g. GB-CHC)."""
    return derived_id("organization_identifier", organisation_uuid, scheme)


def parse_uuid(text: str) -> str | None:
    """``text`` as a canonical lower-case UUID string, or None when it is not a UUID."""
    try:
        return str(uuid.UUID(text))
    except (ValueError, AttributeError, TypeError):
        return None
