"""/api/metrics/: fields, subject, visibility, filters and validated writes."""

import datetime
from decimal import Decimal

import pytest

from articles.models import Article
from entities.models import Metric, ReviewStatus
from tests.factories import ArticleFactory, MetricFactory, OrganisationFactory, ProgramFactory

pytestmark = pytest.mark.django_db

LIST = "/api/metrics/"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_metric_fields_with_organisation_subject(api):
    """A metric shows its number as a JSON number, its article in brief and its subject."""
    article = ArticleFactory(title="Investment grows", published_on=datetime.date(2015, 2, 1))
    acme = OrganisationFactory(name="Acme Pharma")
    metric = MetricFactory(
        article=article,
        organisation=acme,
        label="investment",
        value=Decimal("93300000"),
        unit="RUB",
        raw_text="RUR 93.3 Million",
        qualifier="over",
        year=2014,
        quote="Acme invested over RUR 93.3 Million.",
    )

    body = api.get(f"{LIST}{metric.pk}/").json()

    assert body["label"] == "investment"
    assert body["value"] == 93300000
    assert isinstance(body["value"], int | float)
    assert (body["unit"], body["raw_text"], body["qualifier"], body["year"]) == (
        "RUB",
        "RUR 93.3 Million",
        "over",
        2014,
    )
    assert body["quote"] == "Acme invested over RUR 93.3 Million."
    assert body["article"] == {"id": article.pk, "slug": article.slug, "title": "Investment grows"}
    assert body["subject"] == {
        "type": "organisation",
        "id": acme.pk,
        "slug": acme.slug,
        "name": "Acme Pharma",
    }
    assert body["url"] == f"http://testserver/articles/{article.slug}/#metric-{metric.pk}"


def test_metric_subject_is_a_program_or_null(api):
    """subject is {type: "program", ...} for a program metric and null when unknown."""
    program = ProgramFactory()
    about_program = MetricFactory(program=program)
    about_nothing = MetricFactory()

    assert api.get(f"{LIST}{about_program.pk}/").json()["subject"]["type"] == "program"
    assert api.get(f"{LIST}{about_nothing.pk}/").json()["subject"] is None


def test_rejected_metrics_and_those_of_hidden_articles_are_for_editors(api, editor_api):
    """Anonymous clients see neither rejected metrics nor metrics of hidden articles.

    Editors see those of hidden articles; rejected ones leave their default
    list too and come back when asked for with ``review_status``.
    """
    shown = MetricFactory()
    rejected = MetricFactory(review_status=ReviewStatus.REJECTED)
    in_hidden = MetricFactory(article=ArticleFactory(status=Article.Status.HIDDEN))

    assert ids(api.get(LIST)) == [shown.pk]
    assert ids(api.get(LIST, {"review_status": "rejected"})) == []
    assert api.get(f"{LIST}{rejected.pk}/").status_code == 404
    assert set(ids(editor_api.get(LIST))) == {shown.pk, in_hidden.pk}
    assert ids(editor_api.get(LIST, {"review_status": "rejected"})) == [rejected.pk]
    assert editor_api.get(f"{LIST}{rejected.pk}/").json()["review_status"] == "rejected"


