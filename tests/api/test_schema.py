"""The OpenAPI document: valid, warning-free, and describing filters, fields and errors."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker, tmp_path_factory):
    """The schema as `manage.py spectacular --validate --fail-on-warn` writes it."""
    path = tmp_path_factory.mktemp("schema") / "openapi.yaml"
    with django_db_blocker.unblock():
        # Raises (fails the test) on any warning or validation error.
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def _parameters(schema, path) -> set[str]:
    return {parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]}


def test_schema_is_served_as_openapi_3(api):
    """/api/schema/ answers the OpenAPI 3 document."""
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_every_endpoint_and_its_filters_are_documented(schema):
    """Each list documents its filters, pagination and format parameters."""
    assert {
        "/api/articles/",
        "/api/articles/{id}/",
        "/api/organisations/",
        "/api/organisations/{id}/",
        "/api/people/",
        "/api/people/{id}/",
        "/api/programs/",
        "/api/programs/{id}/",
        "/api/metrics/",
        "/api/metrics/{id}/",
    } <= set(schema["paths"])
    common = {"page", "page_size", "format", "ordering", "search", "q"}
    assert {
        "organisation",
        "organisation_id",
        "person",
        "person_id",
        "program",
        "program_id",
        "published_after",
        "published_before",
        "year",
    } | common <= _parameters(schema, "/api/articles/")
    assert {"kind"} | common <= _parameters(schema, "/api/organisations/")
    assert {"organisation", "organisation_id"} | common <= _parameters(schema, "/api/people/")
    assert {
        "unit",
        "year_min",
        "year_max",
        "value_min",
        "value_max",
        "article",
        "organisation",
        "program",
    } <= _parameters(schema, "/api/metrics/")


def test_errors_are_documented_per_operation(schema):
    """Reads document 400/404/429; writes add 401 and 403; bodies use the error schemas."""
    read = schema["paths"]["/api/metrics/{id}/"]["get"]["responses"]
    write = schema["paths"]["/api/metrics/"]["post"]["responses"]
    assert {"200", "400", "404", "429"} <= set(read)
    assert {"201", "400", "401", "403", "429"} <= set(write)
    assert write["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ValidationError"
    }
    assert schema["components"]["schemas"]["ValidationError"]["required"] == ["detail"]
    assert "errors" in schema["components"]["schemas"]["ValidationError"]["properties"]


def test_metric_value_is_a_number_and_csv_bodies_are_text(schema):
    """value is documented as a JSON number; the CSV form of a list as a string."""
    metric = schema["components"]["schemas"]["Metric"]["properties"]
    assert metric["value"]["type"] == "number"
    listing = schema["paths"]["/api/metrics/"]["get"]["responses"]["200"]["content"]
    assert listing["text/csv"]["schema"]["type"] == "string"
    assert set(schema["components"]["schemas"]["PaginatedMetricList"]["properties"]) == {
        "count",
        "next",
        "previous",
        "results",
    }


def test_slugs_are_not_limited_to_ascii_in_the_schema(schema):
    """Slugs may hold letters of any script, so the schema sets no ASCII-only pattern."""
    slug = schema["components"]["schemas"]["Organisation"]["properties"]["slug"]
    assert "pattern" not in slug
    assert "any script" in slug["description"]
