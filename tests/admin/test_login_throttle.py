"""Admin logins are throttled against password guessing (django-axes)."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from kaluga_cluster.editors import EDITORS_GROUP
from kaluga_cluster.security import client_ip_address

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LIMIT = 5
ATTACKER = "203.0.113.7"
OFFICE = "198.51.100.20"


@pytest.fixture(autouse=True)
def _throttle(settings):
    """The production defaults, pinned so the tests do not depend on the environment
    (and a fast password hasher: these tests log in dozens of times)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


@pytest.fixture
def olga():
    """An editor with a known password."""
    user = User.objects.create_user("olga", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def boris():
    """A second editor."""
    return User.objects.create_user("boris", password=PASSWORD, is_staff=True)


def log_in(client, username, password, address=ATTACKER):
    """POST the admin login form from the given client address."""
    return client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def logged_in(client):
    """Whether the client's session belongs to a user."""
    return "_auth_user_id" in client.session


def test_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused(client, olga):
    """The first wrong passwords get the form back; the limit-th gets 429; then even the
    right password is refused, with a message that says why and for how long."""
    for _ in range(LIMIT - 1):
        response = log_in(client, "olga", "guess")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.text
    response = log_in(client, "olga", "guess")
    assert response.status_code == 429

    response = log_in(client, "olga", PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "Too many failed logins" in response.text
    assert "paused for 15 minutes" in response.text
    assert not logged_in(client)


def test_the_lock_holds_from_another_address(client, olga):
    """A username being guessed stays locked wherever the next attempt comes from."""
    for _ in range(LIMIT):
        log_in(client, "olga", "guess", address=ATTACKER)
    response = log_in(client, "olga", PASSWORD, address=OFFICE)
    assert response.status_code == 429
    assert not logged_in(client)


def test_guessing_many_usernames_from_one_address_locks_the_address(client, olga, boris):
    """Spraying one password over many usernames counts against the address."""
    for number in range(LIMIT):
        log_in(client, f"user{number}", "guess", address=ATTACKER)
    assert log_in(client, "boris", PASSWORD, address=ATTACKER).status_code == 429
    assert not logged_in(client)


def test_other_users_log_in_while_one_is_locked(client, olga, boris):
    """Boris, at another address, is not affected by the guessing at Olga's account."""
    for _ in range(LIMIT):
        log_in(client, "olga", "guess", address=ATTACKER)
    response = log_in(client, "boris", PASSWORD, address=OFFICE)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert logged_in(client)


def test_the_lock_ends_after_the_cool_off(client, olga):
    """Once the cool-off has passed since the last attempt, the right password works again."""
    for _ in range(LIMIT):
        log_in(client, "olga", "guess")
    assert log_in(client, "olga", PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=15, seconds=1)
    )
    response = log_in(client, "olga", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_a_successful_login_resets_the_count(client, olga):
    """Wrong passwords before a successful login do not count towards a later lock."""
    for _ in range(LIMIT - 1):
        log_in(client, "olga", "guess")
    assert log_in(client, "olga", PASSWORD).status_code == 302
    client.logout()
    for _ in range(LIMIT - 1):
        assert log_in(client, "olga", "guess").status_code == 200
    assert log_in(client, "olga", PASSWORD).status_code == 302


def test_api_token_authentication_is_unchanged(client, olga):
    """A locked-out editor's valid token still writes; a wrong token is still refused, and
    token attempts neither count as logins nor unlock anything."""
    token = Token.objects.create(user=olga)
    for _ in range(LIMIT):
        log_in(client, "olga", "guess", address="127.0.0.1")
    assert log_in(client, "olga", PASSWORD, address="127.0.0.1").status_code == 429
    attempts = AccessAttempt.objects.count()

    for key in ["0" * 40, token.key[:-1] + "x"]:
        response = client.get("/api/organisations/", HTTP_AUTHORIZATION=f"Token {key}")
        assert response.status_code == 401
    response = client.post(
        "/api/organisations/",
        {"name": "Northwind Pharma", "kind": "company"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201
    assert AccessAttempt.objects.count() == attempts
    assert log_in(client, "olga", PASSWORD, address="127.0.0.1").status_code == 429


@pytest.mark.parametrize(
    ("behind_proxy", "expected"),
    [(False, "10.0.0.1"), (True, "192.0.2.9")],
)
def test_client_address_trusts_forwarded_for_only_behind_the_proxy(
    rf, settings, behind_proxy, expected
):
    """A made-up X-Forwarded-For cannot dodge the throttle: without the proxy it is ignored,
    behind it only the entry the proxy appended (the last) counts."""
    settings.BEHIND_TLS_PROXY = behind_proxy
    request = rf.get(
        "/admin/login/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.9"
    )
    assert client_ip_address(request) == expected
