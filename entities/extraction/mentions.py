"""Where each organisation, person and program occurs in a text.

Every spelling of a record (name and aliases) is searched; overlapping hits
go to the longest one, so "Association of Innovative Regions of Russia (AIRR)"
is one mention and a later "AIRR" another.
"""

import re
from functools import lru_cache

from entities.extraction.registry import Candidate, Registry

_QUOTE_CLASS = r"[\"'“”«»„‘’]"
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
    # ("Administration of Kaluga region").
    words = form.split()
    flags = re.IGNORECASE if len(words) > 1 and not form.isupper() else 0
    return re.compile(rf"(?<![\w]){text}(?![\w])", flags)


def locate(text: str, registry: Registry) -> list[tuple[int, int, Candidate]]:
    """Non-overlapping occurrences of every record in ``text``, sorted by position."""
    hits = []
    records: list[Candidate] = [*registry.organisations, *registry.programs, *registry.people]
    for record in records:
        for form in dict.fromkeys((record.name, *record.aliases)):
            if len(form) < 2:
                continue
            for match in _pattern(form).finditer(text):
                hits.append((match.start(), match.end(), record))
    hits.sort(key=lambda hit: (hit[0] - hit[1], hit[0]))
    taken: list[tuple[int, int, Candidate]] = []
    for start, end, record in hits:
        if all(end <= t_start or t_end <= start for t_start, t_end, _ in taken):
            taken.append((start, end, record))
    taken.sort(key=lambda hit: hit[0])
    return taken
