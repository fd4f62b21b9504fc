"""Positions: a job title as the text writes it, and the organisation it is held at.

``TITLE`` is the regular-expression fragment of a title ("CEO", "First Deputy
Minister", "founder and CEO"); ``title_with_unit`` extends a title by its
remit, sub-unit or portfolio. The ``organisation_*`` functions and
``title_ministry`` find the body a title is held at: the one named after it
("of/at X", ", X"), a capitalised name before it, or the ministry a
minister's portfolio names.
"""

import re

from entities.extraction.lexicon import is_nationality
from entities.extraction.organisation_chunks import find_chunk
from entities.extraction.organisation_kinds import (
    classify_chunk,
    is_place_or_people,
    looks_like_person,
)
from entities.extraction.registry import Registry
from entities.extraction.text import alternation, tokenize
from entities.extraction.types import PersonCandidate, PositionCandidate
from entities.extraction.vocabulary import (
    FUNCTION_WORDS,
    ORGANISATION_HEADS,
    PLACE_NOUNS,
    STRONG_HEADS,
    TITLE_CORES,
    TITLE_MODIFIERS,
    UNIT_HEADS,
)

# The regular-expression alternatives of the title cores and their modifiers.
_CORES = alternation(TITLE_CORES)
MODIFIERS = "|".join(TITLE_MODIFIERS)
# Any "Chief <Something> Officer" (Medical, Scientific, Commercial ...).
_CHIEF_OFFICER = r"Chief\s+[A-Za-z]+\s+Officer"
_ONE_TITLE = rf"(?:(?:{MODIFIERS})\s+)*(?:{_CHIEF_OFFICER}|{_CORES})(?:\s+General)?"
# Two titles held together: "founder and CEO", "Chairman and Managing Director".
TITLE = rf"\b(?i:{_ONE_TITLE}(?:\s+and\s+{_ONE_TITLE}\b)?)"
# Words that may belong to a title: a sentence without any names no title.
TITLE_HINTS = frozenset(
    {"officer", *(word.lower() for core in TITLE_CORES for word in core.split())}
) - {"of", "the"}
MODIFIER_WORDS = frozenset(modifier.lower() for modifier in TITLE_MODIFIERS)
# A sub-unit after the title belongs to it: "Director of the ... Department".
_TITLE_UNIT = re.compile(
    r"^\s+of\s+the\s+((?:[\w-]+\s+){0,5}?(?:Department|Division|Directorate|Unit))\b"
    # ... but only a unit *of* a named body; otherwise the department is the employer.
    r"(?=\s+(?:of|at)\s+(?:the\s+)?(?:"
    + "|".join(head.capitalize() for head in sorted(STRONG_HEADS))
    + r")\b)"
)
# A remit after the title belongs to it: "Deputy Director for Production",
# "Vice-Rector for Research and Innovation" (capitalised words, no body's name).
_TITLE_REMIT = re.compile(r"^\s+for\s+([A-Z][a-z]+(?:(?:\s+|\s+and\s+|\s*&\s*)[A-Z][a-z]+){0,3})\b")
# "Minister of Industry and Trade of X": the portfolio belongs to the title.
_MINISTER_PORTFOLIO = re.compile(r"^\s+of\s+((?:[A-Z][\w-]*|and|&)(?:\s+(?:[A-Z][\w-]*|and|&))*)")
# "the minister of economic development and investment": a portfolio in lower case.
_LOWER_PORTFOLIO = re.compile(
    r"^\s+of\s+((?:(?!the\b|of\b|said\b|says\b)[a-z]+)(?:\s+(?:and\s+)?(?!the\b|of\b|said\b|says\b)[a-z]+){0,5})\b"
)
# "of the region": which region is left to the reader.
_REGION_ANAPHORA = re.compile(r"\s+of\s+the\s+(?:region|republic|oblast|province|krai|city)\b")
# "of “Idea” Technopark": a quoted name and the head noun after it.
_QUOTED_BODY = re.compile(
    r"^\s*(?:of|at)\s+(?:the\s+)?(?P<quoted>[“«\"](?P<name>[A-Z][^”»\"]{1,40})[”»\"]\s+"
    r"(?P<head>[A-Z][a-z]+))\b"
)
# "First Deputy Economy Minister": the portfolio written before "Minister".
_PORTFOLIO_BEFORE = re.compile(
    rf"(?:\b(?P<modifier>(?:(?:{MODIFIERS})\s+)*(?:{MODIFIERS}))\s+)?(?P<portfolio>[A-Z][a-z]+)\s+$"
)


