"""/api/articles/: contract fields, visibility, ranked search, filters, ordering, writes."""

import datetime
import hashlib

import pytest

from articles.models import Article
from entities.models import Metric, ReviewStatus
from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
    PersonMentionFactory,
    ProgramMentionFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/api/articles/"


def detail(article) -> str:
    return f"/api/articles/{article.pk}/"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


# --- reading --------------------------------------------------------------------------------


def test_article_detail_has_the_contract_fields_and_what_it_mentions(api):
    """An article carries its text, its site address, and the entities and metrics it names."""
    article = ArticleFactory(
        title="Acme opens a plant", body="Acme Pharma opened a plant.", source="Daily"
    )
    acme = OrganisationFactory(name="Acme Pharma")
    OrganisationMentionFactory(article=article, organisation=acme, spans=[[0, 11]])
    person = PersonMentionFactory(article=article, spans=[[20, 25]]).person
    program = ProgramMentionFactory(article=article).program
    metric = MetricFactory(article=article, value="93300000", unit="RUB", year=2015)

    body = api.get(detail(article)).json()

    assert body["id"] == article.pk
    assert body["slug"] == article.slug
    assert body["title"] == "Acme opens a plant"
    assert body["published_on"] == article.published_on.isoformat()
    assert body["source"] == "Daily"
    assert body["source_file"] == article.source_file
    assert body["body"] == "Acme Pharma opened a plant."
    assert body["url"] == f"http://testserver/articles/{article.slug}/"
    assert body["organisations"] == [
        {"id": acme.pk, "slug": acme.slug, "name": "Acme Pharma", "spans": [[0, 11]]}
    ]
    assert body["people"] == [
        {"id": person.pk, "slug": person.slug, "name": person.name, "spans": [[20, 25]]}
    ]
    assert body["programs"] == [
        {"id": program.pk, "slug": program.slug, "name": program.name, "spans": []}
    ]
    assert body["metrics"] == [
        {
            "id": metric.pk,
            "label": "investment",
            "value": 93300000,
            "unit": "RUB",
            "raw_text": metric.raw_text,
            "qualifier": "exactly",
            "year": 2015,
        }
    ]
    assert body["search_rank"] is None
    assert body["search_headline"] is None


def test_list_rows_equal_the_detail_of_each_article(api):
    """The list serializes mentions and metrics its own way; the rows must not differ."""
    for number in range(3):
        article = ArticleFactory(title=f"Plant {number}", slug=f"завод-{number}")
        for _ in range(2):
            OrganisationMentionFactory(article=article, spans=[[0, 5], [9, 12]])
        PersonMentionFactory(article=article)
        ProgramMentionFactory(article=article)
        MetricFactory.create_batch(2, article=article)
    MetricFactory(article=article, review_status=ReviewStatus.REJECTED)
    ArticleFactory(title="Alone")  # nothing mentioned

    rows = api.get(LIST).json()["results"]
    searched = api.get(LIST, {"search": "plant"}).json()["results"]

    assert len(rows) == 4
    for row in rows:
        assert row == api.get(detail(Article.objects.get(pk=row["id"]))).json()
    assert {row["id"] for row in searched} == {row["id"] for row in rows if row["organisations"]}
    for row in searched:
        plain = api.get(detail(Article.objects.get(pk=row["id"]))).json()
        assert isinstance(row.pop("search_rank"), float)
        assert isinstance(row.pop("search_headline"), str)
        assert row == {
            k: v for k, v in plain.items() if k not in ("search_rank", "search_headline")
        }


def test_list_is_paginated_newest_first_with_undated_last(api):
    """The list answers {count, count_exact, next, previous, results}, newest first,
    undated articles last."""
    undated = ArticleFactory(published_on=None)
    old = ArticleFactory(published_on=datetime.date(2015, 1, 1))
    new = ArticleFactory(published_on=datetime.date(2019, 1, 1))

    body = api.get(LIST).json()

    assert set(body) == {"count", "count_exact", "next", "previous", "results"}
    assert (body["count"], body["count_exact"]) == (3, True)
    assert [row["id"] for row in body["results"]] == [new.pk, old.pk, undated.pk]


def test_hidden_articles_are_invisible_to_anonymous_clients_but_not_to_editors(api, editor_api):
    """Anonymous clients neither list nor fetch hidden articles; editors see them."""
    shown = ArticleFactory()
    hidden = ArticleFactory(status=Article.Status.HIDDEN)

    assert ids(api.get(LIST)) == [shown.pk]
    assert api.get(detail(hidden)).status_code == 404
    assert set(ids(editor_api.get(LIST))) == {shown.pk, hidden.pk}
    assert editor_api.get(detail(hidden)).json()["status"] == "hidden"


