"""Natural keys and constraints of the entity models."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from articles.models import Article
from entities.models import Metric, Organisation, Person, Position, Program

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
    second = Program.objects.create(name="Pharma Talent-2040 ")
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