def portfolio_minister(text: str, title_start: int, registry: Registry):
    """ "Deputy Economy Minister X": the title with its portfolio, and the ministry if named.

    The ministry is the one the article names ("the Economy Ministry",
    "the Ministry of Economy"); none is inferred, as the country is not said.
    """
    before = _PORTFOLIO_BEFORE.search(text, max(0, title_start - 60), title_start)
    if before is None or is_nationality(before.group("portfolio")):
        return "Minister", None
    portfolio = before.group("portfolio")
    title = " ".join(filter(None, [before.group("modifier"), portfolio, "Minister"]))
    for name in (f"{portfolio} Ministry", f"Ministry of {portfolio}"):
        known = registry.organisation(name)
        if known is not None:
            return title, known.name
    return title, None


def organisation_in(body, phrase: str, sentence, common, registry) -> str | None:
    """The organisation a phrase after a title names: "of the X Department of the Ministry"."""
    at = sentence.text.find(phrase)
    if at != -1:
        tokens = tokenize(phrase, sentence.start + at)
        chunk = find_chunk(tokens, common)
        found = classify_chunk(body, chunk) if chunk else None
        if found is not None and found.kind != "program":
            return registry.add_organisation(
                found.name, found.kind, aliases=found.aliases, quote=sentence.text
            ).name
    # "«Zentova» OAO", "(UPM)": quotes and brackets are not part of the name.
    phrase = " ".join(re.sub(r"[«»“”\"()]", " ", phrase).split())
    return organisation_named(phrase, common, registry, sentence.text)


def title_with_unit(title: str, text: str, end: int) -> tuple[str, int]:
    """Extend a title by its sub-unit or portfolio; return it and where it ends.

    "Director of the ... Department of X" and "Minister of Industry and Trade
    of X" keep the department or portfolio in the title; X is the organisation.
    """
    title = re.sub(r"\s+", " ", title).strip()
    title = title[0].upper() + title[1:]
    remit = _TITLE_REMIT.match(text[end:])
    if remit and _is_remit(remit.group(1)):
        return f"{title} for {remit.group(1)}", end + remit.end()
    unit = _TITLE_UNIT.match(text[end:])
    if unit:
        return f"{title} of the {unit.group(1)}", end + unit.end()
    if title.lower().endswith("minister"):
        portfolio = _MINISTER_PORTFOLIO.match(text[end:]) or _LOWER_PORTFOLIO.match(text[end:])
        if portfolio:
            words = portfolio.group(1).split(" of ")[0].strip().split()
            # "Minister of Health Ivan Sokolov": the name is not part of the portfolio.
            for cut in range(1, len(words)):
                if looks_like_person(words[cut:]):
                    words = words[:cut]
                    break
            portfolio_text = " ".join(words)
            return f"{title} of {portfolio_text}", end + portfolio.start(1) + len(portfolio_text)
    return title, end


def _is_remit(words: str) -> bool:
    """Whether the words after "for" name a field of work rather than a body or place."""
    lowered = {word.lower() for word in re.findall(r"[A-Za-z]+", words)}
    return lowered.isdisjoint(ORGANISATION_HEADS.keys() | PLACE_NOUNS)


