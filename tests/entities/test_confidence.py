"""Confidence of extracted records (entities.extraction.confidence): pure, no database.

The articles and names here are invented for these tests.
"""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from entities.extraction import extract
from entities.extraction.confidence import CEILING, FLOOR, assign_confidence
from entities.extraction.types import (
    Extraction,
    MetricCandidate,
    OrganisationCandidate,
    PersonCandidate,
    PositionCandidate,
    ProgramCandidate,
)
from tests.entities.extraction_helpers import organisation, person

ARTICLE = (
    "Brightwater Biologics LLC opened a new laboratory. Tamara Vesnina, General Director "
    "of Brightwater Biologics LLC, said the plant will grow. Brightwater Biologics LLC plans "
    "to hire more staff. The companies Quillon and Marrow joined later."
)


def scored(*, body="", organisations=(), people=(), programs=(), metrics=()) -> Extraction:
    """The extraction with confidences assigned from ``body``."""
    extraction = Extraction(
        organisations=list(organisations),
        people=list(people),
        programs=list(programs),
        metrics=list(metrics),
    )
    assign_confidence(extraction, body)
    return extraction


def org(name, *, aliases=(), occurrences=1, kind="other") -> OrganisationCandidate:
    spans = [(index * 100, index * 100 + len(name)) for index in range(occurrences)]
    return OrganisationCandidate(name=name, kind=kind, aliases=list(aliases), spans=spans)


def someone(name, *, title=None, at=None, occurrences=1) -> PersonCandidate:
    spans = [(index * 100, index * 100 + len(name)) for index in range(occurrences)]
    positions = [PositionCandidate(title=title, organisation=at)] if title else []
    return PersonCandidate(name=name, spans=spans, positions=positions)


def metric(label, unit, *, qualifier="exactly", **extra) -> MetricCandidate:
    return MetricCandidate(
        label=label,
        value=Decimal(5),
        unit=unit,
        raw_text="5",
        start=0,
        end=1,
        quote="5",
        qualifier=qualifier,
        **extra,
    )


# --- What a reader of an extraction notices ------------------------------------------


def test_a_company_with_a_legal_form_and_its_titled_director_outrank_a_lone_name():
    """Evidence counts: "X LLC" named three times and its General Director score well
    above a one-word company named once in a list."""
    extraction = extract(ARTICLE)

    company = organisation(extraction, "Brightwater Biologics LLC")
    director = person(extraction, "Tamara Vesnina")
    lone = organisation(extraction, "Quillon")

    assert company.confidence >= 0.8
    assert director.confidence >= 0.8
    assert lone.confidence < 0.5
    assert company.confidence > lone.confidence
    assert director.confidence > lone.confidence


def test_every_record_gets_a_confidence_in_range_with_two_decimals():
    """No record is certain (only editors' are) and none is worthless; values read as 0.xx."""
    extraction = extract(ARTICLE + " It invested RUB 40 million and hired 12 engineers.")
    records = [
        *extraction.organisations,
        *extraction.people,
        *extraction.programs,
        *extraction.metrics,
    ]
    assert records
    for record in records:
        assert FLOOR <= record.confidence <= CEILING
        assert record.confidence == round(record.confidence, 2)


def test_extracting_the_same_text_twice_gives_the_same_confidences():
    """The rule depends on the text only, so re-importing an article cannot change it."""

    def confidences(extraction):
        return [
            (record.name if hasattr(record, "name") else record.raw_text, record.confidence)
            for record in (*extraction.organisations, *extraction.people, *extraction.metrics)
        ]

    assert confidences(extract(ARTICLE)) == confidences(extract(ARTICLE))


# --- Organisations -----------------------------------------------------------------------


def test_legal_form_and_head_noun_are_strong_a_lone_word_is_weak():
    """A legal form or an institutional head noun lifts a name; a bare word named once sinks."""
    legal, head, plain, lone = scored(
        organisations=[
            org("Halvard Tooling JSC"),
            org("Ministry of Coastal Works"),
            org("Halvard Tooling"),
            org("Zentrix"),
        ]
    ).organisations
    assert legal.confidence > plain.confidence
    assert head.confidence > plain.confidence
    assert plain.confidence > lone.confidence
    assert lone.confidence < 0.5


def test_legal_form_in_an_alias_counts_too():
    """ "Halvard Tooling" also written "Halvard Tooling Ltd" has a legal form."""
    with_alias, without = scored(
        organisations=[org("Halvard Tooling", aliases=["Halvard Tooling Ltd"]), org("Ostrel Mill")]
    ).organisations
    assert with_alias.confidence > without.confidence


def test_more_occurrences_add_up_to_three_repeats():
    """Each further mention adds, up to the fourth; the tenth adds nothing more."""
    once, twice, four, ten = scored(
        organisations=[
            org("Halvard Tooling"),
            org("Ostrel Mill", occurrences=2),
            org("Pernik Glassworks", occurrences=4),
            org("Tamsel Works", occurrences=10),
        ]
    ).organisations
    assert once.confidence < twice.confidence < four.confidence
    assert four.confidence == ten.confidence


