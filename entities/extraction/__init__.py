"""Extraction: article text in, candidate entities and metrics out (no ORM).

``extract(body, title=...)`` finds organisations, people with their positions,
programs and metrics, and every place the body mentions them. It relies only
on generic vocabulary and the shape of the text, so it works on articles
nobody has seen.
"""

import logging
import re

from entities.extraction.companies import find_companies
from entities.extraction.confidence import assign_confidence
from entities.extraction.mentions import locate
from entities.extraction.metrics import Mention, find_metrics
from entities.extraction.organisations import find_organisations
from entities.extraction.people import find_people
from entities.extraction.programs import find_programs
from entities.extraction.registry import Registry
from entities.extraction.text import Sentence, common_words, split_sentences
from entities.extraction.types import (
    Extraction,
    MetricCandidate,
    OrganisationCandidate,
    ProgramCandidate,
)
from entities.extraction.vocabulary import UNIT_HEADS

logger = logging.getLogger(__name__)

# The last word of a text that ends without punctuation (an excerpt cut short).
_CUT_OFF = re.compile(r"(?<=\s)\w+\s*$")

__all__ = ["Extraction", "extract"]


def extract(body: str, *, title: str = "") -> Extraction:
    """Extract the entities and metrics of one article.

    Offsets are into ``body``; a metric stated only in the title has no
    offsets and the title as its quote.
    """
    # A text cut off mid-word ("... Governor Anatoly Chub") must not yield a
    # name from the cut word; what precedes it keeps its offsets.
    if cut := _CUT_OFF.search(body):
        body = body[: cut.start()]
    sentences = split_sentences(body)
    common = common_words(body)
    registry = Registry()
    program_chunks = find_organisations(body, sentences, common, registry)
    find_people(body, sentences, common, registry)
    find_companies(body, sentences, common, registry)
    registry.settle_company_anchors(body)
    find_programs(body, sentences, program_chunks, registry)
    registry.merge_short_forms()
    registry.merge_acronyms()
    registry.merge_initials()

    # Records get their spans; those that never occur in the body are dropped.
    hits = locate(body, registry)
    for start, end, record in hits:
        record.spans.append((start, end))
    registry.keep_located()
    _settle_positions(registry)

    metrics = find_metrics(sentences, common, _subject_mentions(hits))
    if title:
        metrics.extend(_title_metrics(title, common, registry, metrics))
    logger.debug(
        "Extracted %d organisations, %d people, %d programs, %d metrics",
        len(registry.organisations),
        len(registry.people),
        len(registry.programs),
        len(metrics),
    )
    extraction = Extraction(
        organisations=registry.organisations,
        people=registry.people,
        programs=registry.programs,
        metrics=metrics,
    )
    assign_confidence(extraction, body)
    return extraction


def _settle_positions(registry: Registry) -> None:
    """Point positions at the final display names of their organisations.

    A position may name its body by a longer spelling than the record's
    ("regional X Agency") or by a unit of it ("Zentova International
    Division"); it then points at that record.
    """
    for person in registry.people:
        for position in person.positions:
            if position.organisation:
                name = position.organisation
                organisation = registry.organisation(name)
                # "Zentova International Division": a unit's title is held at the company.
                if name.split()[-1].lower() in UNIT_HEADS or organisation is None:
                    organisation = registry.organisation_starting(name) or organisation
                organisation = organisation or registry.organisation_containing(name)
                position.organisation = organisation.name if organisation else None


def _subject_mentions(hits) -> list[Mention]:
    """Organisation and program occurrences, the candidates for a metric's subject."""
    mentions = []
    for start, end, record in hits:
        if isinstance(record, OrganisationCandidate):
            mentions.append(Mention(start, end, organisation=record.name))
        elif isinstance(record, ProgramCandidate):
            mentions.append(Mention(start, end, program=record.name))
    return mentions


def _title_metrics(
    title: str, common: frozenset[str], registry: Registry, body_metrics: list[MetricCandidate]
) -> list[MetricCandidate]:
    """Metrics of the headline that the body does not state again."""
    sentence = Sentence(0, len(title), title)
    mentions = _subject_mentions(locate(title, registry))
    found = find_metrics([sentence], common, mentions, in_title=True)
    stated = {(metric.value, metric.unit) for metric in body_metrics}
    return [metric for metric in found if (metric.value, metric.unit) not in stated]
