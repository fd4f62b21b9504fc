"""The import under faults, with real processes: killed, interrupted, run twice at once.

Each test runs ``manage.py import_seeds`` as a child process against a
database of its own, of the kind the suite runs on (a SQLite file, or a
PostgreSQL database created for the test), and looks at the database and
the processes from outside, as an operator would.
"""

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from articles.corpus import write_corpus

ROOT = Path(__file__).resolve().parents[2]
# Enough for the extraction workers to start (articles.services.PARALLEL_MIN_FILES).
FILES = 120
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")
SERVER = "postgresql://postgres@127.0.0.1:5432"
INTERRUPTED = re.compile(r"^interrupted: (\d+) imported, (\d+) left; run again to continue$")


@dataclass
class Database:
    """A migrated database for child processes, and a way to look into it."""

    url: str
    env: dict[str, str]

    def query(self, sql: str) -> list[tuple]:
        if self.url.startswith("postgres"):
            with psycopg.connect(self.url.replace("postgres://", "postgresql://")) as conn:
                return conn.execute(sql).fetchall()
        with sqlite3.connect(self.url.removeprefix("sqlite:///")) as conn:
            return conn.execute(sql).fetchall()

    def articles(self) -> int:
        return self.query("SELECT count(*) FROM articles_article")[0][0]


def _server_execute(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _environment(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=url, DEBUG="true", LOG_LEVEL="WARNING")
    return env


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory):
    """One migrated database per module; each test gets a copy (migrating takes seconds)."""
    if ON_POSTGRESQL:
        name = f"kaluga_faults_template_{uuid.uuid4().hex[:8]}"
        _server_execute(f"CREATE DATABASE {name}")
        url = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'db.sqlite3'}"
    manage("migrate", "--noinput", env=_environment(url), check=True)
    yield url
    if ON_POSTGRESQL:
        _server_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def database(migrated_template, tmp_path):
    if ON_POSTGRESQL:
        template = migrated_template.rsplit("/", 1)[1]
        name = f"kaluga_faults_{uuid.uuid4().hex[:8]}"
        _server_execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        url = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        path = tmp_path / "db.sqlite3"
        shutil.copy(migrated_template.removeprefix("sqlite:///"), path)
        url = f"sqlite:///{path}"
    yield Database(url, _environment(url))
    if ON_POSTGRESQL:
        _server_execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("corpus")
    write_corpus(directory, FILES, seed=7)
    return directory


def manage(*arguments, env, check=False, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=check,
    )  # fmt: skip


def start_import(database: Database, corpus: Path, *options) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_seeds", str(corpus), *options],
        cwd=ROOT, env=database.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def wait_until(condition, *, timeout=120.0, what="condition"):
    # Generous: a loaded CI machine starts Django and the extractor slowly; only
    # a condition that never comes should fail here.
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def children_of(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, parent = fields[0], int(fields[1])
        if parent == pid and state != "Z":
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` is a running process (a zombie has exited)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def worker_pids(pid: int) -> list[int]:
    """The extraction workers of import process ``pid`` (spawned interpreters)."""
    return [
        child
        for child in children_of(pid)
        if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()
    ]


def test_a_killed_import_leaves_no_worker_and_no_lock_behind(database, corpus):
    """kill -9 mid-run: the workers die with it, nothing holds the database, a re-run ends it."""
    run = start_import(database, corpus, "--workers", "2")
    wait_until(lambda: len(worker_pids(run.pid)) == 2, what="two extraction workers")
    workers = worker_pids(run.pid)
    wait_until(lambda: database.articles() > 0, what="the first imported article")
    run.kill()
    run.wait(timeout=10)
    wait_until(lambda: not any(map(alive, workers)), timeout=3, what="the workers to exit")
    if ON_POSTGRESQL:
        name = database.url.rsplit("/", 1)[1]
        left_open = f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{name}'"
        wait_until(lambda: database.query(left_open)[0][0] == 1, timeout=3, what="no session")
    again = manage("import_seeds", str(corpus), "--workers", "2", env=database.env, timeout=120)
    assert again.returncode == 0, again.stderr
    assert database.articles() == FILES


def test_two_imports_at_once_share_the_work_and_both_succeed(database, corpus):
    """Started together: one imports, the other waits, says so, then finds nothing left."""
    runs = [start_import(database, corpus, "--workers", "0") for _ in range(2)]
    outputs = [run.communicate(timeout=180) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    waited = [out for out, err in outputs if err.startswith("waiting: another import")]
    assert len(waited) == 1, outputs
    assert f"Files: {FILES} seen, 0 imported (0 new, 0 updated), {FILES} unchanged" in waited[0]
    assert sorted(err for _, err in outputs)[0] == ""  # the other said nothing on stderr
    assert database.articles() == FILES


@pytest.mark.parametrize(
    ("sent", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "term"]
)
def test_an_interrupted_import_says_what_is_left_and_a_rerun_finishes(
    database, corpus, sent, exit_code
):
    run = start_import(database, corpus, "--workers", "0")
    wait_until(lambda: database.articles() >= 3, what="a few imported articles")
    run.send_signal(sent)
    out, err = run.communicate(timeout=60)
    assert run.returncode == exit_code
    assert "Traceback" not in out + err
    last = err.strip().splitlines()[-1]
    imported, left = map(int, INTERRUPTED.match(last).groups())
    # Every file the run reported imported is whole in the database; none is half there.
    assert database.articles() == imported
    assert imported + left == FILES
    again = manage("import_seeds", str(corpus), "--workers", "0", env=database.env)
    assert again.returncode == 0, again.stderr
    assert f"{left} imported ({left} new, 0 updated), {imported} unchanged" in again.stdout
    assert database.articles() == FILES


def test_an_import_waiting_for_another_gives_up_on_ctrl_c(database, corpus):
    """Ctrl-C while waiting for the lock: nothing imported by it, exit 130, no traceback."""
    first = start_import(database, corpus, "--workers", "0")
    wait_until(lambda: database.articles() > 0, what="the first import to start writing")
    second = start_import(database, corpus, "--workers", "0")
    second.stderr.readline()  # "waiting: ..."
    second.send_signal(signal.SIGINT)
    _, err = second.communicate(timeout=30)
    assert second.returncode == 130
    assert "Traceback" not in err
    assert INTERRUPTED.match(err.strip().splitlines()[-1]).groups() == ("0", str(FILES))
    first.communicate(timeout=180)
    assert first.returncode == 0
