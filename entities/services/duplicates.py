"""Duplicate candidates: pairs of records of one kind that are probably one body or one person.

:func:`find_pairs` is pure (names in, scored pairs out); :func:`refresh_candidates`
reads the records, stores new open pairs, updates the scores of open ones and
deletes open pairs whose records are gone. A pair an editor decided (merged,
or "not the same") is never touched and never suggested again.

Rules, each with the score it gives (a pair takes its best rule's score, plus
a little for every further rule that agrees, see :func:`_combine`):

- ``same name`` (0.97): one record's name or alias normalises to the other's;
- ``legal form`` (0.95): the same name with another legal form, written short
  ("LLC") or long ("Joint Stock Company");
- ``acronym`` (0.90): an all-caps name is the initials of the other's words,
  "of/the/and/for" left out;
- ``initials`` (0.88, 0.65 when several people fit): "J. Smith" or "J.A. Smith"
  and "John Smith": the same surname, initials matching the full first name;
- ``contained`` (0.60-0.85): one name's words are a run of the other's whole
  words; for organisations, legal forms and generic words ("Cluster",
  "Ministry") alone do not count;
- ``words in order`` (0.55-0.75): one name's words appear in the other's in
  order with words between ("Tarsk Medical Institute", "Tarsk Medical
  Research Institute"), not only generic ones;
- ``abbreviated`` (0.80): word by word the same name with words cut short
  ("Pharma Park", "Pharmaceutical Park"; "Labs", "Laboratories");
- ``similar`` (0.50-0.85): high string similarity (``rapidfuzz``) of the
  names' distinctive (not generic) words, never between names whose numbers differ ("Pharma-2020",
  "Pharma-2030").

Comparing every pair would not scale, so pairs come from blocks: records that
share a rare word, a word's first or last letters, an acronym key, or (people) a
surname and first initial. Blocks larger than :data:`MAX_BLOCK` (common
words) are skipped: what only a common word links is no candidate.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from django.db import transaction

from entities.models import NAMED_MODELS, DuplicateCandidate, ReviewStatus
from entities.services.duplicate_names import (
    GENERIC_WORDS,
    SCORES,
    Match,
    Named,
    Spelling,
    combine,
    compare_spellings,
    initials_agree,
    person_name,
    record_spellings,
)
from kaluga_cluster.cache import bump_data_version

logger = logging.getLogger(__name__)

Kind = DuplicateCandidate.Kind

#: Blocks with more records than this are a common word's: no pairs from them.
MAX_BLOCK = 60
#: The same for blocks of records sharing only a word's first or last four letters.
MAX_WEAK_BLOCK = 12


@dataclass
class RefreshCounts:
    """What :func:`refresh_candidates` did, per kind and in all."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    open: int = 0
    seconds: float = 0.0
    per_kind: dict[str, int] = field(default_factory=dict)


# --- blocking --------------------------------------------------------------


def _block_keys(kind: str, spelling: Spelling) -> set[str]:
    keys = set()
    if kind == Kind.PERSON:
        person = person_name(spelling)
        if person is not None and person.given:
            keys.add(f"s:{person.surname}:{person.given[0][0]}")
        # Typos in the surname: its first letters, with the first initial.
        if person is not None and person.given and len(person.surname) >= 4:
            keys.add(f"p:{person.surname[:4]}:{person.given[0][0]}")
        if spelling.key:
            keys.add(f"k:{spelling.key}")
        return keys
    if spelling.key:
        keys.add(f"k:{spelling.key}")
    if spelling.acronym:
        keys.add(f"a:{spelling.acronym}")
    if spelling.initials:
        keys.add(f"a:{spelling.initials}")
    for word in spelling.core:
        if word not in GENERIC_WORDS and len(word) > 1:
            keys.add(f"w:{word}")
            if len(word) >= 5:
                # A typo leaves the word's start or its end alike.
                keys.add(f"p:{word[:4]}")
                keys.add(f"e:{word[-4:]}")
    if spelling.core:
        keys.add(f"c:{' '.join(spelling.core)}")
    return keys


def find_pairs(
    kind: str, records: Iterable[Named], *, focus: set[int] | None = None
) -> dict[tuple[int, int], Match]:
    """Scored pairs (lower id first) of ``records`` that are probably one; pure.

    With ``focus``, only pairs with at least one record among those ids.
    """
    spellings: dict[int, list[Spelling]] = {}
    blocks: dict[str, list[int]] = defaultdict(list)
    for record in records:
        own = record_spellings(record, kind)
        spellings[record.pk] = own
        for key in {key for spelling in own for key in _block_keys(kind, spelling)}:
            blocks[key].append(record.pk)

    pairs: set[tuple[int, int]] = set()
    for block, members in blocks.items():
        # Keys of a word's first or last letters are weak: only small blocks count.
        limit = MAX_WEAK_BLOCK if block[0] in "pe" else MAX_BLOCK
        if len(members) < 2 or len(members) > limit:
            continue
        for a, b in combinations(members, 2):
            if focus is not None and a not in focus and b not in focus:
                continue
            pairs.add((a, b) if a < b else (b, a))

    people = _people_by_surname(spellings) if kind == Kind.PERSON else {}
    result = {}
    for a, b in pairs:
        found = []
        for sa in spellings[a]:
            for sb in spellings[b]:
                found.extend(compare_spellings(kind, sa, sb))
        if kind == Kind.PERSON:
            found.extend(_initials_rule(spellings[a], spellings[b], people))
        match = combine(found)
        if match is not None:
            result[(a, b)] = match
    return result


