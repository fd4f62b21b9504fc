"""The measurements of one benchmark run, inside a configured Django process.

:func:`measure` imports a corpus with the real ``import_seeds`` command into
the (empty, migrated) default database and times what visitors and API
clients do with it. Requests go through Django's test client in-process: no
network or WSGI server time, the same for both databases. Query counts come
from ``CaptureQueriesContext``.

:mod:`benchmarks.run` starts one process per database and size, with
production settings (``DEBUG`` off, so nothing records every query).
"""

import io
import json
import logging
import platform
import sqlite3
import time
from pathlib import Path

import django
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.corpus import search_terms
from articles.models import Article, OrganisationMention, PersonMention, ProgramMention
from articles.search import SearchResultsPaginator, parse_query
from benchmarks.measure_reconcile import measure_reconciliation
from entities.models import Metric, Organisation
from kaluga_cluster.startup import freeze_startup_heap

logger = logging.getLogger(__name__)

SEARCH_PAGE_SIZE = 20  # the site's page size
API_PAGE_SIZE = 100


def search_queries(seed: int) -> list[tuple[str, str]]:
    """The fixed benchmark queries, from a word in nearly every article to no match at all."""
    terms = search_terms(seed)
    return [
        ("word in most articles", "cluster"),
        ("word in some articles", "vaccines"),
        ("two words", "oncology plant"),
        ("phrase", '"clinical trials"'),
        ("either word", "dermatology or urology"),
        ("exclusion", "biosimilars -export"),
        ("rare name", terms["company"]),
        ("no match", "zeppelin"),
    ]


def measure(
    corpus: Path, *, repeats: int, seed: int, do_import: bool = True, import_budget: float = 0
) -> dict:
    """Import ``corpus`` and measure import, search, API and pages; a dict for the report.

    ``do_import=False`` measures a database imported before (no "import" part).
    ``import_budget`` (seconds, 0 for none) stops the fresh import after the
    batch of files that exceeds it; everything else is then measured on the
    articles imported so far, and the result says so (``partial``).
    """
    result = {"database": database_details()}
    if do_import:
        result.update(_measure_import(corpus, budget=import_budget))
    # As a server's worker does once it has loaded the app (kaluga_cluster/wsgi.py;
    # here the import's leftovers are frozen too): without it, one request in ten
    # pays for a full collection scanning the whole app.
    freeze_startup_heap()
    client = Client()
    result["search"] = [
        _measure_search(client, label, query, repeats) for label, query in search_queries(seed)
    ]
    result["api"] = _measure_api(client, repeats)
    result["pages"] = _measure_pages(client, repeats)
    result["review_queue"] = _measure_review_queue(repeats)
    result["reconcile"] = measure_reconciliation(repeats, seed=seed)
    return result


IMPORT_BATCH = 2000  # files per import_seeds call when the import has a time budget


def _measure_import(corpus: Path, *, budget: float = 0) -> dict:
    """Import the corpus into the empty database, then again unchanged."""
    files = sorted(corpus.glob("*.txt"))
    result = {"articles_in_corpus": len(files)}
    started = time.perf_counter()
    imported = 0
    for first in range(0, len(files), IMPORT_BATCH if budget else len(files)):
        batch = files[first : first + (IMPORT_BATCH if budget else len(files))]
        _timed_import(batch)
        imported += len(batch)
        if budget and time.perf_counter() - started > budget:
            break
    seconds = time.perf_counter() - started
    articles = Article.objects.count()
    result["import"] = {
        "articles": articles,
        "partial": imported < len(files),
        "fresh_seconds": seconds,
        "fresh_articles_per_second": articles / seconds,
    }
    # No ANALYZE or VACUUM of the harness's own: what follows measures the
    # database as the import leaves it (articles.import_upkeep).
    seconds = _timed_import(files[:imported])
    result["import"]["unchanged_seconds"] = seconds
    result["import"]["unchanged_files_per_second"] = imported / seconds
    result["records"] = {
        "organisations": Organisation.objects.count(),
        "mentions": OrganisationMention.objects.count()
        + PersonMention.objects.count()
        + ProgramMention.objects.count(),
        "metrics": Metric.objects.count(),
    }
    return result


