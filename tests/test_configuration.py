"""Commands typed in a new shell: make's .env makes them work; bad settings are one line.

Each test runs manage.py as a new process with a clean environment (no DEBUG,
no SECRET_KEY, nothing from this test run), as a person's new shell would.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_settings import STRONG_KEY

ROOT = Path(__file__).resolve().parent.parent
NO_SECRET_KEY = (
    "error: SECRET_KEY is not set. Set SECRET_KEY to a long random string, "
    "or DEBUG=true for local development."
)


def new_shell(**variables: str) -> dict[str, str]:
    """The environment of a new login shell, plus ``variables``."""
    env = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    return {**env, "LANG": "C.UTF-8", **variables}


def manage(*args: str, script: Path = ROOT / "manage.py", **variables: str):
    """Run ``python manage.py ARGS`` from the project directory in a new shell."""
    return subprocess.run(
        [sys.executable, str(script), *args],
        cwd=ROOT,
        env=new_shell(**variables),
        capture_output=True,
        text=True,
        timeout=120,
    )


def make_env_file(directory: Path) -> Path:
    """Run the Makefile's rule that writes .env, in ``directory`` (not under an outer make)."""
    subprocess.run(
        ["make", "--silent", "-f", str(ROOT / "Makefile"), "-C", str(directory), ".env"],
        env=new_shell(), check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return directory / ".env"


@pytest.fixture
def checkout(tmp_path):
    """A stand-in for a development checkout: manage.py, and .env once make has run.

    A copy of manage.py reads the .env beside it, so the real checkout's file
    (a developer's own) is neither read nor touched.
    """
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    return tmp_path


requires_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


@requires_make
def test_make_writes_a_development_env_file_with_nothing_secret(tmp_path):
    """The file switches DEBUG on and sets nothing else (no key, no password)."""
    env_file = make_env_file(tmp_path)

    settings = [line for line in env_file.read_text().splitlines() if not line.startswith("#")]
    assert settings == ["DEBUG=true"]


@requires_make
def test_make_keeps_a_developers_edits_of_the_env_file(tmp_path):
    """.env is written once: running make again never overwrites what a developer changed."""
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=true\nDATABASE_URL=postgres://me@127.0.0.1:5432/mine\n")

    make_env_file(tmp_path)

    assert "DATABASE_URL=postgres://me@127.0.0.1:5432/mine" in env_file.read_text()


def test_the_env_file_is_never_committed():
    """.env is git-ignored, so a developer's settings stay on their machine."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    result = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", "--quiet", ".env"], timeout=30, check=False
    )
    assert result.returncode == 0


@requires_make
def test_after_make_a_new_shell_runs_manage_py_as_the_readme_writes_it(checkout):
    """No DEBUG in the environment: manage.py reads make's .env and the command runs."""
    make_env_file(checkout)

    result = manage("check", script=checkout / "manage.py")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_an_env_file_named_by_env_file_is_read(tmp_path):
    """ENV_FILE chooses another file (a second database, say)."""
    other = tmp_path / "postgres.env"
    other.write_text("DEBUG=true\n")

    result = manage("check", ENV_FILE=str(other))

    assert result.returncode == 0, result.stderr


def test_the_environment_wins_over_the_env_file(checkout):
    """DEBUG=false in the environment beats DEBUG=true in .env: production rules apply."""
    (checkout / ".env").write_text("DEBUG=true\n")

    result = manage("check", script=checkout / "manage.py", DEBUG="false")

    assert result.returncode == 1
    assert result.stderr == NO_SECRET_KEY + "\n"


def test_production_without_an_env_file_refuses_to_start_in_one_line(checkout):
    """No .env, no DEBUG, no SECRET_KEY: one line on stderr, exit status 1, no traceback."""
    result = manage("check", script=checkout / "manage.py")

    assert result.returncode == 1
    assert result.stderr == NO_SECRET_KEY + "\n"
    assert result.stdout == ""


def test_production_with_its_settings_starts_without_an_env_file(checkout):
    """A real key and DEBUG off: the command runs; nothing is needed from a file."""
    result = manage("check", script=checkout / "manage.py", DEBUG="false", SECRET_KEY=STRONG_KEY)

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DEBUG": "maybe"}, "error: DEBUG='maybe' is not a boolean (use true or false)."),
        (
            {"DEBUG": "false", "SECRET_KEY": "short"},
            "error: SECRET_KEY is too weak for production: use at least 50 random characters.",
        ),
        (
            {"DEBUG": "true", "SECURE_SSL_REDIRECT": "sometimes"},
            "error: SECURE_SSL_REDIRECT='sometimes' is not a boolean (use true or false).",
        ),
        (
            {"ENV_FILE": "/nonexistent/.env"},
            "error: ENV_FILE='/nonexistent/.env' is not a file.",
        ),
        (
            {"DEBUG": "true", "SQLITE_CACHE_MB": "0"},
            "error: SQLITE_CACHE_MB='0' is less than 1.",
        ),
    ],
    ids=["debug", "weak-key", "flag", "env-file", "too-small"],
)
def test_an_invalid_setting_is_one_line_naming_it(variables, message):
    """Whatever is wrong, the output is one line saying what, and the exit status is 1."""
    result = manage("check", **variables)

    assert result.returncode == 1
    assert result.stderr == message + "\n"


def test_an_invalid_setting_in_the_env_file_is_one_line_too(tmp_path):
    """A bad value read from .env is reported like one from the environment."""
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=yes please\n")

    result = manage("check", ENV_FILE=str(env_file))

    assert result.returncode == 1
    assert result.stderr == "error: DEBUG='yes please' is not a boolean (use true or false).\n"
