"""Writes to the knowledge base: extraction results, editors' deletions and merges.

``extraction_persist`` turns what ``entities.extraction.extract`` found in an
article into records: it looks existing entities up in one batch per kind (by
normalised name and by normalised alias), bulk-creates the rest, and never
touches a record an editor curated, deleted or rejected.

``editor_delete``, ``editor_changed`` and ``entity_merge`` are what the admin
and the API call when an editor deletes, changes or merges records, so that
later imports respect it.
"""

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections, models, transaction
from django.db.models import Q
from django.utils import timezone

from entities.extraction.types import (
    Extraction,
    MetricCandidate,
    OrganisationCandidate,
    PersonCandidate,
    ProgramCandidate,
)
from entities.models import ImportTombstone, Metric, Organisation, Person, Position, Program
from entities.normalise import acronym_of, brand_skeleton, is_acronym, normalise_name, slug_for

logger = logging.getLogger(__name__)

NamedModel = type[Organisation] | type[Person] | type[Program]
Candidate = OrganisationCandidate | PersonCandidate | ProgramCandidate

# The largest magnitude Metric.value can store (24 digits, 6 of them decimals).
_MAX_METRIC_VALUE = Decimal(10) ** 18
_MAX_SMALL_INT = 32767
# Names, and a metric's text as written, are stored in 255-character fields.
_MAX_NAME_LENGTH = 255


@dataclass
class ChangeCounts:
    """How many records of each kind ("organisations", "mentions"...) a write changed."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)

    def add(self, other: "ChangeCounts") -> None:
        """Add another write's counts to these."""
        self.created.update(other.created)
        self.updated.update(other.updated)
        self.removed.update(other.removed)


# --- Identity keys shared by tombstones and the import --------------------------


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def article_tombstone_key(source_file: str) -> str:
    """Tombstone key of an article: its source file name."""
    return _digest(source_file)


def name_tombstone_key(normalised_name: str) -> str:
    """Tombstone key of an organisation, person or program: a normalised name."""
    return _digest(normalised_name)


# Mentions and positions are keyed by record id, which survives an editor's renaming.
def _mention_key(source_file: str, entity_pk: int) -> str:
    return _digest(source_file, str(entity_pk))


def _position_key(person_pk: int, title: str, organisation_pk: int | None) -> str:
    return _digest(str(person_pk), title.casefold(), str(organisation_pk or 0))


def _metric_key(source_file: str, raw_text: str, quote: str) -> str:
    return _digest(source_file, raw_text, quote)


def _tombstones_for(instance: models.Model) -> list[tuple[str, str]]:
    """(key, label) pairs that identify ``instance`` for later imports."""
    from articles.models import Article, Mention

    if isinstance(instance, Article):
        return [(article_tombstone_key(instance.source_file), instance.source_file)]
    if isinstance(instance, Organisation | Person | Program):
        # One tombstone per distinct spelling, labelled as the editor knew it.
        spellings = {}
        for name in [instance.name, *instance.aliases]:
            key = normalise_name(name)
            if key:
                spellings.setdefault(key, name)
        return [(name_tombstone_key(key), name) for key, name in spellings.items()]
    if isinstance(instance, Position):
        key = _position_key(instance.person_id, instance.title, instance.organisation_id)
        return [(key, str(instance))]
    if isinstance(instance, Mention):
        key = _mention_key(instance.article.source_file, _mention_entity_pk(instance))
        return [(key, str(instance))]
    if isinstance(instance, Metric):
        key = _metric_key(instance.article.source_file, instance.raw_text, instance.quote)
        return [(key, str(instance))]
    raise TypeError(f"{type(instance).__name__} records are not imported; nothing to remember")


def _mention_entity_pk(mention) -> int:
    for name in ("organisation", "person", "program"):
        if hasattr(mention, f"{name}_id"):
            return getattr(mention, f"{name}_id")
    raise TypeError(f"{type(mention).__name__} is not a mention")


# --- Editors' actions -------------------------------------------------------------


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
        instance.delete()
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
    from articles.models import Mention

    if not isinstance(instance, Position | Mention):
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


