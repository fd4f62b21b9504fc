"""``ordering`` with empty or repeated sort fields answers 400 naming it, on every API list.

Runs on SQLite and PostgreSQL alike. An empty term (",", "name,,") used to
reach the query builder and answer 500; a repeated field ("name,-name") was
silently accepted although it asks for two contradicting orders.
"""

import pytest

from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db

# Every list endpoint of the API (kaluga_cluster/api_urls.py), with a field it sorts by.
LISTS = {
    "/api/articles/": "title",
    "/api/organisations/": "name",
    "/api/people/": "name",
    "/api/programs/": "name",
    "/api/metrics/": "value",
}

# "{f}" stands for a field the list sorts by.
BAD_ORDERINGS = [
    ",",
    ",,",
    ",{f}",
    ",,{f}",
    "{f},",
    "{f},,",
    "{f},,-{f}",
    "{f},{f}",
    "-{f},{f}",
    "{f},-{f}",
    "-{f},-{f}",
]


@pytest.fixture
def records():
    """One record in every list, so that an ordering is really applied."""
    MetricFactory(article=ArticleFactory(), organisation=OrganisationFactory())
    PersonFactory()
    ProgramFactory()


@pytest.mark.parametrize("template", BAD_ORDERINGS)
@pytest.mark.parametrize("path", LISTS)
def test_empty_or_repeated_sort_fields_answer_400_naming_ordering(api, records, path, template):
    """The error names ``ordering`` and nothing else, in the API's error format."""
    value = template.format(f=LISTS[path])

    response = api.get(path, {"ordering": value})

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == "Invalid query parameters."
    assert list(body["errors"]) == ["ordering"]
    [message] = body["errors"]["ordering"]
    assert "empty sort field" in message or "twice" in message


def test_the_message_says_which_field_is_repeated(api, records):
    """A repeated field is named, whichever direction each mention asks for."""
    response = api.get("/api/organisations/", {"ordering": "confidence,-name,name"})
    [message] = response.json()["errors"]["ordering"]
    assert message == "“confidence,-name,name” sorts by “name” twice: name each field at most once."


def test_the_message_explains_an_empty_sort_field(api, records):
    """An empty term is described with the value as sent and an example of a good one."""
    response = api.get("/api/metrics/", {"ordering": "year,,value"})
    [message] = response.json()["errors"]["ordering"]
    assert message.startswith("“year,,value” has an empty sort field")


@pytest.mark.parametrize("path", LISTS)
def test_several_distinct_sort_fields_still_work(api, path):
    """Distinct fields, the second breaking ties of the first, are fine on every list."""
    first = LISTS[path]
    second = "-id" if path in {"/api/articles/", "/api/metrics/"} else "-confidence"
    assert api.get(path, {"ordering": f"{first},{second}"}).status_code == 200


def test_several_sort_fields_apply_in_order(api):
    """``ordering=-confidence,name``: by confidence descending, ties by name."""
    OrganisationFactory(name="Beta", confidence=0.5)
    OrganisationFactory(name="Alpha", confidence=0.5)
    OrganisationFactory(name="Gamma", confidence=0.9)

    response = api.get("/api/organisations/", {"ordering": "-confidence,name"})

    assert [row["name"] for row in response.json()["results"]] == ["Gamma", "Alpha", "Beta"]


@pytest.mark.parametrize("path", LISTS)
def test_an_empty_ordering_parameter_means_the_default_order(api, records, path):
    """``?ordering=`` (no sort field at all, as a blank form field sends) is no error."""
    assert api.get(path, {"ordering": ""}).status_code == 200
