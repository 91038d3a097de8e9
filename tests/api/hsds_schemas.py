"""The Open Referral UK schemas, offline: the UK profile's JSON schemas from ``tests/api/data/hsds``
(CC BY-SA 4.0, Open Referral / Open Referral UK) in a local ``referencing`` registry, under the
addresses the API's OpenAPI document gives them, so responses are checked against the very
schemas that document names without fetching anything."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from api.views import OPENAPI_PATH

# Vendored from ../shared/hsds with its licence (data/hsds/README.md): CI has no ../shared.
SHARED = Path(__file__).resolve().parent / "data" / "hsds"
PUBLISHED = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
OPENAPI_URI = "urn:anchornet:oruk-openapi"


@functools.cache
def registry() -> Registry:
    resources = []
    for path in sorted((SHARED / "schema").glob("*.json")) + sorted((SHARED / "schema" / "compiled").glob("*.json")):
        relative = path.relative_to(SHARED / "schema").as_posix()
        if relative == "openapi.json":
            continue
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((PUBLISHED + relative, Resource.from_contents(contents, default_specification=DRAFT202012)))
    openapi = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
    resources.append((OPENAPI_URI, Resource.from_contents(openapi, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def response_validator(path: str) -> Draft202012Validator:
    """A validator for the 200 answer of GET ``path`` (as the OpenAPI document spells it, e.g.
    ``/services/{id}``), checking formats (uuid, email, date-time) too."""
    pointer = _pointer("paths", path, "get", "responses", "200", "content", "application/json", "schema")
    schema = {"$ref": f"{OPENAPI_URI}#/{pointer}"}
    return Draft202012Validator(schema, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(path: str, body: object) -> list[str]:
    """Every way ``body`` breaks the schema of GET ``path``'s answer, as readable lines."""
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in response_validator(path).iter_errors(body)
    ]
