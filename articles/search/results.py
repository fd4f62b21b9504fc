"""Searching articles: the backend for the database, ranked results, pages of them.

:func:`search_articles` filters, ranks and annotates a queryset with whichever
backend its database has; :func:`read_search_page` and
:class:`SearchResultsPaginator` read pages of the results cheaply.
"""

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, QuerySet

from articles.search.postgres import PostgresBackend
from articles.search.query import SearchRankAnnotation, parse_query
from articles.search.sqlite import SqliteBackend


def search_articles(queryset, query):
    """Filter ``queryset`` to articles matching ``query``, annotated and ranked best first.

    Backs :meth:`articles.models.ArticleQuerySet.search`. Only matching rows are
    ranked. Headlines are never computed for ``count()``; for a page, PostgreSQL
    computes them after sorting for the returned rows only, SQLite for the rows
    that enter its top-N sort (about N * ln(matches / N) of them). Pages of many
    hits are cheaper read with :func:`read_search_page`.
    """
    parsed = parse_query(query)
    if not parsed:
        return queryset.none()
    backend = _backend(queryset)
    queryset = backend.with_headlines(
        backend.ranked(backend.matching(queryset, parsed), parsed), parsed
    )
    return queryset.order_by(
        F("search_rank").desc(), F("published_on").desc(nulls_last=True), "-id"
    )


def read_search_page(page):
    """The articles of ``page`` (a slice of a :func:`search_articles` queryset), in two steps.

    Sorting whole rows made SQLite read every hit's row (bodies and all) and
    compute snippets for hundreds of them: 180 ms for a word in 49,000 articles.
    So the sort reads only ids and ranks (SQLite finds the status and date in a
    covering index), and one more query reads the page's rows with their
    headlines, by id, without ranking again (bm25 scans every hit once per
    query to weigh the terms). Returns a list, in the page's order, each
    article annotated like :func:`search_articles` annotates them.
    """
    parsed = page.query.annotations["search_rank"].parsed
    ranked = list(page.values_list("pk", "search_rank"))
    ids = [pk for pk, _ in ranked]
    if not ids:
        return []
    backend = _backend(page)
    rows = page.model._default_manager.filter(pk__in=ids)
    rows = backend.with_headlines(backend.matching(rows, parsed, among=ids), parsed)
    by_pk = {article.pk: article for article in rows}
    articles = []
    for pk, rank in ranked:
        if pk in by_pk:  # not deleted between the two queries
            by_pk[pk].search_rank = rank
            articles.append(by_pk[pk])
    return articles


def is_ranked_search(object_list) -> bool:
    """Whether ``object_list`` is a queryset of :func:`search_articles` (ranked hits)."""
    return isinstance(object_list, QuerySet) and isinstance(
        object_list.query.annotations.get("search_rank"), SearchRankAnnotation
    )


class SearchResultsPaginator(Paginator):
    """Django's paginator, except that pages of ranked search results are read by
    :func:`read_search_page`."""

    def _get_page(self, object_list, number, paginator):
        """The page; its articles read in two steps when they are ranked search results."""
        if is_ranked_search(object_list):
            object_list = read_search_page(object_list)
        return super()._get_page(object_list, number, paginator)


def _backend(queryset):
    return PostgresBackend if connections[queryset.db].vendor == "postgresql" else SqliteBackend
