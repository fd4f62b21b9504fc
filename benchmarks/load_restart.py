"""PostgreSQL restarted under load: the restart, and how the requests around it fared.

Step 4 of ``benchmarks/load_test.py``: :func:`restart_postgresql` restarts the
server (Debian's ``pg_ctlcluster``) and times it; :func:`outcomes_by_window`
sorts every logged request into before / during / after the restart and by
outcome, and :func:`unexpected_failures` counts the failures the app does not
promise. Kept together because the windows are defined by the restart's times,
and apart from the report, which only renders them.
"""

import csv
import shlex
import subprocess
import time
from pathlib import Path

from benchmarks.load_setup import POSTGRES_ADMIN

# The PostgreSQL cluster the load database lives on (Debian's pg_ctlcluster).
POSTGRES_CLUSTER = ("15", "main")
# What a client can get; "no answer" is a connection refused, reset or cut.
OUTCOMES = [
    "ok",
    "503 + Retry-After",
    "503 without Retry-After",
    "500",
    "other status",
    "no answer",
]
WINDOWS = ["before", "during", "after"]


def restart_command() -> list[str]:
    """Debian's command that restarts the cluster (stop in fast mode, start, wait)."""
    return ["pg_ctlcluster", "--skip-systemctl-redirect", *POSTGRES_CLUSTER, "restart"]


def restart_postgresql() -> dict[str, float]:
    """Restart the PostgreSQL server; when it began, when the command returned, and when
    the server accepted a connection again (wall-clock seconds, as locust records them)."""
    import psycopg

    command = restart_command()
    print("$", shlex.join(command), flush=True)
    began = time.time()
    subprocess.run(command, check=True)
    returned = time.time()
    while True:
        try:
            psycopg.connect(POSTGRES_ADMIN, connect_timeout=2).close()
            break
        except psycopg.OperationalError:
            if time.time() - returned > 60:
                raise
            time.sleep(0.01)
    return {"began": began, "returned": returned, "ready": time.time()}


def outcome(row: dict[str, str]) -> str:
    """What the client got: one of OUTCOMES."""
    status = int(row["status"])
    if not status:
        return "no answer"
    if status < 400:
        return "ok"
    if status == 503:
        return "503 + Retry-After" if row["retry_after"] == "1" else "503 without Retry-After"
    return "500" if status == 500 else "other status"


def outcomes_by_window(log: Path, restart: dict[str, float]) -> dict:
    """Requests counted by window and outcome, and when the failures began and ended.

    before: finished before the restart began; during: in flight at some point
    between the restart's start and the database accepting connections again,
    or started in between; after: started once the database accepted
    connections again.
    """
    counts = {window: dict.fromkeys(OUTCOMES, 0) for window in WINDOWS}
    failed = []
    with log.open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            start, end = float(row["start"]), float(row["end"])
            if end < restart["began"]:
                window = "before"
            elif start >= restart["ready"]:
                window = "after"
            else:
                window = "during"
            result = outcome(row)
            counts[window][result] += 1
            if result != "ok":
                failed.append((start, end))
    first_failure = min((start for start, _ in failed), default=None)
    last_failure = max((end for _, end in failed), default=None)
    return {"counts": counts, "first_failure": first_failure, "last_failure": last_failure}


def unexpected_failures(windows: dict) -> int:
    """Failures the app does not promise: any before or after the restart, and during it
    anything but a 503 with Retry-After."""
    counts = windows["counts"]
    allowed = {"during": {"ok", "503 + Retry-After"}, "before": {"ok"}, "after": {"ok"}}
    return sum(
        number
        for window, outcomes in counts.items()
        for result, number in outcomes.items()
        if result not in allowed[window]
    )
