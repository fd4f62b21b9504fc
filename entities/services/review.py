"""Editors' review decisions: confirm, reject, merge, not the same, preferred value; and undo.

Every decision is one transaction that changes the records, writes a
:class:`~entities.models.ReviewDecision` with what undoing it needs, and an
entry in the record's admin history (who and when). A decided record is
marked ``curated``, so no later import changes it; a rejected one stays in
the database, hidden, so that the import, which finds it by its name or its
identity, never creates it again.
"""

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from entities.editing import RecordGone, lock_for_edit
from entities.models import (
    NAMED_MODELS,
    DuplicateCandidate,
    Metric,
    Position,
    ReviewDecision,
    ReviewStatus,
)
from entities.services import changes
from entities.services.editors import entity_merge, metric_link, position_link
from kaluga_cluster.cache import bump_data_version_on_commit


class DecisionError(Exception):
    """A decision that cannot be taken or undone; the message says why, for the editor."""


def review(records, status: str, *, user) -> int:
    """Confirm or reject ``records`` (any reviewed model); how many changed.

    Records already in that state, or deleted meanwhile, are skipped.
    """
    action = {
        ReviewStatus.CONFIRMED: ReviewDecision.Action.CONFIRM,
        ReviewStatus.REJECTED: ReviewDecision.Action.REJECT,
    }[status]
    changed = 0
    with transaction.atomic():
        for selected in records:
            try:
                record = lock_for_edit(selected)
            except RecordGone:
                continue
            if record.review_status == status:
                continue
            undo = {"review_status": record.review_status, "curated": record.curated}
            _set_review_status(record, status, curated=True)
            _decided(record, action, f"{action.label} {_noun(record)}.", undo, user=user)
            changed += 1
    return changed


def conflicting_metrics(metric: Metric) -> models.QuerySet:
    """The metrics of ``metric``'s conflict group, itself included (see conflicts)."""
    return Metric.objects.not_rejected().filter(
        organisation_id=metric.organisation_id,
        program_id=metric.program_id,
        label=metric.label,
        year=metric.year,
        unit=metric.unit,
    )


def prefer(metric: Metric, *, user) -> Metric:
    """Mark ``metric`` the preferred value of its group; the others rank normal."""
    with transaction.atomic():
        metric = lock_for_edit(metric)
        if metric.review_status == ReviewStatus.REJECTED:
            raise DecisionError("A rejected metric cannot be the preferred value.")
        group = list(conflicting_metrics(metric).select_for_update())
        undo = {"ranks": {str(m.pk): m.rank for m in group}, "curated": metric.curated}
        Metric.objects.filter(pk__in=[m.pk for m in group if m.pk != metric.pk]).update(
            rank=Metric.Rank.NORMAL
        )
        metric.rank = Metric.Rank.PREFERRED
        metric.curated = True
        metric.save(update_fields=["rank", "curated", "updated_at"])
        summary = f"Preferred {metric.raw_text} over {len(group) - 1} other value(s)."
        _decided(metric, ReviewDecision.Action.PREFER, summary, undo, user=user)
    return metric


def not_the_same(candidate: DuplicateCandidate, *, user) -> DuplicateCandidate:
    """Remember that the pair is two records: never suggested again, never merged by an import."""
    with transaction.atomic():
        candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.status != DuplicateCandidate.Status.OPEN:
            raise DecisionError(
                f"This pair was already decided ({candidate.get_status_display()})."
            )
        _decide_candidate(candidate, DuplicateCandidate.Status.DISTINCT, user=user)
        first, second = candidate_records(candidate)
        summary = f"Not the same as {second} (id {second.pk})."
        undo = {"candidate": candidate.pk}
        _decided(first, ReviewDecision.Action.DISTINCT, summary, undo, user=user)
    return candidate


def merge(*, keep, others, user) -> ReviewDecision:
    """Merge ``others`` into ``keep`` (``entity_merge``), remembering how to split them back."""
    others = [other for other in others if other.pk != keep.pk]
    if not others:
        raise DecisionError("Choose at least one other record to merge.")
    with transaction.atomic():
        undo = _merge_snapshot(keep, others)
        kind = keep._meta.model_name
        pairs = [tuple(sorted((keep.pk, other.pk))) for other in others]
        for first_id, second_id in pairs:
            candidate, _ = DuplicateCandidate.objects.get_or_create(
                kind=kind,
                first_id=first_id,
                second_id=second_id,
                defaults={"score": 1.0, "reasons": ["merged by an editor"]},
            )
            undo["candidates"].append([candidate.pk, candidate.status])
            _decide_candidate(candidate, DuplicateCandidate.Status.MERGED, user=user)
        names = ", ".join(other.name for other in others)
        entity_merge(keep=keep, others=others, user=user)
        return _decided(
            keep, ReviewDecision.Action.MERGE, f"Merged {names} into this record.", undo, user=user
        )


