"""Fuzzing the Open Referral UK API from the OpenAPI document it serves (schemathesis): for
requests generated from every operation's parameters, no answer is a server error, and every
answer has a documented status, content type and body schema.

The document names the UK profile's schemas by their published addresses; to stay offline they
are inlined from the vendored copy (``tests.api.hsds_schemas``) before schemathesis reads it.
"""

from __future__ import annotations

import copy
import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.views import OPENAPI_PATH
from tests.api.hsds_schemas import PUBLISHED, SHARED


def _offline_document() -> dict:
    document = json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))
    schemas = document["components"]["schemas"]

    def inline(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith(PUBLISHED) or ref == "taxonomy_term.json":
                relative = ref.removeprefix(PUBLISHED)
                name = relative.replace("/", "_").removesuffix(".json")
                if name not in schemas:
                    schemas[name] = {}
                    loaded = json.loads((SHARED / "schema" / relative).read_text(encoding="utf-8"))
                    schemas[name] = inline(loaded)
                return {"$ref": f"#/components/schemas/{name}"}
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    document["paths"] = inline(copy.deepcopy(document["paths"]))
    document["servers"] = [{"url": "/api/oruk"}]
    return document


schema = schemathesis.openapi.from_dict(_offline_document())
schema.app = get_wsgi_application()


@pytest.fixture
def one_connection():
    """Keep the test's database connection across requests, as Django's test client does: the
    WSGI handler would otherwise close it at the end of each request (``close_old_connections``),
    in the middle of the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_server_error_and_no_schema_violation(case, world, one_connection):
    case.call_and_validate(
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    )
