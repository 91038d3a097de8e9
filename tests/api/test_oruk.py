"""The Open Referral UK API (``/api/oruk/``): every answer fits the UK profile's schemas, only
public records and fields travel, harvesters poll cheaply, and bad input gets a JSON error."""

from __future__ import annotations

import datetime
import json
import uuid
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api import identifiers as ids
from api.vocabularies import ANCHOR_ROLES, NETWORKS, PLACES, term_id
from core.models import PublicationStatus
from organisations.models import AnchorRole, AnchorRoleKind, Organisation
from tests.api.conftest import MARKER
from tests.api.hsds_schemas import SHARED, schema_errors
from tests.factories import (
    AnchorRoleFactory,
    LocalityFactory,
    NetworkFactory,
    OrganisationFactory,
    TaxonomyFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/api/oruk"
ENVELOPE = ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents")


def _get(client, path: str, **query):
    response = client.get(BASE + path, query)
    assert response["Content-Type"] == "application/json", (path, response.status_code)
    return response


def _names(client, path: str, **query) -> list[str]:
    response = _get(client, path, **query)
    assert response.status_code == HTTPStatus.OK, response.json()
    return [item.get("name") or item["service"]["name"] for item in response.json()["contents"]]


def _all_pages(client, world) -> dict[str, object]:
    """Every endpoint's answer on the world, by the OpenAPI path it answers to."""
    anchor = world["anchor"]
    answers = {"/": client.get(BASE + "/").json()}
    for path in ("/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms"):
        answers[path] = _get(client, path, per_page=200).json()
    answers["/services/{id}"] = [
        _get(client, f"/services/{item['id']}").json() for item in answers["/services"]["contents"]
    ]
    answers["/service_at_locations/{id}"] = [
        _get(client, f"/service_at_locations/{item['id']}").json()
        for item in answers["/service_at_locations"]["contents"]
    ]
    answers["/taxonomies/{id}"] = [
        _get(client, f"/taxonomies/{item['id']}").json() for item in answers["/taxonomies"]["contents"]
    ]
    answers["/taxonomy_terms/{id}"] = [
        _get(client, f"/taxonomy_terms/{item['id']}").json() for item in answers["/taxonomy_terms"]["contents"]
    ]
    assert ids.service_id(anchor.uuid) in {item["id"] for item in answers["/services"]["contents"]}
    return answers


def test_a_service_says_when_it_is_open_what_it_costs_and_the_languages_spoken(client, world):
    service = _get(client, f"/services/{ids.service_id(world['anchor'].uuid)}").json()

    weekly, appointment = service["schedules"]
    assert (weekly["freq"], weekly["byday"], weekly["opens_at"], weekly["closes_at"]) == (
        "WEEKLY",
        "MO",
        "10:00:00",
        "14:00:00",
    )
    assert appointment["attending_type"] == "by appointment"
    assert [option["option"] for option in service["cost_options"]] == ["free"]
    assert [(language["code"], language["name"]) for language in service["languages"]] == [("ur", "Urdu")]
    far = _get(client, f"/services/{ids.service_id(world['far'].uuid)}").json()
    assert [schedule["description"] for schedule in far["schedules"]] == ["Thursdays at noon"]
    assert far["cost_options"] == []
    assert far["languages"] == []


def test_the_day_and_time_filters_read_the_weekly_schedules(client, world):
    assert _names(client, "/services", day="MO", start_time="11:00", end_time="13:30") == ["Seacroft Trust"]
    assert _names(client, "/services", day="MO", start_time="13:00", end_time="15:00") == []
    assert _names(client, "/services", day="TU") == []
    assert _names(client, "/services", day="monday") == ["Seacroft Trust"]


# --- Schemas --------------------------------------------------------------------------------
def test_every_endpoint_answers_to_the_uk_profile_schemas(client, world):
    answers = _all_pages(client, world)
    for path, answer in answers.items():
        for body in answer if isinstance(answer, list) else [answer]:
            assert schema_errors(path, body) == [], (path, json.dumps(body)[:500])
    for path in ("/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms"):
        assert tuple(answers[path]) == ENVELOPE
        assert answers[path]["contents"], path
    # The details carry what the lists leave out, and what the portal knows travels.
    service = next(s for s in answers["/services/{id}"] if s["name"] == "Seacroft Trust")
    assert service["status"] == "active"
    assert [a["taxonomy_term"]["name"] for a in service["attributes"]] == ["Food support"]
    assert {i["identifier_scheme"]: i["identifier"] for i in service["organization"]["organization_identifiers"]} == {
        "GB-CHC": "1012345",
        "GB-COH": "01234567",
    }
    organisation_terms = {
        a["taxonomy_term"]["taxonomy"]: a["taxonomy_term"]["name"] for a in service["organization"]["attributes"]
    }
    assert organisation_terms == {
        "AnchorNet anchor roles": "Anchor",
        "AnchorNet networks": "Leeds Community Anchor Network",
        "AnchorNet places": "Killingbeck",
    }
    [located] = service["service_at_locations"]
    assert located["location"]["addresses"][0]["postal_code"] == "LS14 1AA"
    assert located["location"]["latitude"] == pytest.approx(53.823)
    assert [schedule["byday"] for schedule in service["schedules"] if "byday" in schedule] == ["MO"]


def test_the_api_describes_itself_as_the_validator_expects(client, world):
    root = _get(client, "/").json()
    assert root["version"] == "HSDS-UK-3.0"
    assert root["openapi_url"] == "http://testserver/api/oruk/openapi.json"
    document = client.get(root["openapi_url"]).json()
    assert document["servers"] == [{"url": "http://testserver/api/oruk", "description": "This portal"}]
    assert "CC BY-SA 4.0" in document["info"]["x-attribution"]
    published = json.loads((SHARED / "schema" / "openapi.json").read_text())
    assert set(document["paths"]) == set(published["paths"])
    for path, operations in published["paths"].items():
        ours = {p["$ref"] for p in document["paths"][path]["get"].get("parameters", [])}
        theirs = {p["$ref"] for p in operations["get"].get("parameters", [])}
        assert theirs <= ours, path
    for path in ("/services", "/service_at_locations"):
        assert "#/components/parameters/modified_after" in {
            p["$ref"] for p in document["paths"][path]["get"]["parameters"]
        }


# --- Visibility -----------------------------------------------------------------------------
def test_only_public_organisations_and_fields_travel(client, world):
    answers = _all_pages(client, world)
    body = json.dumps(answers)
    for hidden in (MARKER, "private-0a9c@example.org", "Draft Group", "Archived Group"):
        assert hidden not in body
    for org in (world["draft"], world["archived"]):
        assert _get(client, f"/services/{ids.service_id(org.uuid)}").status_code == HTTPStatus.NOT_FOUND
        sal = ids.service_at_location_id(org.uuid)
        assert _get(client, f"/service_at_locations/{sal}").status_code == HTTPStatus.NOT_FOUND
    assert _get(client, f"/services/{ids.service_id(world['anchor'].uuid)}").status_code == HTTPStatus.OK


def test_a_service_at_a_location_needs_an_address_or_postcode(client, world):
    names = _names(client, "/service_at_locations")
    assert "Online Befrienders" not in names
    assert "Online Befrienders" in _names(client, "/services")
    nowhere = ids.service_at_location_id(world["nowhere"].uuid)
    assert _get(client, f"/service_at_locations/{nowhere}").status_code == HTTPStatus.NOT_FOUND


def test_skills_and_assets_are_not_published_as_services(client, world):
    from engagement.models import SKILLS_TAXONOMY

    skill = TaxonomyTermFactory(name="Bookkeeping", taxonomy=TaxonomyFactory(name=SKILLS_TAXONOMY))
    world["anchor"].services.add(skill)
    answers = _all_pages(client, world)
    assert "Bookkeeping" not in json.dumps(answers)
    assert SKILLS_TAXONOMY not in json.dumps(answers)
    assert _get(client, f"/taxonomy_terms/{skill.uuid}").status_code == HTTPStatus.NOT_FOUND


# --- Ids --------------------------------------------------------------------------------------
def test_ids_are_stable_and_resolve(client, world):
    anchor = world["anchor"]
    before = _get(client, f"/services/{ids.service_id(anchor.uuid)}").json()
    anchor.name = "Seacroft Community Trust"
    anchor.save()
    after = _get(client, f"/services/{ids.service_id(anchor.uuid)}").json()
    assert after["name"] == "Seacroft Community Trust"
    assert after["id"] == before["id"]
    assert after["organization"]["id"] == str(anchor.uuid)
    assert after["service_at_locations"][0]["id"] == before["service_at_locations"][0]["id"]
    # Every term an attribute names can be looked up, and so can its taxonomy.
    for attribute in after["attributes"] + after["organization"]["attributes"]:
        term = _get(client, f"/taxonomy_terms/{attribute['taxonomy_term_id']}")
        assert term.status_code == HTTPStatus.OK
        assert term.json() == attribute["taxonomy_term"]
        taxonomy = _get(client, f"/taxonomies/{attribute['taxonomy_term']['taxonomy_id']}").json()
        assert attribute["taxonomy_term"]["id"] in {t["id"] for t in taxonomy["taxonomy_terms"]}


def test_a_service_id_leads_back_to_its_organisation_in_a_fixed_number_of_queries(client, world):
    anchor = world["anchor"]
    service, located = ids.service_id(anchor.uuid), ids.service_at_location_id(anchor.uuid)
    # Valid UUIDs of the organisation's version, distinct from it and from each other.
    assert uuid.UUID(service).version == uuid.UUID(located).version == anchor.uuid.version
    assert len({service, located, str(anchor.uuid)}) == 3
    assert ids.organisation_uuid_of("service", service) == anchor.uuid
    assert ids.organisation_uuid_of("service_at_location", located) == anchor.uuid
    assert ids.organisation_uuid_of("service", "not-a-uuid") is None
    # One kind's id does not answer for another kind, nor does the organisation's own uuid.
    assert _get(client, f"/service_at_locations/{service}").status_code == HTTPStatus.NOT_FOUND
    assert _get(client, f"/services/{anchor.uuid}").status_code == HTTPStatus.NOT_FOUND
    with CaptureQueriesContext(connection) as few:
        assert _get(client, f"/services/{service}").status_code == HTTPStatus.OK
    OrganisationFactory.create_batch(20)
    with CaptureQueriesContext(connection) as many:
        assert _get(client, f"/services/{service}").status_code == HTTPStatus.OK
    assert len(many) == len(few)


def test_places_nest_as_terms(client, world):
    ward_term = _get(client, f"/taxonomy_terms/{term_id(PLACES, world['ward'].pk)}").json()
    assert ward_term["term"] == "E05011400"
    assert ward_term["parent_id"] == term_id(PLACES, world["area"].pk)


# --- Filters ----------------------------------------------------------------------------------
def test_search_uses_the_directory_search(client, world):
    assert _names(client, "/services", search="pantry") == ["Seacroft Trust"]
    assert _names(client, "/services", search="food support") == ["Seacroft Trust"]
    assert _names(client, "/services", search="zzzz") == []


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        (lambda w: str(w["food"].uuid), ["Seacroft Trust"]),
        (lambda w: str(w["youth"].uuid), ["Otley Lunch Club"]),
        (lambda w: term_id(ANCHOR_ROLES, AnchorRoleKind.ANCHOR), ["Seacroft Trust"]),
        (lambda w: term_id(ANCHOR_ROLES, AnchorRoleKind.LEAD_ANCHOR), []),
        (lambda w: term_id(NETWORKS, w["network"].pk), ["Seacroft Trust"]),
        # A place's term finds what serves it or a place inside it.
        (lambda w: term_id(PLACES, w["area"].pk), ["Killingbeck Choir", "Seacroft Trust"]),
        (lambda w: str(uuid.uuid4()), []),
    ],
)
def test_taxonomy_term_filter(client, world, term, expected):
    assert _names(client, "/services", taxonomy_term_id=term(world)) == expected


