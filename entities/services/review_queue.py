"""The review queue: what waits for an editor, most urgent first, in bounded reads.

Three sections: open duplicate candidates (highest score first), open metric
conflicts (``entities.services.conflicts``, largest groups first) and
unreviewed records of every kind, "doubtful and much-mentioned first": the
lowest confidence first, ties broken by how many articles (hidden ones too,
as editors see them) mention the record. Counting the articles of every
unreviewed record would read the whole mentions table, so the counts are
computed only for a window of the ``WINDOW`` lowest-confidence records of a
kind; a tie that straddles the
window's edge is decided by id. Positions have no confidence of their own
and come oldest first; metrics are stated by one article each, so their ties
go by id.

Every read here is one query (at most three for the duplicate pairs' names,
one ``in_bulk`` per kind), whatever the number of records. Counts of
unreviewed records stop at ``COUNT_BOUND`` (``kaluga_cluster.counting``), and
the conflicts are grouped once for their count and their list. The counts,
the conflicts and the unreviewed lists come from the cache under the data
version (``kaluga_cluster.cache``), which every decision, editor write and
import bumps.
"""

from dataclasses import dataclass

from django.db.models import Subquery

from entities.models import (
    NAMED_MODELS,
    DuplicateCandidate,
    Metric,
    Organisation,
    Person,
    Position,
    Program,
    ReviewStatus,
)
from entities.services import conflicts
from kaluga_cluster.cache import cached
from kaluga_cluster.counting import Count, bounded_count

#: How many items each section of the queue lists (its count says how many wait in all).
SECTION_SIZE = 20

#: Above this many unreviewed records of a kind, the queue shows an estimate
#: ("about 106,000"): counting 106,428 unreviewed metrics took 50 ms.
COUNT_BOUND = 1000

#: How many lowest-confidence records of a kind get their articles counted.
WINDOW = 200

#: The kinds of reviewed records, in the order the queue shows them.
REVIEWED_MODELS = (Organisation, Person, Program, Position, Metric)


@dataclass
class Pair:
    """An open duplicate candidate with its two records' names (None for a deleted record)."""

    candidate: DuplicateCandidate
    first_name: str | None
    second_name: str | None


def unreviewed(model) -> "QuerySet":  # noqa: F821
    """Every unreviewed record of ``model``."""
    return model.objects.filter(review_status=ReviewStatus.UNREVIEWED)


def doubtful_first(model, *, limit: int) -> list:
    """The first ``limit`` unreviewed records of ``model``: doubtful and much-mentioned first.

    Named records carry ``article_count``; positions come with their person
    and organisation, metrics with their article and subject.
    """
    return cached(
        ("review-queue", model._meta.model_name, limit), lambda: _doubtful_first(model, limit)
    )


def _doubtful_first(model, limit: int) -> list:
    records = unreviewed(model)
    if model is Position:
        return list(records.select_related("person", "organisation").order_by("pk")[:limit])
    if model is Metric:
        return list(records.with_relations().order_by("confidence", "pk")[:limit])
    window = records.order_by("confidence", "pk").values("pk")[:WINDOW]
    return list(
        model.objects.filter(pk__in=Subquery(window))
        .with_article_counts(published_only=False)
        .order_by("confidence", "-article_count", "pk")[:limit]
    )


def open_pairs(*, limit: int) -> list[Pair]:
    """The ``limit`` open duplicate candidates with the highest scores, with both names."""
    candidates = list(
        DuplicateCandidate.objects.filter(status=DuplicateCandidate.Status.OPEN).order_by(
            "-score", "pk"
        )[:limit]
    )
    names = {}
    for kind, model in NAMED_MODELS.items():
        ids = {i for c in candidates if c.kind == kind for i in (c.first_id, c.second_id)}
        if ids:
            names[kind] = {pk: r.name for pk, r in model.objects.only("name").in_bulk(ids).items()}
    return [
        Pair(
            c,
            names.get(c.kind, {}).get(c.first_id),
            names.get(c.kind, {}).get(c.second_id),
        )
        for c in candidates
    ]


def count_open_pairs() -> int:
    """How many duplicate candidates wait for a decision."""
    return DuplicateCandidate.objects.filter(status=DuplicateCandidate.Status.OPEN).count()


def conflict_summary() -> conflicts.ConflictSummary:
    """The ``SECTION_SIZE`` largest open metric conflicts (without articles) and their count."""
    return cached(
        ("review-queue-conflicts", SECTION_SIZE),
        lambda: conflicts.open_conflict_summary(limit=SECTION_SIZE),
    )


def counts(*, models=REVIEWED_MODELS, pairs: bool = True, metric_conflicts: bool = True) -> dict:
    """How much waits in each section: ``pairs``, ``conflicts`` and one entry per model name.

    Each is a :class:`~kaluga_cluster.counting.Count`; unreviewed records
    above ``COUNT_BOUND`` are estimated. Sections not asked for are left out
    (the user may not view them).
    """
    result = {}
    if pairs:
        result["pairs"] = Count(cached(("review-queue-count", "pairs"), count_open_pairs))
    if metric_conflicts:
        result["conflicts"] = Count(conflict_summary().count)
    for model in models:
        name = model._meta.model_name
        result[name] = cached(
            ("review-queue-count", name),
            lambda model=model: bounded_count(unreviewed(model), bound=COUNT_BOUND),
        )
    return result
