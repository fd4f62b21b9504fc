"""Quantitative claims: money, percentages, scores, measures and counts of things.

Each claim becomes a number in base units with a unit, a qualifier ("over",
"about", "up to"), the year or period the sentence states, a short label of
what is measured and, when clear, the organisation or program it is about.
The patterns of the claims and their values and labels are in
``metric_claims``; this module runs them over the sentences and reads the
context: the qualifier, dates and ranges that are no claim, the year and the
subject.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass

from entities.extraction.metric_claims import PATTERNS
from entities.extraction.quantity_words import QUALIFIERS
from entities.extraction.text import Sentence, alternation
from entities.extraction.types import MetricCandidate
from entities.extraction.vocabulary import MONTHS

# The qualifier right before a number ("more than 70%"); looked up behind each
# match rather than inside the patterns, which keeps the patterns fast.
_QUALIFIER_BEFORE = re.compile(
    r"(?<![\w-])(?P<qualifier>(?i:" + alternation(QUALIFIERS) + r"))\s+$"
)
_YEAR = re.compile(
    r"(?<![\w\-–])(?:(?P<preposition>(?i:since|from|in|by|until|till|to|for|during|as\s+of|of))\s+)?"
    r"(?P<year>(?:19|20)\d{2})(?:\s*(?:[–—-]|to)\s*(?P<year_to>(?:19|20)\d{2}))?(?![\w\-])"
)
_RELATIVE_YEAR = re.compile(r"\b(?:this|last|next|previous|current)\s+year\b", re.IGNORECASE)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:by|with|to|from|for|at|in|on|among|between|than|via|through|of|and|as)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# Nouns whose "of <organisation>" names the owner of the measured thing.
_OWNER_NOUNS = re.compile(
    r"\b(?:score|share|portfolio|budget|investments?|revenues?|production|output|performance"
    r"|capacity|staff|employees|assets|sales|exports)\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_ANAPHORA = re.compile(r"\b(?:the company|the organisation|the organization|it|its)\b", re.I)
_RANGE_AFTER = re.compile(r"\s?[-–—]\s?\d")
_RANGE_BEFORE = re.compile(r"\d\s?[-–—]\s?$")
_MONTH_BEFORE = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\.?,?\s*$", re.IGNORECASE)
_MONTH_AFTER = re.compile(r"^\s*(?:" + "|".join(MONTHS) + r")\b", re.IGNORECASE)


@dataclass
class Mention:
    """Where an organisation or program is named, for finding a metric's subject."""

    start: int
    end: int
    organisation: str | None = None
    program: str | None = None


def find_metrics(
    sentences: list[Sentence],
    common: frozenset[str],
    mentions: list[Mention],
    *,
    in_title: bool = False,
) -> list[MetricCandidate]:
    """Every quantitative claim in the sentences; offsets are None when ``in_title``.

    Each pattern has a handler ``(match, sentence, common, earlier)`` that
    turns a match into a metric (or rejects it); ``earlier`` holds the
    sentence's metrics found so far.
    """
    metrics: list[MetricCandidate] = []
    mentions = sorted(mentions, key=lambda mention: mention.start)
    starts = [mention.start for mention in mentions]
    for index, sentence in enumerate(sentences):
        taken: list[tuple[int, int]] = []
        in_sentence: list[MetricCandidate] = []
        for pattern, handler in PATTERNS:
            for match in _matches(pattern, sentence.text):
                qualifier = _QUALIFIER_BEFORE.search(
                    sentence.text, max(0, match.start() - 25), match.start()
                )
                local_start = qualifier.start() if qualifier else match.start()
                start = sentence.start + local_start
                end = sentence.start + match.end()
                if any(start < t_end and t_start < end for t_start, t_end in taken):
                    continue
                metric = handler(match, sentence, common, in_sentence)
                if metric is None or _is_date_or_range(sentence.text, match):
                    continue
                taken.append((start, end))
                metric.raw_text = sentence.text[local_start : match.end()]
                metric.start, metric.end = (None, None) if in_title else (start, end)
                metric.quote = sentence.text
                if qualifier:
                    metric.qualifier = QUALIFIERS[qualifier.group("qualifier").lower()]
                _set_period(metric, sentence.text, match)
                previous = sentences[index - 1] if index else None
                _set_subject(metric, sentence, previous, match.start(), mentions, starts)
                in_sentence.append(metric)
        metrics.extend(in_sentence)
    metrics.sort(key=lambda metric: (metric.start or 0, metric.raw_text))
    return metrics


