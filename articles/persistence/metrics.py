"""The metrics an article states, each found again keeping its id.

Re-extraction pairs each new metric with the stored one it restates
(:func:`_pair_metrics`), so a figure keeps its id when the text around it
changes; :func:`_metric_problem` keeps out what the database cannot store.
"""

import logging
from decimal import Decimal

from django.utils import timezone

from entities.extraction.types import MetricCandidate
from entities.identity import metric_tombstone_key
from entities.models import Metric, Organisation, Program, ReviewStatus
from entities.services import changes

logger = logging.getLogger(__name__)

# The largest magnitude Metric.value can store (24 digits, 6 of them decimals).
_MAX_METRIC_VALUE = Decimal(10) ** 18
_MAX_SMALL_INT = 32767
_MAX_RAW_TEXT_LENGTH = Metric._meta.get_field("raw_text").max_length

# The fields extraction sets on a metric, all rewritten when it changes.
_METRIC_FIELDS = [
    "label",
    "value",
    "unit",
    "raw_text",
    "qualifier",
    "year",
    "period",
    "organisation",
    "program",
    "quote",
    "start",
    "end",
    "confidence",
]
_METRIC_ATTNAMES = [Metric._meta.get_field(name).attname for name in _METRIC_FIELDS]
_METRIC_VALUE_STEP = Decimal("0.000001")
# Offsets no article reaches (files are at most a few hundred kB) that still fit
# a 32-bit integer column: metrics moving to each other's places park there.
_PARKING_START = 2_000_000_000


def persist_metrics(
    article, metrics, resolved, index, counts, *, replace: bool, shown: dict
) -> None:
    """Metrics the article states, except reviewed, curated or deleted ones.

    Each metric found again (see :func:`_pair_metrics`) keeps its id and takes
    the new values, offsets and quote; the article's unreviewed non-curated
    metrics not found again are removed. A candidate that matches a curated or
    reviewed (confirmed, rejected) metric, or would take its place or its
    words, is left out. Removed metrics go to the API's deletions feed; the
    article, which lists its metrics, goes into ``shown``.
    """
    keys = {
        id(metric): (
            "entities.metric",
            metric_tombstone_key(article.source_file, metric.raw_text, metric.quote),
        )
        for metric in metrics
    }
    deleted = index.deleted(keys.values())
    wanted: list[Metric] = []
    seen_facts, seen_starts, seen_title_texts = set(), set(), set()
    for metric in metrics:
        problem = _metric_problem(metric)
        if problem:
            logger.warning(
                "Skipping metric %r in %s: %s", metric.raw_text, article.source_file, problem
            )
            continue
        if (metric.raw_text, metric.quote) in seen_facts or keys[id(metric)] in deleted:
            continue
        if metric.start is None:
            if metric.raw_text in seen_title_texts:
                continue
            seen_title_texts.add(metric.raw_text)
        else:
            if metric.start in seen_starts:
                continue
            seen_starts.add(metric.start)
        seen_facts.add((metric.raw_text, metric.quote))
        wanted.append(_metric_row(article, metric, resolved))

    existing = list(article.metrics.all()) if replace else []
    slots = {metric.pk: _metric_slot(metric) for metric in existing}
    pairs, new, unmatched = _pair_metrics(wanted, existing)
    protected = {m.pk for m in existing if m.curated or m.review_status != ReviewStatus.UNREVIEWED}
    protected_slots = {slots[pk] for pk in protected}
    protected_facts = {(m.raw_text, m.quote) for m in existing if m.pk in protected}

    def blocked(row: Metric) -> bool:
        return _metric_slot(row) in protected_slots or (row.raw_text, row.quote) in protected_facts

    stale = [metric for metric in unmatched if metric.pk not in protected]
    changed = []
    now = timezone.now()
    for row, metric in pairs:
        if metric.pk in protected:
            continue
        if blocked(row):
            stale.append(metric)
            continue
        if any(getattr(metric, name) != getattr(row, name) for name in _METRIC_ATTNAMES):
            for name in _METRIC_ATTNAMES:
                setattr(metric, name, getattr(row, name))
            metric.updated_at = now
            changed.append(metric)

    editable = Metric.objects.filter(
        article=article, curated=False, review_status=ReviewStatus.UNREVIEWED
    )
    if stale:
        doomed = editable.filter(pk__in=[m.pk for m in stale])
        removed, _ = changes.delete(doomed)
        counts.removed["metrics"] += removed
    # (article, start) is unique, and checked row by row within one UPDATE: a
    # metric may only move to a place no remaining metric holds now. When one
    # does (two metrics swapping places, or a shift by exactly their distance),
    # every moving metric parks first, out of every metric's way.
    stale_ids = {metric.pk for metric in stale}
    held = {slot for pk, slot in slots.items() if pk not in stale_ids}
    moving = [metric for metric in changed if _metric_slot(metric) != slots[metric.pk]]
    if any(_metric_slot(metric) in held for metric in moving):
        parked = [
            Metric(pk=metric.pk, start=_PARKING_START + number, end=_PARKING_START + number)
            for number, metric in enumerate(moving)
        ]
        editable.bulk_update(parked, ["start", "end"])
    if changed:
        counts.updated["metrics"] += editable.bulk_update(changed, [*_METRIC_FIELDS, "updated_at"])
    rows = [row for row in new if not blocked(row)]
    if rows:
        Metric.objects.bulk_create(rows)
        counts.created["metrics"] += len(rows)
    changes.add_dependents(shown, Metric, [*changed, *rows])


