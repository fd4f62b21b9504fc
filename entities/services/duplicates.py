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
import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from anyascii import anyascii
from django.db import transaction
from rapidfuzz import fuzz

from entities.models import DuplicateCandidate, Organisation, Person, Program, ReviewStatus
from entities.normalise import LEGAL_FORMS, acronym_of, is_acronym, normalise_name

logger = logging.getLogger(__name__)

Kind = DuplicateCandidate.Kind
MODELS = {Kind.ORGANISATION: Organisation, Kind.PERSON: Person, Kind.PROGRAM: Program}

#: Blocks with more records than this are a common word's: no pairs from them.
MAX_BLOCK = 60
#: The same for blocks of records sharing only a word's first or last four letters.
MAX_WEAK_BLOCK = 12
#: Similarity (rapidfuzz ratio, 0-100) from which two names count as "similar".
SIMILARITY_THRESHOLD = 85

SCORES = {
    "same name": 0.97,
    "legal form": 0.95,
    "acronym": 0.90,
    "initials": 0.88,
    "initials (several people fit)": 0.65,
    "abbreviated": 0.8,
}

# Words that are not one body's name on their own: a name contained in another
# counts only when it has a word outside these (and outside the legal forms).
GENERIC_WORDS = frozenset(
    {
        "academy",
        "administration",
        "agency",
        "alliance",
        "association",
        "authority",
        "bank",
        "biotech",
        "biotechnology",
        "board",
        "bureau",
        "center",
        "centre",
        "chamber",
        "city",
        "clinic",
        "cluster",
        "college",
        "commission",
        "committee",
        "company",
        "conference",
        "corporation",
        "council",
        "department",
        "development",
        "district",
        "economic",
        "economy",
        "education",
        "export",
        "factory",
        "faculty",
        "federal",
        "federation",
        "forum",
        "foundation",
        "fund",
        "government",
        "group",
        "health",
        "holding",
        "hospital",
        "industrial",
        "industry",
        "initiative",
        "innovation",
        "innovative",
        "institute",
        "international",
        "investment",
        "lab",
        "laboratories",
        "laboratory",
        "labs",
        "management",
        "media",
        "medical",
        "ministry",
        "municipal",
        "national",
        "network",
        "news",
        "oblast",
        "office",
        "park",
        "partnership",
        "pharm",
        "pharma",
        "pharmaceutical",
        "pharmaceuticals",
        "pharmaceutics",
        "plant",
        "program",
        "programme",
        "project",
        "region",
        "regional",
        "republic",
        "research",
        "russia",
        "russian",
        "school",
        "science",
        "scientific",
        "service",
        "services",
        "society",
        "special",
        "standard",
        "state",
        "system",
        "technologies",
        "technology",
        "technopark",
        "trade",
        "training",
        "union",
        "university",
        "zone",
    }
)
# Long legal forms, written out: "Zentova Joint Stock Company" is "Zentova JSC".
_LONG_LEGAL_FORMS = re.compile(
    r"\b(?:(?:public|closed|open|non[- ]?public)\s+)?joint[- ]stock\s+company\b"
    r"|\blimited\s+liability\s+(?:company|partnership)\b"
    r"|\b(?:incorporated|corporation|company|limited)\b",
    re.IGNORECASE,
)
_LEGAL_WORDS = frozenset(form.strip(".").casefold() for form in LEGAL_FORMS)
_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")
_INITIAL = re.compile(r"^(?:[A-Z]\.?)+$|^(?:[A-Z]\.)+[A-Z]?$")


@dataclass(frozen=True)
class Named:
    """A record as duplicate finding sees it: id, display name and aliases."""

    pk: int
    name: str
    aliases: tuple[str, ...] = ()


@dataclass
class Match:
    """Why two records look like one: the score and the rules that fired."""

    score: float
    reasons: list[str]


