"""End to end: import_seeds over the project's seeds/ with the real extractor."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from articles.models import Article, OrganisationMention, PersonMention, ProgramMention
from entities.models import Metric, Organisation, Person, Position, Program, ReviewStatus
from entities.services import editor_delete, entity_merge

pytestmark = pytest.mark.django_db

MODELS = (
    Article,
    Organisation,
    Person,
    Program,
    Position,
    Metric,
    OrganisationMention,
    PersonMention,
    ProgramMention,
)


@pytest.fixture
def imported():
    """The seeds imported once with the default arguments; returns the command output."""
    out = io.StringIO()
    call_command("import_seeds", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_all_seed_articles_are_imported_with_their_metadata(imported):
    """Five articles with the expected titles, dates and source."""
    assert "Files: 5 seen, 5 imported (5 new, 0 updated), 0 unchanged" in imported
    assert Article.objects.count() == 5
    certificate = Article.objects.get(source_file="002_1401bd85a300f2a3.txt")
    assert certificate.published_on == datetime.date(2017, 11, 23)
    assert certificate.source == "GMP News"
    budget = Article.objects.get(source_file="000_6ca88d543ff3bb46.txt")
    assert budget.published_on == datetime.date(2014, 2, 4)
    assert budget.slug.startswith("federal-budget-to-allocate-rur-933-million")
    assert Article.objects.get(source_file="003_2019d5053687c1d4.txt").published_on is None


def test_seed_entities_are_extracted_and_linked(imported):
    """A few records of every kind, linked to the article that states them."""
    calibrix = Organisation.objects.get(name="Calibrix Rus LLC")
    assert calibrix.kind == Organisation.Kind.COMPANY
    assert calibrix.articles.get().source_file.startswith("000_")

    novikova = Person.objects.get(name="Irina Novikova")
    position = novikova.positions.get(title="Executive Director")
    assert "Kaluga Pharmaceutical Cluster" in position.organisation.name

    pharma_2020 = Program.objects.get(name="Pharma-2020")
    assert pharma_2020.kind == Program.Kind.FEDERAL
    assert pharma_2020.articles.get().source_file.startswith("003_")

    budget = Metric.objects.get(raw_text="RUR 93.3 Million")
    assert (budget.value, budget.unit) == (Decimal("93300000"), "RUB")
    assert budget.article.source_file.startswith("000_")


def test_offsets_point_into_the_stored_body(imported):
    """Every mention span and metric offset addresses the article body as stored."""
    for mention in [
        *OrganisationMention.objects.select_related("article"),
        *PersonMention.objects.select_related("article"),
        *ProgramMention.objects.select_related("article"),
    ]:
        for start, end in mention.spans:
            assert 0 <= start < end <= len(mention.article.body)
    for metric in Metric.objects.select_related("article").exclude(start=None):
        assert metric.article.body[metric.start : metric.end] == metric.raw_text


def test_importing_the_seeds_again_changes_nothing(imported):
    """A second run reports five unchanged files and leaves every table as it was."""
    before = {model.__name__: model.objects.count() for model in MODELS}
    out = io.StringIO()
    call_command("import_seeds", stdout=out, stderr=io.StringIO())
    assert "0 imported (0 new, 0 updated), 5 unchanged, 0 skipped, 0 failed." in out.getvalue()
    assert {model.__name__: model.objects.count() for model in MODELS} == before


def test_editors_decisions_survive_a_forced_re_import(imported):
    """Deleted people, rejected metrics and merged organisations stay as editors left them."""
    editor_delete(instance=Person.objects.get(name="Vladimir Popov"))
    rejected = Metric.objects.get(raw_text="RUR 93.3 Million")
    rejected.review_status = ReviewStatus.REJECTED
    rejected.curated = True
    rejected.save()
    # The import keeps these apart; an editor decides they are one training centre.
    keep = Organisation.objects.get(
        name="Training Center for Specialists of the Pharmaceutical Industry"
    )
    duplicate = Organisation.objects.get(name="Practical Training Center")
    entity_merge(keep=keep, others=[duplicate])
    renamed = Organisation.objects.get(name="Hemofarm")
    mentioned_in = set(renamed.mentions.values_list("article_id", flat=True))
    renamed.name = "Hemofarm (Kaluga plant)"
    renamed.aliases = [*renamed.aliases, "Hemofarm"]
    renamed.curated = True
    renamed.save()

    call_command("import_seeds", "--force", stdout=io.StringIO(), stderr=io.StringIO())

    assert not Person.objects.filter(name="Vladimir Popov").exists()
    assert list(Metric.objects.filter(raw_text="RUR 93.3 Million")) == [rejected]
    assert Metric.objects.get(pk=rejected.pk).review_status == ReviewStatus.REJECTED
    assert not Organisation.objects.filter(name="Practical Training Center").exists()
    assert keep.mentions.filter(article__source_file__startswith="003_").exists()
    assert not Organisation.objects.filter(name="Hemofarm").exists()
    renamed.refresh_from_db()
    assert renamed.name == "Hemofarm (Kaluga plant)"
    assert set(renamed.mentions.values_list("article_id", flat=True)) == mentioned_in
