"""Who may read and write: anonymous, signed-in without rights, editor by token or session."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article
from entities.models import Metric, Organisation, Person, Program
from kaluga_cluster.editors import EDITORS_GROUP
from tests.factories import ArticleFactory, MetricFactory

pytestmark = pytest.mark.django_db


def _new_record(endpoint: str) -> dict:
    """A valid body to create one record at ``endpoint``."""
    if endpoint == "/api/articles/":
        return {"title": "T", "slug": "t", "source_file": "t.txt", "body": "Body text."}
    if endpoint == "/api/metrics/":
        return {
            "label": "jobs",
            "value": 5,
            "unit": "jobs",
            "raw_text": "5 jobs",
            "quote": "It made 5 jobs.",
            "article_id": ArticleFactory().pk,
        }
    return {"name": "New record"}


ENDPOINTS = {
    "/api/articles/": Article,
    "/api/organisations/": Organisation,
    "/api/people/": Person,
    "/api/programs/": Program,
    "/api/metrics/": Metric,
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_clients_read(api, endpoint):
    """Every list is readable without credentials."""
    assert api.get(endpoint).status_code == 200


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_writes_answer_401_and_change_nothing(api, endpoint):
    """A write without credentials is refused with 401 and a WWW-Authenticate challenge."""
    model = ENDPOINTS[endpoint]
    before = model.objects.count()
    response = api.post(endpoint, _new_record(endpoint), format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert response.json()["detail"]
    assert model.objects.count() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_signed_in_users_without_permission_get_403(reader_api, endpoint):
    """A valid token of a user who is not an editor may read but not write."""
    model = ENDPOINTS[endpoint]
    assert reader_api.get(endpoint).status_code == 200
    before = model.objects.count()
    assert reader_api.post(endpoint, _new_record(endpoint), format="json").status_code == 403
    assert model.objects.count() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_editors_write_with_a_token(editor_api, endpoint):
    """An editor's token creates (201), updates (200) and deletes (204) records."""
    model = ENDPOINTS[endpoint]
    created = editor_api.post(endpoint, _new_record(endpoint), format="json")
    assert created.status_code == 201, created.json()
    url = f"{endpoint}{created.json()['id']}/"
    assert editor_api.patch(url, {}, format="json").status_code == 200
    assert model.objects.get(pk=created.json()["id"]).curated
    assert editor_api.delete(url).status_code == 204
    assert not model.objects.filter(pk=created.json()["id"]).exists()


def test_a_user_with_only_the_add_permission_cannot_delete(db):
    """Permissions are per action: the add permission alone does not allow DELETE."""
    user = User.objects.create_user("adder", password="a long adder password")
    user.user_permissions.add(
        *Group.objects.get(name=EDITORS_GROUP).permissions.filter(codename="add_organisation")
    )
    client = APIClient()
    client.force_authenticate(user)
    created = client.post("/api/organisations/", {"name": "Acme"}, format="json")
    assert created.status_code == 201
    assert client.delete(f"/api/organisations/{created.json()['id']}/").status_code == 403


def test_a_wrong_token_answers_401(api):
    """An unknown token is rejected even for reads, with a clear message."""
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get("/api/organisations/")
    assert response.status_code == 401
    assert "token" in response.json()["detail"].lower()


def test_session_writes_need_the_csrf_token(editor):
    """A signed-in editor's session may write only with the CSRF token (403 without it)."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)

    without = client.post("/api/organisations/", {"name": "Acme"}, format="json")
    assert without.status_code == 403
    assert "CSRF" in without.json()["detail"]

    client.get("/admin/login/")  # a page with a form sets the CSRF cookie
    with_token = client.post(
        "/api/organisations/",
        {"name": "Acme"},
        format="json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert with_token.status_code == 201
    assert Organisation.objects.get().curated


def test_a_user_who_may_change_but_not_view_hidden_records_can_hide_one(db):
    """Rejecting a metric without the view permission answers 200 with the saved record."""
    user = User.objects.create_user("changer", password="a long changer password")
    user.user_permissions.add(
        *Group.objects.get(name=EDITORS_GROUP).permissions.filter(codename="change_metric")
    )
    metric = MetricFactory()
    client = APIClient()
    client.force_authenticate(user)

    response = client.patch(
        f"/api/metrics/{metric.pk}/", {"review_status": "rejected"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["review_status"] == "rejected"


def test_drf_create_token_gives_an_editor_a_working_token(editor, api):
    """`manage.py drf_create_token <user>` prints a token that authorises the editor's writes."""
    output = io.StringIO()
    call_command("drf_create_token", editor.username, stdout=output)
    key = Token.objects.get(user=editor).key
    assert key in output.getvalue()

    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.post("/api/programs/", {"name": "Clean Air"}, format="json").status_code == 201
