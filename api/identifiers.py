"""Stable Open Referral UK ids for records the portal does not store as rows of their own.

An organisation, a taxonomy and a taxonomy term have their own ``uuid`` column. The service,
location, address and service-at-location that the API derives from an organisation (one each,
see ``api.hsds``), the attributes linking records to terms, and the terms of the portal's own
taxonomies (``api.vocabularies``) get a UUID version 5 (RFC 9562, name-based, SHA-1) from
``NAMESPACE`` and a name built from ids that never change. The same record therefore keeps the
same id on every call and across deployments, so harvesters can match it; changing
``NAMESPACE`` or a name's shape would give every such record a new id.
"""

from __future__ import annotations

import uuid

# Fixed once, for AnchorNet's Open Referral UK output. Never change it (see the module docstring).
NAMESPACE = uuid.UUID("a4062356-6b80-47cd-a524-531cb82bc4a8")


def derived_id(kind: str, *parts: object) -> str:
    """The id, as a lower-case hyphenated UUID string, of the record of ``kind`` (e.g.
    ``"service"``) named by ``parts`` (e.g. the organisation's UUID)."""
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *(str(part) for part in parts)])))


def service_id(organisation_uuid: uuid.UUID) -> str:
    """The id of the one service an organisation offers."""
    return derived_id("service", organisation_uuid)


def location_id(organisation_uuid: uuid.UUID) -> str:
    """The id of the location at an organisation's address."""
    return derived_id("location", organisation_uuid)


def address_id(organisation_uuid: uuid.UUID) -> str:
    """The id of an organisation's address (of its location)."""
    return derived_id("address", organisation_uuid)


def service_at_location_id(organisation_uuid: uuid.UUID) -> str:
    """The id of an organisation's service at its location."""
    return derived_id("service_at_location", organisation_uuid)


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