def test_taxonomy_filter(client, world):
    assert _names(client, "/services", taxonomy_id=str(world["youth"].taxonomy.uuid)) == ["Otley Lunch Club"]
    assert _names(client, "/services", taxonomy_id=ANCHOR_ROLES.id) == ["Seacroft Trust"]
    assert _names(client, "/services", taxonomy_id=str(uuid.uuid4())) == []


def test_modified_after(client, world):
    later = timezone.now() + datetime.timedelta(minutes=5)
    Organisation.objects.filter(pk=world["far"].pk).update(updated_at=later + datetime.timedelta(minutes=1))
    assert _names(client, "/services", modified_after=later.isoformat()) == ["Otley Lunch Club"]
    assert len(_names(client, "/services", modified_after="2000-01-01")) == 4


def test_postcode_and_proximity(client, world):
    # Nearest first; the group the ONS table cannot place is matched on its district (LS14).
    assert _names(client, "/service_at_locations", postcode="ls146jb", proximity="1000") == [
        "Seacroft Trust",
        "Killingbeck Choir",
    ]
    assert _names(client, "/service_at_locations", postcode="LS14 6JB", proximity="100") == ["Killingbeck Choir"]
    assert "Otley Lunch Club" in _names(client, "/service_at_locations", postcode="LS14 6JB", proximity="25000")
    # Without proximity, 5 km; a postcode the table lacks falls back on its district.
    assert "Otley Lunch Club" not in _names(client, "/service_at_locations", postcode="LS14 6JB")
    assert _names(client, "/service_at_locations", postcode="LS14 7XX") == ["Killingbeck Choir", "Seacroft Trust"]