def database_details() -> dict:
    """Vendor and server version of the default database."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        return {"vendor": "postgresql", "version": version}
    return {"vendor": connection.vendor, "version": sqlite3.sqlite_version}


def software_details() -> dict:
    """Versions of Python and Django."""
    return {"python": platform.python_version(), "django": django.get_version()}


def _timed_import(files: list[Path]) -> float:
    """Seconds ``import_seeds`` takes for ``files``."""
    started = time.perf_counter()
    call_command("import_seeds", *map(str, files), verbosity=0, stdout=io.StringIO())
    return time.perf_counter() - started


def _timed(function, repeats: int) -> list[float]:
    """Milliseconds of ``repeats`` calls of ``function``, after one untimed warm-up call."""
    return _timed_with_cpu(function, repeats)[0]


def _timed_with_cpu(function, repeats: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of this process for ``repeats`` calls of ``function``.

    On a loaded machine the wall clock mostly measures waiting for a core;
    the process's CPU time does not (but leaves out PostgreSQL's own work).
    """
    function()
    wall, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def _get(client: Client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}: {response.content[:200]!r}")
    return response


def _query_count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        _get(client, url)
    return len(queries)


def _measure_search(client: Client, label: str, query: str, repeats: int) -> dict:
    """One query: API, page, the raw SQL of the search, and the icontains baseline."""
    from urllib.parse import quote

    api_url = f"/api/articles/?search={quote(query)}&page_size={SEARCH_PAGE_SIZE}"
    page_url = f"/articles/?q={quote(query)}"
    searched = Article.objects.published().search(query)
    matches = searched.count()

    # The SQL the first page of results sends (the bounded count, the planner's
    # estimate above the ranking window, ids and ranks, the page's rows), run
    # again as plain SQL.
    with CaptureQueriesContext(connection) as captured:
        list(SearchResultsPaginator(searched, SEARCH_PAGE_SIZE).page(1).object_list)
    statements = [entry["sql"] for entry in captured.captured_queries]

    def raw_sql():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    baseline = _icontains_baseline(query)

    def icontains():
        baseline.count()
        list(baseline[:SEARCH_PAGE_SIZE])

    api_ms, api_cpu_ms = _timed_with_cpu(lambda: _get(client, api_url), repeats)
    return {
        "label": label,
        "query": query,
        "matches": matches,
        "icontains_matches": baseline.count(),
        "api_ms": api_ms,
        "api_cpu_ms": api_cpu_ms,
        "page_ms": _timed(lambda: _get(client, page_url), repeats),
        "sql_ms": _timed(raw_sql, repeats),
        "icontains_ms": _timed(icontains, repeats),
        "api_queries": _query_count(client, api_url),
        "page_queries": _query_count(client, page_url),
    }


def _icontains_baseline(query: str):
    """What search would be without an index: every term ``icontains`` in title or body.

    Same clauses as the full-text query (AND within, OR between, minus
    excludes), newest first, as a naive implementation would list them.
    """
    condition = Q()
    for clause in parse_query(query).clauses:
        part = Q()
        for term in clause.required:
            part &= Q(title__icontains=term) | Q(body__icontains=term)
        for term in clause.excluded:
            part &= ~(Q(title__icontains=term) | Q(body__icontains=term))
        condition |= part
    return Article.objects.published().filter(condition)


def _measure_api(client: Client, repeats: int) -> dict:
    """List and detail endpoints, and the hand-written baselines of the lists."""
    first_ids = list(Article.objects.published().values_list("pk", flat=True)[: repeats + 1])
    detail_urls = [f"/api/articles/{pk}/" for pk in first_ids]
    detail_cycle = iter(range(10**9))

    def detail():
        _get(client, detail_urls[next(detail_cycle) % len(detail_urls)])

    article_list = f"/api/articles/?page_size={API_PAGE_SIZE}"
    organisation_list = f"/api/organisations/?page_size={API_PAGE_SIZE}"
    list_ms, list_cpu_ms = _timed_with_cpu(lambda: _get(client, article_list), repeats)
    baseline_ms, baseline_cpu_ms = _timed_with_cpu(_article_list_baseline, repeats)
    return {
        "article_list_ms": list_ms,
        "article_list_cpu_ms": list_cpu_ms,
        "article_list_baseline_ms": baseline_ms,
        "article_list_baseline_cpu_ms": baseline_cpu_ms,
        "organisation_list_ms": _timed(lambda: _get(client, organisation_list), repeats),
        "organisation_list_baseline_ms": _timed(_organisation_list_baseline, repeats),
        "article_detail_ms": _timed(detail, repeats),
        "article_list_queries": _query_count(client, article_list),
        "article_list_queries_page_10": _query_count(client, "/api/articles/?page_size=10"),
        "organisation_list_queries": _query_count(client, organisation_list),
        "organisation_list_queries_page_10": _query_count(
            client, "/api/organisations/?page_size=10"
        ),
        "article_detail_queries": _query_count(client, detail_urls[0]),
    }