@dataclass
class RefreshCounts:
    """What :func:`refresh_candidates` did, per kind and in all."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    open: int = 0
    seconds: float = 0.0
    per_kind: dict[str, int] = field(default_factory=dict)


# --- names -----------------------------------------------------------------


@dataclass(frozen=True)
class _Spelling:
    """One spelling of a record (its name or an alias) with what the rules compare."""

    text: str
    key: str  # normalise_name
    words: tuple[str, ...]  # casefolded ASCII words, in order, legal forms kept
    core: tuple[str, ...]  # words without legal forms and glue words
    numbers: frozenset[str]
    acronym: str  # written as an acronym: its letters, else ""
    initials: str  # the initials of its words (three or more), else ""
    distinctive: str  # its words that are not generic, sorted and joined (see _distinctive)


_GLUE = frozenset({"the", "of", "for", "and", "a", "an", "&", "in", "on"})


def _spelling(text: str, kind: str) -> _Spelling:
    ascii_text = anyascii(unicodedata.normalize("NFKC", text))
    words = tuple(word.casefold() for word in _WORD.findall(ascii_text))
    core = tuple(w for w in words if w not in _GLUE and w not in _LEGAL_WORDS)
    without_long_forms = _LONG_LEGAL_FORMS.sub(" ", ascii_text)
    core_short = tuple(
        w.casefold()
        for w in _WORD.findall(without_long_forms)
        if w.casefold() not in _GLUE and w.casefold() not in _LEGAL_WORDS
    )
    acronym = re.sub(r"[^A-Za-z]", "", text).upper() if is_acronym(text) else ""
    key = normalise_name(text)
    core = core_short or core
    return _Spelling(
        text=text,
        key=key,
        words=words,
        core=core,
        numbers=frozenset(_DIGITS.findall(ascii_text)),
        acronym=acronym,
        initials="" if acronym else acronym_of(text),
        distinctive=_distinctive(kind, key, core),
    )


def _spellings(record: Named, kind: str) -> list[_Spelling]:
    texts = [record.name, *record.aliases]
    if kind == Kind.PERSON:
        # A person's aliases are mostly a surname, bare or after "Mr."/"Dr.", which
        # other people share: only an alias with a given name or initials counts.
        texts = [record.name, *(a for a in record.aliases if _has_given_name(a))]
    seen, result = set(), []
    for text in texts:
        if text and text not in seen:
            seen.add(text)
            result.append(_spelling(text, kind))
    return result


_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "madam"})


def _has_given_name(text: str) -> bool:
    """Whether a person's spelling has more than a surname ("Mr. Orbelt" has not)."""
    words = [w.strip(".").casefold() for w in text.split()]
    return len([w for w in words if w and w not in _HONORIFICS]) > 1


@dataclass(frozen=True)
class _PersonName:
    surname: str
    given: tuple[str, ...]  # casefolded given names or initials, in order
    initials_only: bool


def _person_name(spelling: _Spelling) -> _PersonName | None:
    """Given names and surname of "John A. Smith", "J.A. Smith", "J. A. Smith"; None otherwise."""
    tokens = anyascii(spelling.text).replace(".", ". ").split()
    if len(tokens) < 2:
        return None
    surname = tokens[-1]
    if not surname[:1].isupper() or _INITIAL.match(surname):
        return None
    given = []
    initials_only = True
    for token in tokens[:-1]:
        if _INITIAL.match(token):
            given.extend(letter.casefold() for letter in token if letter.isalpha())
        elif token[:1].isupper() and token.strip(".").isalpha():
            given.append(token.casefold())
            initials_only = False
        else:
            return None
    return _PersonName(normalise_name(surname), tuple(given), initials_only)


def _initials_agree(short: _PersonName, full: _PersonName) -> bool:
    """Whether initials ("J.A.") fit the given names of a full name ("John", "John Alan")."""
    if short.surname != full.surname or not short.given or not full.given:
        return False
    if short.given[0][0] != full.given[0][0]:
        return False
    # Middle initials must agree where both names state them.
    return all(a[0] == b[0] for a, b in zip(short.given[1:], full.given[1:], strict=False))


def _first_names_alike(a: _Spelling, b: _Spelling) -> bool:
    """Whether two people's first names are alike too ("Taras" is not "Tamara")."""
    first, second = _person_name(a), _person_name(b)
    if first is None or second is None or not first.given or not second.given:
        return False
    if first.given[0][0] != second.given[0][0]:
        return False
    if len(first.given[0]) == 1 or len(second.given[0]) == 1:
        return True  # initials: the initials rule's business
    return fuzz.ratio(first.given[0], second.given[0]) >= 80


# --- rules -----------------------------------------------------------------


