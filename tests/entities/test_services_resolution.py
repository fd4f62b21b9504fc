"""One real body, one record across articles: what the import links to records it already has."""

import pytest

from articles.persistence import extraction_persist
from entities.extraction import extract
from entities.models import Organisation, Person
from entities.services import ImportIndex
from tests.entities.test_services import make_article

pytestmark = pytest.mark.django_db


def import_text(name: str, text: str, index: ImportIndex) -> None:
    """Extract ``text`` and persist it as article ``name``, as the import does."""
    article = make_article(name, body=text)
    extraction_persist(article=article, extraction=extract(text), index=index, replace=False)
    index.commit()


@pytest.fixture
def index():
    return ImportIndex()


def test_an_acronym_in_a_later_article_links_to_its_expansion(index):
    """ "the ARPM" alone, one article after its full name: the same association."""
    import_text("a", "The Association of Russian Pharmaceutical Makers met in Tula.", index)
    import_text("b", "Zentova is one of the members of the ARPM since May.", index)
    association = Organisation.objects.get(name="Association of Russian Pharmaceutical Makers")
    assert "ARPM" in association.aliases
    assert not Organisation.objects.filter(name="ARPM").exists()
    assert association.mentions.count() == 2


def test_initials_in_a_later_article_link_to_the_one_person_of_that_name(index):
    """ "I. Sorokin" after "Ivan Sorokin" is him."""
    import_text("a", "Ivan Sorokin, CEO of Orvel LLC, opened the plant.", index)
    import_text("b", "The plan was approved, I. Sorokin said.", index)
    assert list(Person.objects.values_list("name", flat=True)) == ["Ivan Sorokin"]
    assert "I. Sorokin" in Person.objects.get().aliases


def test_initials_shared_by_two_people_stay_apart(index):
    """With an Ivan and an Igor Sorokin known, "I. Sorokin" could be either: its own record."""
    import_text("a", "Ivan Sorokin, CEO of Orvel LLC, opened the plant.", index)
    import_text("b", "Igor Sorokin, CEO of Lumo LLC, agreed.", index)
    import_text("c", "The deal was signed, I. Sorokin said.", index)
    assert Person.objects.filter(name="I. Sorokin").exists()
    assert Person.objects.count() == 3


def test_one_company_romanised_two_ways_is_one_record(index):
    """ "Pharm-Vostok" and "Pharmavostok" in two articles: one company, both spellings."""
    import_text("a", "Pharm-Vostok opened a plant in Tula. Pharm-Vostok employs 300 people.", index)
    import_text("b", "Pharmavostok will build a second plant near Tula.", index)
    company = Organisation.objects.get()
    assert {company.name, *company.aliases} >= {"Pharm-Vostok", "Pharmavostok"}
    assert company.mentions.count() == 2


def test_the_same_state_body_written_with_and_without_the_country(index):
    """ "the Russian Ministry of Health" and "the Ministry of Health of the Russian Federation"."""
    import_text("a", "The Russian Ministry of Health approved the drug.", index)
    import_text("b", "The Ministry of Health of the Russian Federation issued a licence.", index)
    assert Organisation.objects.count() == 1
