"""Metric conflicts: articles that state different values for the same thing.

A conflict group is two or more metrics an editor has not rejected that share

- a subject: the same organisation or the same program (a metric without a
  subject is about nothing in particular and never conflicts);
- a label, compared exactly: extraction writes labels from its own lowercase
  vocabulary ("investment", "export share", the counted noun as written), and
  ``entities.services.review.prefer`` ranks the metrics of exactly this group,
  so both must agree on what "the same label" is;
- a year, which must be stated: a figure with no year, or only a free-text
  period ("2014-2020", "over five years"), is not comparable with another, and
  ``prefer`` would otherwise rank every undated figure of the subject as one;
- a unit (comparable units are the same unit code: RUB with RUB, "%" with
  "%"; amounts in different currencies are never compared);

and whose values differ (``COUNT(DISTINCT value) > 1``). A group is *open*
until an editor prefers one of its metrics (``Metric.Rank.PREFERRED``); the
others stay, ranked normal, and the site shows the preferred value first.

Reads are bounded: the keys of a page of groups come from one grouped query,
their metrics from one more (subjects and articles joined), whatever the
number of metrics.
"""

import base64
import binascii
import json
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet

from entities.charts import format_amount
from entities.models import Metric, Organisation, Program

PREFERRED = Metric.Rank.PREFERRED
# In the order of the index metric_conflict_idx, so that grouping needs no sort.
KEY_FIELDS = ("label", "year", "unit", "organisation_id", "program_id")
SUBJECT_MODELS = {"organisation": Organisation, "program": Program}


@dataclass(frozen=True)
class ConflictKey:
    """What the metrics of one group share: subject, label, year and unit."""

    subject_kind: str  # "organisation" or "program"
    subject_id: int
    label: str
    year: int
    unit: str

    @classmethod
    def of(cls, metric) -> "ConflictKey | None":
        """The group of ``metric`` (a Metric or a ``values()`` row); None if it cannot conflict."""
        get = metric.get if isinstance(metric, dict) else lambda name: getattr(metric, name)
        if get("year") is None:
            return None
        if get("organisation_id") is not None:
            kind, subject_id = "organisation", get("organisation_id")
        elif get("program_id") is not None:
            kind, subject_id = "program", get("program_id")
        else:
            return None
        return cls(kind, subject_id, get("label"), get("year"), get("unit"))

    @classmethod
    def decode(cls, text: str) -> "ConflictKey":
        """The key from its URL form; ValueError when ``text`` is not one."""
        try:
            padded = text + "=" * (-len(text) % 4)
            kind, subject_id, label, year, unit = json.loads(base64.urlsafe_b64decode(padded))
        except (binascii.Error, UnicodeDecodeError, TypeError, ValueError) as error:
            raise ValueError(f"Not a conflict key: {text!r}") from error
        if kind not in SUBJECT_MODELS or not all(
            isinstance(v, t) for v, t in ((subject_id, int), (label, str), (year, int), (unit, str))
        ):
            raise ValueError(f"Not a conflict key: {text!r}")
        return cls(kind, subject_id, label, year, unit)

    def encode(self) -> str:
        """A URL-safe form of the key (the conflict page's address)."""
        data = [self.subject_kind, self.subject_id, self.label, self.year, self.unit]
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def q(self) -> Q:
        """The metrics of the group, as a filter."""
        return Q(
            **{f"{self.subject_kind}_id": self.subject_id},
            label=self.label,
            year=self.year,
            unit=self.unit,
        )


@dataclass
class ConflictGroup:
    """Metrics that state different values for one subject, label, year and unit."""

    key: ConflictKey
    metrics: list = field(default_factory=list)

    @property
    def subject(self):
        """The organisation or program the group is about (joined with its metrics)."""
        return self.metrics[0].subject if self.metrics else None

    @property
    def label(self) -> str:
        return self.key.label

    @property
    def year(self) -> int:
        return self.key.year

    @property
    def unit(self) -> str:
        return self.key.unit

    @property
    def preferred(self):
        """The metric editors prefer, or None while the group is open."""
        return next((m for m in self.metrics if m.rank == Metric.Rank.PREFERRED), None)

    @property
    def is_open(self) -> bool:
        return self.preferred is None

    @property
    def distinct_values(self) -> list:
        """One metric per value the sources state (the first stating it), largest value first."""
        seen = {}
        for metric in self.metrics:
            seen.setdefault(metric.value, metric)
        return [seen[value] for value in sorted(seen, reverse=True)]


def conflict_keys(metrics: QuerySet | None = None, *, open_only: bool = False) -> QuerySet:
    """One row per conflict group of ``metrics`` (default: every metric not rejected).

    Rows hold the key fields, ``metric_count``, ``value_count`` and
    ``preferred_count``; the largest groups first. One grouped query
    (``GROUP BY`` the key, ``HAVING COUNT(DISTINCT value) > 1``).
    """
    if metrics is None:
        metrics = Metric.objects.all()
    rows = (
        metrics.not_rejected()
        .filter(year__isnull=False)
        .filter(Q(organisation__isnull=False) | Q(program__isnull=False))
        .order_by()
        .values(*KEY_FIELDS)
        .annotate(
            metric_count=Count("pk"),
            value_count=Count("value", distinct=True),
            preferred_count=Count("pk", filter=Q(rank=Metric.Rank.PREFERRED)),
        )
        .filter(value_count__gt=1)
    )
    if open_only:
        rows = rows.filter(preferred_count=0)
    return rows.order_by("-metric_count", "label", "-year", *KEY_FIELDS)


