"""Repeated failed sign-ins lock that username out from that address (django-axes).

The test settings turn django-axes off (``AXES_ENABLED = False``: the test client's ``login()``
passes no request, which its backend needs); every test here turns it back on.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from axes.exceptions import AxesBackendRequestParameterRequired
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertTemplateUsed

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
LOCKED_OUT = "portal/locked_out.html"


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True
    return settings


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user("officer", password=PASSWORD, is_staff=True)


@pytest.fixture
def other_officer(django_user_model):
    return django_user_model.objects.create_user("other", password=PASSWORD, is_staff=True)


def sign_in(client, username: str, password: str, address: str = "127.0.0.1"):
    """Submit the admin's sign-in form from ``address``."""
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail_until_locked_out(client, username: str, address: str = "127.0.0.1"):
    """Fail ``AXES_FAILURE_LIMIT`` times; return the last answer."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, username, "wrong-password", address)
        assert response.status_code == HTTPStatus.OK  # the form again, with an error
        assertTemplateUsed(response, "admin/login.html")
    return sign_in(client, username, "wrong-password", address)


def test_the_fifth_failure_locks_out_and_then_even_the_right_password_is_refused(client, officer):
    fifth = fail_until_locked_out(client, "officer")

    assert fifth.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assertTemplateUsed(fifth, LOCKED_OUT)

    sixth = sign_in(client, "officer", PASSWORD)

    assert sixth.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assertTemplateUsed(sixth, LOCKED_OUT)
    assert not signed_in(client)


def test_the_lockout_page_says_when_to_try_again_and_whom_to_ask(client, officer):
    response = fail_until_locked_out(client, "officer")

    assertContains(response, "You cannot sign in at the moment", status_code=429)
    assertContains(response, "the wrong password 5 times", status_code=429)
    assertContains(response, "You can try again in an hour", status_code=429)
    assertContains(response, "contact an officer", status_code=429)
    assertTemplateUsed(response, "base.html")


def test_four_failures_do_not_lock_out(client, officer):
    for _ in range(4):
        sign_in(client, "officer", "wrong-password")

    response = sign_in(client, "officer", PASSWORD)

    assert response.status_code == HTTPStatus.FOUND
    assert signed_in(client)


def test_signing_in_clears_the_count_of_failures(client, officer):
    for _ in range(4):
        sign_in(client, "officer", "wrong-password")
    assert sign_in(client, "officer", PASSWORD).status_code == HTTPStatus.FOUND
    client.logout()

    for _ in range(4):
        sign_in(client, "officer", "wrong-password")

    assert sign_in(client, "officer", PASSWORD).status_code == HTTPStatus.FOUND


def test_another_user_at_the_same_address_is_not_locked_out(client, officer, other_officer):
    fail_until_locked_out(client, "officer")

    response = sign_in(client, "other", PASSWORD)

    assert response.status_code == HTTPStatus.FOUND
    assert response.headers["Location"] == reverse("admin:index")


def test_the_same_user_at_another_address_is_not_locked_out(client, officer):
    fail_until_locked_out(client, "officer", address="203.0.113.5")

    response = sign_in(client, "officer", PASSWORD, address="198.51.100.7")

    assert response.status_code == HTTPStatus.FOUND


def test_after_the_cool_off_the_right_password_works(client, officer):
    fail_until_locked_out(client, "officer")
    # Let the cool-off pass: age every recorded attempt by the cool-off and a minute.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))

    response = sign_in(client, "officer", PASSWORD)

    assert response.status_code == HTTPStatus.FOUND
    assert signed_in(client)


def test_an_attempt_during_the_cool_off_starts_the_wait_again(client, officer):
    fail_until_locked_out(client, "officer")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME + timedelta(minutes=5))
    assert sign_in(client, "officer", PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))

    assert sign_in(client, "officer", PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_an_officer_can_unlock_an_account_before_the_cool_off_ends(client, officer):
    fail_until_locked_out(client, "officer")

    reset(username="officer")  # as `manage.py axes_reset_username officer` does

    assert sign_in(client, "officer", PASSWORD).status_code == HTTPStatus.FOUND


def test_the_test_clients_sign_in_helpers_work_with_lockout_on(client, admin_client, officer):
    # force_login() and pytest-django's admin_client never call authenticate().
    assert admin_client.get(reverse("admin:index")).status_code == HTTPStatus.OK
    client.force_login(officer)
    assert client.get(reverse("admin:index")).status_code == HTTPStatus.OK
    client.logout()
    # login() calls authenticate() without a request, which django-axes refuses; pass one.
    with pytest.raises(AxesBackendRequestParameterRequired):
        client.login(username="officer", password=PASSWORD)
    assert client.login(username="officer", password=PASSWORD, request=HttpRequest())


def test_the_front_end_sign_in_form_locks_out_the_same_way(client, django_user_model):
    """Editors and councillors sign in at /accounts/sign-in/, not the admin: same lockout."""
    django_user_model.objects.create_user("editor", password=PASSWORD)
    url = reverse("portal:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "editor", "password": "wrong-password"})
        assert response.status_code == HTTPStatus.OK
        assertContains(response, "Enter a correct username and password")
    client.post(url, {"username": "editor", "password": "wrong-password"})
    response = client.post(url, {"username": "editor", "password": PASSWORD})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assertTemplateUsed(response, LOCKED_OUT)
    assert not signed_in(client)
