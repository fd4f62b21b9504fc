"""Clients of the REST API: anonymous, a signed-in reader without rights, and an editor."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from kaluga_cluster.editors import CURATED_APPS, EDITORS_GROUP


@pytest.fixture(autouse=True)
def _fresh_throttle_budget():
    """Each test starts with an unused anonymous request budget (kept in the cache)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """An anonymous client."""
    return APIClient()


def _token_client(user) -> APIClient:
    client = APIClient()
    token = Token.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def editor(db):
    """A member of the Editors group.

    The migrations create the group; a transactional test's flush removes it,
    so it is made again here as the migrations make it.
    """
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=CURATED_APPS))
    user = User.objects.create_user("editor", password="a long editor password")
    user.groups.add(group)
    return user


@pytest.fixture
def editor_api(editor):
    """A client authenticated as an editor with a DRF token."""
    return _token_client(editor)


@pytest.fixture
def reader_api(db):
    """A client authenticated with a token, as a user with no permissions."""
    return _token_client(User.objects.create_user("reader", password="a long reader password"))