def merge_candidate(candidate: DuplicateCandidate, *, keep_id: int, user) -> ReviewDecision:
    """Merge a suggested pair into the record ``keep_id`` (one of the two).

    Only an open pair: an editor who said "not the same" undoes that first.
    """
    status = DuplicateCandidate.objects.filter(pk=candidate.pk).values_list("status", flat=True)
    if status.first() != DuplicateCandidate.Status.OPEN:
        raise DecisionError("This pair was already decided.")
    first, second = candidate_records(candidate)
    if keep_id not in (first.pk, second.pk):
        raise DecisionError("Keep one of the two records of the pair.")
    keep, other = (first, second) if keep_id == first.pk else (second, first)
    return merge(keep=keep, others=[other], user=user)


def candidate_records(candidate: DuplicateCandidate):
    """The two records of a pair, first then second; DecisionError when one is gone."""
    model = NAMED_MODELS[candidate.kind]
    records = model.objects.in_bulk([candidate.first_id, candidate.second_id])
    if len(records) < 2:
        raise DecisionError("One of the two records no longer exists.")
    return records[candidate.first_id], records[candidate.second_id]


def undo(decision: ReviewDecision, *, user) -> None:
    """Take ``decision`` back: the records return to what they were before it."""
    with transaction.atomic():
        decision = ReviewDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.undone_at is not None:
            raise DecisionError("This decision was already undone.")
        model = decision.content_type.model_class()
        record = model._default_manager.filter(pk=decision.object_id).first()
        if record is None:
            raise DecisionError(f"{decision.object_repr} no longer exists; nothing to undo.")
        _UNDO[decision.action](decision, record)
        decision.undone_at = timezone.now()
        decision.undone_by = user
        decision.save(update_fields=["undone_at", "undone_by"])
        _log(record, f"Undid: {decision.summary}", user=user)
        bump_data_version_on_commit()


def _undo_review(decision, record) -> None:
    record = lock_for_edit(record)
    data = decision.undo_data
    _set_review_status(record, data["review_status"], curated=data["curated"])


def _set_review_status(record, status: str, *, curated: bool) -> None:
    """Save ``record``'s new review state; API mirrors learn of it (``changes``).

    What shows the record moves too (a rejected organisation leaves its
    articles' mention lists); a rejected record goes to the deletions feed.
    """
    was = record.review_status
    with changes.changing([record]):
        record.review_status = status
        record.curated = curated
        record.save(update_fields=["review_status", "curated", "updated_at"])
    changes.left_view(record, field="review_status", was=was)


def _undo_prefer(decision, record) -> None:
    ranks = decision.undo_data["ranks"]
    for rank in {*ranks.values()}:
        pks = [int(pk) for pk, value in ranks.items() if value == rank]
        Metric.objects.filter(pk__in=pks).update(rank=rank)
    Metric.objects.filter(pk=record.pk).update(curated=decision.undo_data["curated"])


def _undo_distinct(decision, record) -> None:
    DuplicateCandidate.objects.filter(pk=decision.undo_data["candidate"]).update(
        status=DuplicateCandidate.Status.OPEN, decided_by=None, decided_at=None
    )


def _undo_merge(decision, keep) -> None:
    """Split a merge back: recreate the merged records and return what moved to ``keep``."""
    with changes.changing([keep]):
        _split_merge(decision.undo_data, keep)


