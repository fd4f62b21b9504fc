"""Searches with very many matches: a bounded count and a bounded ranking window.

Ranking every match of a word that is in most articles is what made search
slow at 100,000 articles: PostgreSQL spent 160 ms ranking 96,540 matches for
a top 20, and as long again counting them. Search engines stop early instead,
and so does this module. A search first counts its matches only up to the
ranking window (setting ``SEARCH_RANKING_WINDOW``) + 1, with
``kaluga_cluster.counting.bounded_count``, which stops reading there:

- at most ``RANKING_WINDOW`` matches: that count is exact, and every match is
  ranked exactly as before (same query, same order);
- more: only the ``RANKING_WINDOW`` newest matches are ranked (found by an
  index scan in date order with the match as a filter), pages stop at the
  end of that window, and the count is an estimate: PostgreSQL's planner estimate of the
  matches, which costs nothing; SQLite has none, so there it is the bound
  itself ("more than 5,000").

The trade-off: above the window, an older article that matches better than
every one of the newest ``RANKING_WINDOW`` is not found by that query; a
narrower query (another word, a year, an organisation) finds it. The search
page says so; README, "Search", too.
"""

from django.conf import settings
from django.db.models import F, Q, QuerySet

from kaluga_cluster.counting import Count, bounded_count


def ranking_window() -> int:
    """How many matches a search ranks at most (setting ``SEARCH_RANKING_WINDOW``)."""
    return settings.SEARCH_RANKING_WINDOW


def count_matches(queryset: QuerySet) -> Count:
    """The matches of a search ``queryset``, counted no further than the ranking window."""
    return bounded_count(queryset, bound=ranking_window())


def newest_matches(queryset: QuerySet) -> QuerySet:
    """``queryset`` narrowed to its ``RANKING_WINDOW`` newest matches, ordered as before.

    Newest first is the article lists' order: by publication date, undated
    last, then by id. One query finds the first match past the window (an
    index scan in that order with the match as a filter, reading about
    ``RANKING_WINDOW`` rows); the ranking query then keeps what comes before
    it with a date range, which PostgreSQL reads from the date index before
    ranking. (Narrowing with ``pk IN (the window's ids)`` instead made
    PostgreSQL match every article twice.)
    """
    window = ranking_window()
    newest_first = (F("published_on").desc(nulls_last=True), F("pk").desc())
    past_window = list(
        queryset.order_by(*newest_first).values_list("published_on", "pk")[window:][:1]
    )
    if not past_window:
        return queryset
    [(date, pk)] = past_window
    if date is None:  # the window ends among the undated articles, which come last
        newer = Q(published_on__isnull=False) | Q(published_on__isnull=True, pk__gt=pk)
    else:
        newer = Q(published_on__gte=date) & ~Q(published_on=date, pk__lte=pk)
    return queryset.filter(newer)
