"""Organisations, taxonomies and terms as Open Referral UK (HSDS 3.0 UK profile) objects.

The mapping: each published ``Organisation`` is one HSDS *organization* and offers one
*service* (its offer: the organisation's name and description, its public email and website,
its services and needs as taxonomy terms, the places it serves as service areas). Where it has
an address or a postcode it also has one *location* with one *address*, and one
*service_at_location*. Ids: the organisation's ``uuid`` for the organization, derived ids for
the rest (``api.identifiers``).

Only public fields are read: an organisation's officer-only contact details
(``Organisation.PRIVATE_FIELDS``) never appear. The functions take organisations from
``api.selectors`` (prefetched and annotated there) and never query.

Shapes follow ``schema/compiled/*.json`` and ``schema/taxonomy*.json`` of the UK profile
(https://github.com/OpenReferralUK/uk-profile); optional fields the portal has no value for
are left out rather than sent empty.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from organisations.models import Organisation, Taxonomy, TaxonomyTerm

from . import identifiers as ids
from .vocabularies import Term, Vocabulary, anchor_role_term, network_term, place_term

Json = dict[str, Any]
# Makes an absolute URL of a path on this site (``request.build_absolute_uri``).
AbsoluteUrl = Callable[[str], str]

# org-id.guide registers: Charity Commission for England and Wales, Companies House.
CHARITY_SCHEME = "GB-CHC"
COMPANY_SCHEME = "GB-COH"


def _without_blanks(data: Json) -> Json:
    """``data`` without the optional fields the portal has no value for. ``description`` is
    required of organizations, taxonomies and terms, so it stays even when blank."""
    return {key: value for key, value in data.items() if key == "description" or value not in ("", None)}


# --- Taxonomies and terms -------------------------------------------------------------------
def taxonomy(row: Taxonomy) -> Json:
    return _without_blanks(
        {
            "id": str(row.uuid),
            "name": row.name,
            "description": row.description,
            "uri": row.uri,
            "version": row.version,
        }
    )


def vocabulary(row: Vocabulary) -> Json:
    return {"id": row.id, "name": row.name, "description": row.description}


def taxonomy_term(row: TaxonomyTerm) -> Json:
    """A term of a ``Taxonomy``: expects ``taxonomy`` and ``parent`` selected with it."""
    return _without_blanks(
        {
            "id": str(row.uuid),
            "name": row.name,
            "description": row.description,
            "parent_id": str(row.parent.uuid) if row.parent_id else None,
            "taxonomy": row.taxonomy.name,
            "taxonomy_id": str(row.taxonomy.uuid),
            "term": row.code,
        }
    )


def portal_term(row: Term) -> Json:
    return _without_blanks(
        {
            "id": row.id,
            "name": row.name,
            "description": row.description,
            "parent_id": row.parent_id,
            "taxonomy": row.vocabulary.name,
            "taxonomy_id": row.vocabulary.id,
            "term": row.code,
        }
    )


def _attribute(link_id: str, link_type: str, term: Json) -> Json:
    return {
        "id": ids.attribute_id(link_id, term["id"]),
        "link_id": link_id,
        "link_type": link_type,
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }


# --- Organisations --------------------------------------------------------------------------
def organization(org: Organisation, absolute: AbsoluteUrl) -> Json:
    """The one-to-one fields of an organization (``organization_list.json``)."""
    return _without_blanks(
        {
            "id": str(org.uuid),
            "name": org.name,
            "description": org.description,
            "email": org.email,
            "website": org.website,
            "uri": absolute(org.get_absolute_url()),
        }
    )


def organization_full(org: Organisation, absolute: AbsoluteUrl) -> Json:
    """An organization with its identifiers (charity and company numbers) and attributes: its
    current anchor roles, the networks it holds them in and the places it serves, as terms of
    the portal's own taxonomies (``api.vocabularies``)."""
    link_id = str(org.uuid)
    identifiers = [
        {
            "id": ids.identifier_id(org.uuid, scheme),
            "organization_id": link_id,
            "identifier_scheme": scheme,
            "identifier_type": label,
            "identifier": number,
        }
        for scheme, label, number in (
            (CHARITY_SCHEME, "Charity number", org.charity_number),
            (COMPANY_SCHEME, "Company number", org.company_number),
        )
        if number
    ]
    terms: dict[str, Json] = {}
    for role in org.current_anchor_roles:
        for term in (anchor_role_term(role.role), network_term(role.network)):
            terms.setdefault(term.id, portal_term(term))
    for place in org.api_places:
        term = place_term(place)
        terms.setdefault(term.id, portal_term(term))
    return {
        **organization(org, absolute),
        "organization_identifiers": identifiers,
        "attributes": [_attribute(link_id, "organization", term) for term in terms.values()],
    }


def has_location(org: Organisation) -> bool:
    """Whether the organisation has a place people can go to: an address or a postcode."""
    return bool(org.address or org.postcode)


def location(org: Organisation) -> Json:
    """The one-to-one fields of the location at the organisation's address. Coordinates are
    the centroid of its postcode in the ONS Postcode Directory, where the portal has it
    (``centroid_latitude``/``centroid_longitude``, decimal degrees WGS84)."""
    return _without_blanks(
        {
            "id": ids.location_id(org.uuid),
            "location_type": "physical",
            "name": org.name,
            "latitude": org.centroid_latitude,
            "longitude": org.centroid_longitude,
        }
    )


