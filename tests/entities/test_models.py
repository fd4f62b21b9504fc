"""Natural keys and constraints of the entity models."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from articles.models import Article
from entities.models import Metric, Organisation, Person, Position, Program, ReviewStatus
from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
)

pytestmark = pytest.mark.django_db


def make_article(**kwargs):
    defaults = {
        "title": "Cluster news",
        "slug": "cluster-news",
        "source_file": "cluster-news.txt",
        "body": "Body.",
        "content_hash": "0" * 64,
    }
    return Article.objects.create(**{**defaults, **kwargs})


def test_organisation_spellings_that_normalise_alike_cannot_both_exist():
    """Quotes, legal forms, case and "the" do not make a second organisation."""
    Organisation.objects.create(name="Northwind Pharma LLC")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name='the "NORTHWIND PHARMA"')


def test_centre_and_center_are_one_organisation():
    Organisation.objects.create(name="Regional Training Centre")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="Regional Training Center")


def test_slug_is_filled_from_name_and_kept_unique():
    first = Program.objects.create(name="Pharma Talent 2040")
    second = Program.objects.create(name="Pharma+ Talent 2040")  # another name, the same slug
    assert first.slug == "pharma-talent-2040"
    assert second.slug == "pharma-talent-2040-2"


def test_person_names_are_unique():
    Person.objects.create(name="Olga Petrova")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(name="OLGA PETROVA")


def test_position_cannot_repeat_even_without_organisation():
    """NULL organisations must not let the same title be stored twice."""
    person = Person.objects.create(name="Olga Petrova")
    Position.objects.create(person=person, title="Chief Analyst")
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(person=person, title="chief analyst")


def test_same_title_at_two_organisations_is_two_positions():
    person = Person.objects.create(name="Olga Petrova")
    one = Organisation.objects.create(name="Northwind Pharma")
    two = Organisation.objects.create(name="Southwind Labs")
    Position.objects.create(person=person, title="Director", organisation=one)
    Position.objects.create(person=person, title="Director", organisation=two)
    assert person.positions.count() == 2


def test_metric_at_same_place_in_article_cannot_be_stored_twice():
    article = make_article()
    fields = {
        "article": article,
        "label": "investment",
        "value": Decimal("1000000"),
        "unit": "RUB",
        "raw_text": "RUB 1 million",
        "quote": "It invested RUB 1 million.",
        "start": 12,
        "end": 25,
    }
    Metric.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Metric.objects.create(**fields)


# --- counts the overview and the facets show ----------------------------------------------


def test_most_mentioned_counts_published_articles_and_breaks_ties_by_name():
    """Most mentioned first; a tie at the cut goes to the name first in order, whatever
    the database returns first; hidden articles and other records do not count."""
    articles = ArticleFactory.create_batch(3)
    hidden = ArticleFactory(status=Article.Status.HIDDEN)
    zeta, alpha, beta, lone = (
        OrganisationFactory(name=name) for name in ("Zeta Labs", "Alpha Labs", "Beta Labs", "Lone")
    )
    for article in articles:
        OrganisationMentionFactory(article=article, organisation=zeta)
    for organisation in (beta, alpha):  # beta first: the tie must still go to alpha
        for article in articles[:2]:
            OrganisationMentionFactory(article=article, organisation=organisation)
    OrganisationMentionFactory(article=hidden, organisation=lone)
    OrganisationMentionFactory(article=hidden, organisation=beta)

    top = Organisation.objects.most_mentioned_in(Article.objects.published(), 2)

    assert [(o.name, o.article_count) for o in top] == [("Zeta Labs", 3), ("Alpha Labs", 2)]
    narrowed = Organisation.objects.exclude(pk=zeta.pk).most_mentioned_in(
        Article.objects.filter(pk=articles[0].pk), 5
    )
    assert [(o.name, o.article_count) for o in narrowed] == [("Alpha Labs", 1), ("Beta Labs", 1)]
    assert Organisation.objects.most_mentioned_in(Article.objects.none(), 5) == []


def test_visible_metric_count_leaves_out_rejected_ones_and_unpublished_articles():
    """The overview's metric count equals the metrics visitors can see."""
    shown = make_article()
    hidden = make_article(
        slug="hidden", source_file="hidden.txt", content_hash="1" * 64, status="hidden"
    )
    MetricFactory.create_batch(3, article=shown)
    MetricFactory(article=shown, review_status=ReviewStatus.REJECTED)
    MetricFactory.create_batch(2, article=hidden)

    assert Metric.objects.count_visible() == Metric.objects.visible().count() == 3
