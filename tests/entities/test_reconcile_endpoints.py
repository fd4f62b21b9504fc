"""The reconciliation service's preview card and its suggest services (entity, type, property)."""

import pytest
from rest_framework.test import APIClient

from entities.models import ReviewStatus
from tests.factories import (
    ArticleFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
    PersonFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db

PREVIEW = "/api/reconcile/preview/"
SUGGEST = "/api/reconcile/suggest/"


@pytest.fixture
def api():
    """An anonymous client."""
    return APIClient()


def test_preview_is_a_small_card_of_the_record(api):
    """Name (linking to its page), type and kind, aliases, and its count of published articles."""
    vertex = OrganisationFactory(name="Vertex", aliases=["VRTX", "Вертекс"], kind="fund")
    OrganisationMentionFactory(organisation=vertex)
    OrganisationMentionFactory(organisation=vertex, article=ArticleFactory(status="hidden"))
    response = api.get(PREVIEW, {"id": f"organisation-{vertex.pk}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<a href="http://testserver/organisations/vertex/"' in html
    assert "Organisation · Fund / investor" in html
    assert "Also: VRTX, Вертекс" in html
    assert "Mentioned in 1 article." in html


def test_preview_may_be_framed_by_other_sites_and_runs_no_inline_code(api):
    """OpenRefine shows the card in a frame: no X-Frame-Options, frame-ancestors *; the rest of
    the policy stands and the card has no inline script or style."""
    person = PersonFactory(name="Iakov Zimin")
    response = api.get(PREVIEW, {"id": f"person-{person.pk}"})
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors *" in policy and "script-src 'self'" in policy
    html = response.content.decode()
    assert "<script" not in html and "<style" not in html and "style=" not in html
    assert response["Access-Control-Allow-Origin"] == "*"
    # The rest of the site still refuses to be framed.
    assert api.get("/api/reconcile/")["X-Frame-Options"] == "DENY"


def test_preview_of_an_unknown_or_rejected_record_is_a_404_card(api):
    """An id naming nothing visible answers 404 with a short HTML note."""
    rejected = ProgramFactory(review_status=ReviewStatus.REJECTED)
    for text in (f"program-{rejected.pk}", "program-999999", "<b>x</b>"):
        response = api.get(PREVIEW, {"id": text})
        assert response.status_code == 404
        assert "No record has the id" in response.content.decode()
    assert "<b>x</b>" not in api.get(PREVIEW, {"id": "<b>x</b>"}).content.decode()


def test_preview_answers_options_and_other_formats_without_failing(api):
    """OPTIONS lists the methods (CORS preflight); asking for JSON is 406, not a server error."""
    options = api.options(PREVIEW, {"id": ""})
    assert options.status_code == 200 and "GET" in options["Allow"]
    assert options["Access-Control-Allow-Origin"] == "*"
    assert api.get(PREVIEW, {"id": "x"}, HTTP_ACCEPT="application/json").status_code == 406


def _ids(response) -> list[str]:
    assert response.status_code == 200
    return [item["id"] for item in response.json()["result"]]


def test_entity_suggest_puts_names_starting_with_the_prefix_first(api):
    """Typing "Vert" offers Vertex Pharmaceuticals (it starts so) before a look-alike name."""
    starts = OrganisationFactory(name="Vertex Pharmaceuticals")
    looks_alike = OrganisationFactory(name="Avert")
    assert _ids(api.get(f"{SUGGEST}entity/", {"prefix": "Vert"}))[:2] == [
        f"organisation-{starts.pk}",
        f"organisation-{looks_alike.pk}",
    ]


def test_entity_suggest_forgives_typos_and_scripts(api):
    """A misspelt or Cyrillic prefix still offers the record."""
    vertex = OrganisationFactory(name="Vertex Pharmaceuticals")
    for prefix in ("Vertx Pharma", "Вертекс"):
        assert f"organisation-{vertex.pk}" in _ids(api.get(f"{SUGGEST}entity/", {"prefix": prefix}))


def test_entity_suggest_shape_type_filter_ids_and_paging(api):
    """Items carry id, name, notable types and a description; type narrows; cursor pages."""
    company = OrganisationFactory(name="Kerva Labs")
    person = PersonFactory(name="Kerva Labs")
    response = api.get(f"{SUGGEST}entity/", {"prefix": "Kerva Labs"})
    items = {item["id"]: item for item in response.json()["result"]}
    assert items[f"organisation-{company.pk}"] == {
        "id": f"organisation-{company.pk}",
        "name": "Kerva Labs",
        "notable": [{"id": "organisation", "name": "Organisation"}],
        "description": "Company",
    }
    only_people = api.get(f"{SUGGEST}entity/", {"prefix": "Kerva", "type": "person"})
    assert _ids(only_people) == [f"person-{person.pk}"]
    everything = _ids(api.get(f"{SUGGEST}entity/", {"prefix": "Kerva"}))
    assert _ids(api.get(f"{SUGGEST}entity/", {"prefix": "Kerva", "cursor": "1"})) == everything[1:]
    assert _ids(api.get(f"{SUGGEST}entity/", {"prefix": f"person-{person.pk}"})) == [
        f"person-{person.pk}"
    ]
    assert api.get(f"{SUGGEST}entity/", {"prefix": "x", "cursor": "-1"}).status_code == 400
    assert api.get(f"{SUGGEST}entity/", {"prefix": "x", "type": "vessel"}).status_code == 400


def test_entity_suggest_hides_rejected_records(api):
    """A rejected record is never suggested."""
    OrganisationFactory(name="Vertex", review_status=ReviewStatus.REJECTED)
    assert _ids(api.get(f"{SUGGEST}entity/", {"prefix": "Vertex"})) == []


def test_type_and_property_suggest(api):
    """Types and properties are offered by their id or name; an empty prefix lists them all."""
    assert _ids(api.get(f"{SUGGEST}type/", {"prefix": ""})) == [
        "organisation",
        "person",
        "program",
    ]
    assert _ids(api.get(f"{SUGGEST}type/", {"prefix": "pers"})) == ["person"]
    kind = api.get(f"{SUGGEST}property/", {"prefix": "ki"}).json()["result"]
    assert [item["id"] for item in kind] == ["kind"] and kind[0]["description"]
    assert _ids(api.get(f"{SUGGEST}property/", {"prefix": "alias"})) == ["aliases"]