def location_full(org: Organisation) -> Json:
    """A location with its address. The portal keeps an address as free text without the
    postcode: its first line is ``address_1``, its last (when there are several) the town."""
    lines = [line.strip() for line in org.address.replace(",", "\n").splitlines() if line.strip()]
    address = {
        "id": ids.address_id(org.uuid),
        "location_id": ids.location_id(org.uuid),
        "address_1": lines[0] if lines else "",
        "city": lines[-1] if len(lines) > 1 else "",
        "state_province": "",
        "postal_code": org.postcode,
        "country": "GB",
        "address_type": "physical",
    }
    return {**location(org), "addresses": [address], "accessibility": [], "attributes": []}


# --- Services -------------------------------------------------------------------------------
def service(org: Organisation, absolute: AbsoluteUrl) -> Json:
    """The one-to-one fields of the organisation's service, with its organization
    (``service_list.json``). Only published organisations reach the API, so it is active."""
    return _without_blanks(
        {
            "id": ids.service_id(org.uuid),
            "organization_id": str(org.uuid),
            "name": org.name,
            "description": org.description,
            "url": org.website,
            "email": org.email,
            "status": "active",
            "last_modified": org.updated_at.isoformat(),
        }
    ) | {"organization": organization(org, absolute)}


def schedules(org: Organisation) -> list[Json]:
    """When the service runs: each weekly opening (``Schedule``, prefetched as
    ``api_schedules``) as an HSDS schedule, ``freq`` WEEKLY with its RFC 5545 ``byday``;
    by-appointment times as ``attending_type``. Organisations with only free-text opening hours
    have none (HSDS schedules cannot carry free text but in ``description``, which says it)."""
    link_id = ids.service_id(org.uuid)
    found = []
    # Monday first, rows with no day (by appointment) last, as the organisation's page lists them.
    for row in sorted(
        org.api_schedules, key=lambda row: (row.weekday_index, row.opens_at or datetime.time.min, row.pk)
    ):
        schedule: Json = {"id": str(row.uuid), "service_id": link_id}
        if row.byday:
            schedule.update(freq="WEEKLY", interval=1, byday=row.byday)
        if row.opens_at is not None:
            schedule["opens_at"] = row.opens_at.isoformat()
        if row.closes_at is not None:
            schedule["closes_at"] = row.closes_at.isoformat()
        if row.valid_from:
            schedule["valid_from"] = row.valid_from.isoformat()
        if row.valid_to:
            schedule["valid_to"] = row.valid_to.isoformat()
        if row.by_appointment:
            schedule["attending_type"] = "by appointment"
        if row.notes:
            schedule["notes"] = row.notes
        found.append(schedule)
    if not found and org.opening_hours:
        found.append(
            {"id": ids.derived_id("schedule", org.uuid), "service_id": link_id, "description": org.opening_hours}
        )
    return found


def cost_options(org: Organisation) -> list[Json]:
    """What the service costs: one HSDS cost_option (``option`` free, donation or fee; the
    ``amount`` in pounds; its description) where the organisation says; none when not known."""
    if not org.cost_option:
        return []
    option: Json = {"id": ids.derived_id("cost_option", org.uuid), "service_id": ids.service_id(org.uuid)}
    option["option"] = org.cost_option
    if org.cost_amount is not None:
        option["amount"] = float(org.cost_amount)
    if org.cost_amount_description:
        option["amount_description"] = org.cost_amount_description
    return [option]


def languages(org: Organisation) -> list[Json]:
    """Languages spoken (prefetched as ``api_languages``): HSDS language with its name and its
    ISO 639 code."""
    link_id = ids.service_id(org.uuid)
    return [
        {"id": str(language.uuid), "service_id": link_id, "name": language.name, "code": language.code}
        for language in org.api_languages
    ]


def _service_nested(org: Organisation, absolute: AbsoluteUrl) -> Json:
    """The service's one-to-many parts that every full form of it shares."""
    link_id = ids.service_id(org.uuid)
    return {
        "schedules": schedules(org),
        "service_areas": [
            {
                "id": ids.derived_id("service_area", org.uuid, place.pk),
                "service_id": link_id,
                "name": place.name,
                "extent_type": "other",
                "extent": place.gss_code or place.slug,
                "uri": absolute(place.get_absolute_url()),
            }
            for place in org.api_places
        ],
        "languages": languages(org),
        "organization": organization_full(org, absolute),
        "funding": [],
        "cost_options": cost_options(org),
        "contacts": [],
        "attributes": [_attribute(link_id, "service", taxonomy_term(term)) for term in org.api_terms],
    }


def service_full(org: Organisation, absolute: AbsoluteUrl) -> Json:
    """The service with everything about it (``compiled/service.json``)."""
    located = [service_at_location_in_service(org)] if has_location(org) else []
    return {
        **service(org, absolute),
        **_service_nested(org, absolute),
        "service_at_locations": located,
    }


def service_at_location_in_service(org: Organisation) -> Json:
    return {
        "id": ids.service_at_location_id(org.uuid),
        "service_id": ids.service_id(org.uuid),
        "location_id": ids.location_id(org.uuid),
        "location": location_full(org),
    }


def service_at_location(org: Organisation, absolute: AbsoluteUrl) -> Json:
    """The service at the organisation's location, one-to-one fields
    (``service_at_location_list.json``)."""
    return {
        "id": ids.service_at_location_id(org.uuid),
        "service_id": ids.service_id(org.uuid),
        "location_id": ids.location_id(org.uuid),
        "location": location(org),
        "service": service(org, absolute),
    }


def service_at_location_full(org: Organisation, absolute: AbsoluteUrl) -> Json:
    """The service at the organisation's location, with both in full
    (``compiled/service_at_location.json``)."""
    return {
        **service_at_location(org, absolute),
        "location": location_full(org),
        "service": {**service(org, absolute), **_service_nested(org, absolute)},
    }
