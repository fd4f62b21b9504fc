"""Constraints of articles and mentions."""

import pytest
from django.db import IntegrityError, transaction

from articles.models import Article, OrganisationMention
from entities.models import Organisation

pytestmark = pytest.mark.django_db


def make_article(name="a"):
    return Article.objects.create(
        title=f"Article {name}",
        slug=f"article-{name}",
        source_file=f"{name}.txt",
        body="Northwind Pharma opened a plant.",
        content_hash="0" * 64,
    )


def test_one_article_per_source_file():
    make_article("a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            title="Other", slug="other", source_file="a.txt", body="x", content_hash="1" * 64
        )


def test_an_article_mentions_an_organisation_once():
    article = make_article()
    organisation = Organisation.objects.create(name="Northwind Pharma")
    OrganisationMention.objects.create(article=article, organisation=organisation, spans=[[0, 16]])
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationMention.objects.create(article=article, organisation=organisation)


def test_articles_without_date_sort_last():
    undated = make_article("undated")
    dated = make_article("dated")
    dated.published_on = "2020-05-01"
    dated.save()
    assert list(Article.objects.all()) == [dated, undated]