def _people_by_surname(spellings: dict[int, list[Spelling]]) -> dict[tuple[str, str], set[int]]:
    """(surname, first initial) -> the people of that surname with a full first name."""
    index: dict[tuple[str, str], set[int]] = defaultdict(set)
    for pk, own in spellings.items():
        for spelling in own:
            person = person_name(spelling)
            if person is not None and not person.initials_only:
                index[(person.surname, person.given[0][0])].add(pk)
    return index


def _initials_rule(a: list[Spelling], b: list[Spelling], people) -> list[tuple[str, float]]:
    for left, right in ((a, b), (b, a)):
        for short_spelling in left:
            short = person_name(short_spelling)
            if short is None or not short.initials_only:
                continue
            for full_spelling in right:
                full = person_name(full_spelling)
                if full is None or full.initials_only or not initials_agree(short, full):
                    continue
                fitting = people.get((full.surname, full.given[0][0]), ())
                reason = "initials" if len(fitting) <= 1 else "initials (several people fit)"
                return [(reason, SCORES[reason])]
    return []


# --- storing ---------------------------------------------------------------


def refresh_candidates(*, kinds: Iterable[str] | None = None, records=None) -> RefreshCounts:
    """Find duplicate candidates and store them; what changed.

    ``kinds`` limits the refresh to those kinds ("organisation", "person",
    "program"); ``records`` (organisations, people or programs) to the pairs
    those records are in. New pairs are stored open; open pairs get their new
    score and reasons; open pairs whose records are gone, rejected or no longer
    alike are deleted. Decided pairs (merged, not the same) are never changed
    nor suggested again.
    """
    started = time.perf_counter()
    counts = RefreshCounts()
    focus_by_kind: dict[str, set[int]] | None = None
    if records is not None:
        focus_by_kind = defaultdict(set)
        for record in records:
            focus_by_kind[record._meta.model_name].add(record.pk)
    for kind in kinds or list(Kind):
        kind = Kind(kind)
        if focus_by_kind is not None and kind not in focus_by_kind:
            continue
        focus = focus_by_kind[kind] if focus_by_kind is not None else None
        _refresh_kind(kind, focus, counts)
    if counts.created or counts.updated or counts.deleted:
        bump_data_version()  # the review queue shows the pairs from the cache
    counts.open = DuplicateCandidate.objects.filter(status=DuplicateCandidate.Status.OPEN).count()
    counts.seconds = time.perf_counter() - started
    logger.info(
        "Duplicate candidates: %d new, %d updated, %d deleted, %d open (%.2f s)",
        counts.created,
        counts.updated,
        counts.deleted,
        counts.open,
        counts.seconds,
    )
    return counts


def _refresh_kind(kind: str, focus: set[int] | None, counts: RefreshCounts) -> None:
    model = NAMED_MODELS[kind]
    rows = (
        model.objects.exclude(review_status=ReviewStatus.REJECTED)
        .values_list("pk", "name", "aliases")
        .iterator(chunk_size=5000)
    )
    named = [Named(pk, name, tuple(aliases or ())) for pk, name, aliases in rows]
    found = find_pairs(kind, named, focus=focus)
    live = {record.pk for record in named}
    candidates = DuplicateCandidate.objects.filter(kind=kind)
    with transaction.atomic():
        decided = set(
            candidates.exclude(status=DuplicateCandidate.Status.OPEN).values_list(
                "first_id", "second_id"
            )
        )
        open_pairs = {
            (c.first_id, c.second_id): c
            for c in candidates.filter(status=DuplicateCandidate.Status.OPEN).only(
                "pk", "first_id", "second_id", "score", "reasons"
            )
        }
        new, changed, stale = [], [], []
        for pair, match in found.items():
            if pair in decided:
                continue
            current = open_pairs.get(pair)
            if current is None:
                new.append(
                    DuplicateCandidate(
                        kind=kind,
                        first_id=pair[0],
                        second_id=pair[1],
                        score=match.score,
                        reasons=match.reasons,
                    )
                )
            elif (current.score, current.reasons) != (match.score, match.reasons):
                current.score, current.reasons = match.score, match.reasons
                changed.append(current)
        for pair, current in open_pairs.items():
            gone = pair[0] not in live or pair[1] not in live
            looked_at = focus is None or pair[0] in focus or pair[1] in focus
            if gone or (looked_at and pair not in found):
                stale.append(current.pk)
        # ignore_conflicts: a pair an editor decided meanwhile stays decided.
        DuplicateCandidate.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        DuplicateCandidate.objects.bulk_update(changed, ["score", "reasons"], batch_size=1000)
        deleted = 0
        for start in range(0, len(stale), 500):
            deleted += DuplicateCandidate.objects.filter(
                pk__in=stale[start : start + 500], status=DuplicateCandidate.Status.OPEN
            ).delete()[0]
    counts.created += len(new)
    counts.updated += len(changed)
    counts.deleted += deleted
    counts.per_kind[kind] = len(found) - len(decided & found.keys())
