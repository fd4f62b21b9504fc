"""Production configuration comes from the environment and fails fast when unsafe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k3J9-qL2x_P8vN4r7TzW1mY6sB0cF5hD8gA2eU9iO3lK7jH1nM4bV6cX0zQ2wE5rT"


def manage(*args, **env):
    """Run manage.py in a fresh process with exactly the given environment overrides."""
    # Start from a production-like environment: no development switches.
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "SQLITE_CACHE_MB"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = manage("check", DEBUG="false", SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


@pytest.mark.parametrize(
    "deployment",
    [
        {},
        # The README's production setup: behind a TLS-terminating proxy.
        {"BEHIND_TLS_PROXY": "true", "CSRF_TRUSTED_ORIGINS": "https://kb.example.org"},
    ],
    ids=["direct", "behind-proxy"],
)
def test_production_settings_pass_the_deployment_checklist(deployment):
    """`check --deploy` (Django's, django-csp's and django-axes's checks) finds nothing."""
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="kb.example.org", **deployment,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_unreadable_debug_flag_is_an_error(value):
    result = manage("check", DEBUG=value)
    assert result.returncode != 0
    assert f"DEBUG={value!r} is not a boolean" in result.stderr


@pytest.mark.parametrize(
    ("setting", "expected"), [({}, "-65536"), ({"SQLITE_CACHE_MB": "16"}, "-16384")]
)
def test_sqlite_connections_cache_as_many_pages_as_set(tmp_path, setting, expected):
    """Each SQLite connection may cache SQLITE_CACHE_MB of the database (SQLite's own default
    is 2 MB, which a large import and large pages outgrow)."""
    script = (
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    print(cursor.execute('PRAGMA cache_size').fetchone()[0])"
    )
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        ENV_FILE="",
        **setting,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [expected]
