"""Choosing fields: ``?fields=a,b`` and ``?brief=1`` on every list and record (NetBox's habit)."""

import csv
import io

import pytest

from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationMentionFactory,
    PersonMentionFactory,
    PositionFactory,
    ProgramMentionFactory,
)

pytestmark = pytest.mark.django_db

ROWS = 6

#: The brief form of each endpoint, as the README and the schema document it.
BRIEF = {
    "articles": ["id", "url", "slug", "title"],
    "organisations": ["id", "url", "slug", "name"],
    "people": ["id", "url", "slug", "name"],
    "programs": ["id", "url", "slug", "name"],
    "metrics": ["id", "url", "label", "value", "unit", "year"],
}


@pytest.fixture
def corpus():
    """Articles that each mention an organisation, a person and a program and state metrics."""
    for _ in range(ROWS):
        article = ArticleFactory(body="The budget allocates RUR 93.3 Million. " * 160)
        organisation = OrganisationMentionFactory(article=article).organisation
        person = PersonMentionFactory(article=article).person
        PositionFactory(person=person, organisation=organisation, article=article)
        ProgramMentionFactory(article=article)
        MetricFactory.create_batch(2, article=article, organisation=organisation)


def first_id(api, endpoint: str) -> int:
    return api.get(f"/api/{endpoint}/").json()["results"][0]["id"]


@pytest.mark.parametrize("endpoint", BRIEF)
def test_brief_answers_the_documented_minimal_form(api, corpus, endpoint):
    """``brief=1`` gives each record of a list, and a single record, only its brief fields."""
    rows = api.get(f"/api/{endpoint}/", {"brief": "1"}).json()["results"]
    record = api.get(f"/api/{endpoint}/{rows[0]['id']}/", {"brief": "true"}).json()

    assert len(rows) == (2 * ROWS if endpoint == "metrics" else ROWS)
    assert all(list(row) == BRIEF[endpoint] for row in rows)
    assert list(record) == BRIEF[endpoint]
    full = api.get(f"/api/{endpoint}/{rows[0]['id']}/").json()
    assert record == {name: full[name] for name in BRIEF[endpoint]}


@pytest.mark.parametrize(
    ("endpoint", "asked", "shown"),
    [
        ("articles", "metrics,title,id", ["id", "title", "metrics"]),
        ("organisations", "article_count,name", ["name", "article_count"]),
        ("people", "positions", ["positions"]),
        ("programs", "kind", ["kind"]),
        ("metrics", "subject,value", ["value", "subject"]),
    ],
)
def test_fields_keep_the_asked_fields_in_serializer_order(api, corpus, endpoint, asked, shown):
    """Each record carries exactly the fields asked for, in the order of the full record."""
    rows = api.get(f"/api/{endpoint}/", {"fields": asked}).json()["results"]
    full = api.get(f"/api/{endpoint}/").json()["results"]

    assert [list(row) for row in rows] == [shown] * len(full)
    assert rows == [{name: row[name] for name in shown} for row in full]


def test_a_detail_can_leave_its_evidence_out_or_ask_for_it_alone(api, corpus):
    """``evidence`` is a field of a single record like any other."""
    pk = first_id(api, "organisations")
    assert list(api.get(f"/api/organisations/{pk}/", {"fields": "evidence"}).json()) == ["evidence"]
    assert "evidence" not in api.get(f"/api/organisations/{pk}/", {"fields": "id,name"}).json()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"fields": "name,colour"}, "Unknown field “colour”. Known fields: id, url, slug, name"),
        ({"fields": "name,,kind"}, "separated by single commas"),
        ({"fields": ""}, "separated by single commas"),
        ({"brief": "maybe"}, "is not 1 or 0"),
        ({"fields": "name", "brief": "1"}, "Give fields or brief, not both."),
    ],
)
def test_unusable_selections_answer_400_naming_the_parameter(api, corpus, params, message):
    """An unknown field, an empty name or a bad brief is refused, naming the parameter."""
    response = api.get("/api/organisations/", params)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(message in text for texts in errors.values() for text in texts), errors
    assert set(errors) <= {"fields", "brief"}


def test_evidence_is_not_a_field_of_a_list(api, corpus):
    """A list's records have no evidence, so asking for it there names the known fields."""
    response = api.get("/api/organisations/", {"fields": "evidence"})
    assert response.status_code == 400
    assert "evidence" in response.json()["errors"]["fields"][0]


def test_writes_take_no_field_selection(editor_api, corpus):
    """A write answers with the whole record: ``fields`` on a PATCH is an unknown parameter."""
    pk = first_id(editor_api, "programs")
    response = editor_api.patch(
        f"/api/programs/{pk}/?fields=id", {"description": "Renewed"}, format="json"
    )
    assert response.status_code == 400
    assert "fields" in response.json()["errors"]


def test_csv_columns_follow_the_selection(api, corpus):
    """A CSV export of ``fields=id,subject`` has those columns (the subject spread out)."""
    response = api.get("/api/metrics/", {"format": "csv", "fields": "id,subject"})
    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert header == ["id", "subject.type", "subject.id", "subject.slug", "subject.name"]


# Full pages cost what tests/api/test_queries.py pins; what is left out costs nothing.
QUERIES = {
    ("articles", "brief"): 2,
    ("articles", "id,organisations"): 2 + 1,
    ("articles", "id,metrics"): 2 + 1,
    ("people", "brief"): 2,
    ("people", "name,positions"): 2 + 1,
    ("organisations", "brief"): 2,
    ("metrics", "brief"): 2,
}


@pytest.mark.parametrize(("endpoint", "selection"), QUERIES)
def test_fields_left_out_cost_no_query(api, corpus, django_assert_num_queries, endpoint, selection):
    """Leaving out an article's mentions and metrics or a person's positions saves their query."""
    params = {"brief": "1"} if selection == "brief" else {"fields": selection}
    with django_assert_num_queries(QUERIES[endpoint, selection]):
        response = api.get(f"/api/{endpoint}/", {**params, "page_size": 100})
    assert response.status_code == 200
    assert len(response.json()["results"]) == (2 * ROWS if endpoint == "metrics" else ROWS)


def test_a_detail_without_evidence_costs_fewer_queries(api, corpus, django_assert_num_queries):
    """A single record's positions and evidence are not read when the client leaves them out:
    the brief form is the record's own query."""
    pk = first_id(api, "people")
    with django_assert_num_queries(1):
        assert api.get(f"/api/people/{pk}/", {"brief": "1"}).status_code == 200


def test_selection_is_documented_and_keeps_the_schema_honest(api):
    """``fields`` and ``brief`` are parameters of every GET; records may then hold fewer fields."""
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for endpoint in BRIEF:
        for path in (f"/api/{endpoint}/", f"/api/{endpoint}/{{id}}/"):
            names = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
            assert {"fields", "brief"} <= names
    components = schema["components"]["schemas"]
    items = components["PaginatedOrganisationList"]["properties"]["results"]["items"]
    assert items["anyOf"][0] == {"$ref": "#/components/schemas/Organisation"}
    selection = components["OrganisationSelection"]
    assert "required" not in selection
    assert selection["properties"] == components["Organisation"]["properties"]
