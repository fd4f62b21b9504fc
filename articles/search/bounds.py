"""Searches with very many matches: a bounded count and a bounded ranking window.

Ranking every match of a word that is in most articles is what made search
slow at 100,000 articles: PostgreSQL spent 160 ms ranking 96,540 matches for
a top 20, and as long again counting them. Search engines stop early instead,
and so does this module. A search first counts its matches only up to
:data:`RANKING_WINDOW` + 1 (``SELECT COUNT(*) FROM (... LIMIT n)``), which
stops reading as soon as it has enough:

- at most ``RANKING_WINDOW`` matches: that count is exact, and every match is
  ranked exactly as before (same query, same order);
- more: only the ``RANKING_WINDOW`` newest matches are ranked (an index scan
  in date order with the match as a filter), pages stop at the end of that
  window, and the count is an estimate: PostgreSQL's planner estimate of the
  matches, which costs nothing; SQLite has none, so there it is the bound
  itself ("more than 5,000").

The trade-off: above the window, an older article that matches better than
every one of the newest ``RANKING_WINDOW`` is not found by that query; a
narrower query (another word, a year, an organisation) finds it. README,
"Search", says so to visitors' admins.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.db.models import F, QuerySet, Subquery


def ranking_window() -> int:
    """How many matches a search ranks at most (setting ``SEARCH_RANKING_WINDOW``)."""
    return settings.SEARCH_RANKING_WINDOW


@dataclass(frozen=True)
class MatchCount:
    """How many articles a search matches.

    ``exact``: ``value`` was counted. Otherwise the matches are more than the
    ranking window, and ``value`` is the planner's estimate when ``estimated``
    (PostgreSQL) or else the bound itself, window + 1 (SQLite).
    """

    value: int
    exact: bool
    estimated: bool = False

    @property
    def rounded(self) -> int:
        """``value`` to three significant digits, as an estimate is shown ("about 96,600")."""
        return int(float(f"{self.value:.3g}"))


def count_matches(queryset: QuerySet) -> MatchCount:
    """The matches of a search ``queryset``, counted no further than the ranking window.

    One query for up to ``RANKING_WINDOW`` matches; two on PostgreSQL above it
    (the second only plans, it reads nothing).
    """
    window = ranking_window()
    matches = queryset.order_by().values("pk")
    bounded = matches[: window + 1].count()
    if bounded <= window:
        return MatchCount(bounded, exact=True)
    estimate = _planner_estimate(matches)
    if estimate > bounded:
        return MatchCount(estimate, exact=False, estimated=True)
    return MatchCount(bounded, exact=False)


def newest_matches(queryset: QuerySet) -> QuerySet:
    """``queryset`` restricted to its ``RANKING_WINDOW`` newest matches, ordered as before.

    The newest first by publication date (undated last), as the article
    lists order them, so PostgreSQL reads them from the newest-first index.
    """
    newest = queryset.order_by(F("published_on").desc(nulls_last=True), "-id").values("pk")[
        : ranking_window()
    ]
    return queryset.filter(pk__in=Subquery(newest))


def _planner_estimate(matches: QuerySet) -> int:
    """The planner's estimate of the rows of ``matches`` (PostgreSQL); 0 elsewhere.

    ``EXPLAIN`` plans the query without running it (well under a millisecond).
    """
    if connections[matches.db].vendor != "postgresql":
        return 0
    plan = json.loads(matches.explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])
