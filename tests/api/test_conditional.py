"""Conditional requests: ETags on every GET, If-None-Match (304), If-Match on writes (412)."""

import threading

import pytest

import entities.editing
from entities.models import Organisation
from tests.api.test_editor_races import in_thread, on_postgresql
from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
    PersonFactory,
    PositionFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db

ENDPOINTS = ["articles", "organisations", "people", "programs", "metrics"]


@pytest.fixture
def records():
    """One record of every endpoint, by endpoint."""
    # Long enough for the metric's offsets (Metric.clean checks them on every write).
    article = ArticleFactory(body="The budget allocates RUR 93.3 Million. " * 160)
    organisation = OrganisationMentionFactory(article=article).organisation
    person = PositionFactory(organisation=organisation, article=article).person
    return {
        "articles": article,
        "organisations": organisation,
        "people": person,
        "programs": ProgramFactory(),
        "metrics": MetricFactory(article=article, organisation=organisation),
    }


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_lists_and_records_answer_304_while_unchanged(api, records, endpoint):
    """The ETag of a list and of a record, sent back, answers 304 with no body and the ETag."""
    for url in (f"/api/{endpoint}/", f"/api/{endpoint}/{records[endpoint].pk}/"):
        first = api.get(url)
        etag = first["ETag"]
        assert first.status_code == 200
        assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")

        again = api.get(url, HTTP_IF_NONE_MATCH=etag)

        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == etag
        assert "Accept" in again["Vary"]


