"""The load of ``benchmarks/load_test.py``: locust headless against the server.

:func:`run_locust` runs ``benchmarks/locustfile.py`` (the simulated users),
restarts PostgreSQL half-way when asked to (:mod:`benchmarks.load_restart`) and
reads locust's statistics per endpoint group. Separate from preparing the
server (:mod:`benchmarks.load_setup`) and from the report
(:mod:`benchmarks.load_report`).
"""

import argparse
import csv
import os
import shlex
import subprocess
import time
from pathlib import Path

from benchmarks.load_restart import restart_postgresql
from benchmarks.load_setup import BIN, ROOT

# locustfile.py's endpoint groups, in the order the report lists them.
GROUPS = [
    "site: search",
    "site: article page",
    "site: entity page",
    "site: overview and lists",
    "api: lists",
    "api: article search",
]


def run_locust(port: int, arguments: argparse.Namespace, workdir: Path, before_restart):
    """Run locust headless, restarting PostgreSQL meanwhile when asked to.

    ``before_restart()`` is called just before the restart. Returns the
    per-group statistics, the command line, and the restart's times (or None).
    """
    prefix = workdir / "locust"
    command = [
        str(BIN / "locust"),
        "-f",
        "benchmarks/locustfile.py",
        "--host",
        f"http://127.0.0.1:{port}",
        "--headless",
        "--users",
        str(arguments.users),
        "--spawn-rate",
        str(arguments.spawn_rate),
        "--run-time",
        f"{arguments.duration}s",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    print("$", shlex.join(command), flush=True)
    env = {**os.environ, "LOAD_REQUEST_LOG": str(workdir / "requests.csv")}
    started = time.time()
    # locust exits 1 when any request failed; the report says which.
    locust = subprocess.Popen(command, cwd=ROOT, env=env)
    restart = None
    if arguments.restart:
        # Wait for the middle of the load, unless locust ends first (it failed to start).
        while locust.poll() is None and time.time() - started < arguments.restart_at:
            time.sleep(0.1)
        if locust.poll() is None:
            before_restart()
            restart = restart_postgresql()
            restart["locust_started"] = started
    locust.wait()
    with open(f"{prefix}_stats.csv", newline="") as stats_file:
        rows = list(csv.DictReader(stats_file))
    stats = []
    for row in rows:
        stats.append(
            {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": row["50%"],
                "p95": row["95%"],
                "p99": row["99%"],
                "max": round(float(row["Max Response Time"])),
            }
        )
    order = {name: index for index, name in enumerate([*GROUPS, "Aggregated"])}
    stats.sort(key=lambda row: order.get(row["name"], len(order)))
    return stats, command, restart
