"""Editors' review decisions survive imports, show in history and can be undone (issue 16).

Every test imports an invented article with the real import, takes decisions
the way the admin does (``entities.services.review``), re-imports the article
with ``--force`` where it matters, and checks what a visitor, an API client
and the record's history show.
"""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.test import APIClient

from articles.services import article_import_file
from entities.models import (
    Metric,
    Organisation,
    Person,
    Position,
    ReviewDecision,
    ReviewStatus,
)
from entities.services import review
from tests.factories import ArticleFactory, MetricFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

TEXT = """\
Northbrook Biologics Opens a Vaccine Line in Maloyaroslavets

Published 3 March 2021

Northbrook Biologics LLC will invest RUB 900 million in a vaccine line at its \
Maloyaroslavets site in 2021, said Marta Ilyina, General Director of Northbrook Biologics.

The Regional Venture Fund will lend RUB 150 million to Northbrook Biologics.
"""


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("vera", "vera@example.org", "a long password")


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "northbrook.txt"
    path.write_text(TEXT)
    assert not article_import_file(path=path, force=True).error
    return path


def _reimport(path):
    result = article_import_file(path=path, force=True)
    assert not result.error


def _history(record) -> list[str]:
    return list(
        LogEntry.objects.filter(
            object_id=str(record.pk), content_type__model=record._meta.model_name
        )
        .order_by("pk")
        .values_list("change_message", flat=True)
    )


def test_a_rejected_organisation_vanishes_and_no_import_brings_it_back(article_file, editor):
    fund = Organisation.objects.get(name__contains="Venture Fund")

    assert review.review([fund], ReviewStatus.REJECTED, user=editor) == 1
    _reimport(article_file)

    assert Organisation.objects.filter(name__contains="Venture Fund").count() == 1
    fund.refresh_from_db()
    assert fund.review_status == ReviewStatus.REJECTED
    api = APIClient()
    assert fund.pk not in [row["id"] for row in api.get("/api/organisations/").json()["results"]]
    assert api.get(f"/api/organisations/{fund.pk}/").status_code == 404


def test_a_rejected_organisation_is_not_on_the_site(article_file, editor, client):
    fund = Organisation.objects.get(name__contains="Venture Fund")
    review.review([fund], ReviewStatus.REJECTED, user=editor)

    assert client.get(fund.get_absolute_url()).status_code == 404
    page = client.get(reverse("entities:organisation-list")).content.decode()
    assert fund.name not in page
    article_page = client.get(fund.mentions.get().article.get_absolute_url()).content.decode()
    assert fund.get_absolute_url() not in article_page


def test_confirmed_and_rejected_metrics_keep_their_state_and_values_through_a_forced_import(
    article_file, editor
):
    loan = Metric.objects.get(raw_text__contains="150 million")
    investment = Metric.objects.get(raw_text__contains="900 million")
    review.review([loan], ReviewStatus.REJECTED, user=editor)
    review.review([investment], ReviewStatus.CONFIRMED, user=editor)

    _reimport(article_file)

    assert Metric.objects.get(pk=loan.pk).review_status == ReviewStatus.REJECTED
    assert Metric.objects.get(pk=investment.pk).review_status == ReviewStatus.CONFIRMED
    assert Metric.objects.filter(raw_text=loan.raw_text).count() == 1


def test_a_confirmed_position_survives_a_forced_import(article_file, editor):
    position = Position.objects.get(person__name="Marta Ilyina")
    review.review([position], ReviewStatus.CONFIRMED, user=editor)

    _reimport(article_file)

    assert Position.objects.get(pk=position.pk).review_status == ReviewStatus.CONFIRMED


def test_each_decision_is_in_the_records_history_and_in_the_decision_list(article_file, editor):
    person = Person.objects.get(name="Marta Ilyina")

    review.review([person], ReviewStatus.CONFIRMED, user=editor)

    decision = ReviewDecision.objects.get()
    assert (decision.action, decision.user, decision.object_id) == ("confirm", editor, person.pk)
    assert _history(person) == ["Confirmed person."]


def test_a_decision_already_taken_is_not_recorded_again(article_file, editor):
    person = Person.objects.get(name="Marta Ilyina")
    review.review([person], ReviewStatus.CONFIRMED, user=editor)

    assert review.review([person], ReviewStatus.CONFIRMED, user=editor) == 0
    assert ReviewDecision.objects.count() == 1


def test_undoing_a_rejection_shows_the_record_again(article_file, editor, client):
    fund = Organisation.objects.get(name__contains="Venture Fund")
    was_curated = fund.curated
    review.review([fund], ReviewStatus.REJECTED, user=editor)

    review.undo(ReviewDecision.objects.get(), user=editor)

    fund.refresh_from_db()
    assert (fund.review_status, fund.curated) == (ReviewStatus.UNREVIEWED, was_curated)
    assert client.get(fund.get_absolute_url()).status_code == 200
    decision = ReviewDecision.objects.get()
    assert (decision.undone_by, decision.undone_at is not None) == (editor, True)
    assert _history(fund)[-1] == "Undid: Rejected organisation."
    with pytest.raises(review.DecisionError, match="already undone"):
        review.undo(decision, user=editor)


