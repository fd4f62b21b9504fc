"""Person names: the patterns a name is written in, and whether words can be one.

``NAME_WORD`` ... ``PERSON`` are regular-expression fragments ("Ivan Sokolov",
"Anna Maria Berg", "Ivan P. Sokolov", "P.K. Orlov") that the people extractor
builds its context patterns from. ``record_person`` checks a name found in a
person context (not a place, a nationality, a company word or a name already
known as something else) and adds it to the registry in its display form.
"""

import re

from entities.extraction.lexicon import is_given_name, is_nationality, is_place
from entities.extraction.registry import Registry
from entities.extraction.types import PersonCandidate
from entities.extraction.vocabulary import (
    FUNCTION_WORDS,
    GENERIC_NAME_WORDS,
    LEGAL_FORMS,
    MONTHS,
    ORGANISATION_HEADS,
    PLACE_NOUNS,
    PROGRAM_HEADS,
    TITLE_CORES,
    WEEKDAYS,
)

NAME_WORD = r"[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)?"
SURNAME = rf"(?:{NAME_WORD}|[A-Z]{{2,}}(?:-[A-Z]{{2,}})?)"
# "Ivan Sokolov", "Anna Maria Berg", "Ivan P. Sokolov".
FULL_NAME = rf"{NAME_WORD}(?:\s[A-Z]\.)?(?:\s{NAME_WORD})?\s{SURNAME}(?![\w’'])"
INITIALS_NAME = rf"(?:[A-Z]\.\s?){{1,3}}{NAME_WORD}(?![\w’'])"
PERSON = rf"(?:{INITIALS_NAME}|{FULL_NAME})"
# Words of company names, never of a person's: "Lumiere Pharma".
_COMPANY_WORD = re.compile(
    r"pharm|^farma|^bio(?:tech|pharm|med|gen)?$|^med(?:tech|pharm)?$|tech$|^labs?$|^gen$"
)
# Words that are never part of a person's name.
_NOT_NAME_WORDS = (
    FUNCTION_WORDS
    | MONTHS
    | WEEKDAYS
    | PLACE_NOUNS
    | GENERIC_NAME_WORDS
    | frozenset(ORGANISATION_HEADS)
    | frozenset(PROGRAM_HEADS)
    | frozenset(word.lower() for core in TITLE_CORES for word in core.split())
    | frozenset(form.lower() for form in LEGAL_FORMS)
)


def record_person(raw: str, common: frozenset[str], registry: Registry, quote: str):
    """The record for a name found in a person context, or None when it is not a name."""
    raw = valid_person_name(raw, common, registry)
    if raw is None:
        return None
    name = _display_name(raw)
    aliases = [raw] if raw != name else []
    surname = name.split()[-1]
    if surname != name:
        aliases.append(surname)
    return registry.add_person(name, aliases=aliases, quote=quote)


def valid_person_name(raw: str, common: frozenset[str], registry: Registry) -> str | None:
    """The name as written if it can be a person's, else None."""
    raw = re.sub(r"\s+", " ", raw).strip()
    # A sentence opener caught before a two-word name: "Later Olga Sidorova".
    first, _, rest = raw.partition(" ")
    if rest.count(" ") >= 1 and (first.lower() in _NOT_NAME_WORDS or first.lower() in common):
        raw = rest
    if is_place(raw, major=True):
        return None
    # "Health Ivan Sokolov" (after "Minister of"): a word before a first name is not the name's.
    words = raw.split()
    if len(words) == 3 and is_given_name(words[1]) and not is_given_name(words[0]):
        raw = " ".join(words[1:])
    # "Belarus Ivan Sokolov", "Danish Anna Berg": a place or nationality before the name.
    first, _, rest = raw.partition(" ")
    if rest.count(" ") >= 1 and (is_place(first, major=True) or is_nationality(first)):
        raw = rest
    words = [word for word in re.split(r"[\s.]+", raw) if len(word) > 1]
    if not words:
        return None
    for word in words:
        lower = word.lower().rstrip("’'")
        if (
            lower in _NOT_NAME_WORDS
            or lower in common
            or is_nationality(lower)
            or is_place(word, major=True)
            or _COMPANY_WORD.search(lower)
        ):
            return None
    if registry.known_name(raw) or registry.in_organisation_name(raw):
        return None
    return raw


def _display_name(raw: str) -> str:
    """Display form: "Marta LINDQVIST" -> "Marta Lindqvist"; "P.K.Orlov" -> "P.K. Orlov"."""
    words = [
        word.capitalize() if word.isupper() and word.isalpha() else word for word in raw.split()
    ]
    # Initials glued to the surname get a space before it.
    return re.sub(r"(?<=\.)(?=[A-Z][a-z])", " ", " ".join(words))


def add_alias(person: PersonCandidate, alias: str) -> None:
    if alias not in person.aliases and alias != person.name:
        person.aliases.append(alias)
