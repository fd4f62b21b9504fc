"""The Markdown report of ``benchmarks/load_test.py``, and its section of docs/load.md.

:func:`report` renders one run (the machine, CPU use, the table per endpoint
group, the restart's subsection, the commands to reproduce it) and
:func:`write_section` replaces that database's section of the report file.
Presentation only: the numbers come from :mod:`benchmarks.load_locust`,
:mod:`benchmarks.load_cpu` and :mod:`benchmarks.load_restart`.
"""

import datetime
import os
import platform
import shlex
import subprocess
from pathlib import Path

from benchmarks.load_restart import OUTCOMES, WINDOWS, restart_command, unexpected_failures
from benchmarks.load_setup import BIN, POSTGRES_ADMIN, ROOT, gunicorn_command


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
