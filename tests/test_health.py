"""/healthz and /readyz, as a load balancer probes them.

The probes against an unreachable database and a database without its tables
run against a real gunicorn in tests/test_outage.py.
"""

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder


def test_healthz_answers_without_the_database(client):
    """/healthz says the process is alive without a query (no database access is allowed here)."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_is_ready_with_a_migrated_database(client, django_assert_max_num_queries):
    """/readyz: 200 when the database answers and every migration is applied, in a few queries."""
    with django_assert_max_num_queries(3):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "migrations": "ok"}}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_is_not_ready_while_a_migration_is_unapplied(client):
    """New code deployed before `migrate` ran: 503 naming the migrations check."""
    latest = MigrationRecorder(connection).migration_qs.filter(app="articles").latest("id")
    latest.delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"] == {"database": "ok", "migrations": "1 unapplied"}
    assert body["status"] == "not ready"
    assert "migrat" in body["detail"]


@pytest.mark.parametrize("path", ["/healthz", "/healthz/", "/readyz", "/readyz/"])
@pytest.mark.django_db
def test_probes_over_plain_http_by_address_are_answered(client, settings, path):
    """A load balancer probes over plain HTTP with the instance's address as Host: no
    redirect to HTTPS (SECURE_REDIRECT_EXEMPT) and no 400 for an unlisted host."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["kb.example.org"]
    response = client.get(path, HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200


@pytest.mark.django_db
def test_other_pages_keep_the_https_redirect_and_the_host_check(client, settings):
    """Only the probes are exempt: pages over HTTP are redirected, unknown hosts refused."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["kb.example.org"]
    assert client.get("/organisations/", HTTP_HOST="kb.example.org").status_code == 301
    assert client.get("/organisations/", HTTP_HOST="10.0.3.7:8000", secure=True).status_code == 400


def test_probes_accept_only_get_and_head(client):
    """Probes read; a POST is refused with 405 and the allowed methods."""
    assert client.head("/healthz").status_code == 200
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
