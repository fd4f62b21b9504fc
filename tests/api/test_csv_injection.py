"""CSV exports are safe to open in a spreadsheet: no cell runs as a formula.

Text that starts with "=", "+", "-", "@", a tab or a carriage return is
exported with a leading apostrophe (OWASP's advice on CSV injection), in
every column, nested ones included; numbers stay numbers.
"""

import csv
import io
from decimal import Decimal

import pytest

from entities.models import Organisation
from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x","click") Pharma'


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode(), newline="")))


def test_a_formula_in_a_name_is_exported_as_text(api):
    """The issue's example: the organisation's name reaches the spreadsheet as typed, inert."""
    OrganisationFactory(name=HYPERLINK)

    [row] = _rows(api.get("/api/organisations/", {"format": "csv"}))

    assert row["name"] == f"'{HYPERLINK}"


@pytest.mark.parametrize(
    "name",
    ["=1+1", "+1+1", "-1+1", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"],
    ids=["equals", "plus", "minus", "at", "tab", "carriage-return"],
)
def test_every_formula_trigger_is_neutralised(api, name):
    """Each character OWASP lists as starting a formula gets the apostrophe."""
    OrganisationFactory(name=name)

    [row] = _rows(api.get("/api/organisations/", {"format": "csv"}))

    assert row["name"] == f"'{name}"


def test_an_editors_formula_is_neutralised_too(editor_api, api):
    """A name saved through the API (an editor's write) is exported the same way."""
    created = editor_api.post("/api/organisations/", {"name": HYPERLINK, "kind": "company"})
    assert created.status_code == 201, created.content

    [row] = _rows(api.get("/api/organisations/", {"format": "csv"}))

    assert row["name"] == f"'{HYPERLINK}"
    assert Organisation.objects.get().name == HYPERLINK  # stored as typed; only the export changes


def test_ordinary_text_is_untouched(api):
    """Names with a dash or an at sign inside (not first) export exactly."""
    OrganisationFactory(name="Vostok-Pharm @ Kaluga", aliases=["V-P"])

    [row] = _rows(api.get("/api/organisations/", {"format": "csv"}))

    assert (row["name"], row["aliases"]) == ("Vostok-Pharm @ Kaluga", "V-P")


def test_lists_nested_objects_and_positions_are_neutralised(api):
    """Joined lists, ``parent.child`` columns and position labels are cells like any other."""
    organisation = OrganisationFactory(name="+Plus Pharma", aliases=["=cmd|' /C calc'!A0"])
    article = ArticleFactory(title="@Plant opens")
    MetricFactory(article=article, organisation=organisation, label="-investment")
    PositionFactory(title="=Director", organisation=organisation, person__name="Ivan Sokolov")

    [organisation_row] = _rows(api.get("/api/organisations/", {"format": "csv"}))
    [metric_row] = _rows(api.get("/api/metrics/", {"format": "csv"}))
    [person_row] = _rows(api.get("/api/people/", {"format": "csv"}))

    assert organisation_row["aliases"] == "'=cmd|' /C calc'!A0"
    assert metric_row["article.title"] == "'@Plant opens"
    assert metric_row["subject.name"] == "'+Plus Pharma"
    assert metric_row["label"] == "'-investment"
    assert person_row["positions"] == "'=Director, +Plus Pharma"


@pytest.mark.parametrize("value", ["-5", "-0.25", "-93300000", "5"])
def test_negative_numbers_stay_numbers(api, value):
    """A metric's value is a number: -5 exports as -5, not as text."""
    MetricFactory(value=Decimal(value), raw_text=value, quote=f"The balance was {value}.")

    [row] = _rows(api.get("/api/metrics/", {"format": "csv"}))

    assert row["value"] == value
    # The same characters as text (how the article wrote it) are text.
    assert row["raw_text"] == (f"'{value}" if value.startswith("-") else value)
