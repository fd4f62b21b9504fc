"""Counts that stop early: exact up to a bound, estimated above it.

``COUNT(*)`` reads every row it counts: 160 ms for the 96,540 articles that
match a common word at 100,000 articles, 50 ms for the 106,428 unreviewed
metrics of 10,000 articles. A reader of "about 96,600" or "more than 1,000"
loses nothing, so :func:`bounded_count` counts only up to ``bound`` + 1 rows
(``SELECT COUNT(*) FROM (... LIMIT bound + 1)``, which stops reading there)
and, above the bound, asks PostgreSQL's planner for its estimate, which costs
a plan and no reads. SQLite has no such estimate: there the count is the
bound itself, shown as "more than".
"""

import json
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet


@dataclass(frozen=True)
class Count:
    """How many rows a query has.

    ``exact``: ``value`` was counted. Otherwise the rows are more than the
    bound, and ``value`` is the planner's estimate when ``estimated``
    (PostgreSQL), else the bound + 1 (a lower bound).
    """

    value: int
    exact: bool = True
    estimated: bool = False

    @property
    def rounded(self) -> int:
        """``value`` to three significant digits, as an estimate is shown ("about 96,600")."""
        return int(float(f"{self.value:.3g}"))

    def __str__(self) -> str:
        """The count as a reader sees it: "1,234", "about 96,600" or "more than 1,000"."""
        if self.exact:
            return f"{self.value:,}"
        if self.estimated:
            return f"about {self.rounded:,}"
        return f"more than {self.value - 1:,}"


def bounded_count(queryset: QuerySet, *, bound: int) -> Count:
    """The rows of ``queryset``: counted up to ``bound``, estimated (or bounded) above it.

    One query up to the bound; one more on PostgreSQL above it (a plan only).
    """
    counted = queryset.order_by().values("pk")[: bound + 1].count()
    if counted <= bound:
        return Count(counted)
    return count_above(queryset, bound=bound)


def count_above(queryset: QuerySet, *, bound: int) -> Count:
    """The count of ``queryset``, known to have more than ``bound`` rows: the planner's
    estimate on PostgreSQL when above the bound, else the bound + 1 (a lower bound)."""
    estimate = planner_estimate(queryset.order_by().values("pk"))
    if estimate > bound + 1:
        return Count(estimate, exact=False, estimated=True)
    return Count(bound + 1, exact=False)


def planner_estimate(queryset: QuerySet) -> int:
    """PostgreSQL's estimate of the rows of ``queryset`` (EXPLAIN: nothing read); 0 elsewhere."""
    if connections[queryset.db].vendor != "postgresql":
        return 0
    plan = json.loads(queryset.explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])
