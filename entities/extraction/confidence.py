"""How much to trust each extracted record: a confidence from 0 to 1 (no ORM).

The rule, in one place: every candidate starts at ``BASE`` (0.5: no evidence
either way). Each piece of evidence in its kind's table below that holds adds
its weight; a negative weight is a reason for doubt. Graded evidence (a name
repeated) adds its weight times a share from 0 to 1. The sum is clamped to
[``FLOOR``, ``CEILING``] and rounded to two decimals: never 0 (the extractor
found it for some reason) and never 1 (only an editor's record is certain).

The evidence is what the final candidate shows: its name and aliases, how
often the article names it, the text just around its occurrences, and whether
something independent of the rule that found it agrees: another extractor (a
person's position at an organisation, a metric about it) or a name list (a
known given name, a known place). There is no statistical entity recogniser
in the project; this agreement stands in for one.

Editors review records from the lowest confidence up; the import stores it
(``articles.persistence.extraction_persist``).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from entities.extraction.lexicon import is_given_name, is_place
from entities.extraction.quantity_words import MEASURE_UNITS
from entities.extraction.types import (
    Extraction,
    MetricCandidate,
    OrganisationCandidate,
    PersonCandidate,
    ProgramCandidate,
)
from entities.extraction.vocabulary import (
    HONORIFICS,
    LEGAL_FORMS,
    ORGANISATION_HEADS,
    PROGRAM_HEADS,
)
from entities.normalise import is_currency_code

__all__ = ["BASE", "CEILING", "FLOOR", "assign_confidence"]

BASE = 0.5
FLOOR = 0.05
CEILING = 0.99

# Occurrences beyond the first that still add: the fourth mention says no more than the third.
_REPEATS_COUNTED = 3
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_WORD = re.compile(r"[^\W_]+(?:[’'-][^\W_]+)*")
_OPENING_QUOTES = frozenset("“„«\"'‘")
_CLOSING_QUOTES = frozenset("”»\"'’")
_HONORIFIC_BEFORE = re.compile(
    r"\b(?:" + "|".join(map(re.escape, HONORIFICS)) + r")\.?\s+$", re.IGNORECASE
)
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s+[“„«\"'‘]?$")
_WORD_AFTER = re.compile(r"[”»\"'’]?\s+([^\W\d_]+)")
_INITIAL = re.compile(r"^(?:[A-Z]\.){1,2}$")
# Labels the metric extractor falls back on when the sentence names nothing measured.
_VAGUE_LABELS = frozenset({"amount", "share", "score", "count"})


@dataclass(frozen=True)
class _Context:
    """What the other candidates of the same article say about a candidate."""

    body: str
    position_organisations: frozenset[str]  # organisations a person's position is at
    metric_subjects: frozenset[str]  # organisations and programs a metric is about


@dataclass(frozen=True)
class Evidence:
    """One reason to trust (positive weight) or doubt (negative) a candidate."""

    description: str
    weight: float
    # How far it holds for a candidate: True/False, or a share from 0 to 1.
    holds: Callable[[object, _Context], float | bool]


def assign_confidence(extraction: Extraction, body: str) -> None:
    """Set ``confidence`` on every candidate of ``extraction`` from its evidence in ``body``.

    ``BASE`` plus the weights of the evidence that holds (the tables of this
    module), clamped to [``FLOOR``, ``CEILING``], rounded to two decimals.
    Call it on the final candidates: names, aliases, spans and positions
    settled.
    """
    context = _Context(
        body=body,
        position_organisations=frozenset(
            position.organisation
            for person in extraction.people
            for position in person.positions
            if position.organisation
        ),
        metric_subjects=frozenset(
            subject
            for metric in extraction.metrics
            for subject in (metric.organisation, metric.program)
            if subject
        ),
    )
    for candidates, table in (
        (extraction.organisations, ORGANISATION_EVIDENCE),
        (extraction.people, PERSON_EVIDENCE),
        (extraction.programs, PROGRAM_EVIDENCE),
        (extraction.metrics, METRIC_EVIDENCE),
    ):
        for candidate in candidates:
            candidate.confidence = _score(candidate, table, context)


def _score(candidate, table: tuple[Evidence, ...], context: _Context) -> float:
    total = BASE + sum(
        evidence.weight * float(evidence.holds(candidate, context)) for evidence in table
    )
    return round(min(CEILING, max(FLOOR, total)), 2)


# --- Evidence shared by the named kinds ---------------------------------------------


def _words(name: str) -> list[str]:
    return _WORD.findall(name)


def _repeated(candidate, context: _Context) -> float:
    """Share of the counted repetitions: 0 when named once, 1 from four times on."""
    return min(max(len(candidate.spans) - 1, 0), _REPEATS_COUNTED) / _REPEATS_COUNTED


def _subject_of_a_metric(candidate, context: _Context) -> bool:
    return candidate.name in context.metric_subjects


# --- Organisations --------------------------------------------------------------------


def _has_legal_form(organisation: OrganisationCandidate, context: _Context) -> bool:
    for name in (organisation.name, *organisation.aliases):
        for token in name.split():
            token = token.strip(",;:()“”„«»\"'")
            if token in LEGAL_FORMS or token.rstrip(".") in LEGAL_FORMS:
                return True
    return False


def _has_organisation_head(organisation: OrganisationCandidate, context: _Context) -> bool:
    return any(
        word.lower() in ORGANISATION_HEADS
        for name in (organisation.name, *organisation.aliases)
        for word in _words(name)
    )


def _acronym_in_brackets(organisation: OrganisationCandidate, context: _Context) -> bool:
    """An alias the article defines as "Full Name (ABBR)"."""
    return any(alias.isupper() and f"({alias})" in context.body for alias in organisation.aliases)


def _position_at_it(organisation: OrganisationCandidate, context: _Context) -> bool:
    return organisation.name in context.position_organisations


def _lone_word(organisation: OrganisationCandidate, context: _Context) -> bool:
    """One word, named once, with neither a head noun nor a legal form."""
    return (
        len(_words(organisation.name)) == 1
        and len(organisation.spans) <= 1
        and not _has_legal_form(organisation, context)
        and not _has_organisation_head(organisation, context)
    )


def _a_place(organisation: OrganisationCandidate, context: _Context) -> bool:
    """Named like a town or country ("Orlovo"): the place, more often than a body."""
    return is_place(organisation.name)


def _short_capitals(organisation: OrganisationCandidate, context: _Context) -> bool:
    """A bare acronym as the only name ("ABV"): often a product, a unit or a typo."""
    letters = organisation.name.replace(" ", "")
    return letters.isupper() and len(letters) <= 5 and not _has_legal_form(organisation, context)


ORGANISATION_EVIDENCE = (
    Evidence("a legal form (LLC, JSC...) in the name or an alias", 0.30, _has_legal_form),
    Evidence("an institutional head noun (Ministry, University...)", 0.25, _has_organisation_head),
    Evidence("an acronym the article defines in brackets", 0.10, _acronym_in_brackets),
    Evidence("named again (up to three more times)", 0.15, _repeated),
    Evidence("a person's position is at it", 0.15, _position_at_it),
    Evidence("a metric is about it", 0.05, _subject_of_a_metric),
    Evidence("a lone word named once, no head noun, no legal form", -0.25, _lone_word),
    Evidence("a short all-capitals name", -0.15, _short_capitals),
    Evidence("the name of a place (the place lists agree)", -0.20, _a_place),
)


# --- People -----------------------------------------------------------------------------


def _has_title(person: PersonCandidate, context: _Context) -> bool:
    return any(position.title.strip() for position in person.positions)


def _title_at_an_organisation(person: PersonCandidate, context: _Context) -> bool:
    return any(position.title.strip() and position.organisation for position in person.positions)


def _honorific(person: PersonCandidate, context: _Context) -> bool:
    """ "Mr." or "Dr." right before an occurrence."""
    return any(
        _HONORIFIC_BEFORE.search(context.body[max(0, start - 8) : start])
        for start, _ in person.spans
    )


def _known_given_name(person: PersonCandidate, context: _Context) -> bool:
    """The first word is a given name the name lists know ("Olga", "Henrik")."""
    words = person.name.split()
    return len(words) > 1 and is_given_name(words[0])


def _initials_only(person: PersonCandidate, context: _Context) -> bool:
    """The given names are only initials ("A. B. Smith", "A.B. Smith")."""
    words = person.name.split()
    return len(words) > 1 and all(_INITIAL.match(word) for word in words[:-1])


def _single_word(person: PersonCandidate, context: _Context) -> bool:
    return len(person.name.split()) == 1


def _plain_pair_once(person: PersonCandidate, context: _Context) -> bool:
    """Two words, named once, no title: could be a place, a product or a phrase."""
    return (
        len(person.name.split()) == 2
        and len(person.spans) <= 1
        and not _has_title(person, context)
        and not _initials_only(person, context)
    )


PERSON_EVIDENCE = (
    Evidence("holds a position with a title", 0.30, _has_title),
    Evidence("the position names its organisation", 0.05, _title_at_an_organisation),
    Evidence("an honorific (Mr, Dr...) before the name", 0.10, _honorific),
    Evidence("a known given name first (the name lists agree)", 0.10, _known_given_name),
    Evidence("named again (up to three more times)", 0.15, _repeated),
    Evidence("given names as initials only", -0.15, _initials_only),
    Evidence("a single word", -0.25, _single_word),
    Evidence("two words named once, no title", -0.15, _plain_pair_once),
)


# --- Programs ---------------------------------------------------------------------------


def _head_words(program: ProgramCandidate, context: _Context) -> list[str]:
    """Words of the name, and the words right before and after each occurrence.

    "the Clean Air-2035 strategy" names "Clean Air-2035" and heads it outside the name.
    """
    words = [word.lower() for word in _words(program.name)]
    body = context.body
    for start, end in program.spans:
        if before := _WORD_BEFORE.search(body, max(0, start - 30), start):
            words.append(before.group(1).lower())
        if after := _WORD_AFTER.match(body, end, end + 30):
            words.append(after.group(1).lower())
    return words


def _program_head(program: ProgramCandidate, context: _Context) -> bool:
    return any(PROGRAM_HEADS.get(word) == "initiative" for word in _head_words(program, context))


def _event_head(program: ProgramCandidate, context: _Context) -> bool:
    return any(PROGRAM_HEADS.get(word) == "event" for word in _head_words(program, context))


def _year_in_name(program: ProgramCandidate, context: _Context) -> bool:
    return _YEAR.search(program.name) is not None


def _quoted(program: ProgramCandidate, context: _Context) -> bool:
    """The article writes it in quotation marks."""
    body = context.body
    if program.name[:1] in _OPENING_QUOTES:
        return True
    return any(
        body[max(0, start - 1) : start] in _OPENING_QUOTES or body[end : end + 1] in _CLOSING_QUOTES
        for start, end in program.spans
    )


def _bare_program_word(program: ProgramCandidate, context: _Context) -> bool:
    return len(_words(program.name)) == 1 and not _year_in_name(program, context)


PROGRAM_EVIDENCE = (
    Evidence(
        "a program head noun (program, strategy, initiative...) in or next to the name",
        0.25,
        _program_head,
    ),
    Evidence("an event noun (forum, conference...): events are weaker", 0.10, _event_head),
    Evidence('a year in the name ("... 2030")', 0.15, _year_in_name),
    Evidence("written in quotation marks", 0.10, _quoted),
    Evidence("named again (up to three more times)", 0.15, _repeated),
    Evidence("a metric is about it", 0.05, _subject_of_a_metric),
    Evidence("a single word without a year", -0.20, _bare_program_word),
)


# --- Metrics ----------------------------------------------------------------------------
# The qualifier ("about", "over") says how exact the figure is, not whether it
# was read right, so it carries no weight.


def _money_or_percent(metric: MetricCandidate, context: _Context) -> bool:
    return metric.unit == "%" or is_currency_code(metric.unit)


def _measured(metric: MetricCandidate, context: _Context) -> bool:
    return metric.unit == "points" or metric.unit in MEASURE_UNITS.values()


def _clear_label(metric: MetricCandidate, context: _Context) -> bool:
    """A label that says what is measured beyond the unit itself."""
    label = metric.label.strip().lower()
    return bool(label) and label not in _VAGUE_LABELS and label != metric.unit.lower()


def _bare_count(metric: MetricCandidate, context: _Context) -> bool:
    """A number and a counted noun, nothing more ("16 employees")."""
    if _money_or_percent(metric, context) or _measured(metric, context):
        return False
    return metric.unit == "count" or metric.label.strip().lower() == metric.unit.lower()


def _has_subject(metric: MetricCandidate, context: _Context) -> bool:
    return bool(metric.organisation or metric.program)


def _dated(metric: MetricCandidate, context: _Context) -> bool:
    return metric.year is not None or bool(metric.period)


METRIC_EVIDENCE = (
    Evidence("money (a currency) or a percentage", 0.30, _money_or_percent),
    Evidence("a measurement unit or points", 0.15, _measured),
    Evidence("a label saying what is measured", 0.10, _clear_label),
    Evidence("a bare count: a number and a noun", -0.15, _bare_count),
    Evidence("about a known organisation or program", 0.05, _has_subject),
    Evidence("a year or period stated", 0.05, _dated),
)