def test_a_weak_or_listed_etag_still_matches_if_none_match(api, records):
    """If-None-Match compares weakly and accepts a list of ETags, or *."""
    url = f"/api/organisations/{records['organisations'].pk}/"
    etag = api.get(url)["ETag"]

    assert api.get(url, HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304
    assert api.get(url, HTTP_IF_NONE_MATCH=f'"other", {etag}').status_code == 304
    assert api.get(url, HTTP_IF_NONE_MATCH="*").status_code == 304
    assert api.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_change_shown_through_a_related_record_changes_the_etag(api, editor_api, records):
    """Renaming an organisation changes the ETag of the person whose position names it."""
    person_url = f"/api/people/{records['people'].pk}/"
    etag = api.get(person_url)["ETag"]
    organisation = records["organisations"]

    response = editor_api.patch(
        f"/api/organisations/{organisation.pk}/", {"name": "Renamed Pharma"}, format="json"
    )
    assert response.status_code == 200

    changed = api.get(person_url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["positions"][0]["organisation"]["name"] == "Renamed Pharma"


def test_each_representation_has_its_own_etag(api, editor_api, records):
    """CSV, a field selection and an editor's view are other bodies, with other ETags."""
    url = f"/api/people/{records['people'].pk}/"
    PositionFactory(person=records["people"], review_status="rejected")  # editors see it
    etags = {
        api.get(url)["ETag"],
        api.get(url, {"format": "csv"})["ETag"],
        api.get(url, {"fields": "id,name"})["ETag"],
        editor_api.get(url)["ETag"],
    }
    assert len(etags) == 4


def test_head_carries_the_etag_of_get(api, records):
    """HEAD answers the ETag a GET would, and honours If-None-Match too."""
    url = "/api/metrics/"
    etag = api.get(url)["ETag"]
    head = api.head(url)
    assert (head.status_code, head["ETag"]) == (200, etag)
    assert api.head(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_errors_carry_no_etag(api):
    """Only a successful GET is tagged: a 404 or a 400 is not a representation to cache."""
    assert "ETag" not in api.get("/api/organisations/999999/")
    assert "ETag" not in api.get("/api/organisations/", {"page": "0"})


# --- If-Match on writes --------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_stale_if_match_refuses_the_write_with_412(api, editor_api, records, endpoint):
    """PATCH and DELETE with the ETag of an older version answer 412, change nothing."""
    record = records[endpoint]
    url = f"/api/{endpoint}/{record.pk}/"
    stale = api.get(url)["ETag"]
    # Someone else's change: here a curated flag set by an editor's save in the API.
    field = "title" if endpoint == "articles" else "label" if endpoint == "metrics" else "name"
    assert editor_api.patch(url, {field: "Changed meanwhile"}, format="json").status_code == 200
    before = api.get(url).json()

    patch = editor_api.patch(url, {field: "Lost update"}, format="json", HTTP_IF_MATCH=stale)
    delete = editor_api.delete(url, HTTP_IF_MATCH=stale)

    for response in (patch, delete):
        assert response.status_code == 412
        assert "changed since you read it" in response.json()["detail"]
        assert response["ETag"] == editor_api.get(url)["ETag"]
    assert api.get(url).json() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_current_etag_lets_the_write_through(editor_api, records, endpoint):
    """PATCH with the record's current ETag (as the editor reads it) applies; DELETE too."""
    record = records[endpoint]
    url = f"/api/{endpoint}/{record.pk}/"
    field = "title" if endpoint == "articles" else "label" if endpoint == "metrics" else "name"

    current = editor_api.get(url)["ETag"]
    patched = editor_api.patch(url, {field: "Edited"}, format="json", HTTP_IF_MATCH=current)
    assert patched.status_code == 200, patched.content
    assert "ETag" not in patched  # the body is not the record's GET representation
    assert patched.json()[field] == "Edited"

    current = editor_api.get(url)["ETag"]
    assert editor_api.delete(url, HTTP_IF_MATCH=current).status_code == 204
    assert editor_api.get(url).status_code == 404


def test_if_match_star_and_no_if_match_write_unconditionally(editor_api):
    """``If-Match: *`` asks only that the record exist; without If-Match nothing is checked."""
    acme = OrganisationFactory(name="Acme")
    url = f"/api/organisations/{acme.pk}/"

    starred = editor_api.patch(url, {"kind": "fund"}, format="json", HTTP_IF_MATCH="*")
    plain = editor_api.patch(url, {"kind": "media"}, format="json")

    assert (starred.status_code, plain.status_code) == (200, 200)
    assert Organisation.objects.get(pk=acme.pk).kind == "media"
    assert (
        editor_api.patch(
            "/api/organisations/999999/", {"kind": "fund"}, format="json", HTTP_IF_MATCH="*"
        ).status_code
        == 404
    )


def test_a_weak_etag_never_satisfies_if_match(editor_api):
    """If-Match compares strongly: ``W/"..."`` of the current ETag is refused."""
    acme = OrganisationFactory(name="Acme")
    url = f"/api/organisations/{acme.pk}/"
    current = editor_api.get(url)["ETag"]

    response = editor_api.patch(url, {"kind": "fund"}, format="json", HTTP_IF_MATCH=f"W/{current}")

    assert response.status_code == 412
    assert Organisation.objects.get(pk=acme.pk).kind == "company"


def test_if_match_is_checked_before_the_body(editor_api):
    """A stale version answers 412 even when the body would not validate."""
    acme = OrganisationFactory(name="Acme")
    response = editor_api.patch(
        f"/api/organisations/{acme.pk}/", {"kind": "no such kind"}, HTTP_IF_MATCH='"stale"'
    )
    assert response.status_code == 412


def test_a_person_etag_covers_a_position_added_meanwhile(api, editor_api):
    """A position added since the editor read the person makes their If-Match stale."""
    person = PersonFactory(name="Ivan Petrov")
    url = f"/api/people/{person.pk}/"
    read = editor_api.get(url)["ETag"]
    PositionFactory(person=person, title="Chairman")

    response = editor_api.patch(url, {"name": "Ivan P. Petrov"}, format="json", HTTP_IF_MATCH=read)

    assert response.status_code == 412
    assert api.get(url).json()["name"] == "Ivan Petrov"


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_editors_racing_with_one_etag_cannot_both_win(editor_api, monkeypatch):
    """The second write waits for the first's lock, then finds the ETag stale: 412.

    The first PATCH pauses inside its transaction, after its checks; the second
    passes its early check (nothing committed yet) and must be stopped by the
    check it repeats with the record locked.
    """
    acme = OrganisationFactory(name="Acme")
    url = f"/api/organisations/{acme.pk}/"
    etag = editor_api.get(url)["ETag"]
    inside, resume = threading.Event(), threading.Event()
    real = entities.editing.editor_changed

    def changed_then_pause(**kwargs):
        real(**kwargs)
        if kwargs["instance"].kind == "fund":
            inside.set()
            assert resume.wait(timeout=30)

    monkeypatch.setattr(entities.editing, "editor_changed", changed_then_pause)

    def patch(kind):
        return lambda: editor_api.patch(url, {"kind": kind}, format="json", HTTP_IF_MATCH=etag)

    first, first_response = in_thread(patch("fund"))
    assert inside.wait(timeout=30)
    second, second_response = in_thread(patch("media"))
    second.join(timeout=0.5)
    assert second.is_alive(), "the second write did not wait for the first one's lock"
    resume.set()
    first.join(timeout=30)
    second.join(timeout=30)

    assert first_response[0].status_code == 200
    assert second_response[0].status_code == 412
    assert Organisation.objects.get(pk=acme.pk).kind == "fund"


# --- the schema ----------------------------------------------------------------------------------


def test_conditional_requests_are_documented(api):
    """Reads document If-None-Match, the ETag header and 304; writes If-Match and 412."""
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for endpoint in ENDPOINTS:
        for path in (f"/api/{endpoint}/", f"/api/{endpoint}/{{id}}/"):
            read = schema["paths"][path]["get"]
            assert "If-None-Match" in {p["name"] for p in read["parameters"]}
            assert "304" in read["responses"]
            assert "ETag" in read["responses"]["200"]["headers"]
        for method in ("put", "patch", "delete"):
            write = schema["paths"][f"/api/{endpoint}/{{id}}/"][method]
            assert "If-Match" in {p["name"] for p in write["parameters"]}
            assert write["responses"]["412"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }
