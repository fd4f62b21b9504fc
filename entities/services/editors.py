"""Editors' actions the import must respect: deletions, changes and merges.

The admin and the API call these (through ``entities.editing``) when an editor
deletes, changes or merges records. A deleted record leaves a tombstone per
identity the import knows it by, so no later import recreates it. Those
identities come from the record itself (its ``tombstone_keys()``, defined by
every model the import writes, in this app and in articles), so this module
needs no model of the articles app.
"""

import logging
from collections.abc import Iterable

from django.db import models, transaction

from entities.models import (
    Deletion,
    ImportTombstone,
    Metric,
    Organisation,
    Person,
    Position,
    Program,
)
from entities.normalise import normalise_name
from entities.services import changes
from entities.services.resolution import merged_aliases

logger = logging.getLogger(__name__)


def _tombstones_for(instance: models.Model) -> list[tuple[str, str]]:
    """(key, label) pairs that identify ``instance`` for later imports."""
    tombstone_keys = getattr(instance, "tombstone_keys", None)
    if tombstone_keys is None:
        raise TypeError(f"{type(instance).__name__} records are not imported; nothing to remember")
    return tombstone_keys()


def editor_delete(*, instance: models.Model, user=None) -> None:
    """Delete a record an editor removed and remember it so no import recreates it.

    Works for articles (the source file is not imported again), organisations,
    people and programs (their names and aliases are neither recreated nor
    linked again), positions, mentions and metrics.
    """
    keys = _tombstones_for(instance)
    kind = instance._meta.label_lower
    with transaction.atomic():
        ImportTombstone.objects.bulk_create(
            [
                ImportTombstone(kind=kind, key=key, label=label[:255], deleted_by=user)
                for key, label in keys
            ],
            ignore_conflicts=True,
        )
        changes.delete([instance])
    logger.info("Editor %s deleted %s %s", user, kind, instance)


def editor_changed(*, previous: models.Model, instance: models.Model, user=None) -> None:
    """Keep the import's knowledge of a record an editor just changed (call after the save).

    ``previous`` is the record as it was before the editor's save. A renamed
    organisation, person or program keeps its previous name as an alias, so
    articles that still spell it that way link to it instead of bringing the
    old name back as a new record (an editor who does not want the alias
    removes it in a later edit). A position or mention that now stands for
    something else (another title, organisation or entity) leaves a tombstone
    for what it was, so the import does not add the old version back next to
    the editor's.
    """
    if isinstance(instance, Organisation | Person | Program):
        previous_key = normalise_name(previous.name)
        known = {normalise_name(name) for name in (instance.name, *instance.aliases)}
        if previous_key and previous_key not in known:
            instance.aliases = [*instance.aliases, previous.name]
            instance.save(update_fields=["aliases", "updated_at"])
            logger.info("Editor %s renamed %r to %r", user, previous.name, instance.name)
        return
    # Positions and mentions (``tombstone_when_changed``): the import matches them by
    # what they stand for, which the editor's change replaced.
    if not getattr(instance, "tombstone_when_changed", False):
        return
    current = dict(_tombstones_for(instance))
    ImportTombstone.objects.bulk_create(
        [
            ImportTombstone(
                kind=instance._meta.label_lower, key=key, label=label[:255], deleted_by=user
            )
            for key, label in _tombstones_for(previous)
            if key not in current
        ],
        ignore_conflicts=True,
    )


def position_link(record) -> str | None:
    """The field of Position that points at records of ``record``'s kind, if any."""
    return {Person: "person", Organisation: "organisation"}.get(type(record))


def metric_link(record) -> str | None:
    """The field of Metric that points at records of ``record``'s kind (its subject), if any."""
    return {Organisation: "organisation", Program: "program"}.get(type(record))


def entity_merge(*, keep: Organisation | Person | Program, others: Iterable, user=None):
    """Merge duplicate records into ``keep`` and delete them.

    Their mentions (spans merged when both mention the same article),
    positions, metrics and aliases move to ``keep``; each merged name becomes
    an alias of ``keep``, so later imports resolve it to ``keep``. ``keep``
    takes the highest confidence of the merged records and is marked curated.
    The merged records are deleted without a tombstone; the deletions feed
    says which record absorbed them.
    """
    model = type(keep)
    if not isinstance(keep, Organisation | Person | Program):
        raise TypeError(f"cannot merge {model.__name__} records")
    others = list(others)
    if any(type(other) is not model for other in others):
        raise TypeError(f"can only merge {model._meta.verbose_name_plural} with each other")
    others = [other for other in others if other.pk != keep.pk]
    other_ids = [other.pk for other in others]
    # What showed any of them (articles, metrics, positions' people) shows keep now.
    with transaction.atomic(), changes.changing([keep, *others]):
        _merge_mentions(keep, other_ids)
        _merge_positions(keep, other_ids)
        if link := metric_link(keep):
            Metric.objects.filter(**{f"{link}_id__in": other_ids}).update(**{link: keep})
        keep.aliases = merged_aliases(
            keep.normalized_name, keep.aliases, [n for o in others for n in (o.name, *o.aliases)]
        )
        if hasattr(keep, "description") and not keep.description:
            keep.description = next((o.description for o in others if o.description), "")
        # The merged record is as well supported as the best of its parts.
        keep.confidence = max([keep.confidence, *(other.confidence for other in others)])
        keep.curated = True
        merged = model.objects.filter(pk__in=other_ids)
        changes.delete(merged, reason=Deletion.Reason.MERGED, merged_into=keep.pk)
        keep.save()
    logger.info("Editor %s merged %s %s into %s", user, model.__name__, other_ids, keep.pk)
    return keep


def _merge_mentions(keep, other_ids: list[int]) -> None:
    """Move mentions to ``keep``; where both are in one article, join their spans."""
    mention_model = keep.mentions.model
    link = keep.mentions.field.name
    kept = {mention.article_id: mention for mention in keep.mentions.all()}
    for mention in mention_model.objects.filter(**{f"{link}_id__in": other_ids}).order_by("pk"):
        target = kept.get(mention.article_id)
        if target is None:
            setattr(mention, link, keep)
            mention.save(update_fields=[link])
            kept[mention.article_id] = mention
            continue
        target.spans = sorted({tuple(span) for span in [*target.spans, *mention.spans]})
        target.spans = [list(span) for span in target.spans]
        target.quote = target.quote or mention.quote
        target.curated = target.curated or mention.curated
        target.save(update_fields=["spans", "quote", "curated"])
        mention.delete()


def _merge_positions(keep, other_ids: list[int]) -> None:
    """Move positions held by (or at) the merged records; drop exact duplicates."""
    link = position_link(keep)
    if link is None:
        return
    existing = {_position_identity(p, link) for p in Position.objects.filter(**{link: keep})}
    for position in Position.objects.filter(**{f"{link}_id__in": other_ids}).order_by("pk"):
        setattr(position, link, keep)
        identity = _position_identity(position, link)
        if identity in existing:
            position.delete()
            continue
        existing.add(identity)
        position.save(update_fields=[link])


def _position_identity(position: Position, link: str) -> tuple:
    other = position.organisation_id if link == "person" else position.person_id
    return (position.title.casefold(), other)
