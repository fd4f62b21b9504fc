"""The app under load test: its database, its data and its gunicorn server.

Steps 1 and 2 of ``benchmarks/load_test.py``: create (and afterwards drop) the
database of the run, migrate it and import articles through the real
management commands, and start gunicorn in a production environment. Separate
from the load itself (:mod:`benchmarks.load_locust`) and from the report
(:mod:`benchmarks.load_report`), which only need the paths and names defined
here.
"""

import os
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_NAME = "kaluga_load_web_wt"


def create_database(kind: str, workdir: Path) -> str:
    """A new, empty database of the given kind; its DATABASE_URL."""
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'load.sqlite3'}"
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_NAME}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{POSTGRES_NAME}"')
    return f"postgres://postgres@127.0.0.1:5432/{POSTGRES_NAME}"


def drop_database(kind: str) -> None:
    """Drop the PostgreSQL database the run created (a SQLite file goes with its directory)."""
    if kind != "postgresql":
        return
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_NAME}" WITH (FORCE)')


def production_env(database_url: str, throttle: str) -> dict[str, str]:
    """The environment of a production run on plain HTTP at 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        API_ANON_THROTTLE_RATE=throttle,
        LOG_LEVEL="ERROR",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    """Run a management command in the production environment; stop on failure."""
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(env: dict[str, str], workdir: Path, generated: int) -> int:
    """Migrate, import the seeds, the unseen test articles and generated ones; collect static.

    Returns the number of articles imported.
    """
    started = time.perf_counter()
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    synthetic = workdir / "generated"
    manage(env, "generate_corpus", str(generated), str(synthetic), "--verbosity", "0")
    sources = ["seeds", "tests/data/unseen", str(synthetic)]
    manage(env, "import_seeds", *sources)
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    count = sum(1 for source in sources for _ in (ROOT / source).glob("*.txt"))
    print(f"prepared {count} articles in {time.perf_counter() - started:.0f} s", flush=True)
    return count


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command(port: int, workers: int) -> list[str]:
    """The production server command (README: Running in production)."""
    return [
        str(BIN / "gunicorn"),
        "kaluga_cluster.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
    ]


def start_gunicorn(env: dict[str, str], port: int, workers: int, workdir: Path) -> subprocess.Popen:
    """Start gunicorn in the background; its output goes to a log in the work directory."""
    log = (workdir / "gunicorn.log").open("w")
    command = gunicorn_command(port, workers)
    print("$", shlex.join(command), flush=True)
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until_serving(port: int, server: subprocess.Popen) -> None:
    """Wait for /readyz to answer 200 (database reachable, migrated), or fail when gunicorn died."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer within 60 s")
