"""Confidence in the admin: editors see it, sort by it and filter the doubtful records."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from entities.models import Organisation
from kaluga_cluster.editors import EDITORS_GROUP
from tests.factories import MetricFactory, OrganisationFactory, PersonFactory, ProgramFactory

pytestmark = pytest.mark.django_db

FACTORIES = {
    "organisation": OrganisationFactory,
    "person": PersonFactory,
    "program": ProgramFactory,
    "metric": MetricFactory,
}


@pytest.fixture
def editor(client):
    """A staff user in the Editors group, logged in."""
    user = User.objects.create_user("editor", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client.force_login(user)
    return user


@pytest.fixture(params=FACTORIES)
def scored(request):
    """A model name and three of its records, listed doubtful, middling, sure."""
    factory = FACTORIES[request.param]
    return request.param, sorted(
        # Created out of order, so that no default ordering happens to match.
        (factory(confidence=value) for value in (0.65, 0.9, 0.3)),
        key=lambda record: record.confidence,
    )


def changelist(client, model, **params):
    response = client.get(reverse(f"admin:entities_{model}_changelist"), params)
    assert response.status_code == 200
    return response


def test_the_list_shows_confidence_and_sorts_the_doubtful_first(client, editor, scored):
    """The column shows two decimals; sorting by it lists the lowest confidence first."""
    model, (low, middle, high) = scored
    response = changelist(client, model)
    html = response.content.decode()
    assert "Confidence" in html
    assert "0.30" in html
    assert "0.65" in html

    column = response.context["cl"].list_display.index("confidence_display")
    ascending = changelist(client, model, o=str(column))
    descending = changelist(client, model, o=f"-{column}")

    assert list(ascending.context["cl"].result_list) == [low, middle, high]
    assert list(descending.context["cl"].result_list) == [high, middle, low]


@pytest.mark.parametrize(("band", "expected"), [("low", [0]), ("medium", [1]), ("high", [2])])
def test_the_band_filter_keeps_one_band(client, editor, scored, band, expected):
    """Below 0.5, 0.5 to 0.8, 0.8 and above: each band lists only its records."""
    model, records = scored
    response = changelist(client, model, confidence_band=band)

    assert list(response.context["cl"].result_list) == [records[i] for i in expected]
    assert "below 0.5" in response.content.decode()


def test_an_editors_save_keeps_the_confidence_and_marks_the_record_curated(client, editor):
    """Confidence is shown read-only on the form; saving curates the record as before."""
    organisation = OrganisationFactory(name="Zentrix", confidence=0.25)
    url = reverse("admin:entities_organisation_change", args=[organisation.pk])
    form = client.get(url).content.decode()
    assert "0.25" in form
    assert 'name="confidence"' not in form

    response = client.post(
        url,
        {
            "name": "Zentrix Instruments",
            "slug": organisation.slug,
            "kind": Organisation.Kind.COMPANY,
            "aliases": "",
            "description": "",
            "confidence": "0.99",
            "positions-TOTAL_FORMS": "0",
            "positions-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    organisation.refresh_from_db()
    assert (organisation.name, organisation.confidence, organisation.curated) == (
        "Zentrix Instruments",
        0.25,
        True,
    )


def test_a_record_an_editor_adds_is_fully_trusted(client, editor):
    """Records created by hand get confidence 1."""
    response = client.post(
        reverse("admin:entities_organisation_add"),
        {
            "name": "Ostrel Mill",
            "slug": "ostrel-mill",
            "kind": Organisation.Kind.COMPANY,
            "aliases": "",
            "description": "",
            "positions-TOTAL_FORMS": "0",
            "positions-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Organisation.objects.get(name="Ostrel Mill").confidence == 1.0
