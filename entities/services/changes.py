"""What a write changes for API clients that mirror the knowledge base.

A mirror asks for the records changed since its last sync
(``?updated_since=``, which reads ``updated_at``) and for those it must drop
(``/api/deletions/``, which reads :class:`~entities.models.Deletion`). Both
stay true only if every write obeys three rules, kept here:

1. A record's ``updated_at`` moves when anything its API representation
   shows changes, its own fields or another record's: an article lists the
   names of the organisations it mentions, so renaming one moves the
   article too. :data:`SHOWN_IN` says which record shows which;
   :func:`changing` and :func:`touch` apply it. (A record's own bulk
   updates move its stamp by themselves: ``TimestampedQuerySet.update``.)
2. A record that is deleted, or merged into another, leaves a
   :class:`Deletion`: :func:`delete` does every deletion, finds what the
   database cascades along (an article's metrics) and what showed the
   deleted records (an organisation's articles, its people's positions).
3. A record that leaves visitors' view without being deleted (an editor
   rejects it, or hides an article, and with it the article's metrics)
   leaves a :class:`Deletion` too, with that reason (:func:`left_view`);
   bringing it back moves its ``updated_at``, so it returns through
   ``updated_since``.

The articles app's models are reached by label ("articles.article"), since
this app never imports that one.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.apps import apps
from django.db import models, router
from django.db.models.deletion import Collector
from django.utils import timezone

from entities.models import Deletion, ReviewStatus

#: Which records show which: for a record of the key's model, the records
#: (model label, lookup from them to it) whose API representation shows it,
#: so that they change when it does. An article lists the organisations it
#: mentions (name, slug) and its metrics; an organisation counts the
#: published articles that mention it; a person lists positions with their
#: organisation and article; a metric shows its article and its subject.
SHOWN_IN: dict[str, list[tuple[str, str]]] = {
    "entities.organisation": [
        ("articles.article", "organisation_mentions__organisation"),
        ("entities.metric", "organisation"),
        ("entities.person", "positions__organisation"),
    ],
    "entities.person": [("articles.article", "person_mentions__person")],
    "entities.program": [
        ("articles.article", "program_mentions__program"),
        ("entities.metric", "program"),
    ],
    "articles.article": [
        ("entities.metric", "article"),
        ("entities.person", "positions__article"),
        ("entities.organisation", "mentions__article"),
        ("entities.person", "mentions__article"),
        ("entities.program", "mentions__article"),
    ],
    "entities.metric": [("articles.article", "metrics")],
    "entities.position": [("entities.person", "positions")],
    "articles.organisationmention": [
        ("articles.article", "organisation_mentions"),
        ("entities.organisation", "mentions"),
    ],
    "articles.personmention": [
        ("articles.article", "person_mentions"),
        ("entities.person", "mentions"),
    ],
    "articles.programmention": [
        ("articles.article", "program_mentions"),
        ("entities.program", "mentions"),
    ],
}

#: What visitors stop seeing when a field takes a value: (field, value, reason).
_EXITS = (
    ("review_status", ReviewStatus.REJECTED, Deletion.Reason.REJECTED),
    ("status", "hidden", Deletion.Reason.HIDDEN),
)

# Ids per UPDATE or SELECT: under SQLite's limit of bound parameters.
_CHUNK = 500

Found = dict[type[models.Model], set[int]]


def api_kind(model: type[models.Model]) -> str | None:
    """The deletions feed's ``kind`` of ``model``'s records; None when the API has no endpoint."""
    name = model._meta.model_name
    return name if name in Deletion.Kind.values else None


def dependents(model: type[models.Model], pks: Iterable[int], *, rows=()) -> Found:
    """The records whose API representation shows one of ``model``'s records ``pks``.

    Read now: call it before a change that unlinks them (a deletion, a
    moved position) and again after it. ``rows`` may give the records
    themselves: what they point at through a foreign key (a mention's article)
    is then read from them rather than queried.
    """
    pks = {pk for pk in pks if pk is not None}
    found: Found = defaultdict(set)
    if not pks:
        return found
    rows = [row for row in rows if row.pk in pks]
    for label, lookup in SHOWN_IN.get(model._meta.label_lower, ()):
        target = apps.get_model(label)
        attname = _foreign_key_to(target, lookup, model)
        if attname is not None and len(rows) == len(pks):
            found[target].update(getattr(row, attname) for row in rows)
            continue
        for chunk in _chunks(pks):
            found[target].update(
                target._base_manager.filter(**{f"{lookup}__in": chunk})
                .order_by()
                .values_list("pk", flat=True)
                .distinct()
            )
    found = {target: {pk for pk in ids if pk is not None} for target, ids in found.items()}
    return {target: ids for target, ids in found.items() if ids}


def touch(found: Found, *, now: datetime | None = None) -> None:
    """Move the ``updated_at`` of the records in ``found`` to ``now``."""
    now = now or timezone.now()
    for model, pks in found.items():
        for chunk in _chunks(pks):
            model._base_manager.filter(pk__in=chunk).update(updated_at=now)


def add_dependents(found: Found, model: type[models.Model], rows: list[models.Model]) -> None:
    """Add to ``found`` what shows ``rows`` (records of ``model`` just written), to touch later.

    For writes of many rows that end with one :func:`touch` (an import's file).
    """
    merge(found, dependents(model, [row.pk for row in rows], rows=rows))


def touch_dependents(model: type[models.Model], pks: Iterable[int], *, rows=()) -> None:
    """Move the records that show ``model``'s records ``pks`` (after those were written)."""
    touch(dependents(model, pks, rows=rows))


@contextmanager
def changing(records: Iterable[models.Model]) -> Iterator[None]:
    """Around a write of ``records``: what showed them before or shows them after moves.

    New records (no id yet) count once saved. The records' own stamps are
    their saves' business (``auto_now``, ``TimestampedQuerySet``).
    """
    records = list(records)
    before = _dependents_of(records)
    yield
    merge(before, _dependents_of(records))
    touch(before)


def delete(
    objs,
    *,
    reason: str = Deletion.Reason.DELETED,
    merged_into: int | None = None,
) -> tuple[int, dict[str, int]]:
    """Delete ``objs`` (records or a queryset) and what the database cascades along.

    Each deleted record the API serves leaves a :class:`Deletion`
    (``reason`` and ``merged_into``, for a merge, on the records named; a
    cascade is plainly deleted), and what showed any of them moves its
    ``updated_at``. What to delete is collected once, as ``QuerySet.delete``
    does. Returns what ``delete()`` returns: the rows deleted, in all and per
    model.
    """
    model, direct = _targets(objs)
    collector = _collector(objs)
    if collector is None:
        return 0, {}
    doomed = _collected(collector)
    shown: Found = {}
    for collected, pks in doomed.items():
        merge(shown, dependents(collected, pks))
    result = collector.delete()
    # Collected instances are deleted by id; a "fast" delete runs its query's
    # condition again, which a row may have stopped meeting since it was read.
    for queryset in collector.fast_deletes:
        pks = doomed[queryset.model]
        pks -= set(queryset.model._base_manager.filter(pk__in=pks).values_list("pk", flat=True))
    now = timezone.now()
    entries = []
    for collected, pks in doomed.items():
        kind = api_kind(collected)
        if kind is None:
            continue
        for pk in sorted(pks):
            chosen = collected is model and pk in direct
            entries.append(
                Deletion(
                    kind=kind,
                    object_id=pk,
                    reason=reason if chosen else Deletion.Reason.DELETED,
                    merged_into=merged_into if chosen else None,
                    deleted_at=now,
                )
            )
    Deletion.objects.bulk_create(entries)
    touch(shown, now=now)
    return result


def left_view(record: models.Model, *, field: str, was) -> None:
    """Log ``record`` in the deletions feed if its ``field`` (was ``was``) just hid it.

    ``review_status`` becoming rejected hides any record from visitors;
    ``status`` becoming hidden hides an article and, with it, the metrics it
    states. Coming back needs nothing here: the change moved ``updated_at``.
    """
    kind = api_kind(type(record))
    for name, value, reason in _EXITS:
        if name != field or kind is None or was == value or getattr(record, name, None) != value:
            continue
        now = timezone.now()
        entries = [Deletion(kind=kind, object_id=record.pk, reason=reason, deleted_at=now)]
        if kind == Deletion.Kind.ARTICLE:
            metrics = record.metrics.exclude(review_status=ReviewStatus.REJECTED)
            entries += [
                Deletion(kind=Deletion.Kind.METRIC, object_id=pk, reason=reason, deleted_at=now)
                for pk in metrics.order_by("pk").values_list("pk", flat=True)
            ]
        Deletion.objects.bulk_create(entries)


def _dependents_of(records: list[models.Model]) -> Found:
    by_model: dict[type, set[int]] = defaultdict(set)
    for record in records:
        if record.pk is not None:
            by_model[type(record)].add(record.pk)
    found: Found = {}
    for model, pks in by_model.items():
        merge(found, dependents(model, pks))
    return found


def _targets(objs) -> tuple[type[models.Model] | None, set[int]]:
    """The model and ids of the records a deletion names (not its cascades)."""
    if isinstance(objs, models.QuerySet):
        return objs.model, set(objs.values_list("pk", flat=True))
    objs = list(objs)
    return (type(objs[0]) if objs else None), {obj.pk for obj in objs}


def _collector(objs) -> Collector | None:
    """A collector holding every record deleting ``objs`` deletes; None when there is none."""
    if isinstance(objs, models.QuerySet):
        if objs.query.is_sliced:
            raise TypeError("Cannot delete a sliced queryset (as QuerySet.delete()).")
        # Prepared as QuerySet.delete() prepares it: for writing, no locks, joins or order.
        objs = objs.select_related(None).order_by()
        objs._for_write = True
        objs.query.select_for_update = False
        using = objs.db
    else:
        objs = list(objs)
        if not objs:
            return None
        using = router.db_for_write(type(objs[0]), instance=objs[0])
    collector = Collector(using=using, origin=objs)
    collector.collect(objs)
    return collector


def _collected(collector: Collector) -> Found:
    """What ``collector`` will delete, by model: the objects and their cascades."""
    found: Found = defaultdict(set)
    for model, instances in collector.data.items():
        found[model].update(instance.pk for instance in instances)
    for queryset in collector.fast_deletes:
        found[queryset.model].update(queryset.values_list("pk", flat=True))
    return found


def _foreign_key_to(target, lookup: str, model) -> str | None:
    """The attribute of ``model`` naming its ``target``, when ``lookup`` is that foreign key."""
    if "__" in lookup:
        return None
    relation = target._meta.get_field(lookup)
    if isinstance(relation, models.ManyToOneRel) and relation.related_model is model:
        return relation.field.attname
    return None


def merge(into: Found, found: Found) -> None:
    """Add ``found`` to ``into`` (to touch both at once later)."""
    for model, pks in found.items():
        into.setdefault(model, set()).update(pks)


def _chunks(pks: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(pks)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]
