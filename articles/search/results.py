"""Searching articles: the backend for the database, ranked results, pages of them.

:func:`search_articles` filters, ranks and annotates a queryset with whichever
backend its database has; :func:`read_search_page` and
:class:`SearchResultsPaginator` read pages of the results cheaply, and bound
the work of searches with very many matches (:mod:`articles.search.bounds`).
"""

from math import ceil

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, OrderBy, QuerySet
from django.utils.functional import cached_property

from articles.search.bounds import bound_search, newest_matches, ranking_window
from articles.search.postgres import PostgresBackend
from articles.search.query import SearchRankAnnotation, parse_query
from articles.search.sqlite import SqliteBackend
from kaluga_cluster.counting import Count


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
    """Django's paginator, for search results bounded as :mod:`articles.search.bounds` says.

    For ranked search results: the count stops at the ranking window (above it
    ``count`` is an estimate and ``count_is_exact`` is false), pages stop at
    the end of the window, a best-first search above it ranks only the newest
    matches, and pages are read by :func:`read_search_page`. Other lists are
    paginated as Django does.
    """

    @cached_property
    def match_count(self) -> Count | None:
        """How many articles the search matches (None when not paginating a search).

        Deciding it also narrows a best-first search above the window to its
        newest matches, so it must come before any page is sliced.
        """
        if not is_ranked_search(self.object_list):
            return None
        bounds = bound_search(self.object_list)
        if _best_first(self.object_list):
            self.object_list = newest_matches(self.object_list, bounds)
        return bounds.count

    @cached_property
    def count(self) -> int:
        """Every item's count; a search's (estimated above the ranking window)."""
        if self.match_count is None:
            return super().count
        return self.match_count.value

    @property
    def count_is_exact(self) -> bool:
        """Whether ``count`` was counted rather than estimated or bounded."""
        return self.match_count is None or self.match_count.exact

    @property
    def count_is_estimate(self) -> bool:
        """Whether ``count`` is the database's estimate (PostgreSQL, above the window)."""
        return self.match_count is not None and self.match_count.estimated

    @property
    def ranking_window(self) -> int:
        """How many matches a search ranks and lists at most."""
        return ranking_window()

    @cached_property
    def num_pages(self) -> int:
        """Pages up to the count, or, when the count is not exact, to the end of the window."""
        if self.count_is_exact:
            return super().num_pages
        return ceil(self.ranking_window / self.per_page)

    def page(self, number):
        """The page ``number``; above the window, no page reaches past the window's end."""
        self.match_count  # noqa: B018 (decides the window before any slicing)
        if self.count_is_exact:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.ranking_window)
        return self._get_page(self.object_list[bottom:top], number, self)

    def _get_page(self, object_list, number, paginator):
        """The page; its articles read in two steps when they are ranked search results."""
        if is_ranked_search(object_list):
            object_list = read_search_page(object_list)
        return super()._get_page(object_list, number, paginator)


def _best_first(queryset) -> bool:
    """Whether search results are ordered best match first (not by an explicit ``ordering``)."""
    order = queryset.query.order_by
    return bool(order) and isinstance(order[0], OrderBy) and order[0].expression == F("search_rank")


def _backend(queryset):
    return PostgresBackend if connections[queryset.db].vendor == "postgresql" else SqliteBackend