def _split_merge(data: dict, keep) -> None:
    # Everything that returns to the merged records hangs from keep until now,
    # so what showed keep before is all that can show them: changing([keep]).
    model = type(keep)
    for other in data["others"]:
        if model._default_manager.filter(slug=other["fields"]["slug"]).exists():
            raise DecisionError(f"Another record now has the address of {other['fields']['name']}.")
        model._default_manager.bulk_create([model(**other["fields"])])
        # auto_now_add stamped it anew: it keeps the creation time it had.
        model._default_manager.filter(pk=other["fields"]["id"]).update(
            created_at=other["fields"]["created_at"]
        )
        _return_mentions(keep, other)
        _return_positions(keep, other)
        if other["metrics"]:
            link = f"{metric_link(keep)}_id"
            Metric.objects.filter(pk__in=other["metrics"], **{link: keep.pk}).update(
                **{link: other["fields"]["id"]}
            )
    for name, value in data["keep"].items():
        setattr(keep, name, value)
    keep.save(update_fields=[*data["keep"], "updated_at"])
    for pk, status in data["candidates"]:
        DuplicateCandidate.objects.filter(pk=pk).update(
            status=status, decided_by=None, decided_at=None
        )


def _return_mentions(keep, other: dict) -> None:
    mentions = keep.mentions
    link = f"{mentions.field.name}_id"
    model = mentions.model
    for saved in other["mentions"]:
        moved = model.objects.filter(pk=saved["id"], **{link: keep.pk})
        if not moved.update(**{link: other["fields"]["id"]}):
            model.objects.bulk_create([model(**saved)])
    for saved in other["joined"]:
        model.objects.filter(pk=saved["id"]).update(
            spans=saved["spans"], quote=saved["quote"], curated=saved["curated"]
        )


def _return_positions(keep, other: dict) -> None:
    link = f"{position_link(keep)}_id"
    for saved in other["positions"]:  # none for a program: it holds no positions
        moved = Position.objects.filter(pk=saved["id"], **{link: keep.pk})
        if not moved.update(**{link: other["fields"]["id"]}):
            Position.objects.bulk_create([Position(**saved)])


_UNDO = {
    ReviewDecision.Action.CONFIRM: _undo_review,
    ReviewDecision.Action.REJECT: _undo_review,
    ReviewDecision.Action.PREFER: _undo_prefer,
    ReviewDecision.Action.DISTINCT: _undo_distinct,
    ReviewDecision.Action.MERGE: _undo_merge,
}


def _merge_snapshot(keep, others) -> dict:
    """What ``entity_merge`` will change, as JSON: enough to split the merge back."""
    mentions = keep.mentions
    link = f"{mentions.field.name}_id"
    kept_articles = {
        row["article_id"]: row
        for row in mentions.model.objects.filter(**{link: keep.pk}).values(
            "id", "article_id", "spans", "quote", "curated"
        )
    }
    snapshot = {
        "keep": {
            "aliases": keep.aliases,
            "confidence": keep.confidence,
            "curated": keep.curated,
            **({"description": keep.description} if hasattr(keep, "description") else {}),
        },
        "others": [],
        "candidates": [],
    }
    for other in others:
        own = list(mentions.model.objects.filter(**{link: other.pk}).values())
        snapshot["others"].append(
            {
                "fields": _row(other),
                "mentions": own,
                "joined": [
                    kept_articles[m["article_id"]] for m in own if m["article_id"] in kept_articles
                ],
                "positions": _positions_of(other),
                "metrics": list(_metrics_of(other).values_list("pk", flat=True)),
            }
        )
    return snapshot


def _positions_of(record) -> list[dict]:
    link = position_link(record)
    if link is None:
        return []
    return list(Position.objects.filter(**{link: record.pk}).values())


def _metrics_of(record):
    link = metric_link(record)
    if link is None:
        return Metric.objects.none()
    return Metric.objects.filter(**{link: record.pk})


def _row(record) -> dict:
    """The record's column values by attribute name (stored with DjangoJSONEncoder)."""
    return {field.attname: getattr(record, field.attname) for field in record._meta.concrete_fields}


def _decide_candidate(candidate: DuplicateCandidate, status: str, *, user) -> None:
    candidate.status = status
    candidate.decided_by = user
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])


def _decided(record, action: str, summary: str, undo_data: dict, *, user) -> ReviewDecision:
    # Every decision changes what visitors see: the pages' cached aggregates
    # are recomputed once it commits.
    bump_data_version_on_commit()
    decision = ReviewDecision.objects.create(
        action=action,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        object_repr=str(record)[:255],
        summary=summary[:500],
        undo_data=undo_data,
        user=user,
    )
    _log(record, summary, user=user)
    return decision


def _log(record, message: str, *, user) -> None:
    """An entry in the record's admin history (the admin's "History" page)."""
    if user is None or user.pk is None:
        return
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[record], action_flag=CHANGE, change_message=message
    )


def _noun(record) -> str:
    return record._meta.verbose_name
