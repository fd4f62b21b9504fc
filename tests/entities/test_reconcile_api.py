"""/api/reconcile/: the service manifest, query batches and data extension, as OpenRefine uses them.

Shapes follow the W3C Entity Reconciliation API 0.2 and its examples: the
manifest's fields, a batch ``{"q0": {"query", "type", "limit", "properties"}}``
sent as a form field (POST) or in the query string (GET), and the result batch
``{"q0": {"result": [{id, name, type, score, match}]}}``.
"""

import json

import pytest
from django.db import connection
from django.test.utils import override_script_prefix
from rest_framework.test import APIClient

from entities.models import Organisation, ReviewStatus
from entities.reconciliation.queries import MAX_BATCH
from tests.factories import OrganisationFactory, PersonFactory, ProgramFactory

pytestmark = pytest.mark.django_db

URL = "/api/reconcile/"


@pytest.fixture
def api():
    """An anonymous client, as OpenRefine is."""
    return APIClient()


def reconcile(api, batch: dict, *, method: str = "post") -> dict:
    """POST (form field, as OpenRefine sends) or GET a batch; the decoded answer."""
    send = api.post if method == "post" else api.get
    response = send(URL, {"queries": json.dumps(batch)})
    assert response.status_code == 200, response.content
    return response.json()


def test_manifest_describes_the_service_as_the_specification_says(api):
    """GET without parameters: versions, name, spaces, default types, view, preview, suggest."""
    response = api.get(URL)
    assert response.status_code == 200
    manifest = response.json()
    assert "0.2" in manifest["versions"]
    assert manifest["name"]
    assert manifest["identifierSpace"].startswith("http://testserver/")
    assert manifest["schemaSpace"].startswith("http://testserver/")
    assert manifest["defaultTypes"] == [
        {"id": "organisation", "name": "Organisation"},
        {"id": "person", "name": "Person"},
        {"id": "program", "name": "Program"},
    ]
    assert "{{id}}" in manifest["view"]["url"]
    preview = manifest["preview"]
    assert "{{id}}" in preview["url"] and preview["width"] > 0 and preview["height"] > 0
    for service in ("entity", "type", "property"):
        suggest = manifest["suggest"][service]
        assert api.get(suggest["service_path"], {"prefix": ""}).status_code == 200
        assert suggest["service_url"] == "http://testserver"
    propose = manifest["extend"]["propose_properties"]["service_path"]
    assert api.get(propose, {"type": "person"}).status_code == 200
    assert manifest["batchSize"] == MAX_BATCH


def test_a_site_served_under_a_prefix_announces_its_addresses_with_it(api):
    """Behind a proxy mounting the site at /kb, every address of the manifest starts there."""
    with override_script_prefix("/kb/"):  # what the WSGI handler sets from SCRIPT_NAME
        manifest = api.get(URL).json()
    site = "http://testserver/kb/api/reconcile/"
    assert manifest["identifierSpace"] == f"{site}view/"
    assert manifest["view"]["url"] == f"{site}view/{{{{id}}}}/"
    assert manifest["preview"]["url"] == f"{site}preview/?id={{{{id}}}}"
    assert manifest["schemaSpace"] == f"{site}suggest/type/"
    assert manifest["documentation"] == "http://testserver/kb/api/docs/"
    suggest = manifest["suggest"]["entity"]
    assert suggest["service_url"] + suggest["service_path"] == f"{site}suggest/entity/"
    propose = manifest["extend"]["propose_properties"]
    assert propose["service_url"] + propose["service_path"] == f"{site}properties/"


def test_view_template_leads_to_the_records_page(api):
    """The view URL with an id put in (percent-encoded, as clients must) redirects to its page."""
    vertex = OrganisationFactory(name="Vertex")
    template = api.get(URL).json()["view"]["url"]
    response = api.get(template.replace("{{id}}", f"organisation-{vertex.pk}"))
    assert response.status_code == 302
    assert response["Location"] == "/organisations/vertex/"
    assert api.get("/api/reconcile/view/organisation-999999/").status_code == 404