def test_metric_filters(api):
    """unit (any case), year and value ranges, article, organisation and program filters."""
    acme = OrganisationFactory()
    program = ProgramFactory()
    article = ArticleFactory()
    small = MetricFactory(unit="RUB", value=Decimal("1000"), year=2013, organisation=acme)
    large = MetricFactory(unit="RUB", value=Decimal("5000000"), year=2016, article=article)
    euros = MetricFactory(unit="EUR", value=Decimal("20000"), year=2015, program=program)

    assert set(ids(api.get(LIST, {"unit": "rub"}))) == {small.pk, large.pk}
    assert set(ids(api.get(LIST, {"year_min": 2014, "year_max": 2016}))) == {large.pk, euros.pk}
    assert set(ids(api.get(LIST, {"value_min": "1000", "value_max": "20000"}))) == {
        small.pk,
        euros.pk,
    }
    assert ids(api.get(LIST, {"article": article.pk})) == [large.pk]
    assert ids(api.get(LIST, {"organisation": acme.slug})) == [small.pk]
    assert ids(api.get(LIST, {"organisation_id": acme.pk})) == [small.pk]
    assert ids(api.get(LIST, {"program": program.slug})) == [euros.pk]
    assert ids(api.get(LIST, {"program_id": program.pk})) == [euros.pk]
    assert ids(api.get(LIST, {"ordering": "-value"})) == [large.pk, euros.pk, small.pk]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("year_min", "twenty"),
        ("year_max", "1e9"),
        ("value_min", "NaN"),
        ("value_max", "1e400"),
        ("article", "0"),
        ("qualifier", "roughly"),
    ],
)
def test_malformed_metric_filters_answer_400(api, parameter, value):
    """Malformed metric filter values are 400s naming the parameter."""
    response = api.get(LIST, {parameter: value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]


def _payload(article, **changes):
    payload = {
        "label": "jobs",
        "value": 250,
        "unit": "jobs",
        "raw_text": "250 jobs",
        "qualifier": "about",
        "year": 2016,
        "quote": "The plant created about 250 jobs.",
        "article_id": article.pk,
    }
    payload.update(changes)
    return payload


def test_editor_creates_a_metric_about_an_organisation(editor_api):
    """POST with article_id and organisation_id creates a curated metric read back in full."""
    article = ArticleFactory(body="The plant created about 250 jobs.")
    acme = OrganisationFactory()

    response = editor_api.post(
        LIST,
        _payload(article, organisation_id=acme.pk, start=24, end=32),
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["article"]["id"] == article.pk
    assert body["subject"]["id"] == acme.pk
    assert body["value"] == 250
    assert Metric.objects.get().curated


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"value": "a lot"}, "value"),
        ({"value": "1.1234567"}, "value"),
        ({"qualifier": "roughly"}, "qualifier"),
        ({"article_id": 999999}, "article_id"),
        ({"article_id": 99999999999999999999999}, "article_id"),
        ({"year": -1}, "year"),
        ({"start": 10}, "end"),
        ({"start": 10, "end": 5}, "end"),
        ({"start": 0, "end": 5000}, "end"),
    ],
)
def test_metric_validation_names_the_field(editor_api, changes, field):
    """Invalid metric fields answer 400 with that field's errors and write nothing."""
    article = ArticleFactory(body="The plant created about 250 jobs.")
    response = editor_api.post(LIST, _payload(article, **changes), format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Metric.objects.exists()


def test_a_metric_has_one_subject_at_most(editor_api):
    """Naming both an organisation and a program is refused."""
    article = ArticleFactory()
    response = editor_api.post(
        LIST,
        _payload(article, organisation_id=OrganisationFactory().pk, program_id=ProgramFactory().pk),
        format="json",
    )
    assert response.status_code == 400
    assert "program_id" in response.json()["errors"]


def test_the_same_title_figure_twice_is_a_400_not_a_crash(editor_api):
    """Two metrics of one article with the same text and no offsets break a constraint: 400."""
    article = ArticleFactory()
    assert editor_api.post(LIST, _payload(article), format="json").status_code == 201

    response = editor_api.post(LIST, _payload(article), format="json")

    assert response.status_code == 400
    assert response.json()["errors"]
    assert Metric.objects.count() == 1


def test_editor_rejects_a_metric(api, editor_api):
    """PATCH review_status=rejected hides the metric from anonymous clients."""
    metric = MetricFactory()
    response = editor_api.patch(f"{LIST}{metric.pk}/", {"review_status": "rejected"}, format="json")
    assert response.status_code == 200
    assert ids(api.get(LIST)) == []
