"""Benchmark of the REST API lists: prints latency percentiles and queries per request.

Usage (from the project root)::

    DEBUG=true .venv/bin/python benchmarks/api_benchmark.py --articles 5000
    DEBUG=true .venv/bin/python benchmarks/api_benchmark.py --articles 5000 \\
        --database-url postgres://postgres@127.0.0.1:5432/kaluga_api_benchmark

It works on its own database (SQLite in the temporary directory by default;
a PostgreSQL database is created when missing), fills it once with synthetic
articles that each mention organisations, people and programs and state
metrics, then requests every list endpoint in-process (Django's test client,
so no network time) with 100 rows per page, as an anonymous client.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENTITIES = 300  # of each kind
MENTIONS_PER_ARTICLE = 3
METRICS_PER_ARTICLE = 2
WORDS = [
    "cluster",
    "plant",
    "export",
    "medicine",
    "investment",
    "training",
    "research",
    "grant",
    "factory",
]


def main():
    """Parse arguments, prepare the database, run and report the benchmark."""
    arguments = parse_arguments()
    os.environ["DATABASE_URL"] = arguments.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaluga_cluster.settings")
    # The benchmark measures the API, not the anonymous request budget.
    os.environ["API_ANON_THROTTLE_RATE"] = "1000000/minute"
    sys.path.insert(0, str(PROJECT_ROOT))
    create_postgres_database(arguments.database_url)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    fill(arguments.articles)
    report(arguments.repeats)


def parse_arguments():
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=30, help="requests per endpoint")
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{Path(tempfile.gettempdir()) / 'kaluga_api_benchmark.sqlite3'}",
    )
    return parser.parse_args()


def create_postgres_database(url: str) -> None:
    """Create the PostgreSQL database named by ``url`` when it does not exist."""
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def fill(count: int) -> None:
    """Create ``count`` synthetic articles with mentions and metrics, once."""
    from decimal import Decimal

    from articles.models import Article, OrganisationMention, PersonMention, ProgramMention
    from entities.models import Metric, Organisation, Person, Program

    if Article.objects.count() >= count:
        return
    print(f"filling {count} articles ...", flush=True)
    started = time.perf_counter()
    kinds = {}
    for model in (Organisation, Person, Program):
        noun = model._meta.model_name
        model.objects.bulk_create(
            model(name=f"{noun} {n}", slug=f"{noun}-{n}", normalized_name=f"{noun} {n}")
            for n in range(ENTITIES)
        )
        kinds[model] = list(model.objects.values_list("pk", flat=True))
    Article.objects.bulk_create(
        (
            Article(
                title=f"{WORDS[n % len(WORDS)]} news {n}",
                slug=f"news-{n}",
                source_file=f"{n:06d}.txt",
                body=" ".join(WORDS[(n + k) % len(WORDS)] for k in range(300)),
                content_hash=f"{n:064d}",
            )
            for n in range(count)
        ),
        batch_size=500,
    )
    article_ids = list(Article.objects.values_list("pk", flat=True))
    for mention_model, field, entity_model in (
        (OrganisationMention, "organisation_id", Organisation),
        (PersonMention, "person_id", Person),
        (ProgramMention, "program_id", Program),
    ):
        ids = kinds[entity_model]
        mention_model.objects.bulk_create(
            (
                mention_model(
                    article_id=article, spans=[[0, 5]], **{field: ids[(i * 7 + k) % ENTITIES]}
                )
                for i, article in enumerate(article_ids)
                for k in range(MENTIONS_PER_ARTICLE)
            ),
            batch_size=1000,
        )
    Metric.objects.bulk_create(
        (
            Metric(
                article_id=article,
                label="investment",
                value=Decimal(1000 * (i + k)),
                unit="RUB",
                raw_text=f"RUB {i + k} thousand",
                quote="Investors put in money.",
                start=k * 10,
                end=k * 10 + 5,
                organisation_id=kinds[Organisation][i % ENTITIES],
            )
            for i, article in enumerate(article_ids)
            for k in range(METRICS_PER_ARTICLE)
        ),
        batch_size=1000,
    )
    print(f"filled in {time.perf_counter() - started:.1f} s", flush=True)


def report(repeats: int) -> None:
    """Request each endpoint ``repeats`` times and print percentiles and query counts."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    requests = [
        "/api/articles/?page_size=100",
        "/api/articles/?page_size=100&search=investment%20plant",
        "/api/articles/?page_size=100&organisation=organisation-7",
        "/api/organisations/?page_size=100&ordering=-article_count",
        "/api/people/?page_size=100",
        "/api/programs/?page_size=100&search=program%201",
        "/api/metrics/?page_size=100&unit=RUB&value_min=5000",
        "/api/metrics/?page_size=100&format=csv",
    ]
    print(f"{'request':62} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for url in requests:
        timings = []
        for _ in range(repeats):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.content[:300])
        p95 = statistics.quantiles(timings, n=20)[18]
        print(f"{url:62} {statistics.median(timings):8.1f} {p95:8.1f} {len(queries):8d}")


if __name__ == "__main__":
    main()