def test_an_acronym_defined_in_brackets_adds():
    """ "Union of Lens Grinders (ULG)" defines its acronym; an alias not in brackets does not."""
    body = "The Union of Lens Grinders (ULG) met. Also the Guild of Lens Polishers met."
    defined, undefined = scored(
        body=body,
        organisations=[
            org("Union of Lens Grinders", aliases=["ULG"]),
            org("Guild of Lens Polishers", aliases=["GLP"]),
        ],
    ).organisations
    assert defined.confidence > undefined.confidence


def test_a_position_at_an_organisation_adds_to_it():
    """A one-word company a director works at is less doubtful than one nobody works at."""
    extraction = scored(
        organisations=[org("Zentrix"), org("Quorra")],
        people=[someone("Lidia Varenko", title="Director", at="Zentrix")],
    )
    employer, other = extraction.organisations
    assert employer.confidence > other.confidence


def test_short_all_capitals_names_and_places_are_weak():
    """ "QRT" alone or a town's name is less likely an organisation than a plain two-word name."""
    acronym, place, plain = scored(
        organisations=[org("QRT", occurrences=2), org("Moscow", occurrences=2), org("Ostrel Mill")]
    ).organisations
    assert acronym.confidence < plain.confidence
    assert place.confidence < plain.confidence


# --- People ---------------------------------------------------------------------------------


def test_a_title_is_strong_initials_and_a_bare_pair_are_weaker():
    """Ranked: a title at an organisation, initials with a title, a name seen once with none."""
    titled, initials, bare = scored(
        people=[
            someone("Lidia Varenko", title="Chief Engineer", at="Zentrix"),
            someone("L.V. Ostrova", title="Chief Engineer", at="Zentrix"),
            someone("Lidia Marsk"),
        ]
    ).people
    assert titled.confidence > initials.confidence > bare.confidence
    assert titled.confidence >= 0.8
    assert bare.confidence < 0.5


def test_repetitions_and_an_honorific_add_to_a_person():
    """Named three times, or introduced as "Dr.", a person is less doubtful."""
    body = "Dr. Lidia Varenko spoke. Later Lidia Marsk arrived."
    honoured = someone("Lidia Varenko")
    honoured.spans = [(4, 17)]
    repeated, plain = someone("Pavel Ostrin", occurrences=3), someone("Lidia Marsk")
    plain.spans = [(31, 42)]
    scored(body=body, people=[honoured, repeated, plain])
    assert honoured.confidence > plain.confidence
    assert repeated.confidence > plain.confidence


# --- Programs -------------------------------------------------------------------------------


def test_program_head_year_and_quotes_lift_a_program_events_are_weaker():
    """ "Clean Rivers-2035 program" in quotes beats a plain phrase; a forum counts less."""
    body = "They launched the “Clean Rivers-2035” program and the Lakeside Forum."
    program = ProgramCandidate(name="Clean Rivers-2035", kind="regional", spans=[(19, 36)])
    event = ProgramCandidate(name="Lakeside Forum", kind="event", spans=[(54, 68)])
    plain = ProgramCandidate(name="Lakeside Planning", kind="initiative", spans=[(200, 217)])
    scored(body=body, programs=[program, event, plain])
    assert program.confidence >= 0.9
    assert program.confidence > event.confidence > plain.confidence


# --- Metrics ---------------------------------------------------------------------------------


def test_money_and_percentages_are_strong_bare_counts_weak():
    """An investment in a currency or a share in % beats "12 engineers" with nothing else."""
    money, percent, labelled, bare = scored(
        metrics=[
            metric("investment", "EUR", year=2021),
            metric("share of exports", "%"),
            metric("new engineers", "engineers"),
            metric("engineers", "engineers"),
        ]
    ).metrics
    assert money.confidence >= 0.9
    assert percent.confidence >= 0.9
    assert labelled.confidence > bare.confidence
    assert bare.confidence < 0.5


def test_a_qualifier_does_not_change_a_metrics_confidence():
    """ "about RUB 5 million" is as well read as "RUB 5 million"."""
    exact, approximate = scored(
        metrics=[metric("investment", "RUB"), metric("investment", "RUB", qualifier="about")]
    ).metrics
    assert exact.confidence == approximate.confidence


@given(
    name=st.text(min_size=1, max_size=40),
    occurrences=st.integers(min_value=0, max_value=20),
    label=st.text(max_size=20),
    unit=st.text(min_size=1, max_size=10),
)
def test_any_candidate_stays_within_bounds(name, occurrences, label, unit):
    """Whatever the names and counts, confidence stays in [FLOOR, CEILING] with two decimals."""
    extraction = scored(
        body=name * 3,
        organisations=[org(name, occurrences=occurrences, aliases=[name.upper()])],
        people=[someone(name, title=name, at=name, occurrences=occurrences)],
        programs=[ProgramCandidate(name=name, kind="event", spans=[(0, len(name))])],
        metrics=[metric(label, unit, organisation=name)],
    )
    for record in (
        *extraction.organisations,
        *extraction.people,
        *extraction.programs,
        *extraction.metrics,
    ):
        assert FLOOR <= record.confidence <= CEILING
        assert record.confidence == round(record.confidence, 2)