def organisation_after(body, sentence, position, common, registry, title="") -> str | None:
    """The organisation named right after a title: "of/at [the] X" or ", X".

    A minister's organisation is the ministry of the portfolio, when the
    article names it: "Minister of Trade of X" works at "X Ministry of Trade".
    """
    rest = sentence.text[position:]
    if "Minister of " in title:
        return title_ministry(title, rest, registry, sentence.text)
    quoted = _QUOTED_BODY.match(rest)
    if quoted and quoted.group("head").lower() in ORGANISATION_HEADS:
        # "the Director of “Idea” Technopark": a quoted name before its head noun.
        name = f"{quoted.group('name')} {quoted.group('head')}"
        kind = ORGANISATION_HEADS[quoted.group("head").lower()]
        alias = " ".join(rest[quoted.start("quoted") : quoted.end()].split())
        return registry.add_organisation(name, kind, aliases=[alias], quote=sentence.text).name
    lead = re.match(
        r"\s*(?:(?:of|at|in|for)\s+(?:the\s+)?|,\s+(?:the\s+)?)(?:(?:regional|federal|national)\s+)?",
        rest,
    )
    if not lead:
        return None
    offset = sentence.start + position + lead.end()
    tokens = tokenize(sentence.text[position + lead.end() :], offset)
    chunk = find_chunk(tokens, common)
    if chunk is None:
        return None
    found = classify_chunk(body, chunk)
    if found is not None and found.kind != "program":
        record = registry.add_organisation(
            found.name, found.kind, aliases=found.aliases, quote=sentence.text
        )
        return record.name
    name = re.sub(r"\s+", " ", body[chunk[0].start : chunk[-1].end])
    return organisation_named(name, common, registry, sentence.text)


def title_ministry(title: str, rest: str, registry: Registry, quote: str) -> str | None:
    """The ministry a "Minister of X [of <place>]" title names.

    "First Deputy Minister of Health of the Russian Federation" works at the
    ministry the title names, even where the text never writes "Ministry": the
    known record when the article names it, else one inferred from the title.
    """
    place = re.match(r"\s+of\s+(the\s+)?((?:[A-Z][\w-]*\s*)+)", rest)
    if _REGION_ANAPHORA.match(rest):
        # "the minister of health of the region": a regional ministry the text does not name.
        return None
    field = title[title.index("Minister of ") + len("Minister of ") :]
    portfolio = "Ministry of " + " ".join(
        word if word in {"and", "of"} else word[:1].upper() + word[1:] for word in field.split()
    )
    names = [f"{portfolio} of {place.group(1) or ''}{place.group(2).strip()}"] if place else []
    for name in [*names, portfolio]:
        known = registry.organisation(name)
        if known is not None:
            return known.name
    if place is None:
        return registry.infer_organisation(portfolio, "government", quote=quote).name
    where = place.group(2).strip()
    if is_place_or_people(where) or where.split()[-1].lower() in PLACE_NOUNS:
        return registry.infer_organisation(names[0], "government", quote=quote).name
    return None


def organisation_named(name: str, common, registry: Registry, quote: str) -> str | None:
    """A capitalised name in an organisation's place; a new company when unknown."""
    known = registry.organisation(name)
    if known is not None:
        return known.name
    words = name.split()
    if len(words) > 1 and words[-1].lower() in UNIT_HEADS:
        # "Zentova International Division": a unit of a known company.
        for size in range(len(words) - 1, 0, -1):
            known = registry.organisation(" ".join(words[:size]))
            if known is not None:
                return known.name
        # The company may be found later in the article: settled at the end.
        return name
    if not words or registry.program(name) or looks_like_person(words) or is_place_or_people(name):
        return None
    for word in words:
        lower = word.lower().rstrip("’'")
        if lower in PLACE_NOUNS or lower in FUNCTION_WORDS or lower in common:
            return None
        if not word[:1].isupper():
            return None
    return registry.add_organisation(name, "company", quote=quote).name


def add_position(person: PersonCandidate, title: str, organisation, quote: str) -> None:
    for position in person.positions:
        if position.title.lower() == title.lower() and position.organisation == organisation:
            return
    person.positions.append(PositionCandidate(title=title, organisation=organisation, quote=quote))
