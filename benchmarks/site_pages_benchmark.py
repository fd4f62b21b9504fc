"""Benchmark of the visitor pages: prints render time and query count per page.

Usage (from the project root)::

    DEBUG=true .venv/bin/python benchmarks/site_pages_benchmark.py --articles 2000
    DEBUG=true .venv/bin/python benchmarks/site_pages_benchmark.py --articles 2000 \\
        --database-url postgres://postgres@127.0.0.1:5432/kaluga_site_benchmark

It builds a fresh synthetic database (SQLite in a temporary directory by
default; a PostgreSQL database is created when missing and emptied first):
articles with organisation, person and program mentions, positions and money
metrics. Each page is then requested through Django's test client, and the
median and 95th percentile of the full response time (view, queries and
template) are printed with the number of queries, which must not grow with
the data.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def parse_arguments():
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles to create")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page")
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{Path(tempfile.mkdtemp()) / 'site_benchmark.sqlite3'}",
        help="database to fill (default: a new SQLite file in a temporary directory)",
    )
    return parser.parse_args()


def setup_django(database_url):
    """Point Django at the benchmark database, create it if needed, and migrate."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaluga_cluster.settings")
    sys.path.insert(0, str(PROJECT_ROOT))
    if database_url.startswith("postgres"):
        import psycopg

        name = database_url.rsplit("/", 1)[1]
        admin_url = database_url.rsplit("/", 1)[0].replace("postgres://", "postgresql://")
        with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def fill(article_count):
    """Create the synthetic knowledge base in bulk; return one article, organisation, person."""
    from articles.models import Article, OrganisationMention, PersonMention, ProgramMention
    from entities.models import Metric, Organisation, Person, Position, Program

    rng = random.Random(7)
    words = [
        "cluster",
        "plant",
        "training",
        "investment",
        "region",
        "vaccine",
        "budget",
        "staff",
        "export",
        "research",
    ]
    organisations = [
        Organisation(name=f"Company {i}", slug=f"company-{i}", normalized_name=f"company {i}")
        for i in range(article_count // 10 + 5)
    ]
    people = [
        Person(name=f"Person {i}", slug=f"person-{i}", normalized_name=f"person {i}")
        for i in range(article_count // 10 + 5)
    ]
    programs = [
        Program(name=f"Program {i}", slug=f"program-{i}", normalized_name=f"program {i}")
        for i in range(article_count // 50 + 5)
    ]
    Organisation.objects.bulk_create(organisations)
    Person.objects.bulk_create(people)
    Program.objects.bulk_create(programs)
    articles = []
    for i in range(article_count):
        body = " ".join(rng.choice(words) for _ in range(300))
        articles.append(
            Article(
                title=f"Article {i} about {rng.choice(words)}",
                slug=f"article-{i}",
                source_file=f"{i:06d}.txt",
                body=body,
                content_hash=f"{i:064d}",
                published_on=datetime.date(2010, 1, 1) + datetime.timedelta(days=i % 4000),
            )
        )
    Article.objects.bulk_create(articles, batch_size=500)
    articles = list(Article.objects.order_by("pk"))
    organisations = list(Organisation.objects.all())
    people = list(Person.objects.all())
    programs = list(Program.objects.all())
    org_mentions, person_mentions, program_mentions, metrics, positions = [], [], [], [], []
    for index, article in enumerate(articles):
        for organisation in rng.sample(organisations, 4):
            org_mentions.append(
                OrganisationMention(article=article, organisation=organisation, spans=[[0, 7]])
            )
        for person in rng.sample(people, 2):
            person_mentions.append(PersonMention(article=article, person=person, spans=[[8, 13]]))
        program_mentions.append(
            ProgramMention(article=article, program=rng.choice(programs), spans=[[14, 20]])
        )
        for offset in range(3):
            metrics.append(
                Metric(
                    label="investment",
                    value=Decimal(rng.randint(1, 5000)) * 10**6,
                    unit=rng.choice(["RUB", "EUR", "USD", "%"]),
                    raw_text="RUR 1 Million",
                    year=2010 + index % 12,
                    organisation=rng.choice(organisations),
                    article=article,
                    quote="A sentence with a figure.",
                    start=100 + offset * 20,
                    end=110 + offset * 20,
                )
            )
    for index, person in enumerate(people):
        positions.append(
            Position(
                person=person,
                title="Director",
                organisation=organisations[index % len(organisations)],
                article=articles[index % len(articles)],
            )
        )
    OrganisationMention.objects.bulk_create(org_mentions, batch_size=1000)
    PersonMention.objects.bulk_create(person_mentions, batch_size=1000)
    ProgramMention.objects.bulk_create(program_mentions, batch_size=1000)
    Metric.objects.bulk_create(metrics, batch_size=1000)
    Position.objects.bulk_create(positions, batch_size=1000)
    return articles[0], organisations[0], people[0]


def measure(client, url, repeat):
    """Median and 95th percentile response time in ms, and the query count, of one page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (templates, prepared statements)
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return statistics.median(timings), p95, len(queries)


def main():
    """Fill the database, request every page, print a table."""
    arguments = parse_arguments()
    setup_django(arguments.database_url)
    from django.test import Client

    started = time.perf_counter()
    article, organisation, person = fill(arguments.articles)
    print(
        f"filled {arguments.articles} articles in {time.perf_counter() - started:.1f} s "
        f"({arguments.database_url.split(':', 1)[0]})"
    )
    client = Client()
    pages = [
        "/",
        "/articles/",
        "/articles/?q=vaccine",
        f"/articles/?organisation={organisation.slug}",
        article.get_absolute_url(),
        "/organisations/",
        organisation.get_absolute_url(),
        "/people/",
        person.get_absolute_url(),
        "/programs/",
        "/metrics/?year_min=2020",
        "/metrics/",
    ]
    print(f"{'page':<40} {'median ms':>10} {'p95 ms':>10} {'queries':>8}")
    for url in pages:
        median, p95, queries = measure(client, url, arguments.repeat)
        print(f"{url:<40} {median:>10.1f} {p95:>10.1f} {queries:>8}")


if __name__ == "__main__":
    main()
