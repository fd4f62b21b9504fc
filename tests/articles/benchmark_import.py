"""Benchmark of the import: the seeds, then N generated articles, then N unchanged.

Run against a throw-away test database of the configured backend:

    DEBUG=true .venv/bin/python -m tests.articles.benchmark_import --files 1000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaluga_bench DEBUG=true \\
        .venv/bin/python -m tests.articles.benchmark_import --files 1000

The generated articles recombine invented paragraphs with varied names and
numbers (nothing from the seed articles); they are written to a temporary
directory and deleted afterwards. Prints times and files per second.
"""

import argparse
import io
import os
import random
import tempfile
import time
from pathlib import Path

import django

FIRST_NAMES = ["Marta", "Peter", "Helena", "Oleg", "Daria", "Ivan", "Sofia", "Anton", "Elena"]
LAST_NAMES = ["Kowalski", "Lindqvist", "Markova", "Petrenko", "Sokolova", "Varga", "Orlov"]
NAME_PARTS = ["North", "East", "River", "Stone", "Silver", "Oak", "Bright", "Blue", "Iron"]
NAME_ENDS = ["wind", "gate", "field", "brook", "ridge", "well", "crest", "vale"]
BUSINESSES = ["Pharma", "Biologics", "Laboratories", "Medical", "Biotech", "Chemicals"]
TOWNS = ["Obninsk", "Borovsk", "Lyudinovo", "Kozelsk", "Maloyaroslavets", "Zhukov"]
MONTHS = ["January", "March", "May", "June", "September", "October", "November"]
TITLES = ["General Director", "Executive Director", "Chairman of the Board", "Head of R&D"]
PROGRAMS = ["Clean Production", "Young Scientists", "Export Support", "Green Pharmacy"]

HEADLINES = [
    "{company} Opens a New Production Line in {town}",
    "{company} to Invest RUB {amount} Million in {town} by {target_year}",
    "Regional Cluster Welcomes {company}",
]
PARAGRAPHS = [
    "On {month} {day}, {year} {company} LLC started a production line for {product} at its "
    "{town} plant. The company invested over RUB {amount} million in the project, said "
    "{person}, {title} of {company}.",
    "{person}, {title} of {company}, noted that the plant will employ {staff} people and "
    "produce up to {volume} million packs a year.",
    "The project is part of the regional {program} program, which supports {count} companies "
    "in {town} and the neighbouring districts.",
    "According to the Ministry of Economic Development of the region, the share of "
    "pharmaceutical production grew by {share}% in {year}.",
    "{other_company} JSC will supply raw materials; its {title}, {other_person}, called the "
    "agreement an important step for both companies.",
    "Training of staff is organised with the {town} College of Technology, where about "
    "{students} students study under the {program} program.",
]
PRODUCTS = ["tablets", "injectable drugs", "vaccines", "ointments", "diagnostic kits"]


def company(rng):
    return f"{rng.choice(NAME_PARTS)}{rng.choice(NAME_ENDS)} {rng.choice(BUSINESSES)}"


def person(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def article_text(rng: random.Random) -> str:
    """One invented article: headline, optional dateline, three to six paragraphs."""
    values = {
        "company": company(rng),
        "other_company": company(rng),
        "person": person(rng),
        "other_person": person(rng),
        "title": rng.choice(TITLES),
        "town": rng.choice(TOWNS),
        "program": rng.choice(PROGRAMS),
        "product": rng.choice(PRODUCTS),
        "month": rng.choice(MONTHS),
        "day": rng.randint(1, 28),
        "year": rng.randint(2010, 2020),
        "target_year": rng.randint(2021, 2030),
        "amount": rng.randint(10, 900),
        "staff": rng.randint(20, 400),
        "volume": rng.randint(1, 90),
        "count": rng.randint(5, 80),
        "share": rng.randint(2, 30),
        "students": rng.randint(50, 900),
    }
    paragraphs = [PARAGRAPHS[0], *rng.sample(PARAGRAPHS[1:], rng.randint(2, 5))]
    lines = [rng.choice(HEADLINES), ""]
    if rng.random() < 0.5:
        lines += ["Print {day} {month} {year}", "Regional Business Herald", ""]
    for paragraph in paragraphs:
        lines += [paragraph, ""]
    lines += ["Share on:"]
    return "\n".join(lines).format(**values)


def write_corpus(directory: Path, count: int, seed: int = 2014) -> None:
    """Write ``count`` generated articles into ``directory``."""
    rng = random.Random(seed)
    for number in range(count):
        (directory / f"gen_{number:05d}.txt").write_text(article_text(rng), encoding="utf-8")


def timed_import(path: Path) -> tuple[float, str]:
    """Import ``path`` with the real command; return seconds and the summary."""
    from django.core.management import call_command

    out = io.StringIO()
    started = time.perf_counter()
    call_command("import_seeds", str(path), stdout=out, stderr=io.StringIO())
    return time.perf_counter() - started, out.getvalue()


def timed_extraction(path: Path) -> float:
    """Seconds to parse and extract every file of ``path`` without any database work."""
    from articles.parsing import decode_article, parse_article
    from entities.extraction import extract

    started = time.perf_counter()
    for file in sorted(path.glob("*.txt")):
        parsed = parse_article(decode_article(file.read_bytes()))
        extract(parsed.body, title=parsed.title)
    return time.perf_counter() - started


def main() -> None:
    """Create a test database, run the three imports, print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaluga_cluster.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        if connection.vendor == "sqlite":
            # A file, not the in-memory test database, to measure real writes.
            connection.settings_dict["TEST"]["NAME"] = str(scratch / "bench.sqlite3")
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            corpus = scratch / "corpus"
            corpus.mkdir()
            write_corpus(corpus, options.files)
            print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
            seconds = timed_extraction(corpus)
            print(f"{options.files} generated, parse + extract only: {seconds:.2f} s")
            for label, path in (
                ("seeds", Path(settings.BASE_DIR) / "seeds"),
                (f"{options.files} generated, first run", corpus),
                (f"{options.files} generated, unchanged", corpus),
            ):
                seconds, summary = timed_import(path)
                files = len(list(path.glob("*.txt")))
                print(f"{label}: {seconds:.2f} s, {files / seconds:.0f} files/s")
                print("  " + summary.strip().splitlines()[1])
        finally:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