def test_rejected_metrics_are_not_listed_with_their_article(api):
    """A metric an editor rejected does not appear among the article's metrics."""
    article = ArticleFactory()
    kept = MetricFactory(article=article)
    MetricFactory(article=article, review_status=ReviewStatus.REJECTED)

    assert [m["id"] for m in api.get(detail(article)).json()["metrics"]] == [kept.pk]


def test_unknown_article_id_answers_json_404(api):
    """A missing article is a 404 with a JSON detail message."""
    response = api.get("/api/articles/999999/")
    assert response.status_code == 404
    assert response.json()["detail"]


# --- search ---------------------------------------------------------------------------------


def test_search_ranks_title_matches_first_and_marks_the_snippet(api):
    """?search= finds stemmed words, ranks a title match above a body match, and highlights."""
    in_body = ArticleFactory(title="Regional news", body="The plant will export medicines.")
    in_title = ArticleFactory(title="Exports grow", body="The cluster exported more medicines.")
    ArticleFactory(title="Unrelated", body="A meeting about training.")

    results = api.get(LIST, {"search": "exports"}).json()["results"]

    assert [row["id"] for row in results] == [in_title.pk, in_body.pk]
    assert results[0]["search_rank"] > results[1]["search_rank"]
    assert "<mark>" in results[1]["search_headline"]


def test_search_headline_escapes_article_html(api):
    """Article text in the snippet is HTML-escaped; only <mark> is markup."""
    ArticleFactory(body="Investors <script>alert(1)</script> funded the plant.")

    headline = api.get(LIST, {"search": "plant"}).json()["results"][0]["search_headline"]

    assert "<mark>plant</mark>" in headline
    assert "<" not in headline.replace("<mark>", "").replace("</mark>", "")


def test_search_combines_with_filters_and_q_is_an_alias(api):
    """?q= searches like ?search=; a search narrowed by a filter keeps only matching articles."""
    acme = OrganisationFactory()
    both = ArticleFactory(body="The plant opened.")
    OrganisationMentionFactory(article=both, organisation=acme)
    ArticleFactory(body="The plant closed.")

    assert len(ids(api.get(LIST, {"q": "plant"}))) == 2
    assert ids(api.get(LIST, {"search": "plant", "organisation": acme.slug})) == [both.pk]


def test_search_wins_over_q_when_both_are_given(api):
    """With both spellings, ?search= is applied and ?q= is ignored."""
    plant = ArticleFactory(body="The plant opened.")
    ArticleFactory(body="Training began.")

    assert ids(api.get(LIST, {"search": "plant", "q": "training"})) == [plant.pk]


def test_search_pages_follow_one_ranking_with_snippets_on_every_page(api):
    """Page by page, search results come in the order of the whole ranking (rank, then
    newest), each with its rank and a marked snippet; ?ordering= still overrides it."""
    for number in range(12):
        ArticleFactory(
            title="Vaccine plant" if number % 4 == 0 else f"Regional news {number}",
            body="The vaccine plant grew. " * (1 + number % 3) + "Other news.",
            published_on=datetime.date(2020, 1, 1 + number),
        )
    ArticleFactory(body="Nothing about it.")
    ranked = list(Article.objects.published().search("vaccine"))

    pages = [api.get(LIST, {"search": "vaccine", "page_size": 5, "page": n}) for n in (1, 2, 3)]

    rows = [row for page in pages for row in page.json()["results"]]
    assert [row["id"] for row in rows] == [article.pk for article in ranked]
    assert [row["search_rank"] for row in rows] == [
        pytest.approx(article.search_rank) for article in ranked
    ]
    assert all("<mark>" in row["search_headline"] for row in rows)
    assert pages[0].json()["count"] == 12
    newest_first = api.get(LIST, {"search": "vaccine", "ordering": "-published_on"}).json()
    assert [row["published_on"] for row in newest_first["results"]] == sorted(
        (row["published_on"] for row in rows), reverse=True
    )


@pytest.mark.parametrize("text", ['"unbalanced', "AND OR NOT ( ) : ^", "-", "x" * 3000])
def test_odd_search_text_never_fails(api, text):
    """Hostile search text answers 200 (possibly with no results), never an error."""
    ArticleFactory(body="The plant opened.")
    assert api.get(LIST, {"search": text}).status_code == 200


# --- filters and ordering -------------------------------------------------------------------


def test_filter_by_mentioned_entity_slug_or_id(api):
    """organisation/person/program filter by slug, *_id by id; repeating a filter means any."""
    first, second, other = ArticleFactory.create_batch(3)
    acme = OrganisationMentionFactory(article=first).organisation
    beta = OrganisationMentionFactory(article=second).organisation
    person = PersonMentionFactory(article=second).person
    program = ProgramMentionFactory(article=other).program

    assert ids(api.get(LIST, {"organisation": acme.slug})) == [first.pk]
    assert ids(api.get(LIST, {"organisation_id": beta.pk})) == [second.pk]
    assert set(ids(api.get(f"{LIST}?organisation={acme.slug}&organisation={beta.slug}"))) == {
        first.pk,
        second.pk,
    }
    assert ids(api.get(LIST, {"person": person.slug})) == [second.pk]
    assert ids(api.get(LIST, {"person_id": person.pk})) == [second.pk]
    assert ids(api.get(LIST, {"program": program.slug})) == [other.pk]
    assert ids(api.get(LIST, {"program_id": program.pk})) == [other.pk]


