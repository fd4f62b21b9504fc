"""Load test: the app under gunicorn (DEBUG off) against locust, results in docs/load.md.

Usage (from the project root; ``make load`` runs both databases)::

    .venv/bin/python benchmarks/load_test.py --database postgresql
    .venv/bin/python benchmarks/load_test.py --database sqlite --users 50 --duration 60

For each run it

1. creates a fresh database (a temporary SQLite file, or the PostgreSQL
   database ``kaluga_load_web_wt`` on 127.0.0.1:5432, dropped afterwards),
   migrates it and imports ``seeds/``, ``tests/data/unseen/`` and a few hundred
   generated articles of the same shape through the real ``import_seeds``;
2. collects the static files and starts gunicorn on a free port of 127.0.0.1
   with a production environment (DEBUG off, a random SECRET_KEY,
   ALLOWED_HOSTS=127.0.0.1, SECURE_SSL_REDIRECT=false for plain HTTP) and the
   API's anonymous throttle raised (API_ANON_THROTTLE_RATE), since all the
   simulated clients share one address;
3. runs locust headless (``benchmarks/locustfile.py``) and writes p50/p95/p99,
   requests/s and errors per endpoint group, with the machine's details and
   the command, into this database's section of docs/load.md;
4. for PostgreSQL, restarts the database server half-way through the load
   (``pg_ctlcluster --skip-systemctl-redirect 15 main restart``; ``--restart-at``
   moves it, ``--no-restart`` leaves the server alone) and counts every request
   by outcome in three windows: finished before the restart began, in flight
   or started while it ran, started after the database accepted connections
   again.

It exits non-zero when any request failed, except, while the database
restarts, 503 answers with a Retry-After header: those are the app's promised
answer to an outage. A failure after the restart, a 500, a 503 without
Retry-After or a dropped connection fails the run.

This file is the entry point (options, the order of the steps, the exit
status); the steps are in modules of their own: ``load_setup`` (database,
data, gunicorn), ``load_locust`` (the load), ``load_restart`` (the PostgreSQL
restart and the requests around it), ``load_cpu`` (CPU use) and
``load_report`` (the Markdown section).
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

if not __package__:
    # Run as a file (``make load``: python benchmarks/load_test.py), Python puts
    # benchmarks/ on the path, not the project root the imports below need.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.load_cpu import CpuMeter
from benchmarks.load_locust import run_locust
from benchmarks.load_report import report, write_section
from benchmarks.load_restart import outcomes_by_window, unexpected_failures
from benchmarks.load_setup import (
    ROOT,
    create_database,
    drop_database,
    free_port,
    prepare,
    production_env,
    start_gunicorn,
    wait_until_serving,
)


def main() -> int:
    """Prepare the database, serve, load, report; the exit status says whether all succeeded."""
    arguments = parse_arguments()
    workdir = Path(tempfile.mkdtemp(prefix="kaluga_load_"))
    database_url = create_database(arguments.database, workdir)
    env = production_env(database_url, arguments.throttle)
    try:
        articles = prepare(env, workdir, arguments.generated)
        port = free_port()
        server = start_gunicorn(env, port, arguments.workers, workdir)
        try:
            wait_until_serving(port, server)
            meter = CpuMeter(server.pid, arguments.database)
            stats, command, restart = run_locust(
                port, arguments, workdir, before_restart=meter.checkpoint
            )
            cpu = meter.stop()
        finally:
            server.terminate()
            server.wait(timeout=30)
        windows = outcomes_by_window(workdir / "requests.csv", restart) if restart else None
        section = report(arguments, stats, command, articles, database_url, cpu, restart, windows)
        write_section(arguments.output, arguments.database, section)
        print(section)
    finally:
        drop_database(arguments.database)
        shutil.rmtree(workdir, ignore_errors=True)
    if windows is None:
        failures = sum(row["failures"] for row in stats if row["name"] == "Aggregated")
    else:
        failures = unexpected_failures(windows)
    return 1 if failures else 0


def parse_arguments() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--generated", type=int, default=300, help="generated articles")
    parser.add_argument("--throttle", default="1000000/minute", help="API_ANON_THROTTLE_RATE")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "load.md")
    parser.add_argument(
        "--restart-at",
        type=float,
        help="seconds after locust starts to restart PostgreSQL (default: half the duration)",
    )
    parser.add_argument(
        "--no-restart", action="store_true", help="do not restart PostgreSQL during the load"
    )
    arguments = parser.parse_args()
    arguments.restart = arguments.database == "postgresql" and not arguments.no_restart
    if arguments.restart_at is None:
        arguments.restart_at = arguments.duration / 2
    return arguments


if __name__ == "__main__":
    sys.exit(main())