def _matches(pattern: re.Pattern, text: str):
    """Every match of ``pattern``, overlapping ones included.

    "2009 with four researchers" matches the count pattern but is rejected;
    the search then resumes one character later, so "four researchers" is
    still found.
    """
    position = 0
    while (match := pattern.search(text, position)) is not None:
        yield match
        position = match.start() + 1


def _is_date_or_range(text: str, match) -> bool:
    """A day of a month ("February 4") is no quantity; a range ("$250-300 million",
    "55-12-34") is not one number, so it is left to an editor rather than halved."""
    number_start, number_end = match.start("number"), match.end("number")
    return bool(
        _MONTH_BEFORE.search(text[max(0, number_start - 12) : number_start])
        or _MONTH_AFTER.match(text[number_end:])
        or _RANGE_AFTER.match(text[number_end:])
        or _RANGE_BEFORE.search(text[max(0, number_start - 4) : number_start])
    )


def _set_period(metric: MetricCandidate, text: str, match) -> None:
    """The year (or period) the sentence states nearest to the number."""
    best, distance = None, len(text) + 1
    # Only the clause of the number: "...by 2024; today it is 2%" has no year.
    clause_start = text.rfind(";", 0, match.start()) + 1
    clause_end = text.find(";", match.end())
    clause_end = len(text) if clause_end < 0 else clause_end
    for year in _YEAR.finditer(text, clause_start, clause_end):
        if year.start("year") < match.end() and match.start() < year.end():
            continue
        gap = min(abs(year.start() - match.start()), abs(year.end() - match.end()))
        if gap < distance:
            best, distance = year, gap
    if best is None:
        return
    # "In 2017 ... 6 drugs, and early this year – another three": the year
    # named in between is not a number; it still rules the year out.
    between = text[min(best.end(), match.end()) : max(best.start(), match.start())]
    if _RELATIVE_YEAR.search(between):
        return
    preposition = (best.group("preposition") or "").lower()
    if best.group("year_to"):
        metric.period = f"{best.group('year')}–{best.group('year_to')}"
    elif preposition == "since":
        metric.period = f"since {best.group('year')}"
    else:
        metric.year = int(best.group("year"))


def _mentions_in(mentions: list[Mention], starts: list[int], low: int, high: int) -> list[Mention]:
    """The mentions that start in [low, high); ``starts`` are their sorted start offsets."""
    return mentions[bisect_left(starts, low) : bisect_left(starts, high)]


def _set_subject(metric, sentence, previous, offset, mentions, starts) -> None:
    """The organisation (or program) the claim is about, when the sentence makes it clear.

    The first one named before the number that is not the object of a
    preposition ("organised by the Ministry" is not a subject); "the
    company"/"it" refers back to the previous sentence.
    """
    position = sentence.start + offset
    before = _mentions_in(mentions, starts, sentence.start, position)
    for mention in before:
        lead = sentence.text[: mention.start - sentence.start]
        if _OWNER_NOUNS.search(lead) or not _PREPOSITION_BEFORE.search(lead):
            metric.organisation, metric.program = mention.organisation, mention.program
            return
    if previous is not None and _ANAPHORA.search(sentence.text[:offset]):
        earlier = [
            m
            for m in _mentions_in(mentions, starts, previous.start, previous.end)
            if m.organisation is not None
        ]
        if earlier:
            metric.organisation = earlier[-1].organisation
