"""/api/suggest/?q=: the search box's suggestions, names first, then article titles."""

import pytest
from django.db import connection

from articles.models import Article
from entities.models import ReviewStatus
from tests.factories import (
    ArticleFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
    PersonFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/suggest/"


def suggest(api, q: str, **params) -> list[dict]:
    """The suggestions for ``q``."""
    response = api.get(URL, {"q": q, **params})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["query"] == q
    return body["results"]


def test_names_come_first_then_articles_with_their_pages(api):
    """A record named like the text, then the articles whose titles hold it, each with its page."""
    vertex = OrganisationFactory(name="Vertex Pharmaceuticals")
    article = ArticleFactory(
        title="Vertex opens a plant in Kaluga", slug="vertex-plant", source="Kaluga News"
    )
    results = suggest(api, "Vertex")
    assert results[0] == {
        "type": "organisation",
        "id": vertex.pk,
        "name": "Vertex Pharmaceuticals",
        "kind": "company",
        "description": "Organisation · Company",
        "url": "http://testserver/organisations/vertex-pharmaceuticals/",
    }
    assert results[-1] == {
        "type": "article",
        "id": article.pk,
        "title": "Vertex opens a plant in Kaluga",
        "description": f"{article.published_on.day} {article.published_on:%B %Y} · Kaluga News",
        "url": "http://testserver/articles/vertex-plant/",
    }


def test_a_misspelt_name_is_suggested_with_the_articles_about_it(api):
    """A misspelt name ("Vertx Pharma") finds the company and the titles with its real name."""
    vertex = OrganisationFactory(name="Vertex Pharmaceuticals")
    article = ArticleFactory(title="Vertex Pharmaceuticals expands")
    results = suggest(api, "Vertx Pharmaceuticals")
    assert [(r["type"], r["id"]) for r in results] == [
        ("organisation", vertex.pk),
        ("article", article.pk),
    ]


def test_every_word_typed_counts(api):
    """ "kaluga pharma" suggests the Kaluga Pharmaceutical Cluster, not every name with Kaluga."""
    cluster = OrganisationFactory(name="Kaluga Pharmaceutical Cluster")
    OrganisationFactory(name="Kaluga SEZ")
    assert [r["id"] for r in suggest(api, "kaluga pharma")] == [cluster.pk]
    assert len(suggest(api, "kaluga")) == 2


def test_a_name_that_only_shares_letters_is_not_suggested(api):
    """ "trainin" suggests the training centre, not "Menarini" (an anagram-like look-alike)."""
    centre = OrganisationFactory(name="Practical Training Center")
    OrganisationFactory(name="Menarini")
    assert [r["id"] for r in suggest(api, "trainin")] == [centre.pk]


def test_people_and_programs_are_suggested_too(api):
    """All three kinds of named record, with their kinds (people have none)."""
    person = PersonFactory(name="Marina Orlova")
    program = ProgramFactory(name="Marina Training Program", kind="education")
    results = {(r["type"], r["id"]): r for r in suggest(api, "Marina")}
    assert results[("person", person.pk)]["kind"] is None
    assert results[("person", person.pk)]["description"] == "Person"
    assert results[("program", program.pk)]["kind"] == "education"


def test_the_last_word_is_a_prefix_of_titles(api):
    """A word being typed ("vacc") finds "Vaccine plant opens"."""
    article = ArticleFactory(title="Vaccine plant opens")
    ArticleFactory(title="Budget adopted")
    assert [r["id"] for r in suggest(api, "plant vacc")] == [article.pk]


def test_rejected_records_and_hidden_articles_never_show(api):
    """Visitors never see what editors rejected or hid, suggestions included."""
    OrganisationFactory(name="Vertex", review_status=ReviewStatus.REJECTED)
    ArticleFactory(title="Vertex news", status=Article.Status.HIDDEN)
    assert suggest(api, "Vertex") == []


def test_suggestions_are_bounded(api):
    """At most six names, and ``limit`` suggestions in all (ten by default)."""
    for n in range(8):
        OrganisationFactory(name=f"Kerva Labs {n}")
        ArticleFactory(title=f"Kerva news {n}")
    results = suggest(api, "Kerva")
    assert len(results) == 10
    assert [r["type"] for r in results] == ["organisation"] * 6 + ["article"] * 4
    assert len(suggest(api, "Kerva", limit=3)) == 3


def test_a_letter_or_nothing_suggests_nothing(api):
    """Fewer than two letters: no suggestions (and no database work for names)."""
    OrganisationFactory(name="V")
    assert suggest(api, "") == []
    assert suggest(api, "V") == []


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"q": "x", "page": "2"}, "page"),
        ({}, "q"),
        ({"q": "x", "limit": "0"}, "limit"),
        ({"q": "x", "limit": "21"}, "limit"),
        ({"q": "x" * 201}, "q"),
        ({"q": "a\x07b"}, "q"),
    ],
)
def test_bad_parameters_answer_400_naming_them(api, params, name):
    """Unknown, missing or malformed parameters are refused, as everywhere in the API."""
    response = api.get(URL, params)
    assert response.status_code == 400
    assert name in response.json()["errors"]


def test_query_count_does_not_grow_with_the_suggestions(api, django_assert_num_queries):
    """Index lookup, one read per kind of record found, the titles: never a query per row."""
    for n in range(6):
        organisation = OrganisationFactory(name=f"Kerva Labs {n}")
        PersonFactory(name=f"Kerva Labsky {n}")
        OrganisationMentionFactory(
            organisation=organisation, article=ArticleFactory(title=f"Kerva Labs {n} grows")
        )
    # SQLite: vocabulary, lookups; PostgreSQL: savepoint, setting, lookups, release.
    lookups = 2 if connection.vendor == "sqlite" else 4
    with django_assert_num_queries(lookups + 2 + 1):
        results = suggest(api, "Kerva Labs")
    assert len(results) == 10
    with django_assert_num_queries(lookups + 2 + 1):
        assert len(suggest(api, "Kerva Labs", limit=20)) == 12
