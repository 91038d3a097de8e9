"""The Open Referral UK API (HSDS 3.0 UK profile), read-only and public, at ``/api/oruk/``.

Endpoints and parameters are those of the UK profile's OpenAPI description, served from
``api/openapi.json`` (``openapi_document``). Every answer is JSON, errors included.
"""

from __future__ import annotations

import functools
import json
from http import HTTPStatus
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views import defaults

from localities.models import Locality
from organisations.models import Network, Taxonomy, TaxonomyTerm

from . import hsds, params, selectors
from . import identifiers as ids
from .http import Answer, NotFound, api_view, error
from .paging import from_queryset, from_sequence, paginate
from .vocabularies import (
    ANCHOR_ROLE_TERMS,
    ANCHOR_ROLES,
    NETWORKS,
    VOCABULARIES,
    find_term,
    network_term,
    place_term,
    vocabulary_by_id,
)

HSDS_VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
OPENAPI_PATH = Path(__file__).with_name("openapi.json")


@functools.cache
def _openapi() -> dict:
    return json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))


def _absolute(request: HttpRequest):
    return request.build_absolute_uri


@api_view
def root(request: HttpRequest) -> Answer:
    """What this API is (the validator's ``api_details``): version, profile and OpenAPI address."""
    return Answer(
        {
            "version": HSDS_VERSION,
            "profile": PROFILE_URL,
            "openapi_url": request.build_absolute_uri(reverse("api:openapi")),
        }
    )


@api_view
def openapi_document(request: HttpRequest) -> Answer:
    """The UK profile's OpenAPI description as adapted here (its ``info.x-attribution`` says
    how; CC BY-SA 4.0), with this portal's address as the server."""
    base = request.build_absolute_uri(reverse("api:root")).rstrip("/")
    # Only ``servers`` differs per request: a shallow copy leaves the cached document untouched.
    return Answer({**_openapi(), "servers": [{"url": base, "description": "This portal"}]})


# --- Services and services at locations --------------------------------------------------------
def _filtered(request: HttpRequest, *, located: bool):
    query = request.GET
    organisations = selectors.organisations()
    if located:
        organisations = selectors.located(organisations)
    organisations = selectors.search(organisations, params.query_text(query, "search"))
    if term := params.term_id(query, "taxonomy_term_id"):
        organisations = selectors.with_term(organisations, term)
    if taxonomy := params.term_id(query, "taxonomy_id"):
        organisations = selectors.in_taxonomy(organisations, taxonomy)
    organisations = selectors.for_ages(
        organisations, params.number(query, "minimum_age"), params.number(query, "maximum_age")
    )
    organisations = selectors.open_at(
        organisations, params.day(query), params.time_of_day(query, "start_time"), params.time_of_day(query, "end_time")
    )
    organisations = selectors.modified_since(organisations, params.modified_after(query))
    if located and (postcode := params.postcode(query)):
        organisations = selectors.near_postcode(organisations, postcode, params.proximity(query))
    return organisations


def _organisation_list(request: HttpRequest, *, located: bool, serialise) -> Answer:
    page, per_page = params.page(request.GET)
    organisations = _filtered(request, located=located)
    absolute = _absolute(request)
    envelope, rows = paginate([from_queryset(organisations, lambda org: serialise(org, absolute))], page, per_page)
    return Answer(envelope, [selectors.latest_organisation_change(), *selectors.changed_at(rows)])


@api_view
def service_list(request: HttpRequest) -> Answer:
    """Published organisations' services, one-to-one fields with their organization."""
    return _organisation_list(request, located=False, serialise=hsds.service)


@api_view
def service_at_location_list(request: HttpRequest) -> Answer:
    """Services at the locations of published organisations that have an address or postcode;
    with ``postcode`` (and ``proximity``), those near it, nearest first."""
    return _organisation_list(request, located=True, serialise=hsds.service_at_location)


def _organisation(id_kind: str, wanted: str, kind: str, *, located: bool = False):
    org = selectors.organisation_with_uuid(ids.organisation_uuid_of(id_kind, wanted))
    if org is None or (located and not hsds.has_location(org)):
        raise NotFound(f"There is no public {kind} with the id {wanted!r}.")
    return org


@api_view
def service_detail(request: HttpRequest, id: str) -> Answer:
    org = _organisation("service", id, "service")
    changed = [selectors.latest_organisation_change(org), *selectors.changed_at([org])]
    return Answer(hsds.service_full(org, _absolute(request)), changed)


