"""The README's production command: gunicorn serves the app with DEBUG off."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.test_settings import STRONG_KEY

# The server gets its own SQLite database whatever DATABASE_URL says, so one run
# of the suite proves the command; the PostgreSQL run skips the slow setup.
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the production server runs on its own SQLite database (covered by the SQLite run)",
)

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects instead of following them."""

    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, **headers: str):
    """GET ``url``; the status and headers, redirects and errors included."""
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """The README's production steps (migrate, collectstatic, gunicorn with two workers),
    DEBUG off, behind a (pretended) TLS proxy, on SQLite."""
    workspace = tmp_path_factory.mktemp("production")
    database = workspace / "db.sqlite3"
    unset = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{database}",
        BEHIND_TLS_PROXY="true",
        # Pages (the error pages included) link hashed static files, so they
        # must be collected as in production.
        STATIC_ROOT=str(workspace / "static"),
    )
    for command in ("migrate", "collectstatic"):
        subprocess.run(
            [sys.executable, "manage.py", command, "--noinput", "--verbosity", "0"],
            cwd=ROOT, env=env, check=True, timeout=600,
        )  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [str(GUNICORN), "kaluga_cluster.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited: {server.stderr.read()}")
        try:
            fetch(f"{base}/api/")
            break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                pytest.fail("gunicorn did not answer within 60 s")
            time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=30)


def test_gunicorn_serves_https_requests_with_the_security_headers(production_server):
    """A request the proxy marks as HTTPS is served, with HSTS and the policy."""
    status, headers = fetch(
        f"{production_server}/api/organisations/", **{"X-Forwarded-Proto": "https"}
    )
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"


def test_gunicorn_redirects_plain_http_to_https(production_server):
    """Plain HTTP is redirected to HTTPS, without HSTS (which only HTTPS may set)."""
    status, headers = fetch(f"{production_server}/api/organisations/")
    assert status == 301
    host = production_server.removeprefix("http://")
    assert headers["Location"] == f"https://{host}/api/organisations/"
    assert "Strict-Transport-Security" not in headers


def test_gunicorn_refuses_unknown_hosts(production_server):
    """ALLOWED_HOSTS is enforced with DEBUG off: the site's 400 page, not a server error."""
    status, _ = fetch(
        f"{production_server}/api/organisations/",
        **{"Host": "evil.example", "X-Forwarded-Proto": "https"},
    )
    assert status == 400
