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
"""

import argparse
import csv
import datetime
import os
import platform
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_NAME = "kaluga_load_web_wt"
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
GROUPS = [
    "site: search",
    "site: article page",
    "site: entity page",
    "site: overview and lists",
    "api: lists",
    "api: article search",
]


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


class CpuMeter:
    """CPU time used during the load by gunicorn, locust, the database and everything else.

    The machine may be shared, so the report says how much of it the run had.
    """

    def __init__(self, gunicorn_pid: int, database: str):
        import psutil

        self.psutil = psutil
        self.database = database
        self.started = time.monotonic()
        self.busy = self._system_busy()
        self.gunicorn = self._tree_seconds(gunicorn_pid)
        self.gunicorn_pid = gunicorn_pid
        self.children = self._children_seconds()
        self.backends = self._backend_seconds()
        self.database_seconds = 0.0

    def checkpoint(self) -> None:
        """Count the database backends' CPU so far (a restart is about to end them)."""
        self.database_seconds += self._database_seconds()
        self.backends = {}

    def stop(self) -> dict[str, float]:
        """Average cores busy since the start, by whom (and the seconds elapsed)."""
        elapsed = time.monotonic() - self.started
        gunicorn = self._tree_seconds(self.gunicorn_pid) - self.gunicorn
        locust = self._children_seconds() - self.children
        database = self.database_seconds + self._database_seconds()
        busy = self._system_busy() - self.busy
        other = max(busy - gunicorn - locust - database, 0.0)
        used = {"gunicorn": gunicorn, "locust": locust, "database": database, "other": other}
        return {"elapsed": elapsed, **{name: seconds / elapsed for name, seconds in used.items()}}

    def _database_seconds(self) -> float:
        """CPU seconds of the load database's backends since the last baseline."""
        backends = self._backend_seconds()
        return sum(seconds - self.backends.get(pid, 0.0) for pid, seconds in backends.items())

    def _system_busy(self) -> float:
        times = self.psutil.cpu_times()
        return sum(times) - times.idle - getattr(times, "iowait", 0.0)

    def _tree_seconds(self, pid: int) -> float:
        process = self.psutil.Process(pid)
        total = 0.0
        for member in [process, *process.children(recursive=True)]:
            times = member.cpu_times()
            total += times.user + times.system
        return total

    @staticmethod
    def _children_seconds() -> float:
        # locust is a waited-for child of this script by the time stop() runs.
        import resource

        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def _backend_seconds(self) -> dict[int, float]:
        """CPU seconds of the PostgreSQL backends serving the load database."""
        if self.database != "postgresql":
            return {}
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN) as connection:
            pids = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [POSTGRES_NAME]
            ).fetchall()
        seconds = {}
        for (pid,) in pids:
            try:
                times = self.psutil.Process(pid).cpu_times()
            except self.psutil.Error:
                continue
            seconds[pid] = times.user + times.system
        return seconds


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


def machine_details(database_url: str) -> list[str]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    versions = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "import django, gunicorn, locust, sqlite3; "
            "print(django.get_version(), gunicorn.__version__, locust.__version__, "
            "sqlite3.sqlite_version)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    database = f"SQLite {versions[3]} (WAL)"
    if database_url.startswith("postgres"):
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN) as connection:
            version = connection.execute("SHOW server_version").fetchone()[0]
        database = f"PostgreSQL {version.split()[0]} on 127.0.0.1"
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, Django {versions[0]}, gunicorn {versions[1]}, "
        f"locust {versions[2]}; database: {database}",
        "- locust, gunicorn and the database share the machine",
    ]


