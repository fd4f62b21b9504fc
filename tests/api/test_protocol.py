"""What every endpoint shares: pagination, strict parameters, errors, CSV, throttling, docs."""

import csv
import io
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from rest_framework.throttling import AnonRateThrottle

from entities.models import Organisation
from tests.factories import ArticleFactory, MetricFactory, OrganisationFactory, PositionFactory

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/articles/",
    "/api/organisations/",
    "/api/people/",
    "/api/programs/",
    "/api/metrics/",
]


def _organisations(count: int) -> None:
    Organisation.objects.bulk_create(
        Organisation(name=f"Org {n:03d}", slug=f"org-{n:03d}", normalized_name=f"org {n:03d}")
        for n in range(count)
    )


# --- pagination -----------------------------------------------------------------------------


def test_default_page_size_and_links(api):
    """Pages hold 25 rows by default, with absolute next/previous links."""
    _organisations(30)
    first = api.get("/api/organisations/").json()
    assert (first["count"], len(first["results"]), first["previous"]) == (30, 25, None)
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert second["previous"].startswith("http://testserver/api/organisations/")


def test_page_size_above_100_is_capped_to_100(api):
    """page_size=500 returns 100 rows (the documented cap), and a next link for the rest."""
    _organisations(101)
    body = api.get("/api/organisations/", {"page_size": 500}).json()
    assert len(body["results"]) == 100
    assert body["next"] is not None
    assert len(api.get("/api/organisations/", {"page_size": 7}).json()["results"]) == 7


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("page", "0"),
        ("page", "-1"),
        ("page", "abc"),
        ("page", "1.5"),
        ("page", "²"),
        ("page_size", "0"),
        ("page_size", "-20"),
        ("page_size", "lots"),
        ("page_size", "٣"),
    ],
)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_malformed_pagination_answers_400_naming_the_parameter(api, endpoint, parameter, value):
    """Page numbers and sizes must be whole numbers of at least 1."""
    response = api.get(endpoint, {parameter: value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]


def test_a_page_past_the_end_answers_404_saying_so(api):
    """A page number past the last page is a 404 whose message names the page."""
    _organisations(3)
    for page in ("2", "10000000000000000000000"):
        response = api.get("/api/organisations/", {"page": page})
        assert response.status_code == 404
        assert f"Page {page} does not exist" in response.json()["detail"]


# --- strict parameters and error bodies -----------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_unknown_query_parameters_answer_400_naming_them(api, endpoint):
    """A misspelt filter is reported instead of silently returning everything."""
    response = api.get(endpoint, {"organisaton": "acme", "limit": "5"})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Invalid query parameters."
    assert set(body["errors"]) == {"organisaton", "limit"}
    assert "Unknown query parameter" in body["errors"]["limit"][0]


def test_single_records_accept_only_the_format_parameter(api):
    """Filters mean nothing on /{id}/: they are reported as unknown there."""
    organisation = OrganisationFactory()
    url = f"/api/organisations/{organisation.pk}/"
    assert api.get(url, {"format": "json"}).status_code == 200
    response = api.get(url, {"search": "x"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["search"]


def test_unknown_api_paths_answer_json_404(api):
    """An address under /api/ that names no endpoint answers a JSON 404, not an HTML page."""
    response = api.get("/api/organization/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "/api/organization/" in response.json()["detail"]


def test_malformed_json_body_answers_400(editor_api):
    """A body that is not JSON is a 400 with a detail message."""
    response = editor_api.post(
        "/api/organisations/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_api_root_lists_every_endpoint(api):
    """/api/ links the five collections."""
    assert set(api.get("/api/").json()) == {
        "articles",
        "organisations",
        "people",
        "programs",
        "metrics",
    }


# --- CSV ------------------------------------------------------------------------------------


def _rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_csv_by_format_parameter_flattens_nested_objects(api):
    """?format=csv gives one row per metric, nested objects as parent.child columns."""
    article = ArticleFactory(title="Plant opens")
    acme = OrganisationFactory(name="Acme Pharma")
    MetricFactory(article=article, organisation=acme, value=Decimal("93300000"), unit="RUB")

    response = api.get("/api/metrics/", {"format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    [row] = _rows(response)
    assert row["value"] == "93300000"
    assert row["unit"] == "RUB"
    assert row["article.title"] == "Plant opens"
    assert (row["subject.type"], row["subject.name"]) == ("organisation", "Acme Pharma")


def test_csv_by_accept_header_joins_lists_in_one_cell(api):
    """Accept: text/csv works too; a list of positions reads "title, organisation; ..."."""
    position = PositionFactory(title="Chief Executive", organisation__name="Acme Pharma")
    OrganisationFactory(name="Unused")

    response = api.get("/api/people/", HTTP_ACCEPT="text/csv")

    assert response["Content-Type"].startswith("text/csv")
    [row] = _rows(response)
    assert row["name"] == position.person.name
    assert row["positions"] == "Chief Executive, Acme Pharma"


def test_csv_of_an_empty_list_still_has_its_header(api):
    """With no rows the CSV still names its columns, so scripts can read it."""
    response = api.get("/api/organisations/", {"format": "csv"})
    header = response.content.decode().splitlines()[0]
    assert header.split(",")[:4] == ["id", "url", "slug", "name"]


def test_an_unknown_format_answers_400_listing_the_known_ones(api):
    """?format=xml is reported as a bad parameter value (rendered as JSON)."""
    response = api.get("/api/organisations/", {"format": "xml"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    message = response.json()["errors"]["format"][0]
    assert "xml" in message
    assert "csv" in message


def test_csv_errors_carry_the_message(api):
    """An error asked for as CSV is still an error, with its message in the body."""
    response = api.get("/api/organisations/", {"format": "csv", "nonsense": "1"})
    assert response.status_code == 400
    assert "Unknown query parameter" in response.content.decode()


# --- throttling -----------------------------------------------------------------------------


def test_anonymous_clients_are_throttled_but_editors_are_not(api, editor_api, monkeypatch):
    """Past its budget an anonymous client gets 429 with Retry-After; editors go on."""
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    for _ in range(3):
        assert api.get("/api/programs/").status_code == 200

    throttled = api.get("/api/programs/")

    assert throttled.status_code == 429
    assert "throttled" in throttled.json()["detail"].lower()
    assert int(throttled["Retry-After"]) > 0
    for _ in range(5):
        assert editor_api.get("/api/programs/").status_code == 200


def test_throttle_rate_comes_from_the_environment():
    """API_ANON_THROTTLE_RATE sets the anonymous rate (CI raises it for fuzzing)."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['anon'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kaluga_cluster.settings",
        "DEBUG": "true",
        "API_ANON_THROTTLE_RATE": "7/second",
    }
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "7/second"


# --- documentation --------------------------------------------------------------------------


def test_swagger_ui_is_served_from_the_apps_own_static_files(api):
    """/api/docs/ loads its scripts and styles from /static/, nothing from outside the app."""
    page = api.get("/api/docs/").content.decode()
    bundle = "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
    assert f"/static/{bundle}" in page
    assert finders.find(bundle) is not None
    assert "//cdn" not in page
    assert "https://" not in page