def test_preferring_a_value_ranks_it_first_and_undo_restores_the_ranks(editor):
    maker = OrganisationFactory(name="Ostrova Labs")
    first, second = (
        MetricFactory(organisation=maker, label="investment", year=2020, unit="RUB", value=value)
        for value in (500_000_000, 450_000_000)
    )
    other_year = MetricFactory(
        organisation=maker, label="investment", year=2019, unit="RUB", value=1
    )

    review.prefer(second, user=editor)

    ranks = dict(Metric.objects.values_list("pk", "rank"))
    assert ranks == {first.pk: "normal", second.pk: "preferred", other_year.pk: "normal"}
    review.prefer(first, user=editor)
    assert Metric.objects.get(pk=second.pk).rank == "normal"

    review.undo(ReviewDecision.objects.order_by("-pk").first(), user=editor)

    ranks = dict(Metric.objects.values_list("pk", "rank"))
    assert (ranks[first.pk], ranks[second.pk]) == ("normal", "preferred")


def test_a_rejected_metric_cannot_be_preferred(editor):
    metric = MetricFactory(review_status=ReviewStatus.REJECTED)
    with pytest.raises(review.DecisionError, match="rejected"):
        review.prefer(metric, user=editor)


def test_undo_from_the_admin_asks_first_then_takes_the_decision_back(editor, client):
    metric = MetricFactory(article=ArticleFactory())
    review.review([metric], ReviewStatus.REJECTED, user=editor)
    decision = ReviewDecision.objects.get()
    client.force_login(editor)
    undo_url = reverse("admin:entities_reviewdecision_undo", args=[decision.pk])

    listing = client.get(reverse("admin:entities_reviewdecision_changelist")).content.decode()
    confirmation = client.get(undo_url)

    assert undo_url in listing
    assert (
        "Undoing gives the record the review state it had before." in confirmation.content.decode()
    )
    assert Metric.objects.get(pk=metric.pk).review_status == ReviewStatus.REJECTED
    response = client.post(undo_url, {"next": "https://elsewhere.example/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:entities_reviewdecision_changelist")
    assert Metric.objects.get(pk=metric.pk).review_status == ReviewStatus.UNREVIEWED


def test_an_editor_without_change_permission_cannot_undo(editor, client):
    metric = MetricFactory()
    review.review([metric], ReviewStatus.REJECTED, user=editor)
    viewer = get_user_model().objects.create_user("leo", password="a long password", is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_reviewdecision", "view_metric"])
    )
    client.force_login(viewer)

    response = client.post(
        reverse("admin:entities_reviewdecision_undo", args=[ReviewDecision.objects.get().pk])
    )

    assert response.status_code == 403
    assert Metric.objects.get(pk=metric.pk).review_status == ReviewStatus.REJECTED


def test_the_admin_actions_confirm_and_reject_in_bulk(editor, client):
    metrics = [MetricFactory() for _ in range(3)]
    client.force_login(editor)
    changelist = reverse("admin:entities_metric_changelist")

    client.post(
        changelist,
        {"action": "reject_records", "_selected_action": [m.pk for m in metrics[:2]]},
    )
    client.post(changelist, {"action": "confirm_records", "_selected_action": [metrics[2].pk]})

    states = dict(Metric.objects.values_list("pk", "review_status"))
    assert [states[m.pk] for m in metrics] == ["rejected", "rejected", "confirmed"]
    assert ReviewDecision.objects.count() == 3


def test_an_editor_confirms_through_the_api_as_a_decision(editor):
    person = Person.objects.create(name="Gleb Arkhipov")
    api = APIClient()
    api.force_authenticate(editor)

    response = api.patch(f"/api/people/{person.pk}/", {"review_status": "confirmed"}, format="json")
    refused = api.patch(f"/api/people/{person.pk}/", {"review_status": "unreviewed"}, format="json")

    assert response.status_code == 200
    assert response.json()["review_status"] == "confirmed"
    assert ReviewDecision.objects.get().action == "confirm"
    assert refused.status_code == 400


def test_a_record_an_editor_adds_is_confirmed(editor):
    api = APIClient()
    api.force_authenticate(editor)

    response = api.post("/api/organisations/", {"name": "Silverpine Institute"}, format="json")

    assert response.json()["review_status"] == "confirmed"


def test_a_rejected_subject_draws_no_bar_in_the_money_charts(editor, client):
    kept = OrganisationFactory(name="Ostrova Labs")
    rejected = OrganisationFactory(name="Quarterly Review Desk")
    for organisation in (kept, rejected):
        MetricFactory(organisation=organisation, unit="RUB", value=5_000_000, year=2020)
    review.review([rejected], ReviewStatus.REJECTED, user=editor)

    charts = client.get(reverse("entities:metric-list")).context["charts_by_subject"]

    labels = {bar.label for chart in charts for bar in chart.bars}
    assert labels == {"Ostrova Labs"}
