"""The shared cache: CACHE_URL, the API throttle counts, and aggregates that never go stale.

Run with CACHE_URL=redis://127.0.0.1:6379/15 (as CI's PostgreSQL run does)
these go through Redis; otherwise through the local-memory cache.
"""

import io
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from kaluga_cluster.cache import bump_data_version, cached, data_version
from kaluga_cluster.environment import cache_from_url
from tests.factories import ArticleFactory, OrganisationMentionFactory
from tests.test_configuration import manage

ROOT = Path(__file__).resolve().parent.parent
USES_REDIS = settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


def organisation_count(client) -> int:
    """The organisations count the overview shows."""
    page = client.get("/").content.decode()
    return int(re.search(r"<strong>(\d+)</strong> organisations?", page).group(1))


# --- CACHE_URL ------------------------------------------------------------------------------


def test_without_cache_url_each_process_has_a_local_memory_cache():
    config = cache_from_url("locmem://")
    assert config["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_a_redis_url_selects_djangos_redis_cache_with_prefix_and_version():
    """Deployments sharing one Redis keep apart by key prefix (and version)."""
    config = cache_from_url("redis://127.0.0.1:6379/1", key_prefix="staging", version=2)
    assert config == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
        "KEY_PREFIX": "staging",
        "VERSION": 2,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


@pytest.mark.parametrize(
    "url",
    ["memcached://127.0.0.1:11211", "redis://127.0.0.1:99999/1", "redis:///1", "redis://h/x"],
    ids=["scheme", "port", "host", "database"],
)
def test_a_malformed_cache_url_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match=re.escape(f"CACHE_URL={url!r}")):
        cache_from_url(url)


def test_a_malformed_cache_url_stops_manage_py_in_one_line():
    result = manage("check", DEBUG="true", CACHE_URL="memcached://127.0.0.1:11211")

    assert result.returncode == 1
    assert result.stderr == (
        "error: CACHE_URL='memcached://127.0.0.1:11211' is not a cache URL: "
        "use redis://HOST:PORT/DB, rediss://... or locmem://.\n"
    )


# --- the data version -----------------------------------------------------------------------


def test_an_aggregate_is_computed_once_per_data_version():
    """The second read comes from the cache; after a bump it is computed afresh."""
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert cached(("test", 1), compute) == 1
    assert cached(("test", 1), compute) == 1
    bump_data_version()
    assert cached(("test", 1), compute) == 2


def test_a_lost_data_version_starts_above_every_earlier_one():
    """An evicted (or flushed) version must not bring back aggregates cached before."""
    before = data_version()
    bump_data_version()
    cache.delete("data-version")
    assert data_version() > before + 1


# --- throttle counts ------------------------------------------------------------------------


@pytest.mark.django_db
def test_two_clients_count_against_one_anonymous_budget_in_the_cache(monkeypatch):
    """The budget is in the cache (Redis: shared by every worker), not in a client or process."""
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    first, second = APIClient(), APIClient()

    assert first.get("/api/programs/").status_code == 200
    assert first.get("/api/programs/").status_code == 200
    assert second.get("/api/programs/").status_code == 200
    assert second.get("/api/programs/").status_code == 429
    assert first.get("/api/programs/").status_code == 429
    key = "throttle_anon_127.0.0.1"
    assert len(cache.get(key)) == 3
    if USES_REDIS:
        # Another worker's own connection to Redis sees the same count.
        import redis

        other_worker = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
        assert other_worker.exists(cache.make_and_validate_key(key)) == 1


# --- aggregates of the pages ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_overview_is_served_from_the_cache(client, django_assert_num_queries):
    """Warm, the overview reads only its latest articles (its counts are cached)."""
    for article in ArticleFactory.create_batch(3):
        OrganisationMentionFactory(article=article)
    client.get("/")
    with django_assert_num_queries(1):
        assert client.get("/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, queries",
    [("/articles/", 2), ("/articles/?page=1", 2), ("/articles/?q=plant", 3)],
)
def test_the_article_lists_facets_are_served_from_the_cache(
    client, django_assert_num_queries, url, queries
):
    """Warm, an article list reads only its count and its page (a search: its count, its ids
    and ranks, its rows): the facets are cached, for the plain list (no query string at all)
    as for a search."""
    for article in ArticleFactory.create_batch(3, body="A new plant opened."):
        OrganisationMentionFactory(article=article)
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_overview_counts_what_an_import_added(tmp_path):
    visitor = Client()
    assert organisation_count(visitor) == 0
    shutil.copy(sorted((ROOT / "seeds").glob("*.txt"))[0], tmp_path)

    call_command("import_seeds", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())

    assert organisation_count(visitor) > 0


# --- a cache that cannot be reached ------------------------------------------------------------


@pytest.fixture
def unreachable_redis(settings):
    """The cache is a Redis nobody listens to (port 1): as when Redis is down."""
    settings.CACHES = {"default": cache_from_url("redis://127.0.0.1:1/0")}


@pytest.mark.django_db
def test_pages_and_the_api_work_while_the_cache_is_down(unreachable_redis, client, caplog):
    """The cache only saves time: without it, the same answers, computed."""
    OrganisationMentionFactory(article=ArticleFactory())
    api = APIClient()

    overview = client.get("/")
    search = client.get("/articles/", {"q": "article"})
    listing = api.get("/api/organisations/")

    assert overview.status_code == search.status_code == listing.status_code == 200
    assert organisation_count(client) == 1
    assert listing.json()["count"] == 1
    assert "cache unreachable" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_an_editors_write_succeeds_while_the_cache_is_down(unreachable_redis, django_user_model):
    """The write commits; the version bump after it fails and is logged, not raised."""
    editor = django_user_model.objects.create_superuser("vera", password="a long password")
    api = APIClient()
    api.force_authenticate(editor)

    response = api.post("/api/organisations/", {"name": "Tivren Reagents"}, format="json")

    assert response.status_code == 201
    assert api.get("/api/organisations/").json()["count"] == 1