def _metric_row(article, metric: MetricCandidate, resolved) -> Metric:
    """The unsaved metric a candidate describes, its values as the database will hold them."""
    organisation_pk = resolved[Organisation].find(metric.organisation)
    program_pk = resolved[Program].find(metric.program)
    return Metric(
        article=article,
        label=metric.label[:255],
        # Stored with six decimals: compare what a re-read would give.
        value=metric.value.quantize(_METRIC_VALUE_STEP),
        unit=metric.unit[:64],
        raw_text=metric.raw_text,
        qualifier=metric.qualifier,
        year=metric.year,
        period=metric.period[:100],
        organisation_id=organisation_pk,
        # A metric has one subject at most (metric_one_subject); the
        # organisation first, as Metric.subject reads it.
        program_id=program_pk if organisation_pk is None else None,
        quote=metric.quote,
        start=metric.start,
        end=metric.end,
        confidence=metric.confidence,
    )


def _metric_slot(metric: Metric) -> tuple:
    """What no two metrics of an article share: their start, or their words in the title."""
    return ("body", metric.start) if metric.start is not None else ("title", metric.raw_text)


def _metric_match_keys(metric: Metric) -> list[tuple | None]:
    """The keys :func:`_pair_metrics` matches on, strongest first (None: not this way)."""
    in_title = metric.start is None
    measure = (
        in_title,
        metric.organisation_id,
        metric.program_id,
        metric.label,
        metric.year,
        metric.period,
        metric.unit,
    )
    fact = (*measure, metric.value)
    anchored = metric.organisation_id or metric.program_id or metric.year or metric.period
    return [
        (*fact, metric.quote),
        fact,
        (in_title, metric.raw_text, metric.quote),
        (in_title, metric.label, metric.unit, metric.value, metric.raw_text),
        measure if anchored else None,
    ]


def _pair_metrics(
    wanted: list[Metric], existing: list[Metric]
) -> tuple[list[tuple[Metric, Metric]], list[Metric], list[Metric]]:
    """Pair each new extraction's metric with the stored metric it restates, one to one.

    Returns (pairs of new row and stored metric, new rows paired with none,
    stored metrics paired with none). Tried in order, each on what is left:

    1. the same fact in the same sentence: subject (organisation, program),
       label, year, period, unit, value and quote;
    2. the same fact in a reworded or moved sentence: all but the quote;
    3. the same words in the same sentence (the subject or label read
       differently, or corrected by an editor): raw text and quote;
    4. the same figure in a changed sentence that names another subject or
       period: label, unit, value and raw text;
    5. the same measure with a new figure: subject, label, year, period and
       unit, for metrics that name a subject, a year or a period;
    6. the same place: overlapping offsets and the same unit.

    Metrics stated in the title only pair with title metrics. Offsets never
    count before step 6, so text inserted or removed above a fact keeps it
    paired. Where a key is shared, pairs follow the order in the text.
    """
    pairs = []
    new = sorted(wanted, key=_metric_order)
    old = sorted(existing, key=_metric_order)
    keys = {id(metric): _metric_match_keys(metric) for metric in (*new, *old)}
    for step in range(max(map(len, keys.values()), default=0)):
        waiting: dict[tuple, list[Metric]] = {}
        for metric in old:
            key = keys[id(metric)][step]
            if key is not None:
                waiting.setdefault(key, []).append(metric)
        unpaired = []
        for row in new:
            key = keys[id(row)][step]
            if key is not None and waiting.get(key):
                pairs.append((row, waiting[key].pop(0)))
            else:
                unpaired.append(row)
        new = unpaired
        taken = {id(metric) for _, metric in pairs}
        old = [metric for metric in old if id(metric) not in taken]
    options = [
        (-_overlap(row, metric), abs(row.start - metric.start), row.start, metric.start)
        for row in new
        for metric in old
        if row.start is not None
        and metric.start is not None
        and row.unit == metric.unit
        and (_overlap(row, metric) > 0 or row.start == metric.start)
    ]
    rows = {row.start: row for row in new if row.start is not None}
    metrics = {metric.start: metric for metric in old if metric.start is not None}
    for *_, row_start, metric_start in sorted(options):
        if row_start in rows and metric_start in metrics:
            pairs.append((rows.pop(row_start), metrics.pop(metric_start)))
    taken = {id(metric) for _, metric in pairs}
    placed = {id(row) for row, _ in pairs}
    return (
        pairs,
        [row for row in new if id(row) not in placed],
        [metric for metric in old if id(metric) not in taken],
    )


def _metric_order(metric: Metric) -> tuple:
    return (metric.start is not None, metric.start or 0, metric.raw_text)


def _overlap(first: Metric, second: Metric) -> int:
    return min(first.end, second.end) - max(first.start, second.start)


def _metric_problem(metric: MetricCandidate) -> str:
    """Why a metric candidate cannot be stored, or "" when it can."""
    if not metric.value.is_finite() or abs(metric.value) >= _MAX_METRIC_VALUE:
        return f"value {metric.value} out of range"
    if not metric.raw_text or len(metric.raw_text) > _MAX_RAW_TEXT_LENGTH:
        return "raw text empty or too long"
    if metric.qualifier not in Metric.Qualifier.values:
        return f"unknown qualifier {metric.qualifier!r}"
    if metric.year is not None and not 0 < metric.year <= _MAX_SMALL_INT:
        return f"impossible year {metric.year}"
    if (metric.start is None) != (metric.end is None):
        return "only one of start and end is set"
    if metric.start is not None and not 0 <= metric.start <= metric.end:
        return f"bad offsets {metric.start}-{metric.end}"
    return ""
