"""Look-ups into an extraction by what a reader would search for."""

from decimal import Decimal

from entities.extraction import Extraction
from entities.normalise import normalise_name


def _named(records, name: str):
    key = normalise_name(name)
    for record in records:
        if key in {normalise_name(n) for n in (record.name, *record.aliases)}:
            return record
    names = [record.name for record in records]
    raise AssertionError(f"{name!r} not extracted; found {names}")


def organisation(extraction: Extraction, name: str):
    """The organisation known under ``name`` or an alias of it (fails when missing)."""
    return _named(extraction.organisations, name)


def program(extraction: Extraction, name: str):
    """The program known under ``name`` or an alias of it (fails when missing)."""
    return _named(extraction.programs, name)


def person(extraction: Extraction, name: str):
    """The person called ``name`` (fails when missing)."""
    return _named(extraction.people, name)


def positions(extraction: Extraction, name: str) -> set[tuple[str, str | None]]:
    """(title, organisation name) pairs of a person."""
    return {(p.title, p.organisation) for p in person(extraction, name).positions}


def metric(extraction: Extraction, value, unit: str):
    """The one metric with this value and unit (fails when missing or ambiguous)."""
    found = [m for m in extraction.metrics if m.value == Decimal(value) and m.unit == unit]
    listed = [(m.raw_text, m.value, m.unit) for m in extraction.metrics]
    assert len(found) == 1, f"{value} {unit}: {len(found)} metrics among {listed}"
    return found[0]


def all_names(extraction: Extraction) -> set[str]:
    """Every name and alias of every organisation, person and program."""
    records = [*extraction.organisations, *extraction.people, *extraction.programs]
    return {name for record in records for name in (record.name, *record.aliases)}