def test_filter_by_publication_dates_and_year(api):
    """published_after/published_before bound the date (inclusive); year picks one year."""
    early = ArticleFactory(published_on=datetime.date(2014, 3, 1))
    middle = ArticleFactory(published_on=datetime.date(2016, 6, 15))
    late = ArticleFactory(published_on=datetime.date(2018, 12, 31))
    ArticleFactory(published_on=None)

    window = {"published_after": "2014-03-01", "published_before": "2016-06-15"}
    assert set(ids(api.get(LIST, window))) == {early.pk, middle.pk}
    assert ids(api.get(LIST, {"published_after": "2017-01-01"})) == [late.pk]
    assert ids(api.get(LIST, {"year": 2016})) == [middle.pk]


def test_ordering_by_title_and_by_date_ascending_keeps_undated_last(api):
    """?ordering=title sorts by title; ?ordering=published_on is oldest first, undated last."""
    b = ArticleFactory(title="Beta", published_on=datetime.date(2016, 1, 1))
    a = ArticleFactory(title="Alpha", published_on=None)
    c = ArticleFactory(title="Gamma", published_on=datetime.date(2015, 1, 1))

    assert ids(api.get(LIST, {"ordering": "title"})) == [a.pk, b.pk, c.pk]
    assert ids(api.get(LIST, {"ordering": "-title"})) == [c.pk, b.pk, a.pk]
    assert ids(api.get(LIST, {"ordering": "published_on"})) == [c.pk, b.pk, a.pk]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("organisation", "no-such-slug"),
        ("organisation_id", "abc"),
        ("organisation_id", "99999999999999999999999999"),
        ("organisation_id", "²"),
        ("person_id", "-3"),
        ("year", "2016.5"),
        ("year", "0"),
        ("year", "99999"),
        ("published_after", "2016-13-45"),
        ("published_before", "yesterday"),
        ("ordering", "body"),
    ],
)
def test_malformed_filter_values_answer_400_naming_the_parameter(api, parameter, value):
    """A value a filter cannot use is a 400 whose errors name that parameter, never a 500."""
    ArticleFactory()
    response = api.get(LIST, {parameter: value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]


# --- writes ---------------------------------------------------------------------------------


def test_editor_creates_an_article_marked_curated(editor_api):
    """An editor's POST creates the article as curated, hashed from its body."""
    payload = {
        "title": "A new plant",
        "slug": "a-new-plant",
        "source_file": "typed-in.txt",
        "body": "The plant opened in March.",
        "published_on": "2020-03-02",
    }

    response = editor_api.post(LIST, payload, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["url"] == "http://testserver/articles/a-new-plant/"
    article = Article.objects.get(slug="a-new-plant")
    assert article.curated
    assert article.content_hash == hashlib.sha256(b"The plant opened in March.").hexdigest()


def test_editor_update_marks_the_article_curated(editor_api):
    """A PATCH changes the field and protects the article from later imports."""
    article = ArticleFactory(curated=False)

    response = editor_api.patch(
        detail(article), {"title": "Corrected title", "status": "hidden"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["title"] == "Corrected title"
    article.refresh_from_db()
    assert (article.title, article.status, article.curated) == ("Corrected title", "hidden", True)


def test_article_validation_errors_name_the_fields(editor_api):
    """A bad article answers 400 with an error per field and writes nothing."""
    existing = ArticleFactory()

    response = editor_api.post(
        LIST,
        {"title": "", "slug": existing.slug, "source_file": existing.source_file, "body": "x"},
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Invalid input."
    assert {"title", "slug", "source_file"} <= set(body["errors"])
    assert Article.objects.count() == 1


def test_article_text_may_have_line_breaks_but_no_control_characters(editor_api):
    """The body keeps its paragraphs; a title with an invisible control code is refused."""
    payload = {"slug": "s", "source_file": "s.txt", "body": "One.\n\nTwo.\tEnd."}

    refused = editor_api.post(LIST, {**payload, "title": "Bad\x1btitle"}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["title"]

    accepted = editor_api.post(LIST, {**payload, "title": "Good title"}, format="json")
    assert accepted.status_code == 201
    assert accepted.json()["body"] == "One.\n\nTwo.\tEnd."


def test_editor_deletes_an_article(editor_api):
    """DELETE removes the article (and its metrics) and answers 204."""
    article = ArticleFactory()
    MetricFactory(article=article)

    assert editor_api.delete(detail(article)).status_code == 204
    assert not Article.objects.exists()
    assert not Metric.objects.exists()
