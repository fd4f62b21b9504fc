"""``make bench``: import N generated articles into PostgreSQL and SQLite and report.

Usage (from the project root)::

    .venv/bin/python -m benchmarks.run                       # 10,000 and 100,000 articles
    .venv/bin/python -m benchmarks.run --sizes 2000 --databases sqlite --repeats 10

For each size it writes a corpus with ``articles.corpus`` (the generator behind
``manage.py generate_corpus``), then, per database, starts a process that
migrates a database of its own (PostgreSQL: ``kaluga_bench_<size>_<pid>`` on
127.0.0.1:5432, created and dropped; SQLite: a temporary file), imports the
corpus twice and measures (see :mod:`benchmarks.measure`). Each result is
stored in ``--results`` (JSON, merged with earlier runs of other sizes or
databases) and the whole table is printed and written to ``--output``.
"""

import argparse
import datetime
import fcntl
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from benchmarks.report import render_markdown, render_table

PROJECT_ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_SERVER", "postgresql://postgres@127.0.0.1:5432")
DATABASES = ("postgresql", "sqlite")
DEFAULT_SIZES = (10_000, 100_000)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks the arguments ask for; 0 when every run finished."""
    arguments = _parser().parse_args(argv)
    if arguments.command == "child":
        return _child(arguments)
    if arguments.remeasure:
        return _remeasure(arguments)
    if arguments.report_only:
        _write_report(arguments.results, arguments.output)
        return 0
    results_path = arguments.results
    failed = False
    with _workdir(arguments.keep) as scratch:
        for size in arguments.sizes:
            corpus = scratch / f"corpus_{size}"
            started = time.perf_counter()
            from articles.corpus import write_corpus

            write_corpus(corpus, size, seed=arguments.seed)
            _say(f"{size} articles written in {time.perf_counter() - started:.1f} s")
            for database in arguments.databases:
                _say(f"{database}, {size} articles: importing and measuring ...")
                result = _run_one(database, size, corpus, arguments, scratch)
                if result is None:
                    failed = True
                    continue
                _store(results_path, database, size, result)
                _write_report(results_path, arguments.output)
    if arguments.output:
        _say(f"wrote {arguments.output}")
    return 1 if failed else 0


@contextmanager
def _workdir(keep: bool):
    """Where corpora and SQLite files go: removed afterwards unless ``keep``."""
    if keep:
        path = Path(tempfile.mkdtemp(prefix="kaluga_bench_"))
        _say(f"keeping corpora and databases: {path}")
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="kaluga_bench_") as scratch:
        yield Path(scratch)


def _remeasure(arguments) -> int:
    """Measure again the databases a ``--keep`` run left, without importing again.

    For when the app changed after a long import: the import's numbers stay,
    everything else is measured anew.
    """
    results = json.loads(arguments.results.read_text())
    failed = False
    for key, previous in sorted(results.items()):
        database, size = key.split("/")
        if int(size) not in arguments.sizes or database not in arguments.databases:
            continue
        if "database_url" not in previous:
            _say(f"{key}: not kept by its run (--keep); skipped")
            continue
        _say(f"{key}: measuring again ...")
        out = Path(previous["corpus"]).parent / f"remeasure_{database}_{size}.json"
        status = _child_process(
            arguments, previous["database_url"], Path(previous["corpus"]), out, skip_import=True
        )
        if status != 0:
            failed = True
            continue
        result = json.loads(out.read_text())
        for field in ("import", "records", "articles_in_corpus", "database_url", "corpus"):
            result[field] = previous[field]
        _store(arguments.results, database, int(size), result)
        _write_report(arguments.results, arguments.output)
    return 1 if failed else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=["run", "child"], default="run")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--databases", nargs="+", choices=DATABASES, default=list(DATABASES))
    parser.add_argument("--repeats", type=int, default=30, help="timed requests per measurement")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated corpus")
    parser.add_argument(
        "--import-budget",
        type=float,
        default=0,
        metavar="SECONDS",
        help="stop a fresh import after about this long and measure what was imported "
        "(the table marks the column partial; default: no limit)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep corpora and databases (for --remeasure)"
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="only (re)write --output from the results in --results",
    )
    parser.add_argument(
        "--remeasure",
        action="store_true",
        help="measure the databases a --keep run left again, without importing",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=PROJECT_ROOT / "docs" / "benchmarks.json",
        help="JSON file of all results (runs of other sizes or databases are kept)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=PROJECT_ROOT / "docs" / "benchmarks.md",
        help="Markdown report to (re)write from all results",
    )
    # Used by the parent for its child processes.
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--static-root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--skip-import", action="store_true", help=argparse.SUPPRESS)
    return parser


def _say(message: str) -> None:
    sys.stderr.write(f"[bench {datetime.datetime.now():%H:%M:%S}] {message}\n")
    sys.stderr.flush()


def _run_one(database: str, size: int, corpus: Path, arguments, scratch: Path) -> dict | None:
    """Measure one database at one size in a child process; its result, or None."""
    out = scratch / f"{database}_{size}.json"
    with _database(database, size, scratch, keep=arguments.keep) as url:
        status = _child_process(arguments, url, corpus, out)
    if status != 0:
        _say(f"{database}, {size} articles: FAILED (exit status {status})")
        return None
    result = json.loads(out.read_text())
    if arguments.keep:
        result.update(database_url=url, corpus=str(corpus))
    return result


def _child_process(arguments, url: str, corpus: Path, out: Path, *, skip_import=False) -> int:
    """Run the measurements against ``url`` in a new process; its exit status."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        # Production settings: DEBUG off (no query log), but plain HTTP
        # from the in-process test client.
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-" + "k" * 50,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        # The benchmark measures the API, not the anonymous request budget.
        "API_ANON_THROTTLE_RATE": "100000000/minute",
        "LOG_LEVEL": "ERROR",
    }
    command = [
        sys.executable,
        "-m",
        "benchmarks.run",
        "child",
        f"--corpus={corpus}",
        f"--json={out}",
        f"--repeats={arguments.repeats}",
        f"--seed={arguments.seed}",
        f"--static-root={out.parent / 'static'}",
        f"--import-budget={getattr(arguments, 'import_budget', 0)}",
        *(["--skip-import"] if skip_import else []),
    ]
    return subprocess.run(command, env=env, cwd=PROJECT_ROOT, check=False).returncode


