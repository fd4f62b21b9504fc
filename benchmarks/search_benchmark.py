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
import itertools
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
COMMON_WORDS = 150  # most frequent seed words, shared by all articles
COMMON_SHARE = 0.6  # share of an article's words taken from them
RARE_WORDS = 30000
TOPICS = 200
TOPICS_PER_ARTICLE = 3


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
    if connection.vendor == "postgresql":
        # Autovacuum would have analysed the table by now in a running system.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_article")
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
    """Synthetic vocabulary with realistic document frequencies.

    The most frequent words of the seed articles are shared by every article
    (so a word like the region's name matches nearly all of them, the worst
    case); the other seed words and a long tail of made-up words are spread
    over topics, and each article is about a few topics, so most words occur
    in a small share of the collection, as in real news.
    """

    def __init__(self, common, topics):
        self.common = common
        self.topics = topics

    @classmethod
    def from_seeds(cls, seeds_dir, rng):
        """Build the vocabulary from the words of the seed articles."""
        counts = Counter()
        for path in sorted(seeds_dir.glob("*.txt")):
            counts.update(w.lower() for w in re.findall(r"[A-Za-z]+", path.read_text("utf-8")))
        ranked = [word for word, _ in counts.most_common()]
        common = _WeightedWords(ranked[:COMMON_WORDS], [counts[w] for w in ranked[:COMMON_WORDS]])
        content = ranked[COMMON_WORDS:] + [_made_up_word(rng) for _ in range(RARE_WORDS)]
        rng.shuffle(content)
        topics = []
        for number in range(TOPICS):
            words = content[number::TOPICS]
            # Zipf within a topic: its first words are its frequent ones.
            topics.append(_WeightedWords(words, [1 / rank for rank in range(1, len(words) + 1)]))
        return cls(common, topics)

    def text(self, rng, topics, words):
        """``words`` words of sentences on ``topics``."""
        sentences = []
        while words > 0:
            length = min(words, rng.randint(8, 25))
            words -= length
            sentence = [
                (self.common if rng.random() < COMMON_SHARE else rng.choice(topics)).pick(rng)
                for _ in range(length)
            ]
            sentences.append(" ".join(sentence).capitalize() + ".")
        return " ".join(sentences)


class _WeightedWords:
    def __init__(self, words, weights):
        self.words = words
        self.cumulative = list(itertools.accumulate(weights))

    def pick(self, rng):
        return rng.choices(self.words, cum_weights=self.cumulative)[0]


def _made_up_word(rng):
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4))


def count_articles():
    from articles.models import Article

    return Article.objects.count()


def fill(target, vocabulary, rng):
    """Add synthetic articles until the database holds ``target`` of them."""
    from articles.models import Article

    existing = Article.objects.count()
    batch = []
    for number in range(existing, target):
        topics = rng.sample(vocabulary.topics, TOPICS_PER_ARTICLE)
        batch.append(
            Article(
                title=vocabulary.text(rng, topics, rng.randint(5, 12)).rstrip("."),
                slug=f"benchmark-{number}",
                source_file=f"benchmark-{number}.txt",
                body=vocabulary.text(rng, topics, rng.randint(*WORDS_PER_ARTICLE)),
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
    """Representative queries, from a word in nearly every article to no hit at all."""
    common = next(w for w in vocabulary.common.words if len(w) >= 6)
    first, second, third = vocabulary.topics[:3]
    return [
        ("word in nearly all articles", common),
        ("frequent topic word", first.words[0]),
        ("medium topic word", first.words[20]),
        ("rare word", first.words[-1]),
        ("two words", f"{first.words[1]} {first.words[5]}"),
        ("phrase", f'"{phrase_from_an_article()}"'),
        ("or", f"{second.words[0]} or {third.words[0]}"),
        ("exclusion", f"{first.words[0]} -{first.words[1]}"),
        ("no match", "zzzqxj"),
    ]


def phrase_from_an_article():
    """Two neighbouring words of a stored article, neither of them a stop word."""
    from articles.models import Article
    from articles.search import STOP_WORDS

    words = re.findall(r"[a-z]+", Article.objects.order_by("id").first().body.lower())
    return next(
        f"{a} {b}"
        for a, b in itertools.pairwise(words)
        if a not in STOP_WORDS and b not in STOP_WORDS and len(a) > 3 and len(b) > 3
    )


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
