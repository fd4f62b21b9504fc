"""Confidence in the API: shown on every entity and metric, read-only, ordered and filtered."""

import pytest

from entities.models import Organisation
from tests.factories import (
    MetricFactory,
    OrganisationFactory,
    PersonFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/organisations/": OrganisationFactory,
    "/api/people/": PersonFactory,
    "/api/programs/": ProgramFactory,
    "/api/metrics/": MetricFactory,
}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture(params=ENDPOINTS)
def scored(request):
    """An endpoint and three of its records, listed doubtful, middling, sure."""
    factory = ENDPOINTS[request.param]
    return request.param, sorted(
        # Created out of order, so that no default ordering happens to match.
        (factory(confidence=value) for value in (0.65, 0.9, 0.3)),
        key=lambda record: record.confidence,
    )


def test_list_and_detail_show_the_confidence(api, scored):
    """Each row and each record states its confidence as a number."""
    endpoint, records = scored

    rows = api.get(endpoint).json()["results"]
    detail = api.get(f"{endpoint}{records[0].pk}/").json()

    assert {row["id"]: row["confidence"] for row in rows} == {
        record.pk: record.confidence for record in records
    }
    assert detail["confidence"] == 0.3


def test_ordering_by_confidence_puts_the_doubtful_first(api, scored):
    """?ordering=confidence lists the lowest first; -confidence the highest first."""
    endpoint, (low, middle, high) = scored

    assert ids(api.get(endpoint, {"ordering": "confidence"})) == [low.pk, middle.pk, high.pk]
    assert ids(api.get(endpoint, {"ordering": "-confidence"})) == [high.pk, middle.pk, low.pk]


def test_confidence_min_and_max_bound_the_list(api, scored):
    """confidence_min and confidence_max keep records within the bounds, inclusive."""
    endpoint, (low, middle, high) = scored

    assert set(ids(api.get(endpoint, {"confidence_max": "0.5"}))) == {low.pk}
    assert set(ids(api.get(endpoint, {"confidence_min": "0.65"}))) == {middle.pk, high.pk}
    both = api.get(endpoint, {"confidence_min": "0.5", "confidence_max": "0.8"})
    assert set(ids(both)) == {middle.pk}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    ("parameter", "value"),
    [("confidence_min", "high"), ("confidence_min", "-0.1"), ("confidence_max", "1.5")],
)
def test_a_confidence_bound_outside_0_to_1_answers_400(api, endpoint, parameter, value):
    """A bound that is not a number from 0 to 1 is a 400 naming the parameter."""
    response = api.get(endpoint, {parameter: value})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]


def test_confidence_is_read_only_and_an_editors_record_is_fully_trusted(editor_api):
    """A record created through the API has confidence 1; a client cannot set it."""
    created = editor_api.post(
        "/api/organisations/",
        {"name": "Halvard Tooling", "kind": "company", "confidence": 0.2},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["confidence"] == 1.0

    extracted = OrganisationFactory(confidence=0.4)
    response = editor_api.patch(
        f"/api/organisations/{extracted.pk}/", {"confidence": 0.99}, format="json"
    )

    assert response.status_code == 200
    extracted.refresh_from_db()
    assert extracted.confidence == 0.4
    assert Organisation.objects.get(name="Halvard Tooling").confidence == 1.0


def test_the_schema_documents_the_field_its_bounds_and_its_ordering(api):
    """The OpenAPI document shows confidence as a read-only number and its filters as 0-1."""
    schema = api.get("/api/schema/", {"format": "json"}).json()

    for component in ("Organisation", "Person", "Program", "Metric"):
        field = schema["components"]["schemas"][component]["properties"]["confidence"]
        assert (field["type"], field["readOnly"]) == ("number", True)
    for endpoint in ENDPOINTS:
        parameters = {p["name"]: p for p in schema["paths"][endpoint]["get"]["parameters"]}
        for name in ("confidence_min", "confidence_max"):
            bounds = parameters[name]["schema"]
            assert (bounds["type"], bounds["minimum"], bounds["maximum"]) == ("number", 0, 1)
        assert "confidence" in parameters["ordering"]["description"]