# --- Paging and query counts --------------------------------------------------------------------
def test_paging_envelope(client, world):
    first = _get(client, "/services", per_page=3).json()
    assert (first["total_items"], first["total_pages"], first["size"]) == (4, 2, 3)
    assert first["first_page"]
    assert not first["last_page"]
    assert not first["empty"]
    second = _get(client, "/services", per_page=3, page=2).json()
    assert (second["size"], second["last_page"]) == (1, True)
    assert {s["id"] for s in first["contents"]}.isdisjoint(s["id"] for s in second["contents"])
    beyond = _get(client, "/services", per_page=3, page=9).json()
    assert beyond["empty"]
    assert beyond["contents"] == []


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(BASE + path, {"per_page": 200})
    assert response.status_code == HTTPStatus.OK
    return len(captured)


@pytest.mark.parametrize("path", ["/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms"])
def test_a_page_costs_the_same_queries_for_3_or_30_records(client, path):
    network = NetworkFactory()

    def add(count: int) -> None:
        for _ in range(count):
            ward = LocalityFactory(parent=network.district)
            org = OrganisationFactory(
                postcode="LS14 6JB", address="1 Road", services=[TaxonomyTermFactory()], localities=[ward]
            )
            AnchorRoleFactory(organisation=org, network=network, locality=ward)

    add(3)
    few = _queries(client, path)
    add(27)
    assert _queries(client, path) == few
    assert few <= 8


