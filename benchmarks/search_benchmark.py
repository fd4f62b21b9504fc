"""Benchmark of article search at scale: prints latency percentiles per kind of query.

Usage (from the project root)::

    DEBUG=true .venv/bin/python benchmarks/search_benchmark.py --articles 100000
    DEBUG=true .venv/bin/python benchmarks/search_benchmark.py --articles 100000 \\
        --database-url postgres://postgres@127.0.0.1:5432/kaluga_search_benchmark

It works on its own database (created when missing; SQLite by default in the
temporary directory), migrates it, and fills it with synthetic articles once:
sentences built from the words of ``seeds/`` plus a long tail of rare made-up
words, so term frequencies look like a real collection. Each measured request
is what the search page does: ``count()`` plus the first page of 20 results
with rank and headlines.
"""

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PAGE_SIZE = 20
WORDS_PER_ARTICLE = (150, 700)
RARE_WORDS = 30000


def main():
    """Parse arguments, prepare the database, run and report the benchmark."""
    arguments = parse_arguments()
    os.environ["DATABASE_URL"] = arguments.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaluga_cluster.settings")
    sys.path.insert(0, str(PROJECT_ROOT))
    create_postgres_database(arguments.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    rng = random.Random(arguments.seed)
    vocabulary = Vocabulary.from_seeds(PROJECT_ROOT / "seeds", rng)
    fill(arguments.articles, vocabulary, rng)
    out = sys.stdout
    out.write(f"database: {connection.vendor}, articles: {count_articles()}\n")
    out.write(f"{'query':42} {'matches':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}\n")
    all_timings = []
    for label, query in benchmark_queries(vocabulary):
        timings, matches = measure(query, arguments.runs)
        all_timings.extend(timings)
        out.write(
            f"{label + ': ' + query:42.42} {matches:8d} {percentile(timings, 50):8.1f} "
            f"{percentile(timings, 95):8.1f} {max(timings):8.1f}\n"
        )
    out.write(
        f"{'all queries':42} {'':8} {percentile(all_timings, 50):8.1f} "
        f"{percentile(all_timings, 95):8.1f} {max(all_timings):8.1f}\n"
    )


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="collection size")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per query")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the synthetic text")
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{Path(tempfile.gettempdir()) / 'kaluga_search_benchmark.sqlite3'}",
        help="database to fill and query (default: a SQLite file in the temp directory)",
    )
    return parser.parse_args()


def create_postgres_database(url):
    """Create the PostgreSQL benchmark database if it does not exist yet."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


class Vocabulary:
    """Words with frequencies: the seed articles' words and a Zipf tail of rare ones."""

    def __init__(self, words, weights):
        self.words = words
        self.cumulative = list(_accumulate(weights))

    @classmethod
    def from_seeds(cls, seeds_dir, rng):
        counts = Counter()
        for path in sorted(seeds_dir.glob("*.txt")):
            counts.update(re.findall(r"[A-Za-z]+", path.read_text(encoding="utf-8")))
        words = [word for word, _ in counts.most_common()]
        weights = [count * 50 for _, count in counts.most_common()]
        for rank in range(1, RARE_WORDS + 1):
            words.append(
                "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4))
            )
            weights.append(max(1, 2000 // rank))
        return cls(words, weights)

    def sentence(self, rng, length):
        words = rng.choices(self.words, cum_weights=self.cumulative, k=length)
        return " ".join(words).capitalize() + "."

    def by_frequency(self, position):
        """The word at ``position`` (0 = most frequent) among words of 5+ letters."""
        long_words = [w for w in self.words[: len(self.words) - RARE_WORDS] if len(w) >= 5]
        return long_words[position].lower()


def _accumulate(weights):
    total = 0
    for weight in weights:
        total += weight
        yield total


def count_articles():
    from articles.models import Article

    return Article.objects.count()


def fill(target, vocabulary, rng):
    """Add synthetic articles until the database holds ``target`` of them."""
    from articles.models import Article

    existing = Article.objects.count()
    batch = []
    for number in range(existing, target):
        length = rng.randint(*WORDS_PER_ARTICLE)
        sentences = [vocabulary.sentence(rng, rng.randint(8, 25)) for _ in range(length // 16)]
        batch.append(
            Article(
                title=vocabulary.sentence(rng, rng.randint(4, 10))[:-1],
                slug=f"benchmark-{number}",
                source_file=f"benchmark-{number}.txt",
                body=" ".join(sentences),
                content_hash=f"{number:064d}",
            )
        )
        if len(batch) == 2000:
            Article.objects.bulk_create(batch)
            batch = []
            sys.stdout.write(f"\rfilled {number + 1}/{target}")
            sys.stdout.flush()
    if batch:
        Article.objects.bulk_create(batch)
    if target > existing:
        sys.stdout.write("\n")


def benchmark_queries(vocabulary):
    """Representative queries: very common to rare words, phrases, OR, exclusion, no hit."""
    common, frequent, medium = (vocabulary.by_frequency(i) for i in (0, 10, 100))
    rare = vocabulary.words[-RARE_WORDS + 50]
    return [
        ("very common word", common),
        ("frequent word", frequent),
        ("medium word", medium),
        ("rare word", rare),
        ("two words", f"{frequent} {medium}"),
        ("phrase", f'"{common} {frequent}"'),
        ("or", f"{medium} or {rare}"),
        ("exclusion", f"{frequent} -{medium}"),
        ("no match", "zzzqxj"),
    ]


def measure(query, runs):
    """Milliseconds per request (count + first page) over ``runs`` runs, and the match count."""
    from articles.models import Article

    timings = []
    matches = 0
    for _ in range(runs):
        started = time.perf_counter()
        results = Article.objects.search(query).published()
        matches = results.count()
        page = list(results[:PAGE_SIZE])
        timings.append((time.perf_counter() - started) * 1000)
        assert len(page) == min(PAGE_SIZE, matches)
    return timings, matches


def percentile(values, percent):
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


if __name__ == "__main__":
    main()
