"""No admin view answers 500 to anything a browser can send: malformed ids and parameters on the
change, history, history-revert, delete, export and autocomplete views of every model answer
400 or 404 (or the page, ignoring what it cannot use), with the admin's own page."""

from __future__ import annotations

import contextlib
from http import HTTPStatus

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.factories import admin_factories

pytestmark = pytest.mark.django_db

REGISTERED_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)
BAD_IDS = ["abc", "9" * 30, "-1", "1.5", "%00", "1%00", "%E2%80%AE1", "..%2F..%2F"]
BAD_LIST_PARAMS = [
    {"o": "abc"},
    {"o": "99"},
    {"o": "-0.-1"},
    {"p": "abc"},
    {"p": "-1"},
    {"p": "9" * 30},
    {"q": "\x00"},
    {"q": "a" * 5000},
    {"_facets": "x"},
    {"all": "x"},
    {"e": "1"},
    {"nonexistent__lookup": "1"},
    {"id__in": "1,abc"},
    {"pk": "9" * 30},
    {"_to_field": "password"},
    {"_popup": "1", "_to_field": "id"},
]
OK_STATUSES = {HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.BAD_REQUEST, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND}


def url_name(model, view: str) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"


def has_view(model, view: str, args=()) -> bool:
    """Whether the admin has ``view`` for ``model`` (only some keep history or export)."""
    try:
        reverse(url_name(model, view), args=args)
    except NoReverseMatch:
        return False
    return True


# URLs are only resolvable once Django is set up, which pytest-django does before collection.
HISTORY_MODELS = [model for model in REGISTERED_MODELS if has_view(model, "simple_history", [1, 1])]
EXPORT_MODELS = [model for model in REGISTERED_MODELS if has_view(model, "export")]


@pytest.fixture
def officer_client(client, django_user_model):
    officer = django_user_model.objects.create_superuser("fuzz-officer", "fuzz@example.org", "x")
    client.force_login(officer)
    client.raise_request_exception = False
    return client


def answers(client, method: str, path: str, data=None) -> int:
    response = getattr(client, method)(path, data or {})
    return response.status_code


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_malformed_ids_never_answer_500(officer_client, model):
    base = reverse(url_name(model, "changelist"))
    failures = []
    for bad in BAD_IDS:
        for suffix in ("change/", "history/", "delete/"):
            path = f"{base}{bad}/{suffix}"
            for method in ("get", "post"):
                status = answers(officer_client, method, path)
                if status not in OK_STATUSES:
                    failures.append((method, path, status))
    assert not failures, failures


@pytest.mark.parametrize("model", HISTORY_MODELS, ids=lambda model: model._meta.label)
def test_malformed_history_versions_never_answer_500(officer_client, model):
    obj = admin_factories()[model]()
    base = reverse(url_name(model, "changelist"))
    failures = []
    for bad in [*BAD_IDS, "0"]:
        for path in (f"{base}{obj.pk}/history/{bad}/", f"{base}{bad}/history/1/"):
            for method in ("get", "post"):
                status = answers(officer_client, method, path)
                if status not in OK_STATUSES:
                    failures.append((method, path, status))
    assert not failures, failures


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_malformed_changelist_parameters_never_answer_500(officer_client, model):
    admin_factories()[model]()
    path = reverse(url_name(model, "changelist"))
    failures = [
        (params, status)
        for params in BAD_LIST_PARAMS
        if (status := answers(officer_client, "get", path, params)) not in OK_STATUSES
    ]
    assert not failures, failures


@pytest.mark.parametrize("model", EXPORT_MODELS, ids=lambda model: model._meta.label)
def test_malformed_export_requests_never_answer_500(officer_client, model):
    path = reverse(url_name(model, "export"))
    failures = []
    for params in (
        {"format": "abc"},
        {"format": "99"},
        {"format": "-1"},
        {"format": "\x00"},
        {"q": "\x00"},
        {"o": "x"},
    ):
        for method in ("get", "post"):
            status = answers(officer_client, method, path, params)
            if status not in OK_STATUSES:
                failures.append((method, params, status))
    assert not failures, failures


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_malformed_autocomplete_requests_never_answer_500(officer_client, model):
    paths = [reverse("admin:autocomplete")]
    with contextlib.suppress(NoReverseMatch):
        paths.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_autocomplete"))
    failures = []
    for path in paths:
        for params in (
            {},
            {"term": "\x00"},
            {"app_label": "x", "model_name": "y", "field_name": "z"},
            {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": "id"},
            {"app_label": "organisations", "model_name": "anchorrole", "field_name": "organisation", "term": "\x00"},
            {"app_label": "organisations", "model_name": "anchorrole", "field_name": "organisation", "page": "abc"},
            {"app_label": "organisations", "model_name": "anchorrole", "field_name": "organisation", "page": "9" * 30},
        ):
            status = answers(officer_client, "get", path, params)
            if status not in OK_STATUSES:
                failures.append((path, params, status))
    assert not failures, failures
