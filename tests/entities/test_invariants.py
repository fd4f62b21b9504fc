"""Each rule of a record lives on its model, so the admin and the API refuse the same records.

For every invariant: the admin form shows the message on the field to correct
(no 500, nothing saved) and the API answers 400 with the same message under
its own field name.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from entities.models import Metric, Organisation, Person, Program
from kaluga_cluster.editors import EDITORS_GROUP
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NAME_TAKEN = "already has this name, ignoring case, quotes and legal forms"
BOTH_SUBJECTS = "A metric is about an organisation or a program, not both."


@pytest.fixture
def editor():
    user = User.objects.create_user("editor", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def admin_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def api(editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return client


# --- A name another record has (ignoring case, quotes and legal forms) ----------


def test_admin_refuses_an_organisation_named_like_another(admin_client):
    existing = Organisation.objects.create(name="Acme Pharma")
    response = admin_client.post(
        reverse("admin:entities_organisation_add"),
        {
            "name": "ACME PHARMA LLC",
            "slug": "",
            "kind": Organisation.Kind.COMPANY,
            "aliases": "",
            "description": "",
            "positions-TOTAL_FORMS": "0",
            "positions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert NAME_TAKEN in errors["name"][0]
    assert f"(id {existing.pk})" in errors["name"][0]
    assert Organisation.objects.count() == 1


def test_admin_refuses_renaming_a_person_to_another_persons_name(admin_client):
    Person.objects.create(name="Olga Petrova")
    other = Person.objects.create(name="Anna Lind")
    response = admin_client.post(
        reverse("admin:entities_person_change", args=[other.pk]),
        {
            "name": "olga petrova",
            "slug": other.slug,
            "aliases": "",
            "positions-TOTAL_FORMS": "0",
            "positions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert NAME_TAKEN in response.context["adminform"].form.errors["name"][0]
    other.refresh_from_db()
    assert other.name == "Anna Lind"


@pytest.mark.parametrize(
    ("endpoint", "model"), [("organisations", Organisation), ("programs", Program)]
)
def test_api_refuses_a_name_another_record_has(api, endpoint, model):
    model.objects.create(name="Acme Pharma")
    response = api.post(f"/api/{endpoint}/", {"name": "«ACME PHARMA» LLC"}, format="json")
    assert response.status_code == 400
    assert NAME_TAKEN in response.json()["errors"]["name"][0]


# --- A metric about both an organisation and a program ---------------------------


@pytest.fixture
def metric():
    article = ArticleFactory(body="Northwind Pharma invested RUB 5 million in the plant.")
    return Metric.objects.create(
        article=article,
        label="investment",
        value=Decimal("5000000"),
        unit="RUB",
        raw_text="RUB 5 million",
        quote=article.body,
        start=26,
        end=39,
        organisation=Organisation.objects.create(name="Northwind Pharma"),
    )


def test_admin_refuses_a_metric_about_an_organisation_and_a_program(admin_client, metric):
    program = Program.objects.create(name="Pharma Talent 2040")
    response = admin_client.post(
        reverse("admin:entities_metric_change", args=[metric.pk]),
        {
            "label": metric.label,
            "value": "5000000",
            "unit": "RUB",
            "qualifier": metric.qualifier,
            "year": "",
            "period": "",
            "organisation": metric.organisation_id,
            "program": program.pk,
            "review_status": metric.review_status,
            "rank": metric.rank,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["program"] == [BOTH_SUBJECTS]
    metric.refresh_from_db()
    assert metric.program is None


def test_api_refuses_a_metric_about_an_organisation_and_a_program(api, metric):
    program = Program.objects.create(name="Pharma Talent 2040")
    response = api.patch(f"/api/metrics/{metric.pk}/", {"program_id": program.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"program_id": [BOTH_SUBJECTS]}


def test_the_database_refuses_a_metric_about_both_whoever_writes_it(metric):
    """The constraint backs the rule for writes that skip validation (bulk, shell)."""
    from django.db import IntegrityError, transaction

    program = Program.objects.create(name="Pharma Talent 2040")
    with pytest.raises(IntegrityError), transaction.atomic():
        Metric.objects.filter(pk=metric.pk).update(program=program)


# --- Offsets ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": 10, "end": None}, "Give both start and end offsets, or neither"),
        ({"start": 30, "end": 20}, "The end offset must not be before the start offset."),
        ({"start": 0, "end": 5000}, "The end offset lies past the end of the article body."),
    ],
)
def test_api_refuses_offsets_that_do_not_fit_the_article(api, metric, changes, message):
    response = api.patch(f"/api/metrics/{metric.pk}/", changes, format="json")
    assert response.status_code == 400
    assert message in response.json()["errors"]["end"][0]


def test_model_validation_reports_offsets_on_the_end_field(metric):
    from django.core.exceptions import ValidationError

    metric.end = 5000
    with pytest.raises(ValidationError) as refused:
        metric.full_clean()
    assert refused.value.message_dict == {
        "end": ["The end offset lies past the end of the article body."]
    }