@contextmanager
def _database(database: str, size: int, scratch: Path, *, keep: bool = False):
    """A new empty database for one run, dropped afterwards; yields its DATABASE_URL."""
    if database == "sqlite":
        path = scratch / f"bench_{size}.sqlite3"
        yield f"sqlite:///{path}"
        if keep:
            return
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = f"kaluga_bench_{size}_{os.getpid()}"
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_SERVER.replace('postgresql://', 'postgres://')}/{name}"
    finally:
        if not keep:
            with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _child(arguments) -> int:
    """In the child process: migrate, measure, write the result as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaluga_cluster.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from benchmarks.measure import measure, software_details

    # Pages link their static files through the manifest that production's
    # collectstatic writes: collect once per benchmark run, outside the project.
    settings.STATIC_ROOT = arguments.static_root
    if not (arguments.static_root / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    result = measure(
        arguments.corpus,
        repeats=arguments.repeats,
        seed=arguments.seed,
        do_import=not arguments.skip_import,
        import_budget=arguments.import_budget,
    )
    result["software"] = software_details()
    result["measured_on"] = datetime.date.today().isoformat()
    arguments.json.write_text(json.dumps(result))
    return 0


@contextmanager
def _locked(path: Path):
    """Exclusive use of ``path`` (runs of several sizes may share a results file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # The lock lives outside the project, so it never shows up in git.
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"kaluga_bench_{digest}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _store(path: Path, database: str, size: int, result: dict) -> None:
    with _locked(path):
        results = json.loads(path.read_text()) if path.exists() else {}
        results[f"{database}/{size}"] = result
        path.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")


def _write_report(results_path: Path, output: Path | None) -> None:
    with _locked(results_path):
        results = json.loads(results_path.read_text())
    print(render_table(results))
    if output:
        output.write_text(render_markdown(results, machine_details(), existing=output))


def machine_details() -> dict:
    """CPU model, cores and memory of this machine."""
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "system": f"{platform.system()} {platform.release()}",
    }


if __name__ == "__main__":
    sys.exit(main())
