"""Where each organisation, person and program occurs in a text.

Every spelling of a record (name and aliases) is searched; overlapping hits
go to the longest one, so "Association of Northern Biotech Regions (ANBR)"
is one mention and a later "ANBR" another.
"""

import re
from collections import defaultdict
from functools import lru_cache

from entities.extraction.registry import Candidate, Registry

_QUOTE_CLASS = r"[\"'“”«»„‘’]"
_WORD = re.compile(r"\w+")
_DASH_CLASS = r"[-–—]"


@lru_cache(maxsize=4096)
def _pattern(form: str) -> re.Pattern:
    """A regex for one spelling: any whitespace, quote or dash style, centre/center."""
    parts = []
    for char in form:
        if char.isspace():
            parts.append(r"\s+")
        elif char in "\"'“”«»„‘’":
            parts.append(_QUOTE_CLASS)
        elif char in "-–—":
            parts.append(_DASH_CLASS)
        else:
            parts.append(re.escape(char))
    text = "".join(parts)
    text = re.sub(r"(?i)cent(?:re|er)", "cent(?:re|er)", text)
    # Acronyms and one-word names must match exactly; longer names in any case
    # ("Administration of Tula region").
    words = form.split()
    flags = re.IGNORECASE if len(words) > 1 and not form.isupper() else 0
    return re.compile(rf"(?<![\w]){text}(?![\w])", flags)


def _fold(word: str) -> str:
    """A word as the index keys it: case-free, one spelling of centre/center."""
    word = word.casefold()
    return "center" if word == "centre" else word


@lru_cache(maxsize=8)
def _word_starts(text: str) -> dict[str, list[int]]:
    """Where each (folded) word of ``text`` starts; the body is searched several times."""
    starts = defaultdict(list)
    for word in _WORD.finditer(text):
        starts[_fold(word.group())].append(word.start())
    return starts


def locate(text: str, registry: Registry) -> list[tuple[int, int, Candidate]]:
    """Non-overlapping occurrences of every record in ``text``, sorted by position.

    Each spelling is tried only where its first word occurs, so long texts
    with many records stay fast.
    """
    starts = _word_starts(text)
    hits = []
    records: list[Candidate] = [*registry.organisations, *registry.programs, *registry.people]
    for record in records:
        for form in dict.fromkeys((record.name, *record.aliases)):
            first = _WORD.search(form)
            if len(form) < 2 or first is None:
                continue
            pattern = _pattern(form)
            # A spelling that opens with a quote or bracket starts before its first word.
            lead = first.start()
            for position in starts.get(_fold(first.group()), ()):
                match = pattern.match(text, position - lead) if position >= lead else None
                if match:
                    hits.append((match.start(), match.end(), record))
    hits.sort(key=lambda hit: (hit[0] - hit[1], hit[0]))
    # Longest first; a character already covered cannot start another mention.
    covered = bytearray(len(text))
    taken: list[tuple[int, int, Candidate]] = []
    for start, end, record in hits:
        if not any(covered[start:end]):
            covered[start:end] = b"\x01" * (end - start)
            taken.append((start, end, record))
    taken.sort(key=lambda hit: hit[0])
    return taken