def test_a_batch_answers_each_query_with_ranked_candidates(api):
    """Every query of the batch gets a result: candidates best first with id, name, type, score."""
    vertex = OrganisationFactory(name="Vertex Pharmaceuticals")
    OrganisationFactory(name="Vertex Capital")
    petrov = PersonFactory(name="Yevgeny Petrov")
    answer = reconcile(
        api,
        {
            "q0": {"query": "Vertex Pharmaceuticls", "type": "organisation", "limit": 3},
            "q1": {"query": "Yevgeny Petrov", "type": "person"},
            "q2": {"query": "Nothing Like Any Name"},
        },
    )
    assert set(answer) == {"q0", "q1", "q2"}
    first = answer["q0"]["result"][0]
    assert first["id"] == f"organisation-{vertex.pk}"
    assert first["name"] == "Vertex Pharmaceuticals"
    assert first["type"] == [{"id": "organisation", "name": "Organisation"}]
    assert first["description"] == "Company"
    scores = [candidate["score"] for candidate in answer["q0"]["result"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)
    assert len(scores) <= 3
    assert answer["q1"]["result"][0]["id"] == f"person-{petrov.pk}"
    assert answer["q2"] == {"result": []}


def test_get_with_queries_answers_like_post(api):
    """The specification's GET form (?queries=) gives the same answer as the POST form."""
    OrganisationFactory(name="Hemofarm")
    batch = {"q0": {"query": "Hemofarm"}}
    assert reconcile(api, batch, method="get") == reconcile(api, batch)


def test_a_cyrillic_query_finds_the_transliterated_name(api):
    """Cyrillic "ООО Вертекс" finds "Vertex LLC": legal forms ignored, both sides transliterated."""
    vertex = OrganisationFactory(name="Vertex LLC")
    OrganisationFactory(name="Hemofarm")
    (top, *_) = reconcile(api, {"q0": {"query": "ООО Вертекс"}})["q0"]["result"]
    assert top["id"] == f"organisation-{vertex.pk}" and top["match"] is True


def test_a_latin_query_finds_a_name_written_in_cyrillic(api):
    """Latin "Biokhimik" finds "Биохимик"."""
    plant = OrganisationFactory(name="Биохимик")
    (top, *_) = reconcile(api, {"q0": {"query": "Biokhimik"}})["q0"]["result"]
    assert top["id"] == f"organisation-{plant.pk}" and top["name"] == "Биохимик"


def test_match_is_set_for_a_clear_winner_only(api):
    """A unique name matches; two people sharing the surname alias asked for do not."""
    PersonFactory(name="Ivan Petrov", aliases=["Petrov"])
    PersonFactory(name="Oleg Petrov", aliases=["Petrov"])
    zimin = PersonFactory(name="Iakov Zimin")
    answer = reconcile(
        api, {"q0": {"query": "Petrov", "type": "person"}, "q1": {"query": "Iakov Zimin"}}
    )
    assert [c["match"] for c in answer["q0"]["result"]] == [False, False]
    assert answer["q1"]["result"][0] == {
        **answer["q1"]["result"][0],
        "id": f"person-{zimin.pk}",
        "match": True,
        "score": 100.0,
    }
    assert not any(c["match"] for c in answer["q1"]["result"][1:])


def test_the_kind_property_decides_between_namesakes(api):
    """With kind=fund, the fund named so comes first and the company loses a quarter."""
    fund = OrganisationFactory(name="Zentova Capital", kind=Organisation.Kind.FUND)
    company = OrganisationFactory(name="Zentova Kapital", kind=Organisation.Kind.COMPANY)
    query = {"query": "Zentova Capital", "properties": [{"pid": "kind", "v": "Fund / investor"}]}
    result = reconcile(api, {"q0": query})["q0"]["result"]
    assert [c["id"] for c in result] == [f"organisation-{fund.pk}", f"organisation-{company.pk}"]
    assert result[0]["match"] is True
    features = {f["id"]: f["value"] for f in result[1]["features"]}
    assert features["kind"] is False and result[1]["score"] < 80


def test_the_aliases_property_can_overturn_the_name(api):
    """ "Kerva Lab" is exactly one record's name, but the alias supplied is the other's: the
    alias decides."""
    with_alias = OrganisationFactory(name="Kerva Labs", aliases=["KRV"])
    OrganisationFactory(name="Kerva Lab")
    query = {"query": "Kerva Lab", "properties": [{"pid": "aliases", "v": "KRV"}]}
    (top, second) = reconcile(api, {"q0": query})["q0"]["result"][:2]
    assert top["id"] == f"organisation-{with_alias.pk}"
    assert {f["id"]: f["value"] for f in top["features"]}["aliases"] == 95.0
    assert top["score"] > second["score"] + 5


def test_rejected_records_never_appear(api):
    """Neither by name nor by id: an editor's rejection hides the record from the service."""
    rejected = OrganisationFactory(name="Vertex", review_status=ReviewStatus.REJECTED)
    answer = reconcile(
        api, {"q0": {"query": "Vertex"}, "q1": {"query": f"organisation-{rejected.pk}"}}
    )
    assert answer == {"q0": {"result": []}, "q1": {"result": []}}
    assert api.get(f"/api/reconcile/view/organisation-{rejected.pk}/").status_code == 404


def test_a_query_naming_an_id_returns_that_record(api):
    """The specification expects an entity id as query to return the entity, score high."""
    program = ProgramFactory(name="Pharma 2030")
    result = reconcile(api, {"q0": {"query": f"program-{program.pk}"}})["q0"]["result"]
    assert result == [
        {
            "id": f"program-{program.pk}",
            "name": "Pharma 2030",
            "type": [{"id": "program", "name": "Program"}],
            "score": 100.0,
            "match": True,
            "features": [{"id": "name", "value": 100.0}],
            "description": "Regional program",
        }
    ]


@pytest.mark.parametrize(
    ("queries", "key", "status"),
    [
        ("{not json", "queries", 400),
        ('{"q0": {"query": "x", "type": "Company"}}', "q0", 400),
        ('{"q0": {}}', "q0", 400),
        ('["Vertex"]', "queries", 400),
    ],
)
def test_malformed_batches_answer_400_naming_the_query(api, queries, key, status):
    """Errors are JSON with a detail and the message under the query at fault."""
    response = api.post(URL, {"queries": queries})
    assert response.status_code == status
    body = response.json()
    assert body["detail"] and key in body["errors"]


def test_a_batch_over_the_announced_size_answers_413(api):
    """batchSize in the manifest is the limit; a larger batch (or extension) is refused."""
    batch = {f"q{n}": {"query": "Vertex"} for n in range(MAX_BATCH + 1)}
    response = api.post(URL, {"queries": json.dumps(batch)})
    assert response.status_code == 413 and "200" in response.json()["detail"]
    ids = [f"organisation-{n}" for n in range(1, MAX_BATCH + 2)]
    extension = api.post(URL, {"extend": json.dumps({"ids": ids, "properties": []})})
    assert extension.status_code == 413


def test_post_without_queries_is_an_error_not_a_manifest(api):
    """The manifest answers GET; a POST must carry queries or extend."""
    response = api.post(URL, {})
    assert response.status_code == 400 and "queries" in response.json()["errors"]


def test_every_answer_allows_cross_origin_use(api):
    """CORS is mandatory in the specification: manifest, answers and errors all allow it."""
    assert api.get(URL)["Access-Control-Allow-Origin"] == "*"
    response = api.post(URL, {"queries": json.dumps({"q0": {"query": "x"}})})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert api.post(URL, {"queries": "{"})["Access-Control-Allow-Origin"] == "*"


def test_a_batch_costs_the_same_queries_whatever_its_size(api, django_assert_num_queries):
    """One name or forty (all found): the same few queries (index lookups, then one read per
    type), never one per name."""
    for n in range(40):
        OrganisationFactory(name=f"Kerva Labs {n}")
    small = {"q0": {"query": "Kerva Labs 1", "type": "organisation"}}
    large = {f"q{n}": {"query": f"Kerva Lbs {n}", "type": "organisation"} for n in range(40)}
    # SQLite: vocabulary, lookups, read; PostgreSQL: savepoint, setting, lookups, release, read.
    expected = 3 if connection.vendor == "sqlite" else 5
    with django_assert_num_queries(expected):
        reconcile(api, small)
    with django_assert_num_queries(expected):
        answer = reconcile(api, large)
    assert all(answer[f"q{n}"]["result"][0]["name"] == f"Kerva Labs {n}" for n in range(40))


def test_data_extension_gives_kind_and_aliases_by_id(api):
    """extend= returns each record's requested properties; an unknown id gets empty values."""
    vertex = OrganisationFactory(name="Vertex", aliases=["VRTX"], kind="fund")
    person = PersonFactory(name="Iakov Zimin", aliases=["Zimin"])
    query = {
        "ids": [f"organisation-{vertex.pk}", f"person-{person.pk}", "organisation-999999"],
        "properties": [{"id": "kind"}, {"id": "aliases"}],
    }
    response = api.post(URL, {"extend": json.dumps(query)})
    assert response.status_code == 200
    assert response.json() == {
        "meta": [{"id": "kind", "name": "Kind"}, {"id": "aliases", "name": "Aliases"}],
        "rows": {
            f"organisation-{vertex.pk}": {"kind": [{"str": "fund"}], "aliases": [{"str": "VRTX"}]},
            f"person-{person.pk}": {"kind": [], "aliases": [{"str": "Zimin"}]},
            "organisation-999999": {"kind": [], "aliases": []},
        },
    }
    unknown = api.post(URL, {"extend": json.dumps({"ids": [], "properties": [{"id": "ceo"}]})})
    assert unknown.status_code == 400


def test_proposed_properties_fit_the_type(api):
    """Organisations and programs have a kind; people only aliases."""
    url = "/api/reconcile/properties/"
    assert api.get(url, {"type": "organisation"}).json() == {
        "type": "organisation",
        "properties": [{"id": "kind", "name": "Kind"}, {"id": "aliases", "name": "Aliases"}],
    }
    assert api.get(url, {"type": "person", "limit": "5"}).json()["properties"] == [
        {"id": "aliases", "name": "Aliases"}
    ]
    assert api.get(url, {"type": "vessel"}).status_code == 400
