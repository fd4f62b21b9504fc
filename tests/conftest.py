"""Fixtures shared by the whole suite, and the hypothesis profiles of its property tests."""

import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Child processes the tests start (manage.py, gunicorn) must not read a
# developer's .env (kaluga_cluster.environment): each test sets what it needs.
os.environ["ENV_FILE"] = ""

# Property tests run the same examples on every machine (derandomize), so a CI
# failure reproduces locally, and stay quick. HYPOTHESIS_PROFILE=explore runs
# many more random examples when hunting for new bugs.
hypothesis_settings.register_profile(
    "default",
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "explore", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Serve static files unhashed in tests, so no collectstatic run is needed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (Django's, CACHE_URL: locmem, or a Redis database).

    The overview's aggregates, the search facets and the API throttle counts
    live there; one test's must not be another's.
    """
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
