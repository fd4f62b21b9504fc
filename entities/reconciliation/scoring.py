"""How well a name matches a record, 0 to 100, and when the best match is a clear one.

Pure functions over strings (no ORM): the index finds candidates, these rank them.

Both sides are compared by their *match key*: the record's comparison key
(:func:`entities.normalise.normalise_name`: transliterated to ASCII, case,
quotes, legal forms and "the"/"of" dropped, word order ignored, the usual
romanisation variants "y"/"i", "ph"/"f", "kh"/"h" folded) with a few more
folds for letters that Cyrillic spells out: "x" is "ks" (Вертекс, Vertex),
"w" is "v", "ck" and "q" are "k", "c" is "ts" before e/i and "k" elsewhere,
"dzh" is "j", and a leading "ie" is "e" (Евгений, Yevgeny). These folds make
keys only for comparing; they never change what a record is called.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz

from entities.normalise import normalise_name

#: A candidate is a match only with at least this score ...
MATCH_SCORE = 90.0
#: ... and at least this far ahead of the next candidate.
MATCH_MARGIN = 10.0
#: A name all of whose words are in the record's name (or the other way
#: round), but not the whole of it, scores this share of the overlap: "Vertex"
#: for "Vertex Pharmaceuticals" is a good candidate, never a sure match.
CONTAINED_WEIGHT = 0.8
#: A match through an alias counts this share of one through the name:
#: aliases are short forms and surnames that several records may share.
ALIAS_WEIGHT = 0.95
#: Weight of the name against each property supplied with a query.
NAME_WEIGHT = 3.0

_FOLDS = (
    (re.compile(r"dzh"), "j"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"w"), "v"),
    (re.compile(r"q"), "k"),
    (re.compile(r"c(?=[eiy])"), "ts"),
    (re.compile(r"c(?!h)"), "k"),
    (re.compile(r"\bie"), "e"),
    (re.compile(r"([a-z])\1"), r"\1"),
)


def match_key(text: str) -> str:
    """The key two spellings are compared by (see the module docstring)."""
    return fold(normalise_name(text))


@lru_cache(maxsize=16384)
def fold(key: str) -> str:
    """A comparison key (``normalise_name``, a record's ``normalized_name``) as a match key."""
    for pattern, replacement in _FOLDS:
        key = pattern.sub(replacement, key)
    return key


def prefix_key(text: str) -> str:
    """``text`` as typed, for prefix tests: ASCII, casefolded, single spaces."""
    return " ".join(anyascii(text).casefold().split())


def similarity(query_key: str, spelling_key: str) -> float:
    """0-100: how alike two match keys are.

    The edit-distance ratio of the whole keys (a typo or two in a long name
    still scores in the nineties), or, when one's words are all in the other,
    :data:`CONTAINED_WEIGHT` of the overlap, whichever is higher.
    """
    if not query_key or not spelling_key:
        return 0.0
    whole = fuzz.ratio(query_key, spelling_key)
    contained = CONTAINED_WEIGHT * fuzz.token_set_ratio(query_key, spelling_key)
    return max(whole, contained)


def name_score(query_key: str, name_key: str, aliases: Iterable[str]) -> float:
    """0-100: the best similarity of the query to the record's name or (weighted) an alias.

    ``query_key`` and ``name_key`` are match keys; aliases are as written.
    """
    best = similarity(query_key, name_key)
    for alias in aliases:
        best = max(best, ALIAS_WEIGHT * similarity(query_key, match_key(alias)))
    return best


def prefix_score(prefix: str, name: str, aliases: Iterable[str]) -> float:
    """0-100: how far what was typed starts the record's name (what autocomplete puts first).

    100 when the name starts with it ("Vert" for "Vertex Pharmaceuticals",
    however little of it that is); 90 when each typed word starts a word of
    the name, in any order and by match key ("kaluga pharma" for "Kaluga
    Pharmaceutical Cluster", "kaluga farma" too); an alias counts
    :data:`ALIAS_WEIGHT` of that; 0 when none of this holds.
    """
    typed = prefix_key(prefix)
    if not typed:
        return 0.0
    words = match_key(prefix).split()
    best = 0.0
    for weight, text in ((1.0, name), *((ALIAS_WEIGHT, alias) for alias in aliases)):
        if prefix_key(text).startswith(typed):
            best = max(best, weight * 100.0)
        elif words and _words_start(words, match_key(text).split()):
            best = max(best, weight * 90.0)
    return round(best, 1)


def typed_score(prefix: str, name: str, aliases: Iterable[str]) -> float:
    """0-100: how well each word typed, typos and all, matches the start of a word of the name.

    Autocomplete's fuzzy measure, for a text that is still being typed: each
    typed word is compared with the same length of the name's closest word
    ("vertks" with "vertek"), and the mean taken, so "Vertx Pharma" scores
    92 for "Vertex Pharmaceuticals". An alias counts :data:`ALIAS_WEIGHT`.
    """
    typed = match_key(prefix).split()
    if not typed:
        return 0.0
    best = 0.0
    for weight, text in ((1.0, name), *((ALIAS_WEIGHT, alias) for alias in aliases)):
        words = match_key(text).split()
        if words:
            closest = [max(fuzz.ratio(part, word[: len(part)]) for word in words) for part in typed]
            best = max(best, weight * sum(closest) / len(typed))
    return round(best, 1)


def _words_start(typed: Sequence[str], words: Sequence[str]) -> bool:
    """Whether every typed word is the start of one of ``words``."""
    return all(any(word.startswith(part) for word in words) for part in typed)


def combined_score(name: float, properties: Sequence[float]) -> float:
    """The candidate's score: the name weighted :data:`NAME_WEIGHT` against each property's.

    With a kind supplied, a record of another kind loses a quarter of its
    score: 100 for the name and 0 for the kind make 75, never a match.
    """
    total = NAME_WEIGHT * name + sum(properties)
    return round(total / (NAME_WEIGHT + len(properties)), 1)


@dataclass
class Scored:
    """A candidate with its score; ``match`` is set by :func:`decide_match`."""

    item: object
    score: float
    features: dict
    match: bool = False


def decide_match(ranked: Sequence[Scored]) -> None:
    """Mark the first of ``ranked`` (best first) a match when it is a clear winner.

    The rule: a score of at least :data:`MATCH_SCORE` (90) and at least
    :data:`MATCH_MARGIN` (10) points above the runner-up, if any. Two records
    that match equally well (two people sharing a surname alias, a name and
    its namesake) are left for a person to choose.
    """
    if not ranked:
        return
    best = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else None
    best.match = best.score >= MATCH_SCORE and (
        runner_up is None or best.score - runner_up >= MATCH_MARGIN
    )
