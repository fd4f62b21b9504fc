"""Failures clients can handle: JSON errors under /api/, 503 with Retry-After when the
database cannot be reached, and no request lost to a connection the database dropped.

The outages are real: gunicorn (DEBUG off, as in production) against a port
nothing listens on, a server that accepts connections but never answers, a
database file without tables, and PostgreSQL connections terminated the way a
restart terminates them. In-process tests open a real connection to a closed
port where a view or a middleware would query the database.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.db.utils import ConnectionHandler
from django.http import HttpResponse
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from kaluga_cluster import urls as project_urls
from tests.test_settings import STRONG_KEY

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
CLOSED_PORT_URL = "postgres://postgres@127.0.0.1:1/kaluga"
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")


# --- In-process: views and a middleware that meet real database faults ---------------------


def query_unreachable_database():
    """Run a query on a PostgreSQL server that is not there (a real connection attempt)."""
    unreachable = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "HOST": "127.0.0.1",
                "PORT": 1,
                "NAME": "kaluga",
                "USER": "postgres",
            }
        }
    )["default"]
    try:
        with unreachable.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        unreachable.close()


def cancelled_query():
    """Run a query the database itself cancels or refuses: it is there, the query failed."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL statement_timeout = 1")
            cursor.execute("SELECT pg_sleep(1)")
        else:
            cursor.execute("SELECT * FROM no_such_table")


class FailingApiView(APIView):
    """An API endpoint with a bug."""

    permission_classes = []

    def get(self, request):
        raise RuntimeError("a bug")


class UnreachableApiView(APIView):
    """An API endpoint whose database is down."""

    permission_classes = []

    def get(self, request):
        query_unreachable_database()
        return Response({})


class CancelledQueryApiView(APIView):
    """An API endpoint whose query the database cancels."""

    permission_classes = []

    def get(self, request):
        cancelled_query()
        return Response({})


def failing_page(request):
    raise RuntimeError("a bug")


def unreachable_page(request):
    query_unreachable_database()
    return HttpResponse("unreachable")


def plain_page(request):
    return HttpResponse("no query")


class UnreachableDatabaseMiddleware:
    """Stands for a middleware that queries before or after the view (a session being saved)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        query_unreachable_database()
        return response


# Test-only URLs in front of the project's, with the project's error handlers.
urlpatterns = [
    path("api/test-outage/bug/", FailingApiView.as_view()),
    path("api/test-outage/unreachable/", UnreachableApiView.as_view()),
    path("api/test-outage/cancelled/", CancelledQueryApiView.as_view()),
    path("api/test-outage/plain/", plain_page),
    path("test-outage/bug/", failing_page),
    path("test-outage/unreachable/", unreachable_page),
    path("test-outage/plain/", plain_page),
    *project_urls.urlpatterns,
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.fixture
def app(db, client, settings):
    """A client of the project plus the test-only URLs, with DEBUG off and exceptions answered.

    ``db`` lets the views open connections (pytest-django blocks them otherwise).
    """
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


def test_an_api_bug_answers_json_500(app):
    """An unexpected exception under /api/ answers 500 as JSON with a `detail`, not a page."""
    response = app.get("/api/test-outage/bug/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_page_bug_answers_the_sites_500_page(app):
    """Outside /api/ a bug shows the site's 500 page."""
    response = app.get("/test-outage/bug/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert "Something went wrong on our side" in response.content.decode()


def test_an_unknown_host_under_the_api_answers_json_400(app):
    """Django's refusal of an unlisted Host header is JSON under /api/ too (a page elsewhere)."""
    response = app.get("/api/organisations/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "detail" in response.json()
    page = app.get("/organisations/", HTTP_HOST="evil.example")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_an_unreachable_database_in_an_api_view_answers_json_503(app, settings, debug):
    """A view that cannot reach the database answers 503 JSON with Retry-After, DEBUG on or off."""
    settings.DEBUG = debug
    response = app.get("/api/test-outage/unreachable/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "database" in response.json()["detail"]


def test_an_unreachable_database_in_a_page_answers_the_503_page(app):
    """A page that cannot reach the database answers the site's 503 page with Retry-After."""
    response = app.get("/test-outage/unreachable/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    assert "Temporarily unavailable" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/api/test-outage/plain/", "application/json"), ("/test-outage/plain/", "text/html")],
)
def test_an_unreachable_database_in_a_middleware_answers_503(app, settings, path, content_type):
    """A middleware that meets the outage outside any view (a session saved on the way out)
    answers the same 503 with Retry-After."""
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.UnreachableDatabaseMiddleware"]
    response = app.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith(content_type)


def test_a_query_the_database_cancels_stays_a_500(app):
    """A query that fails while the database is there (a timeout, a missing table) is a 500:
    the client's retry would not help, the error needs looking at."""
    response = app.get("/api/test-outage/cancelled/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "detail" in response.json()


# --- gunicorn with DEBUG off against real outages --------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects instead of following them."""

    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str, timeout: float = 20, **headers: str):
    """GET ``url``: status, headers and body text, errors included, redirects not followed."""
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Collected static files: production pages (the 503 page too) link their hashed names.

    Only the site's own files: the admin's, DRF's and Swagger UI's take a minute
    to compress and no page here links them.
    """
    root = tmp_path_factory.mktemp("static")
    env = production_env(CLOSED_PORT_URL, root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0",
         "--ignore", "admin", "--ignore", "rest_framework", "--ignore", "drf_spectacular_sidecar"],
        cwd=ROOT, env=env, check=True, timeout=600,
    )  # fmt: skip
    return root


def production_env(database_url: str, static_root: Path, **extra: str) -> dict[str, str]:
    """The README's production environment behind a TLS proxy, on the given database."""
    unset = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="kb.example.org",
        DATABASE_URL=database_url,
        BEHIND_TLS_PROXY="true",
        STATIC_ROOT=str(static_root),
        **extra,
    )
    return env


