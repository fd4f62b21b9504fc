"""Confidence stored by the import and kept by editors' merges (articles.persistence).

Names and articles are invented for these tests.
"""

from decimal import Decimal

import pytest

from articles.persistence import extraction_persist
from entities.extraction import extract
from entities.extraction.types import (
    Extraction,
    MetricCandidate,
    OrganisationCandidate,
    PersonCandidate,
    ProgramCandidate,
)
from entities.models import Metric, Organisation, Person, Program
from entities.services import entity_merge
from tests.entities.test_services import make_article as make_test_article

pytestmark = pytest.mark.django_db

BODY = (
    "Halvard Tooling JSC opened a workshop. Lidia Varenko, Chief Engineer of Halvard "
    "Tooling JSC, said Halvard Tooling JSC invested RUB 30 million. The companies Zentrix "
    "and Quorra supplied parts."
)


def make_article(name="a", body=BODY):
    """An article of ``body`` (this module's invented text by default)."""
    return make_test_article(name, body=body)


def organisation_only(confidence, *, name="Halvard Tooling JSC", aliases=()) -> Extraction:
    return Extraction(
        organisations=[
            OrganisationCandidate(
                name=name,
                kind=Organisation.Kind.COMPANY,
                aliases=list(aliases),
                spans=[(0, 19)],
                confidence=confidence,
            )
        ]
    )


def confidences() -> dict[str, float]:
    return {
        **{o.name: o.confidence for o in Organisation.objects.all()},
        **{p.name: p.confidence for p in Person.objects.all()},
        **{p.name: p.confidence for p in Program.objects.all()},
        **{m.raw_text: m.confidence for m in Metric.objects.all()},
    }


def test_new_records_get_their_candidates_confidence():
    """Organisations, people, programs and metrics are stored with the extractor's confidence."""
    extraction = Extraction(
        organisations=[OrganisationCandidate(name="Zentrix", kind="company", confidence=0.3)],
        people=[PersonCandidate(name="Lidia Varenko", confidence=0.85)],
        programs=[ProgramCandidate(name="Clean Rivers-2035", kind="regional", confidence=0.9)],
        metrics=[
            MetricCandidate(
                label="investment",
                value=Decimal(30_000_000),
                unit="RUB",
                raw_text="RUB 30 million",
                start=0,
                end=14,
                quote="It invested RUB 30 million.",
                confidence=0.95,
            )
        ],
    )
    extraction_persist(article=make_article(), extraction=extraction, replace=False)

    assert confidences() == {
        "Zentrix": 0.3,
        "Lidia Varenko": 0.85,
        "Clean Rivers-2035": 0.9,
        "RUB 30 million": 0.95,
    }


def test_importing_the_same_article_again_changes_no_confidence():
    """Re-extracting and persisting an unchanged article leaves every confidence as it was."""
    article = make_article()
    extraction_persist(article=article, extraction=extract(BODY, title=article.title))
    first = confidences()

    counts = extraction_persist(article=article, extraction=extract(BODY, title=article.title))

    assert confidences() == first
    assert not counts.updated
    assert first["Halvard Tooling JSC"] > first["Zentrix"]


def test_stronger_evidence_elsewhere_raises_a_record_weaker_does_not_lower_it():
    """A record keeps the best confidence any article gave it."""
    extraction_persist(article=make_article("a"), extraction=organisation_only(0.6))

    extraction_persist(article=make_article("b"), extraction=organisation_only(0.4))
    assert Organisation.objects.get().confidence == 0.6

    counts = extraction_persist(article=make_article("c"), extraction=organisation_only(0.9))
    assert Organisation.objects.get().confidence == 0.9
    assert counts.updated["organisations"] == 1


def test_a_curated_record_keeps_its_confidence():
    """An editor's record is never modified by the import, its confidence included."""
    extraction_persist(article=make_article("a"), extraction=organisation_only(0.3))
    Organisation.objects.update(curated=True)

    extraction_persist(article=make_article("b"), extraction=organisation_only(0.95))

    assert Organisation.objects.get().confidence == 0.3


def test_one_entity_found_twice_in_an_article_takes_the_higher_confidence():
    """Candidates with one normalised name, or named like another's alias, become one record
    with the best of their confidences."""
    extraction = Extraction(
        organisations=[
            OrganisationCandidate(name="Halvard Tooling", kind="company", confidence=0.4),
            OrganisationCandidate(name="HALVARD TOOLING", kind="company", confidence=0.7),
        ],
        programs=[
            ProgramCandidate(name="CRP", kind="regional", confidence=0.2),
            ProgramCandidate(
                name="Clean Rivers Program", kind="regional", aliases=["CRP"], confidence=0.6
            ),
        ],
    )
    extraction_persist(article=make_article(), extraction=extraction, replace=False)

    assert Organisation.objects.get().confidence == 0.7
    assert Program.objects.get().confidence == 0.6


def test_merging_records_keeps_the_highest_confidence():
    """The record an editor merges duplicates into is as trusted as the best of them."""
    keep = Organisation.objects.create(name="Halvard Tooling", confidence=0.3)
    others = [
        Organisation.objects.create(name="Halvard Tooling Works", confidence=0.8),
        Organisation.objects.create(name="HT Works", confidence=0.5),
    ]

    entity_merge(keep=keep, others=others)

    keep.refresh_from_db()
    assert keep.confidence == 0.8
    assert keep.curated
