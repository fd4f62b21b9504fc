"""Resolution: which records the names an extraction found stand for.

:func:`resolve_candidates` looks the candidates of an article up in one batch
per kind (by normalised name, by normalised alias, by short form), adds new
aliases to the non-curated records it matches, bulk-creates the records
nothing matched, and never recreates a name an editor deleted. Storing what
the article says about them (mentions, positions, metrics) is the articles
app's part (``articles.persistence``).
"""

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from entities.extraction.types import (
    Extraction,
    OrganisationCandidate,
    PersonCandidate,
    ProgramCandidate,
)
from entities.identity import name_tombstone_key
from entities.models import Organisation, Person, Program
from entities.normalise import normalise_name
from entities.services.index import ImportIndex, NamedModel
from entities.services.slugs import unique_slugs

logger = logging.getLogger(__name__)

Candidate = OrganisationCandidate | PersonCandidate | ProgramCandidate

# Names are stored in 255-character fields.
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


@dataclass
class ResolvedNames:
    """Which record each candidate name of one kind stands for (None: not linked)."""

    ids: dict[str, int | None] = field(default_factory=dict)  # candidate key -> pk

    def find(self, name: str | None) -> int | None:
        """The id of the record ``name`` stands for, or None (not linked, or no name)."""
        return self.ids.get(normalise_name(name)) if name else None


@dataclass
class Resolution:
    """What one extraction's names stand for.

    ``candidates``: per kind, the candidates, one per normalised name;
    ``resolved``: per kind, the record each candidate name stands for.
    """

    candidates: dict[NamedModel, list[Candidate]]
    resolved: dict[NamedModel, ResolvedNames]


def resolve_candidates(
    *, extraction: Extraction, index: ImportIndex, counts: ChangeCounts
) -> Resolution:
    """Link the organisations, people and programs ``extraction`` found to records.

    Existing records are looked up in one batch per kind (and read under a
    row lock on PostgreSQL); non-curated ones gain the new aliases, a missing
    kind or description, and the candidate's confidence when it is higher
    than theirs; candidates nothing matches become new records, except names
    an editor deleted. Must run inside the caller's transaction; what it
    writes is added to ``counts``.
    """
    candidates = _merge_same_names(extraction)
    resolved = {model: _resolve(model, candidates[model], index, counts) for model in candidates}
    return Resolution(candidates=candidates, resolved=resolved)


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
) -> ResolvedNames:
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

    resolved = ResolvedNames()
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
            keys = _without_distinct(
                model, record, candidate, keys, existing, alias_ids, by_pk, index
            )
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


def _without_distinct(model, record, candidate, keys, existing, alias_ids, by_pk, index):
    """``keys`` without the names of records an editor said ``record`` is not.

    A candidate may carry another existing record's name as an alias ("UPM"
    next to a long name): folding it into ``record`` would move that
    record's mentions here and make the name an alias of ``record``. When an
    editor marked the two "not the same", the name stays the other record's.
    """
    kept = [keys[0]]
    dropped = set()
    for key in keys[1:]:
        other = existing.get(key) or by_pk.get(alias_ids.get(key))
        if (
            other is not None
            and other.pk != record.pk
            and index.distinct(model, record.pk, other.pk)
        ):
            dropped.add(key)
        else:
            kept.append(key)
    if dropped:
        candidate.aliases = [a for a in candidate.aliases if normalise_name(a) not in dropped]
    return kept


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
        aliases = merged_aliases(record.normalized_name, record.aliases, names)
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


def _create_new(model, new, resolved: ResolvedNames, index: ImportIndex, counts) -> None:
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
            aliases=merged_aliases(normalise_name(candidate.name), [], candidate.aliases),
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


def merged_aliases(own_key: str, aliases: list[str], names: Iterable[str]) -> list[str]:
    """``aliases`` plus ``names``, without repeats or forms of the record's own name."""
    merged, seen = [], {own_key}
    for name in [*aliases, *names]:
        key = normalise_name(name)
        if key and key not in seen:
            seen.add(key)
            merged.append(name)
    return merged


def _kind_name(model) -> str:
    return str(model._meta.verbose_name_plural)
