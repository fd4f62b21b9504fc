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
    """page_size=500 (or a 40-digit number) returns 100 rows, and a next link for the rest."""
    _organisations(101)
    for page_size in ("500", "9" * 40):
        body = api.get("/api/organisations/", {"page_size": page_size}).json()
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


# --- hostile requests: every one a 4xx with a JSON detail, on SQLite and PostgreSQL -----------


@pytest.mark.parametrize(
    ("parameter", "value", "message"),
    [
        # SQLite refuses LIKE patterns this long; PostgreSQL would scan for nothing.
        ("search", "x" * 100_000, "at most 5000 characters (it has 100000)"),
        ("q", "😀" * 5001, "at most 5000 characters (it has 5001)"),
        ("search", "plant\x07\x1b[0m", "Remove the control characters"),
        ("search", "\x7f", "Remove the control characters"),
        ("ordering", "nonsense", "nonsense is not one of the available choices"),
        ("ordering", "-", "is not one of the available choices"),
    ],
)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_hostile_query_values_answer_400_naming_the_parameter(
    api, endpoint, parameter, value, message
):
    """Overlong searches, control characters and unknown orderings are refused, not run."""
    OrganisationFactory()
    response = api.get(endpoint, {parameter: value})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Invalid query parameters."
    assert list(body["errors"]) == [parameter]
    if parameter in _known_parameters(api, endpoint):
        assert message in body["errors"][parameter][0]


def _known_parameters(api, endpoint) -> set[str]:
    message = api.get(endpoint, {"zz": "1"}).json()["errors"]["zz"][0]
    return set(message.split("Known parameters: ")[1].rstrip(".").split(", "))


@pytest.mark.parametrize(
    "path",
    [
        "/api/organisations/abc/",
        "/api/organisations/-1/",
        "/api/organisations/0/",
        "/api/organisations/١/",  # an Arabic-Indic one, which int() would take for 1
        "/api/people/99999999999999999999999999999999/",  # beyond any database integer
        "/api/articles/фарм-кластер/",
        "/api/metrics/%20/",
    ],
)
def test_malformed_or_missing_ids_answer_json_404(api, path):
    """A record address that names no record is a JSON 404, never a 500 or another record."""
    OrganisationFactory()  # id 1 exists: "١" must not reach it
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


ORGANISATIONS = "/api/organisations/"
METRIC = "/api/metrics/{metric}/"
JSON = "application/json"


@pytest.mark.parametrize(
    ("method", "url", "body", "content_type", "status", "field"),
    [
        ("post", ORGANISATIONS, "name=x", "text/plain", 415, None),
        ("post", ORGANISATIONS, "<name>x</name>", "application/xml", 415, None),
        ("post", ORGANISATIONS, '{"name": "x"}{"name": "y"}', JSON, 400, None),
        ("post", ORGANISATIONS, '{"name": NaN}', JSON, 400, None),
        ("post", ORGANISATIONS, b'{"name": "\xff"}', JSON, 400, None),
        ("post", ORGANISATIONS, "[]", JSON, 400, "non_field_errors"),
        ("post", ORGANISATIONS, '"a name"', JSON, 400, "non_field_errors"),
        ("post", ORGANISATIONS, '{"name": ["x"]}', JSON, 400, "name"),
        ("post", ORGANISATIONS, '{"name": {"x": 1}}', JSON, 400, "name"),
        ("post", ORGANISATIONS, '{"name": "a\\u0000b"}', JSON, 400, "name"),
        ("post", ORGANISATIONS, '{"name": "a\\u0007b"}', JSON, 400, "name"),
        ("post", ORGANISATIONS, '{"name": "\\ud800"}', JSON, 400, "name"),
        ("post", ORGANISATIONS, '{"name": "%s"}' % ("x" * 1000), JSON, 400, "name"),
        ("post", ORGANISATIONS, '{"name": "x", "kind": 5}', JSON, 400, "kind"),
        (
            "post",
            ORGANISATIONS,
            '{"name": "x", "aliases": "A"}',
            JSON,
            400,
            "aliases",
        ),
        (
            "post",
            ORGANISATIONS,
            '{"name": "x", "aliases": [{}]}',
            JSON,
            400,
            "aliases",
        ),
        ("post", ORGANISATIONS, '{"name": "x", "slug": "a b"}', JSON, 400, "slug"),
        ("patch", METRIC, '{"value": "lots"}', JSON, 400, "value"),
        ("patch", METRIC, '{"value": 1e400}', JSON, 400, "value"),
        ("patch", METRIC, '{"value": 1e30}', JSON, 400, "value"),
        ("patch", METRIC, '{"year": 1e30}', JSON, 400, "year"),
        ("patch", METRIC, '{"year": 99999}', JSON, 400, "year"),
        ("patch", METRIC, '{"year": true}', JSON, 400, "year"),
        (
            "patch",
            "/api/metrics/{metric}/",
            '{"qualifier": 7}',
            JSON,
            400,
            "qualifier",
        ),
        ("put", ORGANISATIONS, "{}", JSON, 405, None),
        ("delete", ORGANISATIONS, "", JSON, 405, None),
        ("patch", f"{ORGANISATIONS}{'9' * 30}/", "{}", JSON, 404, None),
    ],
)
def test_malformed_writes_answer_4xx_with_a_detail(
    editor_api, method, url, body, content_type, status, field
):
    """Wrong content types, unparsable or mistyped bodies and bad methods change nothing."""
    metric = MetricFactory()
    before = Organisation.objects.count()
    response = getattr(editor_api, method)(
        url.format(metric=metric.pk), data=body, content_type=content_type
    )
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    payload = response.json()
    assert payload["detail"]
    if field is not None:
        assert field in payload["errors"]
    assert Organisation.objects.count() == before


def test_a_body_over_the_upload_limit_answers_413_in_json(editor_api, settings):
    """Django's upload limit is reported like any API error, not as an HTML page."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = editor_api.post(
        ORGANISATIONS, data='{"name": "%s"}' % ("x" * 2000), content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["detail"] == ("The request body is too large (the limit is 1000 bytes).")


def test_unicode_slugs_are_accepted_and_their_addresses_work(editor_api, api):
    """A Cyrillic slug is valid; the record's url is percent-encoded and answers."""
    response = editor_api.post(
        ORGANISATIONS, {"name": "Фармкластер", "slug": "фарм-кластер"}, format="json"
    )
    assert response.status_code == 201, response.content
    url = response.json()["url"]
    assert url.endswith(
        "/organisations/%D1%84%D0%B0%D1%80%D0%BC-%D0%BA%D0%BB%D0%B0%D1%81%D1%82%D0%B5%D1%80/"
    )
    assert api.get(url).status_code == 200


@pytest.mark.parametrize("path", ["/api/organisations/", "/api/organisations/{pk}/"])
def test_head_and_options_are_answered(api, path):
    """HEAD answers like GET without a body; OPTIONS describes the endpoint; TRACE is refused."""
    path = path.format(pk=OrganisationFactory().pk)
    head = api.head(path)
    assert (head.status_code, head.content) == (200, b"")
    options = api.options(path)
    assert options.status_code == 200
    assert options.json()["name"].startswith("Organisation")
    trace = api.generic("TRACE", path)
    assert trace.status_code == 405
    assert trace.json()["detail"] == 'Method "TRACE" not allowed.'


def test_api_root_lists_every_endpoint(api):
    """/api/ links the five collections and the deletions feed."""
    assert set(api.get("/api/").json()) == {
        "articles",
        "organisations",
        "people",
        "programs",
        "metrics",
        "deletions",
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
