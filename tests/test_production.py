"""The README's production command: gunicorn serves the app with DEBUG off, and trusts
forwarded HTTPS headers only behind the TLS proxy (gunicorn.conf.py)."""

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
def production_env(tmp_path_factory):
    """The README's production steps before the server (migrate, collectstatic), DEBUG off,
    on SQLite; the environment they ran in."""
    workspace = tmp_path_factory.mktemp("production")
    database = workspace / "db.sqlite3"
    unset = {
        "DEBUG",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "BEHIND_TLS_PROXY",
        "FORWARDED_ALLOW_IPS",
    }
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{database}",
        # Production has no .env; a developer's must not leak into this one.
        ENV_FILE="",
        # Pages (the error pages included) link hashed static files, so they
        # must be collected as in production.
        STATIC_ROOT=str(workspace / "static"),
    )
    for command in ("migrate", "collectstatic"):
        subprocess.run(
            [sys.executable, "manage.py", command, "--noinput", "--verbosity", "0"],
            cwd=ROOT, env=env, check=True, timeout=600,
        )  # fmt: skip
    return env


def serve(env: dict[str, str]):
    """Run gunicorn from the project directory (so it reads gunicorn.conf.py) with two
    workers on a free port; yield its address, then stop it."""
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


@pytest.fixture(scope="module")
def production_server(production_env):
    """The README's production server: behind a (pretended) TLS proxy on 127.0.0.1."""
    yield from serve({**production_env, "BEHIND_TLS_PROXY": "true"})


@pytest.fixture(scope="module")
def direct_server(production_env):
    """Production settings with no proxy in front (BEHIND_TLS_PROXY unset)."""
    yield from serve(production_env)


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


# gunicorn itself believes forwarded headers from 127.0.0.1 unless gunicorn.conf.py says
# otherwise; Django's SECURE_PROXY_SSL_HEADER alone cannot stop it.
SPOOFED_HTTPS = [
    {"X-Forwarded-Proto": "https"},
    {"X-Forwarded-Protocol": "ssl"},
    {"X-Forwarded-Ssl": "on"},
]


@pytest.mark.parametrize("header", SPOOFED_HTTPS, ids=lambda header: next(iter(header)))
def test_without_a_proxy_forwarded_https_headers_are_ignored(direct_server, header):
    """With BEHIND_TLS_PROXY off, a local client claiming HTTPS is still on plain HTTP:
    redirected to HTTPS, and no HSTS."""
    status, headers = fetch(f"{direct_server}/api/organisations/", **header)
    assert status == 301
    host = direct_server.removeprefix("http://")
    assert headers["Location"] == f"https://{host}/api/organisations/"
    assert "Strict-Transport-Security" not in headers


@pytest.mark.parametrize("header", SPOOFED_HTTPS[1:], ids=lambda header: next(iter(header)))
def test_behind_the_proxy_only_x_forwarded_proto_is_trusted(production_server, header):
    """The proxy sets X-Forwarded-Proto (and Django reads only that); the other headers
    gunicorn knows, passed through from a client, do not make a request HTTPS."""
    status, headers = fetch(f"{production_server}/api/organisations/", **header)
    assert status == 301
    assert "Strict-Transport-Security" not in headers


def test_gunicorn_refuses_an_unreadable_proxy_flag():
    """BEHIND_TLS_PROXY=maybe stops gunicorn with one line naming the variable."""
    env = {k: v for k, v in os.environ.items() if k != "BEHIND_TLS_PROXY"}
    result = subprocess.run(
        [str(GUNICORN), "--check-config", "kaluga_cluster.wsgi"],
        cwd=ROOT, env={**env, "BEHIND_TLS_PROXY": "maybe"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: BEHIND_TLS_PROXY='maybe' is not a boolean (use true or false)."
    )