@dataclass(frozen=True)
class ConflictLine:
    """One open conflict as the review queue lists it: what a line shows, no metrics loaded."""

    key: ConflictKey
    subject_name: str
    metric_count: int
    amounts: tuple[str, ...]  # the values stated, readable, largest first

    @property
    def label(self) -> str:
        return self.key.label

    @property
    def year(self) -> int:
        return self.key.year


@dataclass(frozen=True)
class ConflictSummary:
    """What the review queue shows of the conflicts: the largest open ones, and how many."""

    lines: list[ConflictLine]
    count: int


def open_conflict_summary(*, limit: int) -> ConflictSummary:
    """The ``limit`` largest open conflicts, as lines, and how many conflicts are open.

    Grouping every metric is what costs (30 ms at 10,000 articles on
    PostgreSQL), so the count and the lines come from one grouping; the
    values stated come from one more query, a row per group and value: the
    largest groups held 1,360 metrics, and loading them as objects (and
    caching them) took longer than everything else in the queue. Two queries.
    """
    rows = list(conflict_keys(open_only=True))
    top = {ConflictKey.of(row): row["metric_count"] for row in rows[:limit]}
    if not top:
        return ConflictSummary([], len(rows))
    stated = (
        Metric.objects.not_rejected()
        .filter(reduce(or_, (key.q() for key in top)))
        .order_by()
        .values(*KEY_FIELDS, "value", "organisation__name", "program__name")
        .distinct()
    )
    values, names = {}, {}
    for row in stated:
        key = ConflictKey.of(row)
        values.setdefault(key, set()).add(row["value"])
        names[key] = row["organisation__name"] or row["program__name"]
    lines = [
        ConflictLine(
            key,
            names.get(key, ""),
            count,
            tuple(format_amount(v, key.unit) for v in sorted(values.get(key, ()), reverse=True)),
        )
        for key, count in top.items()
    ]
    return ConflictSummary(lines, len(rows))


def conflict_groups(
    *, open_only: bool = False, limit: int | None = None, articles: bool = True
) -> list[ConflictGroup]:
    """The conflict groups (largest first, at most ``limit``) with their metrics; two queries.

    ``articles=False`` loads only what a summary shows (values, ranks, the
    subject's name), not the metrics' articles and quotes.
    """
    rows = conflict_keys(open_only=open_only)
    if limit is not None:
        rows = rows[:limit]
    keys = [ConflictKey.of(row) for row in rows]
    return _groups(keys, articles=articles)


def open_conflicts(*, limit: int | None = None, articles: bool = True) -> list[ConflictGroup]:
    """The groups no editor has resolved yet (no preferred metric), the largest first."""
    return conflict_groups(open_only=True, limit=limit, articles=articles)


def conflict_group(key: ConflictKey) -> ConflictGroup | None:
    """The group of ``key`` with its metrics, or None when its metrics no longer differ."""
    groups = _groups([key])
    return groups[0] if groups else None


SUMMARY_FIELDS = (
    *("label", "year", "unit", "value", "rank", "raw_text", "qualifier"),
    *("organisation", "organisation__name", "organisation__slug"),
    *("program", "program__name", "program__slug"),
)


def _groups(keys: list[ConflictKey], *, articles: bool = True) -> list[ConflictGroup]:
    """The groups of ``keys``, in that order, with their metrics not rejected (one query)."""
    if not keys:
        return []
    by_key = {key: ConflictGroup(key) for key in keys}
    metrics = Metric.objects.not_rejected().filter(reduce(or_, (key.q() for key in keys)))
    if articles:
        metrics = metrics.with_relations()
    else:
        metrics = metrics.select_related("organisation", "program").only(*SUMMARY_FIELDS)
    metrics = metrics.order_by("-value", "pk")
    for metric in metrics:
        group = by_key.get(ConflictKey.of(metric))
        if group is not None:
            group.metrics.append(metric)
    return [group for group in by_key.values() if len(group.distinct_values) > 1]


def describe_conflicts(metrics) -> list:
    """Say, for each of ``metrics`` (annotated by ``Metric.objects.with_conflicts()``), where
    sources differ; no query beyond the metrics' own.

    Each metric gets ``sources_differ`` (its group states more than one value),
    ``is_preferred`` (sources differ and editors prefer this value, stated
    here or in another article),
    ``ranked_lower`` (sources differ and editors prefer another one) and
    ``other_amount`` (another value, readable, with the same unit). Returns the
    metrics as a list.
    """
    metrics = list(metrics)
    for metric in metrics:
        other = getattr(metric, "conflict_other_value", None)
        metric.sources_differ = other is not None
        # Another article may state the preferred value too: its row is preferred as well.
        other_preferred = metric.sources_differ and metric.conflict_other_rank == PREFERRED
        metric.is_preferred = (
            metric.sources_differ and metric.conflict_preferred and not other_preferred
        )
        metric.ranked_lower = other_preferred
        metric.other_amount = format_amount(other, metric.unit) if other is not None else ""
        metric.more_values = max(getattr(metric, "conflict_other_count", 0) - 1, 0)
    return metrics
