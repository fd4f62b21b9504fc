"""API details carry the record's evidence: article, sentence, offsets, highlights, url."""

import pytest

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
    PersonFactory,
    PersonMentionFactory,
    ProgramFactory,
    ProgramMentionFactory,
)

pytestmark = pytest.mark.django_db

BODY = "Bulletin.\nThe board of Copperline Vaccines met in May. Nothing else happened."
SENTENCE = "The board of Copperline Vaccines met in May."


def mention(record, mention_factory, field, *, name="Copperline Vaccines", **article):
    article = ArticleFactory(body=BODY.replace("Copperline Vaccines", name), **article)
    start = article.body.index(name)
    mention_factory(article=article, spans=[[start, start + len(name)]], **{field: record})
    return article


@pytest.mark.parametrize(
    ("endpoint", "factory", "mention_factory", "field"),
    [
        ("/api/organisations/", OrganisationFactory, OrganisationMentionFactory, "organisation"),
        ("/api/people/", PersonFactory, PersonMentionFactory, "person"),
        ("/api/programs/", ProgramFactory, ProgramMentionFactory, "program"),
    ],
)
def test_a_named_record_detail_gives_its_sentences(api, endpoint, factory, mention_factory, field):
    """The detail lists the sentence naming it, where it is, what to mark, and its address."""
    record = factory(name="Copperline Vaccines")
    article = mention(record, mention_factory, field)
    start = BODY.index(SENTENCE)

    body = api.get(f"{endpoint}{record.pk}/").json()

    assert body["evidence"] == [
        {
            "article": {"id": article.pk, "slug": article.slug, "title": article.title},
            "sentence": SENTENCE,
            "start": start,
            "end": start + len(SENTENCE),
            "highlights": [[13, 32]],
            "url": f"http://testserver/articles/{article.slug}/#s-{start}",
        }
    ]
    assert SENTENCE[13:32] == "Copperline Vaccines"


def test_lists_carry_no_evidence(api):
    """Lists stay as they were: no evidence field in any row."""
    record = OrganisationFactory(name="Copperline Vaccines")
    mention(record, OrganisationMentionFactory, "organisation")

    for endpoint in ("/api/organisations/", "/api/people/", "/api/programs/", "/api/metrics/"):
        MetricFactory()
        rows = api.get(endpoint).json()["results"]
        assert all("evidence" not in row for row in rows)


def test_a_metric_detail_gives_the_sentence_of_its_figure(api):
    """A metric's evidence is its sentence with the figure marked."""
    body = "Bulletin.\nCopperline Vaccines raised EUR 3 million last year."
    start = body.index("EUR 3 million")
    metric = MetricFactory(
        article=ArticleFactory(body=body),
        raw_text="EUR 3 million",
        unit="EUR",
        quote="Copperline Vaccines raised EUR 3 million last year.",
        start=start,
        end=start + len("EUR 3 million"),
    )

    (evidence,) = api.get(f"/api/metrics/{metric.pk}/").json()["evidence"]

    sentence_start = body.index("Copperline")
    assert evidence["sentence"] == "Copperline Vaccines raised EUR 3 million last year."
    assert evidence["start"] == sentence_start
    assert evidence["highlights"] == [[start - sentence_start, start - sentence_start + 13]]


def test_a_title_figure_has_the_title_and_no_offsets(api):
    """A figure stated in the title: the title is the sentence; no offsets, no anchor."""
    article = ArticleFactory(title="Copperline gets USD 2 million", body="Text.")
    metric = MetricFactory(
        article=article, raw_text="USD 2 million", quote=article.title, start=None, end=None
    )

    (evidence,) = api.get(f"/api/metrics/{metric.pk}/").json()["evidence"]

    assert evidence["sentence"] == article.title
    assert evidence["start"] is None and evidence["end"] is None
    assert evidence["highlights"] == [[16, 29]]
    assert evidence["url"] == f"http://testserver/articles/{article.slug}/"


def test_visitors_get_no_evidence_from_hidden_articles(api, editor_api):
    """An article hidden from visitors is quoted to editors only."""
    record = OrganisationFactory(name="Copperline Vaccines")
    mention(record, OrganisationMentionFactory, "organisation", status=Article.Status.HIDDEN)

    assert api.get(f"/api/organisations/{record.pk}/").json()["evidence"] == []
    assert len(editor_api.get(f"/api/organisations/{record.pk}/").json()["evidence"]) == 1


def test_detail_queries_do_not_grow_with_mentions(api, django_assert_num_queries):
    """One mentioning article or thirty: the record, then its evidence (two queries)."""
    few = OrganisationFactory(name="Copperline Vaccines")
    many = OrganisationFactory(name="Copperline Labs")
    mention(few, OrganisationMentionFactory, "organisation")
    for _ in range(30):
        mention(many, OrganisationMentionFactory, "organisation", name="Copperline Labs")
    api.get(f"/api/organisations/{few.pk}/")

    with django_assert_num_queries(2):
        api.get(f"/api/organisations/{few.pk}/")
    with django_assert_num_queries(2):
        response = api.get(f"/api/organisations/{many.pk}/")
    assert len(response.json()["evidence"]) == 10


def test_the_schema_documents_evidence(api):
    """The OpenAPI document describes the evidence of each detail response."""
    schema = api.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]

    for name in ("OrganisationDetail", "PersonDetail", "ProgramDetail", "MetricDetail"):
        evidence = components[name]["properties"]["evidence"]
        assert evidence["readOnly"] is True
        assert evidence["items"]["$ref"] == "#/components/schemas/Evidence"
    assert set(components["Evidence"]["properties"]) == {
        "article",
        "sentence",
        "start",
        "end",
        "highlights",
        "url",
    }
    detail = schema["paths"]["/api/organisations/{id}/"]["get"]["responses"]["200"]
    # The full record, or the fields ?fields= or ?brief=1 asked for (kaluga_cluster.api_fields).
    full, _selection = detail["content"]["application/json"]["schema"]["anyOf"]
    assert full["$ref"].endswith("OrganisationDetail")