# --- Bad input, unknown ids --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "query", "parameter"),
    [
        ("/services", {"page": "0"}, "page"),
        ("/services", {"page": "two"}, "page"),
        ("/services", {"per_page": "1000"}, "per_page"),
        ("/services", {"per_page": "-5"}, "per_page"),
        ("/services", {"taxonomy_term_id": "food"}, "taxonomy_term_id"),
        ("/services", {"taxonomy_id": "1; DROP TABLE"}, "taxonomy_id"),
        ("/services", {"modified_after": "yesterday"}, "modified_after"),
        ("/services", {"modified_after": "2026-13-45"}, "modified_after"),
        ("/services", {"minimum_age": "young"}, "minimum_age"),
        ("/services", {"maximum_age": "nan"}, "maximum_age"),
        ("/services", {"start_time": "25:00"}, "start_time"),
        ("/services", {"end_time": "noon"}, "end_time"),
        ("/services", {"day": "Funday"}, "day"),
        ("/service_at_locations", {"proximity": "500"}, "proximity"),
        ("/service_at_locations", {"postcode": "LS14", "proximity": "500"}, "postcode"),
        ("/service_at_locations", {"postcode": "LS14 6JB", "proximity": "-1"}, "proximity"),
        ("/service_at_locations", {"postcode": "LS14 6JB", "proximity": "inf"}, "proximity"),
        ("/taxonomy_terms", {"page": "1.5"}, "page"),
    ],
)
def test_a_bad_parameter_gets_a_clear_json_400(client, world, path, query, parameter):
    response = _get(client, path, **query)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body["parameter"] == parameter
    assert parameter in body["message"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_request_refused_before_the_view_is_json_too(client, world):
    response = _get(client, "/services", search="a\x00b")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "NUL" in response.json()["message"]
    # The rest of the site keeps its page.
    assert "html" in client.get("/directory/", {"q": "a\x00b"})["Content-Type"]


@pytest.mark.parametrize(
    "path",
    [
        "/services/5b0c3f0e-93a4-4a59-9c55-2f1a7f6f4c11",
        "/services/not-a-uuid",
        "/service_at_locations/0d6f5a43-8a36-4d7c-9d0c-1f6f0e3b9a22",
        "/taxonomies/7e2a1c55-3b9f-4f0a-8c44-6d2b5e1f0a33",
        "/taxonomy_terms/%3Cscript%3E",
        "/organizations",
        "/services/",
    ],
)
def test_an_unknown_id_or_address_gets_a_json_404(client, world, path):
    response = _get(client, path)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["status"] == 404


def test_writes_are_refused_in_json(client, world):
    response = client.post(BASE + "/services", {})
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response.json()["error"] == "Method Not Allowed"


# --- Polling --------------------------------------------------------------------------------
def test_conditional_get_answers_304_until_something_changes(client, world):
    first = _get(client, "/services")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Access-Control-Allow-Origin"] == "*"
    again = client.get(BASE + "/services", headers={"If-None-Match": etag})
    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    assert client.get(BASE + "/services", headers={"If-Modified-Since": modified}).status_code == 304
    # Unpublishing one organisation changes the list for both kinds of check.
    later = timezone.now() + datetime.timedelta(seconds=5)
    world["far"].status = PublicationStatus.ARCHIVED
    world["far"].save()
    Organisation.objects.filter(pk=world["far"].pk).update(updated_at=later)
    changed = client.get(BASE + "/services", headers={"If-None-Match": etag})
    assert changed.status_code == HTTPStatus.OK
    assert changed["ETag"] != etag
    assert client.get(BASE + "/services", headers={"If-Modified-Since": modified}).status_code == HTTPStatus.OK


def _stamp_last_change(model, moment) -> None:
    """Date ``model``'s newest history row ``moment``: a change a few seconds on, without waiting
    (Last-Modified counts whole seconds)."""
    newest = model.history.order_by("-history_id").first()
    model.history.filter(pk=newest.pk).update(history_date=moment)


@pytest.mark.parametrize(
    ("change", "model"),
    [
        (lambda w: w["anchor"].services.remove(w["food"]), Organisation),  # touches no updated_at
        (lambda w: w["anchor"].anchor_roles.get().delete(), AnchorRole),  # leaves nothing to read
    ],
)
def test_last_modified_moves_when_a_link_or_role_is_removed(client, world, change, model):
    paths = ("/services", "/service_at_locations", f"/services/{ids.service_id(world['anchor'].uuid)}")
    modified = {path: _get(client, path)["Last-Modified"] for path in paths}
    change(world)
    _stamp_last_change(model, timezone.now() + datetime.timedelta(seconds=5))
    for path in paths:
        answer = client.get(BASE + path, headers={"If-Modified-Since": modified[path]})
        assert answer.status_code == HTTPStatus.OK, path
        assert answer["Last-Modified"] != modified[path], path


def test_cors_preflight(client):
    response = client.options(BASE + "/services")
    assert response.status_code == HTTPStatus.NO_CONTENT
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