@api_view
def service_at_location_detail(request: HttpRequest, id: str) -> Answer:
    org = _organisation("service_at_location", id, "service at a location", located=True)
    changed = [selectors.latest_organisation_change(org), *selectors.changed_at([org])]
    return Answer(hsds.service_at_location_full(org, _absolute(request)), changed)


# --- Taxonomies and terms ---------------------------------------------------------------------
def _taxonomies():
    return Taxonomy.objects.services().order_by("name", "pk")


def _terms():
    return TaxonomyTerm.objects.services().select_related("taxonomy", "parent")


def _networks():
    return Network.objects.order_by("name", "pk")


def _places():
    return Locality.objects.order_by("ancestor_path", "name", "pk")


def _updated(rows) -> list:
    return [getattr(row, "updated_at", None) for row in rows]


@api_view
def taxonomy_list(request: HttpRequest) -> Answer:
    """The taxonomies of services and needs, then the portal's own (``api.vocabularies``)."""
    page, per_page = params.page(request.GET)
    envelope, rows = paginate(
        [from_queryset(_taxonomies(), hsds.taxonomy), from_sequence(VOCABULARIES, hsds.vocabulary)], page, per_page
    )
    return Answer(envelope, _updated(rows))


@api_view
def taxonomy_term_list(request: HttpRequest) -> Answer:
    """The terms of services and needs (by taxonomy, then name), then the portal's own: anchor
    roles, networks and places (``api.vocabularies``)."""
    page, per_page = params.page(request.GET)
    sources = [
        from_queryset(_terms().order_by("taxonomy__name", "name", "pk"), hsds.taxonomy_term),
        from_sequence(ANCHOR_ROLE_TERMS, hsds.portal_term),
        from_queryset(_networks(), lambda network: hsds.portal_term(network_term(network))),
        from_queryset(_places(), lambda place: hsds.portal_term(place_term(place))),
    ]
    envelope, rows = paginate(sources, page, per_page)
    return Answer(envelope, _updated(rows))


@api_view
def taxonomy_detail(request: HttpRequest, id: str) -> Answer:
    """A taxonomy with all its terms."""
    value = ids.parse_uuid(id)
    row = _taxonomies().filter(uuid=value).first() if value else None
    if row is not None:
        terms = list(_terms().filter(taxonomy=row).order_by("name", "pk"))
        data = {**hsds.taxonomy(row), "taxonomy_terms": [hsds.taxonomy_term(term) for term in terms]}
        return Answer(data, _updated([row, *terms]))
    vocabulary = vocabulary_by_id(value) if value else None
    if vocabulary is None:
        raise NotFound(f"There is no public taxonomy with the id {id!r}.")
    if vocabulary == ANCHOR_ROLES:
        terms, changed = list(ANCHOR_ROLE_TERMS), []
    elif vocabulary == NETWORKS:
        networks = list(_networks())
        terms, changed = [network_term(network) for network in networks], _updated(networks)
    else:
        places = list(_places())
        terms, changed = [place_term(place) for place in places], _updated(places)
    return Answer({**hsds.vocabulary(vocabulary), "taxonomy_terms": [hsds.portal_term(t) for t in terms]}, changed)


@api_view
def taxonomy_term_detail(request: HttpRequest, id: str) -> Answer:
    value = ids.parse_uuid(id)
    row = _terms().filter(uuid=value).first() if value else None
    if row is not None:
        return Answer(hsds.taxonomy_term(row), _updated([row]))
    term = find_term(value) if value else None
    if term is None:
        raise NotFound(f"There is no public taxonomy term with the id {id!r}.")
    return Answer(hsds.portal_term(term))


@api_view
def unknown(request: HttpRequest, path: str = "") -> Answer:
    """Any other address under the API: a JSON 404 rather than the site's HTML page."""
    raise NotFound(f"The Open Referral UK API has no endpoint at {request.path!r}; see {reverse('api:openapi')}.")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's 400 handler (``handler400``): JSON under the API, where a request is refused
    before any view sees it (a NUL character, ``core.middleware``); the usual page elsewhere."""
    if request.path.startswith(reverse("api:root")):
        return error(HTTPStatus.BAD_REQUEST, str(exception) or "The request could not be read.")
    return defaults.bad_request(request, exception)
