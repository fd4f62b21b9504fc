"""Site lists given an unusable ``ordering`` keep their default order: a page, not an error.

The pages share the API's FilterSets, where empty or repeated sort fields
are errors; sorting never narrows a list, so a page drops such an ordering
rather than showing nothing (or, as before, a server error). Runs on SQLite
and PostgreSQL alike.
"""

import datetime
from decimal import Decimal

import pytest

from tests.api.test_hostile_ordering import BAD_ORDERINGS
from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db


def _articles():
    """Newest first is Beta, Alpha, Gamma: neither title order."""
    return [
        ArticleFactory(title=title, published_on=datetime.date(2020, 1, day)).pk
        for title, day in (("Beta", 3), ("Alpha", 2), ("Gamma", 1))
    ]


def _named(factory):
    """By name is Alpha, Beta, Gamma: neither confidence order."""

    def create():
        return [
            factory(name=name, confidence=confidence).pk
            for name, confidence in (("Alpha", 0.5), ("Beta", 0.9), ("Gamma", 0.1))
        ]

    return create


def _metrics():
    """Newest year first: neither value order."""
    article = ArticleFactory()
    return [
        MetricFactory(article=article, year=year, value=Decimal(value)).pk
        for year, value in ((2022, 5), (2021, 9), (2020, 1))
    ]


# path: (the context name of its records, a field it sorts by, records in the default order)
LISTS = {
    "/articles/": ("articles", "title", _articles),
    "/organisations/": ("organisations", "confidence", _named(OrganisationFactory)),
    "/people/": ("people", "confidence", _named(PersonFactory)),
    "/programs/": ("programs", "confidence", _named(ProgramFactory)),
    "/metrics/": ("metrics", "value", _metrics),
}


@pytest.mark.parametrize("template", BAD_ORDERINGS)
@pytest.mark.parametrize("path", LISTS)
def test_an_unusable_ordering_falls_back_to_the_default_order(client, path, template):
    """Every record is listed, in the page's default order, with no error notice."""
    context_name, field, create = LISTS[path]
    default_order = create()

    response = client.get(path, {"ordering": template.format(f=field)})

    assert response.status_code == 200
    assert [record.pk for record in response.context[context_name]] == default_order
    assert not response.context["filterset"].errors


@pytest.mark.parametrize("path", LISTS)
def test_other_filters_still_apply_when_the_ordering_is_dropped(client, path):
    """Dropping the ordering keeps the rest of the query: a bad filter still matches nothing."""
    context_name, field, create = LISTS[path]
    create()
    bad_filter = {"year": "soon"} if path == "/articles/" else {"confidence_min": "high"}

    response = client.get(path, {"ordering": f"{field},{field}", **bad_filter})

    assert response.status_code == 200
    assert list(response.context[context_name]) == []
    assert list(response.context["filterset"].errors) == list(bad_filter)


def test_a_valid_ordering_still_sorts_the_page(client):
    """The fallback is for unusable orderings only: ``-confidence`` sorts as asked."""
    _named(OrganisationFactory)()

    response = client.get("/organisations/", {"ordering": "-confidence"})

    assert [o.name for o in response.context["organisations"]] == ["Beta", "Alpha", "Gamma"]