def entity_merge(*, keep: Organisation | Person | Program, others: Iterable, user=None):
    """Merge duplicate records into ``keep`` and delete them.

    Their mentions (spans merged when both mention the same article),
    positions, metrics and aliases move to ``keep``; each merged name becomes
    an alias of ``keep``, so later imports resolve it to ``keep``. ``keep``
    takes the highest confidence of the merged records and is marked curated.
    The merged records are deleted without a tombstone.
    """
    model = type(keep)
    if not isinstance(keep, Organisation | Person | Program):
        raise TypeError(f"cannot merge {model.__name__} records")
    others = list(others)
    if any(type(other) is not model for other in others):
        raise TypeError(f"can only merge {model._meta.verbose_name_plural} with each other")
    others = [other for other in others if other.pk != keep.pk]
    other_ids = [other.pk for other in others]
    with transaction.atomic():
        _merge_mentions(keep, other_ids)
        _merge_positions(keep, other_ids)
        if model is Organisation:
            Metric.objects.filter(organisation_id__in=other_ids).update(organisation=keep)
        elif model is Program:
            Metric.objects.filter(program_id__in=other_ids).update(program=keep)
        keep.aliases = _merged_aliases(
            keep.normalized_name, keep.aliases, [n for o in others for n in (o.name, *o.aliases)]
        )
        if hasattr(keep, "description") and not keep.description:
            keep.description = next((o.description for o in others if o.description), "")
        # The merged record is as well supported as the best of its parts.
        keep.confidence = max([keep.confidence, *(other.confidence for other in others)])
        keep.curated = True
        model.objects.filter(pk__in=other_ids).delete()
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
    link = "person" if isinstance(keep, Person) else "organisation"
    if isinstance(keep, Program):
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


def _merged_aliases(own_key: str, aliases: list[str], names: Iterable[str]) -> list[str]:
    """``aliases`` plus ``names``, without repeats or forms of the record's own name."""
    merged, seen = [], {own_key}
    for name in [*aliases, *names]:
        key = normalise_name(name)
        if key and key not in seen:
            seen.add(key)
            merged.append(name)
    return merged


# --- Persisting extraction ---------------------------------------------------------


