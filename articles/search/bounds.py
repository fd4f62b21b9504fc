"""Searches with very many matches: a bounded count and a bounded ranking window.

Ranking every match of a word that is in most articles is what made search
slow at 100,000 articles: PostgreSQL spent 160 ms ranking 96,540 matches for
a top 20, and as long again counting them. Search engines stop early instead,
and so does this module. A search first counts its newest matches only up
to the ranking window (setting ``SEARCH_RANKING_WINDOW``) + 1, which stops
reading there:

- at most ``RANKING_WINDOW`` matches: that count is exact, and every match is
  ranked exactly as before (same query, same order);
- more: only the ``RANKING_WINDOW`` newest matches are ranked, pages stop
  at the end of that window, and the count is an estimate: PostgreSQL's
  planner estimate of the matches, which costs nothing; SQLite has none, so
  there it is the bound itself ("more than 5,000").

The trade-off: above the window, an older article that matches better than
every one of the newest ``RANKING_WINDOW`` is not found by that query; a
narrower query (another word, a year, an organisation) finds it. The search
page says so; README, "Search", too.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.db.models import F, Q, QuerySet

from kaluga_cluster.counting import Count, count_above

#: The article lists' order: newest first, undated last, then by id.
NEWEST_FIRST = (F("published_on").desc(nulls_last=True), F("pk").desc())


def ranking_window() -> int:
    """How many matches a search ranks at most (setting ``SEARCH_RANKING_WINDOW``)."""
    return settings.SEARCH_RANKING_WINDOW


@dataclass(frozen=True)
class SearchBounds:
    """How many articles a search matches, and where its ranking window ends.

    ``past_window`` is the (date, id) of the first match past the window, in
    newest-first order; None when every match fits in the window (then
    ``count`` is exact).
    """

    count: Count
    past_window: tuple[datetime.date | None, int] | None


def bound_search(queryset: QuerySet) -> SearchBounds:
    """Count the matches of a search ``queryset`` up to the window, and find where it ends.

    One query: the newest ``RANKING_WINDOW`` + 1 matches (by publication
    date, undated last, then by id; PostgreSQL reads them from its
    newest-first index with the match as a filter) are counted, and the last
    of them is read. At most the window: the count is exact. One more: that
    last match is the first past the window, and the count is estimated
    (``kaluga_cluster.counting.count_above``).
    """
    window = ranking_window()
    newest = queryset.order_by(*NEWEST_FIRST).values_list("published_on", "pk")[: window + 1]
    sql, params = newest.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) OVER (), newest.published_on, newest.pk "
            f"FROM ({sql}) newest "
            "ORDER BY newest.published_on ASC NULLS FIRST, newest.pk ASC LIMIT 1",
            params,
        )
        row = cursor.fetchone()
    if row is None:
        return SearchBounds(Count(0), None)
    count, date, pk = row
    if count <= window:
        return SearchBounds(Count(count), None)
    date = queryset.model._meta.get_field("published_on").to_python(date)  # SQLite: text
    return SearchBounds(count_above(queryset, bound=window), (date, pk))


def newest_matches(queryset: QuerySet, bounds: SearchBounds) -> QuerySet:
    """``queryset`` narrowed to the matches before ``bounds.past_window``, ordered as before.

    A date range, which PostgreSQL reads from the date index before ranking.
    (Narrowing with ``pk IN (the window's ids)`` instead made PostgreSQL
    match every article twice.)
    """
    if bounds.past_window is None:
        return queryset
    date, pk = bounds.past_window
    if date is None:  # the window ends among the undated articles, which come last
        newer = Q(published_on__isnull=False) | Q(published_on__isnull=True, pk__gt=pk)
    else:
        newer = Q(published_on__gte=date) & ~Q(published_on=date, pk__lte=pk)
    return queryset.filter(newer)