def _contained(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether ``short`` is a run of whole words of ``long`` (and shorter)."""
    n = len(short)
    if not n or n >= len(long):
        return False
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _in_order(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether ``short``'s words all appear in ``long`` in order, with words between."""
    if not short or len(short) >= len(long):
        return False
    remaining = iter(long)
    return all(word in remaining for word in short)


def _abbreviated(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Word by word the same name, some words cut short: "Pharma Park" ~ "Pharmaceutical Park".

    A word abbreviates another when it is its first three or more letters
    (a plural "s" aside: "Labs" ~ "Laboratories").
    """
    if len(a) != len(b) or a == b:
        return False

    def same_or_cut(x: str, y: str) -> bool:
        if x == y:
            return True
        short, long = sorted((x.removesuffix("s"), y.removesuffix("s")), key=len)
        return len(short) >= 3 and long.startswith(short)

    return all(same_or_cut(x, y) for x, y in zip(a, b, strict=True))


def _compare_spellings(kind: str, a: _Spelling, b: _Spelling) -> list[tuple[str, float]]:
    """The rules two spellings satisfy, with their scores."""
    found = []
    if kind == Kind.ORGANISATION and a.core and a.core == b.core and a.words != b.words:
        found.append(("legal form", SCORES["legal form"]))
    elif a.key and a.key == b.key:
        found.append(("same name", SCORES["same name"]))
    if kind != Kind.PERSON:
        if (a.acronym and a.acronym == b.initials) or (b.acronym and b.acronym == a.initials):
            found.append(("acronym", SCORES["acronym"]))
        short, long = sorted((a.core, b.core), key=len)
        if _contained(short, long) and (
            kind != Kind.ORGANISATION or any(w not in GENERIC_WORDS for w in short)
        ):
            # Longer shared runs are stronger evidence: 0.60 for a word of four, up to 0.85.
            found.append(("contained", round(0.6 + 0.25 * len(short) / len(long), 3)))
        elif _in_order(short, long) and any(w not in GENERIC_WORDS for w in short):
            # "Tarsk Medical Institute" in "Tarsk Medical Research Institute": weaker
            # than a run of words, a word between may name another body.
            found.append(("words in order", round(0.55 + 0.2 * len(short) / len(long), 3)))
        if _abbreviated(a.core, b.core) and any(
            x == y and x not in GENERIC_WORDS for x, y in zip(a.core, b.core, strict=True)
        ):
            found.append(("abbreviated", SCORES["abbreviated"]))
    elif len(a.core) > 1 and len(b.core) > 1:
        short, long = sorted((a.core, b.core), key=len)
        if _contained(short, long) and short[-1] == long[-1]:
            # "John Smith" in "John Alan Smith": the same surname, a name more.
            found.append(("contained", 0.75))
    left, right = a.distinctive, b.distinctive
    if a.numbers == b.numbers and left and right and left != right:
        # Only the words that tell bodies apart: "X Generics of Y Region" and
        # "Z Generics of Y Region" share most letters but not the name.
        ratio = fuzz.ratio(left, right)
        if ratio >= SIMILARITY_THRESHOLD and (kind != Kind.PERSON or _first_names_alike(a, b)):
            score = 0.5 + 0.35 * (ratio - SIMILARITY_THRESHOLD) / (100 - SIMILARITY_THRESHOLD)
            found.append(("similar", round(score, 3)))
    return found


def _distinctive(kind: str, key: str, core: tuple[str, ...]) -> str:
    """A spelling's words that are not generic, sorted and joined ("" when too short)."""
    if kind == Kind.PERSON:
        return key
    words = sorted(w for w in core if w not in GENERIC_WORDS)
    text = " ".join(words)
    return text if len(text) >= 5 else ""


def _combine(found: list[tuple[str, float]]) -> Match | None:
    """One score for a pair: the best rule's, plus 0.02 for each other rule (at most 0.99)."""
    if not found:
        return None
    best: dict[str, float] = {}
    for reason, score in found:
        best[reason] = max(best.get(reason, 0.0), score)
    ordered = sorted(best.items(), key=lambda item: -item[1])
    score = min(0.99, ordered[0][1] + 0.02 * (len(ordered) - 1))
    return Match(score=round(score, 3), reasons=[reason for reason, _ in ordered])


# --- blocking --------------------------------------------------------------


def _block_keys(kind: str, spelling: _Spelling) -> set[str]:
    keys = set()
    if kind == Kind.PERSON:
        person = _person_name(spelling)
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
    spellings: dict[int, list[_Spelling]] = {}
    blocks: dict[str, list[int]] = defaultdict(list)
    for record in records:
        own = _spellings(record, kind)
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
                found.extend(_compare_spellings(kind, sa, sb))
        if kind == Kind.PERSON:
            found.extend(_initials_rule(spellings[a], spellings[b], people))
        match = _combine(found)
        if match is not None:
            result[(a, b)] = match
    return result


def _people_by_surname(spellings: dict[int, list[_Spelling]]) -> dict[tuple[str, str], set[int]]:
    """(surname, first initial) -> the people of that surname with a full first name."""
    index: dict[tuple[str, str], set[int]] = defaultdict(set)
    for pk, own in spellings.items():
        for spelling in own:
            person = _person_name(spelling)
            if person is not None and not person.initials_only:
                index[(person.surname, person.given[0][0])].add(pk)
    return index


def _initials_rule(a: list[_Spelling], b: list[_Spelling], people) -> list[tuple[str, float]]:
    for left, right in ((a, b), (b, a)):
        for short_spelling in left:
            short = _person_name(short_spelling)
            if short is None or not short.initials_only:
                continue
            for full_spelling in right:
                full = _person_name(full_spelling)
                if full is None or full.initials_only or not _initials_agree(short, full):
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
    model = MODELS[kind]
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