class Server:
    """gunicorn serving the app on a free port; its log is kept for failure messages."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = subprocess.Popen(
            [str(GUNICORN), "kaluga_cluster.wsgi", "--workers", "1", "--bind",
             f"127.0.0.1:{self.port}"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"),
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited: {log.read_text()}")
            try:
                get(f"{self.base}/healthz")
                return
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    pytest.fail("gunicorn did not answer within 60 s")
                time.sleep(0.2)

    def get(self, path: str, timeout: float = 20, **headers: str):
        """A request as the TLS proxy forwards it for the site's host name."""
        headers = {"Host": "kb.example.org", "X-Forwarded-Proto": "https", **headers}
        return get(f"{self.base}{path}", timeout=timeout, **headers)

    def probe(self, path: str):
        """A load balancer's probe: plain HTTP, the instance's address as Host."""
        return get(f"{self.base}{path}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def unreachable_server(static_root, tmp_path_factory):
    """gunicorn whose DATABASE_URL names a port nothing listens on."""
    log = tmp_path_factory.mktemp("unreachable") / "gunicorn.log"
    server = Server(production_env(CLOSED_PORT_URL, static_root), log)
    yield server
    server.stop()


def test_api_answers_json_503_with_retry_after_when_the_database_is_down(unreachable_server):
    status, headers, body = unreachable_server.get("/api/organisations/")
    assert status == 503, body
    assert headers["Content-Type"] == "application/json"
    assert headers["Retry-After"] == "5"
    assert "database" in json.loads(body)["detail"]


def test_site_answers_the_503_page_with_retry_after_when_the_database_is_down(
    unreachable_server,
):
    status, headers, body = unreachable_server.get("/organisations/")
    assert status == 503, body
    assert headers["Content-Type"].startswith("text/html")
    assert headers["Retry-After"] == "5"
    assert "Temporarily unavailable" in body
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_a_signed_in_editor_gets_503_when_the_database_is_down(unreachable_server):
    """The session and the user are read from the database: that outage is a 503 too."""
    status, headers, body = unreachable_server.get("/admin/", Cookie="sessionid=" + "a1" * 16)
    assert status == 503, body
    assert headers["Retry-After"] == "5"


def test_healthz_is_alive_and_readyz_names_the_database_when_it_is_down(unreachable_server):
    """The process is alive (a load balancer must not restart it) but not ready."""
    status, _, body = unreachable_server.probe("/healthz")
    assert (status, json.loads(body)) == (200, {"status": "alive"})
    status, headers, body = unreachable_server.probe("/readyz")
    assert status == 503
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["checks"] == {"database": "unavailable", "migrations": "not checked"}


def test_a_database_that_never_answers_costs_a_request_seconds_not_minutes(static_root, tmp_path):
    """A server that accepts the connection but never answers (a hung database, a dead
    proxy): the connection attempt gives up after DATABASE_CONNECT_TIMEOUT and the
    client gets a 503 instead of waiting as long as libpq would (without limit)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        env = production_env(
            f"postgres://postgres@127.0.0.1:{port}/kaluga",
            static_root,
            DATABASE_CONNECT_TIMEOUT="2",
        )
        server = Server(env, tmp_path / "gunicorn.log")
        try:
            started = time.monotonic()
            status, headers, _ = server.get("/api/organisations/", timeout=30)
            elapsed = time.monotonic() - started
        finally:
            server.stop()
    assert status == 503
    assert headers["Retry-After"] == "5"
    assert elapsed < 10


def test_readyz_names_the_migrations_when_the_database_has_no_tables(static_root, tmp_path):
    """A new, empty database file (migrate never ran): reachable, but not ready."""
    database = tmp_path / "empty.sqlite3"
    server = Server(production_env(f"sqlite:///{database}", static_root), tmp_path / "log")
    try:
        status, _, body = server.probe("/readyz")
        alive, _, _ = server.probe("/healthz")
    finally:
        server.stop()
    assert status == 503
    checks = json.loads(body)["checks"]
    assert checks["database"] == "ok"
    assert checks["migrations"].endswith(" unapplied")
    assert alive == 200


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL's connections (the PostgreSQL run)")
def test_connections_the_database_dropped_cost_no_later_request(django_db_setup, tmp_path):
    """A PostgreSQL restart terminates every connection gunicorn keeps (CONN_MAX_AGE). With
    CONN_HEALTH_CHECKS the next request finds its connection dead, reconnects and succeeds."""
    database = connection.settings_dict
    # Named, so that only gunicorn's connections are terminated, never this session's.
    name = "kaluga-outage-test"
    url = (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        f"?application_name={name}"
    )
    env = production_env(url, tmp_path / "static")
    server = Server(env, tmp_path / "gunicorn.log")
    try:
        assert server.get("/api/organisations/")[0] == 200
        assert server.probe("/readyz")[0] == 200
        with psycopg.connect(
            host=database["HOST"], port=database["PORT"], user=database["USER"],
            dbname="postgres", autocommit=True,
        ) as admin:  # fmt: skip
            terminated = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND application_name = %s",
                [database["NAME"], name],
            ).fetchall()
        assert terminated, "gunicorn kept no connection to terminate"
        statuses = [server.get("/api/organisations/")[0], server.probe("/readyz")[0]]
        statuses += [server.get("/api/organisations/")[0] for _ in range(3)]
    finally:
        server.stop()
    assert statuses == [200] * 5, server.log.read_text()