class ImportIndex:
    """What an import run looks entities up in besides names: aliases and tombstones.

    Aliases live in a JSON list that databases cannot look up portably, and
    tombstones are few and consulted for every candidate, so a run reads both
    once and answers in memory. Aliases written while persisting one file are
    staged and kept only when that file's transaction commits.
    """

    def __init__(self):
        self._aliases: dict[type, dict[str, int]] = {}
        self._staged: list[tuple[type, str, int]] = []
        self._tombstones: set[tuple[str, str]] | None = None
        self._short_forms: dict[type, dict[tuple[str, str], set[int]]] = {}
        self._staged_names: list[tuple[type, int, list[str]]] = []

    def short_form_owner(self, model: NamedModel, name: str) -> int | None:
        """The one record a short form stands for, found across articles.

        An acronym ("UPM") stands for the record whose name's initials it is
        ("Association of Russian Pharmaceutical Manufacturers"), and a full
        name for the record written as its acronym; a person's initials and
        surname ("I. Sokolov") for the one person of that surname whose first
        name has that initial. With two candidates nothing is matched.
        """
        index = self._short_forms_of(model)
        for key in _short_form_keys(model, name, lookup=True):
            owners = index.get(key)
            if owners and len(owners) == 1:
                return next(iter(owners))
        return None

    def stage_names(self, model: NamedModel, pk: int, names: list[str]) -> None:
        """Remember a new record's spellings for short-form lookups once committed."""
        self._staged_names.append((model, pk, names))

    def find(self, model: NamedModel, key: str) -> int | None:
        """The id of the record that has ``key`` among its normalised aliases."""
        return self._for(model).get(key)

    def deleted(self, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of the (kind, key) pairs an editor deleted."""
        if self._tombstones is None:
            self._tombstones = set(ImportTombstone.objects.values_list("kind", "key"))
        return self._tombstones.intersection(pairs)

    def stage(self, model: NamedModel, pk: int, aliases: Iterable[str]) -> None:
        """Remember aliases written for ``pk`` once the transaction commits."""
        for alias in aliases:
            key = normalise_name(alias)
            if key:
                self._staged.append((model, key, pk))

    def commit(self) -> None:
        """The file's transaction committed: its aliases now exist."""
        for model, key, pk in self._staged:
            self._for(model).setdefault(key, pk)
        for model, pk, names in self._staged_names:
            if model in self._short_forms:
                _add_short_forms(self._short_forms[model], model, pk, names)
        self._staged.clear()
        self._staged_names.clear()

    def rollback(self) -> None:
        """The file's transaction rolled back: forget what it staged."""
        self._staged.clear()
        self._staged_names.clear()

    def _short_forms_of(self, model: NamedModel) -> dict[tuple[str, str], set[int]]:
        if model not in self._short_forms:
            index: dict[tuple[str, str], set[int]] = {}
            for pk, name, aliases in model.objects.values_list("pk", "name", "aliases").iterator():
                _add_short_forms(index, model, pk, [name, *(aliases or ())])
            self._short_forms[model] = index
        return self._short_forms[model]

    def _for(self, model: NamedModel) -> dict[str, int]:
        if model not in self._aliases:
            index = {}
            for pk, aliases in model.objects.values_list("pk", "aliases").iterator():
                for alias in aliases or ():
                    key = normalise_name(alias)
                    if key:
                        index.setdefault(key, pk)
            self._aliases[model] = index
        return self._aliases[model]


_INITIALS_AND_SURNAME = re.compile(r"^([A-Z])\.(?:\s?[A-Z]\.)*\s?([A-Z][\w’'-]+)$")


def _short_form_keys(model: NamedModel, name: str, *, lookup: bool) -> list[tuple[str, str]]:
    """The keys under which a spelling is indexed (``lookup=False``) or looked up.

    Organisations and programs: a written acronym is indexed as ("written",
    "UPM") and a full name as ("initials", "UPM"); a lookup of an acronym
    asks for the initials of full names, and of a full name for a written
    acronym. A company's brand name is also indexed and looked up by its
    consonant skeleton ("Vostok-Pharm" and "Vostokpharm" are one company
    romanised twice). People: "Ivan Sokolov" is indexed as ("I", "sokolov");
    only an initials form looks up.
    """
    if model is Person:
        initials = _INITIALS_AND_SURNAME.match(name)
        if lookup:
            return [(initials.group(1), normalise_name(initials.group(2)))] if initials else []
        words = name.split()
        if initials or len(words) < 2 or not words[0][:1].isupper():
            return []
        return [(words[0][0], normalise_name(words[-1]))]
    keys = []
    if is_acronym(name):
        letters = re.sub(r"[^A-Za-z]", "", name).upper()
        keys.append(("initials" if lookup else "written", letters))
    elif initials := acronym_of(name):
        keys.append(("written" if lookup else "initials", initials))
    if model is Organisation and (skeleton := brand_skeleton(name)):
        keys.append(("skeleton", skeleton))
    return keys


def _add_short_forms(index: dict, model: NamedModel, pk: int, names: Iterable[str]) -> None:
    for name in names:
        for key in _short_form_keys(model, name, lookup=False):
            index.setdefault(key, set()).add(pk)


@dataclass
class _Resolved:
    """Which record each candidate name of one kind stands for (None: not linked)."""

    ids: dict[str, int | None] = field(default_factory=dict)  # candidate key -> pk

    def find(self, name: str | None) -> int | None:
        return self.ids.get(normalise_name(name)) if name else None


def extraction_persist(
    *,
    article,
    extraction: Extraction,
    index: ImportIndex | None = None,
    replace: bool = True,
) -> ChangeCounts:
    """Store what extraction found in ``article``, updating its earlier extraction in place.

    A mention, position or metric found again keeps its id (bookmarks and
    external tools hold them) and gets what changed about it; the article's
    non-curated ones no longer found are removed, new ones are created, so
    re-extracting an unchanged article changes nothing. Curated and rejected
    ones stay as editors left them, and nothing an editor deleted comes back.
    Existing non-curated entities gain the new aliases, and the candidate's
    confidence when it is higher than theirs; curated ones are not modified.
    New records and metrics get their candidate's confidence. Pass the import
    run's ``index`` to share its lookups, and ``replace=False`` for a new
    article, which has nothing to replace.
    """
    index = index if index is not None else ImportIndex()
    counts = ChangeCounts()
    # Inside the import's per-file transaction a savepoint would buy nothing:
    # any failure here rolls the whole file back.
    with transaction.atomic(savepoint=False):
        candidates = _merge_same_names(extraction)
        resolved = {
            model: _resolve(model, candidates[model], index, counts) for model in candidates
        }
        _persist_mentions(article, candidates, resolved, index, counts, replace=replace)
        _persist_positions(article, candidates[Person], resolved, index, counts, replace=replace)
        _persist_metrics(article, extraction.metrics, resolved, index, counts, replace=replace)
    return counts


def _keys(candidate: Candidate) -> list[str]:
    """Normalised name first, then normalised aliases, without repeats or blanks."""
    names = [candidate.name, *candidate.aliases]
    return list(dict.fromkeys(filter(None, (normalise_name(name) for name in names))))


def _merge_same_names(extraction: Extraction) -> dict[NamedModel, list[Candidate]]:
    """Candidates per model; two candidates with one normalised name become one."""
    merged = {}
    for model, kind_candidates in (
        (Organisation, extraction.organisations),
        (Person, extraction.people),
        (Program, extraction.programs),
    ):
        by_key: dict[str, Candidate] = {}
        for candidate in kind_candidates:
            key = normalise_name(candidate.name)
            # Longer names do not fit the record and would not match it again.
            if not key or max(len(candidate.name), len(key)) > _MAX_NAME_LENGTH:
                logger.warning("Skipping %s without a usable name: %r", model.__name__, candidate)
                continue
            if key in by_key:
                _absorb(by_key[key], candidate)
            else:
                by_key[key] = candidate
        merged[model] = list(by_key.values())
    return merged


def _absorb(target: Candidate, other: Candidate) -> None:
    """Fold ``other`` (the same entity found twice) into ``target``."""
    target.aliases = [*target.aliases, other.name, *other.aliases]
    target.spans = sorted({*map(tuple, target.spans), *map(tuple, other.spans)})
    target.quote = target.quote or other.quote
    target.confidence = max(target.confidence, other.confidence)
    if isinstance(target, PersonCandidate):
        target.positions = [*target.positions, *other.positions]


def _resolve(
    model: NamedModel,
    candidates: list[Candidate],
    index: ImportIndex,
    counts: ChangeCounts,
) -> _Resolved:
    """Match candidates to existing records in one batch; create the missing ones."""
    kind = model._meta.label_lower
    all_keys = [_keys(candidate) for candidate in candidates]
    deleted = index.deleted((kind, name_tombstone_key(keys[0])) for keys in all_keys)
    wanted = {key for keys in all_keys for key in keys}
    alias_ids = {key: index.find(model, key) for key in wanted}
    alias_pks = {pk for pk in alias_ids.values() if pk is not None}
    short_form_ids = {
        id(candidate): index.short_form_owner(model, candidate.name) for candidate in candidates
    }
    alias_pks |= {pk for pk in short_form_ids.values() if pk is not None}
    # One query for both: the records named so and those the aliases point to.
    # Locked (PostgreSQL) and read inside the file's transaction: an editor's
    # save of one of them either commits first, and its ``curated`` is seen
    # here, or waits until this file is written (entities.editing); in pk
    # order, so two writers never lock the same rows in opposite orders.
    matching = Q(normalized_name__in=wanted) | Q(pk__in=alias_pks)
    records = (
        list(model.objects.select_for_update().filter(matching).order_by("pk")) if wanted else []
    )
    existing = {r.normalized_name: r for r in records if r.normalized_name in wanted}
    by_pk = {record.pk: record for record in records}
    # A record deleted since the run read the aliases matches nothing.
    alias_ids = {
        key: pk if pk in by_pk else None for key, pk in alias_ids.items() if key not in existing
    }

    resolved = _Resolved()
    matched: dict[int, list[tuple[Candidate, list[str]]]] = {}
    new: list[tuple[Candidate, list[str]]] = []
    for candidate, keys in zip(candidates, all_keys, strict=True):
        # A person's aliases are short forms ("Petrov") that other people share:
        # only the full name identifies one. Organisation and program aliases
        # (acronyms, short names) do identify the record.
        record = _match(keys[:1] if model is Person else keys, existing, alias_ids, by_pk)
        if record is None:
            # "UPM" in one article, its full name in another; "I. Sokolov" and "Ivan Sokolov".
            record = by_pk.get(short_form_ids[id(candidate)])
        if record is not None:
            matched.setdefault(record.pk, []).append((candidate, keys))
        elif (kind, name_tombstone_key(keys[0])) in deleted:
            logger.info("Not recreating %s %r: an editor deleted it", kind, candidate.name)
            for key in keys:
                resolved.ids[key] = None
        else:
            new.append((candidate, keys))

    _update_matched(model, matched, by_pk, index, counts)
    for pk, pairs in matched.items():
        for _, keys in pairs:
            for key in keys:
                resolved.ids.setdefault(key, pk)
    _create_new(model, new, resolved, index, counts)
    return resolved


def _match(keys: list[str], existing: dict, alias_ids: dict, by_pk: dict):
    """The record a candidate stands for: its name, then its aliases, by name then alias."""
    name, aliases = keys[0], keys[1:]
    for key in (name, *aliases):
        if key in existing:
            return existing[key]
        if alias_ids.get(key) is not None:
            return by_pk[alias_ids[key]]
    return None


def _update_matched(model, matched, by_pk, index: ImportIndex, counts: ChangeCounts) -> None:
    """Add newly seen aliases (and a missing kind or description) to non-curated records.

    A record's confidence only rises: the best evidence any article gave for it.
    """
    changed = []
    now = timezone.now()
    for pk, pairs in matched.items():
        record = by_pk[pk]
        if record.curated:
            continue
        names = [name for candidate, _ in pairs for name in (candidate.name, *candidate.aliases)]
        aliases = _merged_aliases(record.normalized_name, record.aliases, names)
        dirty = aliases != record.aliases
        record.aliases = aliases
        for candidate, _ in pairs:
            if model is Organisation and record.kind == Organisation.Kind.OTHER:
                dirty |= candidate.kind != record.kind
                record.kind = candidate.kind
            if model is Program and not record.description and candidate.description:
                record.description = candidate.description
                dirty = True
        confidence = max(candidate.confidence for candidate, _ in pairs)
        if confidence > record.confidence:
            record.confidence = confidence
            dirty = True
        if dirty:
            record.updated_at = now
            changed.append(record)
            index.stage(model, pk, record.aliases)
    if changed:
        fields = ["aliases", "confidence", "updated_at"]
        fields += ["kind"] if model is Organisation else []
        fields += ["description"] if model is Program else []
        model.objects.bulk_update(changed, fields)
        counts.updated[_kind_name(model)] += len(changed)


def _create_new(model, new, resolved: _Resolved, index: ImportIndex, counts) -> None:
    """Bulk-create records for candidates nothing matched."""
    # A new candidate named like another new candidate's alias ("ANBR" next to
    # "Association of ... (ANBR)") is the same entity.
    owner_of = {}
    for candidate, keys in new:
        for key in keys[1:]:
            owner_of.setdefault(key, candidate)
    survivors = []
    for candidate, keys in new:
        owner = owner_of.get(keys[0])
        if owner is not None and owner is not candidate:
            _absorb(owner, candidate)
        else:
            survivors.append(candidate)
    if not survivors:
        return
    slugs = unique_slugs(model=model, names=[candidate.name for candidate in survivors])
    records = []
    for candidate, slug in zip(survivors, slugs, strict=True):
        record = model(
            name=candidate.name,
            normalized_name=normalise_name(candidate.name),
            slug=slug,
            aliases=_merged_aliases(normalise_name(candidate.name), [], candidate.aliases),
            confidence=candidate.confidence,
        )
        if model is not Person:
            record.kind = candidate.kind
        if model is Program:
            record.description = candidate.description
        records.append(record)
    model.objects.bulk_create(records)
    counts.created[_kind_name(model)] += len(records)
    for candidate, record in zip(survivors, records, strict=True):
        index.stage(model, record.pk, record.aliases)
        index.stage_names(model, record.pk, [record.name, *record.aliases])
        for key in _keys(candidate):
            resolved.ids.setdefault(key, record.pk)


# Re-extraction updates the article's earlier records in place. Every write
# below is limited to records that are still not curated (and metrics still
# active), so an editor's save that lands while the import runs wins.


def _persist_mentions(article, candidates, resolved, index, counts, *, replace: bool) -> None:
    """One mention per (article, linked entity), except curated or deleted ones.

    A mention of an entity found again keeps its id and takes the new spans
    and quote; the article's other non-curated mentions are removed.
    """
    from articles.models import OrganisationMention, PersonMention, ProgramMention

    for model, mention_model, link in (
        (Organisation, OrganisationMention, "organisation"),
        (Person, PersonMention, "person"),
        (Program, ProgramMention, "program"),
    ):
        # Several candidates may stand for one record: one mention with all spans.
        planned: dict[int, tuple[list, str]] = {}
        for candidate in candidates[model]:
            pk = resolved[model].find(candidate.name)
            if pk is not None:
                spans, quote = planned.get(pk, ([], ""))
                planned[pk] = ([*spans, *candidate.spans], quote or candidate.quote)
        kind = mention_model._meta.label_lower
        keys = {pk: (kind, _mention_key(article.source_file, pk)) for pk in planned}
        deleted = index.deleted(keys.values())
        existing = (
            {getattr(m, f"{link}_id"): m for m in mention_model.objects.filter(article=article)}
            if replace
            else {}
        )
        changed, rows = [], []
        for pk, (spans, quote) in planned.items():
            if keys[pk] in deleted:
                continue
            spans = [list(span) for span in sorted(set(map(tuple, spans)))]
            mention = existing.pop(pk, None)
            if mention is None:
                rows.append(
                    mention_model(article=article, spans=spans, quote=quote, **{f"{link}_id": pk})
                )
            elif not mention.curated and (mention.spans, mention.quote) != (spans, quote):
                mention.spans, mention.quote = spans, quote
                changed.append(mention)
        editable = mention_model.objects.filter(article=article, curated=False)
        stale = [mention.pk for mention in existing.values() if not mention.curated]
        if stale:
            removed, _ = editable.filter(pk__in=stale).delete()
            counts.removed["mentions"] += removed
        if changed:
            counts.updated["mentions"] += editable.bulk_update(changed, ["spans", "quote"])
        if rows:
            mention_model.objects.bulk_create(rows)
            counts.created["mentions"] += len(rows)


def _persist_positions(
    article, people: list[PersonCandidate], resolved, index, counts, *, replace: bool
) -> None:
    """Positions the article states, unless already known, curated or deleted.

    Positions are global, one per (person, title, organisation); the article
    is their provenance. One this article stated before and states again
    keeps its id (its title's spelling and its quote follow the text); the
    article's non-curated positions it no longer states are removed.
    """
    organisations = resolved[Organisation]
    planned = {}
    for person in people:
        person_pk = resolved[Person].find(person.name)
        if person_pk is None:
            continue
        for position in person.positions:
            title = " ".join(position.title.split())[:255]
            if not title:
                continue
            organisation_pk = organisations.find(position.organisation)
            identity = (person_pk, title.casefold(), organisation_pk or 0)
            planned.setdefault(identity, (title, position.quote))
    keys = {identity: ("entities.position", _position_key(*identity)) for identity in planned}
    deleted = index.deleted(keys.values())
    planned = {
        identity: found for identity, found in planned.items() if keys[identity] not in deleted
    }
    lookup = Q(person_id__in={person_pk for person_pk, _, _ in planned})
    if replace:
        lookup |= Q(article=article, curated=False)
    elif not planned:
        return
    # The positions of the people named, and what this article stated before.
    known: dict[tuple, list[Position]] = {}
    for position in Position.objects.filter(lookup):
        known.setdefault(_stated_position(position), []).append(position)
    ours = {
        position.pk: position
        for rows in known.values()
        for position in rows
        if position.article_id == article.pk and not position.curated
    }

    now = timezone.now()
    kept, changed, rows = set(), [], []
    for identity, (title, quote) in planned.items():
        holders = known.get(identity)
        if not holders:
            rows.append(
                Position(
                    person_id=identity[0],
                    title=title,
                    organisation_id=identity[2] or None,
                    article=article,
                    quote=quote,
                )
            )
            continue
        if any(position.pk not in ours for position in holders):
            continue  # curated, or stated by another article: that record stands
        position = next((p for p in holders if p.title == title), holders[0])
        kept.add(position.pk)
        if (position.title, position.quote) != (title, quote):
            position.title, position.quote, position.updated_at = title, quote, now
            changed.append(position)
    editable = Position.objects.filter(article=article, curated=False)
    # Stale ones go first: a case-variant twin of a kept title must not block its update.
    stale = [pk for pk in ours if pk not in kept]
    if stale:
        removed, _ = editable.filter(pk__in=stale).delete()
        counts.removed["positions"] += removed
    if changed:
        counts.updated["positions"] += editable.bulk_update(
            changed, ["title", "quote", "updated_at"]
        )
    if rows:
        Position.objects.bulk_create(rows)
        counts.created["positions"] += len(rows)


def _stated_position(position: Position) -> tuple:
    """A position's identity as the import matches it: (person, title casefolded, organisation)."""
    return (position.person_id, position.title.casefold(), position.organisation_id or 0)


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


def _persist_metrics(article, metrics, resolved, index, counts, *, replace: bool) -> None:
    """Metrics the article states, except rejected, curated or deleted ones.

    Each metric found again (see :func:`_pair_metrics`) keeps its id and takes
    the new values, offsets and quote; the article's active non-curated
    metrics not found again are removed. A candidate that matches a curated or
    rejected metric, or would take its place or its words, is left out.
    """
    keys = {
        id(metric): (
            "entities.metric",
            _metric_key(article.source_file, metric.raw_text, metric.quote),
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
    protected = {m.pk for m in existing if m.curated or m.status != Metric.Status.ACTIVE}
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

    editable = Metric.objects.filter(article=article, curated=False, status=Metric.Status.ACTIVE)
    if stale:
        removed, _ = editable.filter(pk__in=[m.pk for m in stale]).delete()
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
    if not metric.raw_text or len(metric.raw_text) > _MAX_NAME_LENGTH:
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


def _kind_name(model) -> str:
    return str(model._meta.verbose_name_plural)


def unique_slugs(*, model: type[models.Model], names: Sequence[str]) -> list[str]:
    """Slugs for new records of ``model``, unique among existing ones and each other.

    Two queries at most: which base slugs are taken, and which numbered
    variants of those exist; a taken slug gets the next free "-2", "-3" suffix.
    """
    bases = [slug_for(name) for name in names]
    manager = model._default_manager
    taken = set(manager.filter(slug__in=set(bases)).values_list("slug", flat=True))
    if taken:
        variants = Q()
        for base in taken:
            variants |= _slug_prefix_lookup(manager.db, f"{base}-")
        taken |= set(manager.filter(variants).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, counter = base, 2
        while slug in taken:
            slug = f"{base}-{counter}"
            counter += 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _slug_prefix_lookup(using: str, prefix: str) -> Q:
    """Slugs that start with ``prefix``, as a lookup the slug's unique index can serve.

    PostgreSQL serves ``LIKE 'prefix%'`` from the ``varchar_pattern_ops`` index
    Django adds to unique text columns. SQLite cannot use an index for Django's
    ``LIKE ... ESCAPE`` (it scanned all 100,000 articles of the benchmark for
    every repeated title), but its columns compare bytewise (BINARY
    collation), so a range does: "base-" <= slug < "base." ("." follows "-").
    """
    if connections[using].vendor == "sqlite":
        return Q(slug__gte=prefix, slug__lt=prefix[:-1] + chr(ord(prefix[-1]) + 1))
    return Q(slug__startswith=prefix)