def _article_list_baseline() -> bytes:
    """The article list page by hand: the API's queries as ``values()``, dumped to JSON.

    The same rows and nested mentions and metrics as ``/api/articles/``, in
    the same number of queries, without serializers.
    """
    articles = Article.objects.published()
    count = articles.count()
    rows = list(
        articles.values(
            "id", "slug", "title", "published_on", "source", "source_file", "status", "body"
        )[:API_PAGE_SIZE]
    )
    ids = [row["id"] for row in rows]
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        row.update(url=f"/articles/{row['slug']}/", organisations=[], people=[], programs=[])
        row["metrics"] = []
    for model, link, key in (
        (OrganisationMention, "organisation", "organisations"),
        (PersonMention, "person", "people"),
        (ProgramMention, "program", "programs"),
    ):
        mentions = model.objects.filter(article_id__in=ids).values(
            "article_id", f"{link}__id", f"{link}__slug", f"{link}__name", "spans"
        )
        for mention in mentions:
            by_id[mention["article_id"]][key].append(
                {
                    "id": mention[f"{link}__id"],
                    "slug": mention[f"{link}__slug"],
                    "name": mention[f"{link}__name"],
                    "spans": mention["spans"],
                }
            )
    metrics = (
        Metric.objects.not_rejected()
        .filter(article_id__in=ids)
        .values("article_id", "id", "label", "value", "unit", "raw_text", "qualifier", "year")
    )
    for metric in metrics:
        by_id[metric.pop("article_id")]["metrics"].append(metric)
    page = {"count": count, "next": None, "previous": None, "results": rows}
    return json.dumps(page, default=str).encode()


def _organisation_list_baseline() -> bytes:
    """The organisation list page by hand: the API's query as ``values()``, dumped to JSON."""
    from django.db.models.functions import Lower

    organisations = Organisation.objects.with_article_counts().order_by(Lower("name"), "pk")
    count = Organisation.objects.count()
    rows = list(
        organisations.values("id", "slug", "name", "kind", "aliases", "article_count")[
            :API_PAGE_SIZE
        ]
    )
    for row in rows:
        row["url"] = f"/organisations/{row['slug']}/"
    page = {"count": count, "next": None, "previous": None, "results": rows}
    return json.dumps(page, default=str).encode()


def _measure_pages(client: Client, repeats: int) -> dict:
    """The visitor pages: time and queries of the article list and an article."""
    article = Article.objects.published().first()
    pages = {
        "articles": "/articles/",
        "articles_page_2": "/articles/?page=2",
        "article": article.get_absolute_url(),
        "home": "/",
    }
    return {
        name: {
            "ms": _timed(lambda url=url: _get(client, url), repeats),
            "queries": _query_count(client, url),
        }
        for name, url in pages.items()
    }


def _measure_review_queue(repeats: int) -> dict:
    """The editors' review queue ``/admin/review/`` and the admin index with its counts.

    ``queue`` and ``index`` are cold: the data version is bumped before each
    request, as every editor's decision bumps it, so nothing comes from the
    cache (the load an editor waits for after each decision).
    ``queue_cached`` is the queue loaded again with no change in between. A
    superuser's client (every section shows); the user is created for the
    run and deleted afterwards.
    """
    from django.contrib.auth import get_user_model

    from kaluga_cluster.cache import bump_data_version

    user = get_user_model().objects.create_superuser("bench-review-queue", password=None)
    client = Client()

    def cold(url):
        def request():
            bump_data_version()
            return _get(client, url)

        return request

    try:
        client.force_login(user)
        pages = {
            "queue": cold("/admin/review/"),
            "index": cold("/admin/"),
            "queue_cached": lambda: _get(client, "/admin/review/"),
        }
        result = {}
        for name, request in pages.items():
            ms = _timed(request, repeats)
            with CaptureQueriesContext(connection) as queries:
                request()
            result[name] = {"ms": ms, "queries": len(queries)}
        return result
    finally:
        user.delete()