def report(
    arguments, stats, command, articles: int, database_url: str, cpu: dict, restart, windows
) -> str:
    """The Markdown section for this run."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    label = "PostgreSQL" if arguments.database == "postgresql" else "SQLite"
    total = next(row["requests"] for row in stats if row["name"] == "Aggregated")
    cpu_per_request = cpu["gunicorn"] * cpu["elapsed"] * 1000 / max(total, 1)
    lines = [
        f"## {label}",
        "",
        f"Measured {now}: {arguments.users} users for {arguments.duration} s, gunicorn with "
        f"{arguments.workers} sync workers, {articles} articles "
        f"(seeds/, tests/data/unseen/, {arguments.generated} generated), "
        f"`API_ANON_THROTTLE_RATE={arguments.throttle}`.",
        "",
        *machine_details(database_url),
        f"- CPU during the run, in cores busy on average (of {os.cpu_count()}): gunicorn "
        f"{cpu['gunicorn']:.2f}, locust {cpu['locust']:.2f}, "
        + (
            f"PostgreSQL {cpu['database']:.2f}, "
            if arguments.database == "postgresql"
            else "(SQLite works inside gunicorn), "
        )
        + f"other jobs on the machine {cpu['other']:.2f}",
        f"- gunicorn's CPU time per request: {cpu_per_request:.0f} ms on average, so "
        f"each core given to it alone would serve about {1000 / cpu_per_request:.0f} "
        "requests/s of this mix",
        "",
        "| endpoint group | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in stats:
        name = "**all**" if row["name"] == "Aggregated" else row["name"]
        lines.append(
            f"| {name} | {row['requests']} | {row['failures']} | {row['rps']:.1f} | "
            f"{row['p50']} | {row['p95']} | {row['p99']} | {row['max']} |"
        )
    if restart is not None:
        lines += ["", *restart_report(restart, windows, summarised=total)]
    reproduce = f"make load LOAD_DATABASES={arguments.database}"
    options = f"--database {arguments.database} --users {arguments.users} "
    options += f"--duration {arguments.duration}"
    if restart is not None and arguments.restart_at != arguments.duration / 2:
        options += f" --restart-at {arguments.restart_at:g}"
    if arguments.database == "postgresql" and restart is None:
        options += " --no-restart"
    commands = [
        shlex.join(display(gunicorn_command(0, arguments.workers))).replace(":0", ":PORT"),
        shlex.join(display(command)),
    ]
    if restart is not None:
        after = restart["began"] - restart["locust_started"]
        commands.append(f"{shlex.join(restart_command())}   # {after:.0f} s after locust started")
    lines += [
        "",
        f"Reproduce: `{reproduce}`, i.e. `.venv/bin/python benchmarks/load_test.py "
        f"{options}`, which ran:",
        "",
        "```sh",
        *commands,
        "```",
    ]
    return "\n".join(lines) + "\n"


def restart_report(restart: dict[str, float], windows: dict, summarised: int) -> list[str]:
    """The restart's subsection: its timing and the requests by window and outcome.

    ``summarised`` is the number of requests in locust's summary table.
    """
    began = restart["began"]
    into_load = began - restart["locust_started"]
    logged = sum(sum(counts.values()) for counts in windows["counts"].values())
    lines = [
        "### PostgreSQL restarted under load",
        "",
        f"`pg_ctlcluster` restarted PostgreSQL {into_load:.1f} s after locust started; the "
        f"command took {restart['returned'] - began:.2f} s and the server accepted connections "
        f"{restart['ready'] - began:.2f} s after the restart began. The error counts above "
        "include the 503s answered meanwhile.",
        "",
        f"Every request locust made ({logged}) by outcome"
        + (
            f" (the summary above counts {summarised}: locust writes it once a second, so it "
            "misses requests that ended in the run's last second)"
            if logged != summarised
            else ""
        )
        + ":",
        "",
        "| window | requests | " + " | ".join(OUTCOMES) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in OUTCOMES) + " |",
    ]
    labels = {
        "before": "before (finished before the restart began)",
        "during": "during (in flight or started while it ran)",
        "after": "after (started once the database accepted connections)",
    }
    for window in WINDOWS:
        counts = windows["counts"][window]
        cells = " | ".join(str(counts[result]) for result in OUTCOMES)
        lines.append(f"| {labels[window]} | {sum(counts.values())} | {cells} |")
    first, last = windows["first_failure"], windows["last_failure"]
    lines.append("")
    if first is None:
        lines.append("No request failed.")
    else:
        lines.append(
            f"Failed requests started from {first - began:+.2f} s and ended by "
            f"{last - began:+.2f} s relative to the start of the restart."
        )
    unexpected = unexpected_failures(windows)
    lines.append(
        "Verdict: "
        + (
            "no request failed before the restart or after it completed, and those during it "
            "failed only with 503 and Retry-After."
            if not unexpected
            else f"{unexpected} requests failed other than as promised (see the table)."
        )
    )
    return lines


def display(command: list[str]) -> list[str]:
    """A command as the report shows it: paths relative to the project, no temporary files."""
    shown = []
    for part in command:
        if shown and shown[-1] == "--csv":
            part = "<work dir>/locust"
        elif shown and shown[-1] == "--host":
            part = "http://127.0.0.1:PORT"
        shown.append(str(part).replace(str(ROOT) + "/", ""))
    return shown


def write_section(output: Path, database: str, section: str) -> None:
    """Replace this database's section of the report (between its markers), keep the rest."""
    begin, end = f"<!-- load:{database}:begin -->", f"<!-- load:{database}:end -->"
    text = output.read_text(encoding="utf-8") if output.exists() else ""
    block = f"{begin}\n{section}{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
