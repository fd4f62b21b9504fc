"""Fixtures shared by the whole suite."""

import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Serve static files unhashed in tests, so no collectstatic run is needed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
