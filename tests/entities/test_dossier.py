"""Dossiers: every fact about an organisation, person or program with its citation,
as JSON, as CSV and as a printable page; what visitors may not see never shows."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from articles.models import Article
from entities.models import Metric, Program, ReviewStatus
from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
    PersonFactory,
    PersonMentionFactory,
    PositionFactory,
    ProgramFactory,
    ProgramMentionFactory,
)

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
BODY = (
    "Zentova opened a plant in Kaluga.\n\n"
    "Irina Novikova, Executive Director of Zentova, said the plant cost RUR 93.3 Million. "
    "The plant employs 200 people."
)


def dossier_url(record, suffix: str = "-json") -> str:
    """The address of a record's dossier: ``-json``, ``-csv`` or ``""`` (the page)."""
    name = record._meta.model_name
    return reverse(f"entities:{name}-dossier{suffix}", kwargs={"slug": record.slug})


def facts_of(client, record) -> list[dict]:
    response = client.get(dossier_url(record))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["facts"]


@pytest.fixture
def zentova():
    """An organisation named in an article, with an alias, a position held there and a figure."""
    article = ArticleFactory(
        title="Zentova opens a plant",
        slug="zentova-opens",
        body=BODY,
        published_on=datetime.date(2014, 3, 4),
        source="GMP News",
    )
    organisation = OrganisationFactory(name="Zentova", aliases=["Zentova LLC"])
    spans = [[match.start(), match.end()] for match in re.finditer("Zentova", BODY)]
    OrganisationMentionFactory(article=article, organisation=organisation, spans=spans)
    person = PersonFactory(name="Irina Novikova")
    PositionFactory(
        person=person,
        organisation=organisation,
        title="Executive Director",
        article=article,
        quote="Irina Novikova, Executive Director of Zentova",
    )
    raw = "RUR 93.3 Million"
    MetricFactory(
        article=article,
        organisation=organisation,
        raw_text=raw,
        start=BODY.index(raw),
        end=BODY.index(raw) + len(raw),
        quote="said the plant cost RUR 93.3 Million.",
        rank=Metric.Rank.PREFERRED,
    )
    return organisation


def sentence_start(text: str) -> int:
    """Where the body's sentence that starts with ``text`` begins."""
    return BODY.index(text)


def test_an_organisation_dossier_cites_every_fact(client, zentova):
    """Name, kind, position, figure and the article, each with title, date, source, the
    sentence and an absolute link to that sentence."""
    facts = facts_of(client, zentova)

    by_kind = {}
    for fact in facts:
        by_kind.setdefault(fact["fact"], []).append(fact)
    assert [f["value"] for f in by_kind["name"]] == ["Zentova"]
    assert [f["value"] for f in by_kind["kind"]] == ["Company"]
    assert by_kind["kind"][0]["citation"] is None  # classified, not stated by a sentence
    (position,) = by_kind["position"]
    assert position["value"] == "Irina Novikova, Executive Director"
    director = sentence_start("Irina Novikova")
    assert position["citation"] == {
        "article_title": "Zentova opens a plant",
        "published_on": "2014-03-04",
        "source": "GMP News",
        "quote": BODY[director:].split(" The plant employs")[0],
        "url": f"{HOST}/articles/zentova-opens/#s-{director}",
    }
    (metric,) = by_kind["metric"]
    assert metric["value"] == "investment: RUB 93.3 million (2014)"
    assert metric["rank"] == "preferred"
    assert metric["details"]["value"] == 93300000 and metric["details"]["unit"] == "RUB"
    assert metric["citation"]["url"].endswith(f"#s-{director}")
    (mention,) = by_kind["mention"]
    assert mention["value"] == "Zentova opens a plant"
    # Cited by the first sentence of the article that names it.
    assert mention["citation"]["quote"] == "Zentova opened a plant in Kaluga."
    assert mention["citation"]["url"] == f"{HOST}/articles/zentova-opens/#s-0"


def test_the_cited_sentence_is_anchored_on_the_article_page(client, zentova):
    """Each citation's link lands on an element of the article page holding the quote."""
    for fact in facts_of(client, zentova):
        citation = fact["citation"]
        if citation is None:
            continue
        path, anchor = citation["url"].removeprefix(HOST).split("#")
        page = client.get(path).content.decode()
        match = re.search(rf'<span class="sentence" id="{anchor}">(.*?)</span>', page, re.S)
        assert match, citation["url"]
        assert re.sub(r"<[^>]+>", "", match.group(1)) == citation["quote"]


def test_an_alias_is_cited_where_it_is_written_and_only_there(client):
    """An alias the quoted sentences write is cited; a merged name no sentence writes is not."""
    article = ArticleFactory(body="Zentova LLC opened a plant.")
    organisation = OrganisationFactory(name="Zentova", aliases=["Zentova LLC", "Old Name"])
    OrganisationMentionFactory(article=article, organisation=organisation, spans=[[0, 11]])

    aliases = {f["value"]: f["citation"] for f in facts_of(client, organisation)}
    assert aliases["Zentova LLC"]["quote"] == "Zentova LLC opened a plant."
    assert aliases["Old Name"] is None
    # The name is not written as such either: the newest sentence naming the record cites it.
    assert aliases["Zentova"]["quote"] == "Zentova LLC opened a plant."


def test_rejected_and_hidden_facts_never_appear(client, zentova):
    """A rejected position or figure, and what only a hidden article states, are left out."""
    hidden = ArticleFactory(title="Secret memo", status=Article.Status.HIDDEN)
    OrganisationMentionFactory(article=hidden, organisation=zentova, spans=[[0, 3]])
    PositionFactory(organisation=zentova, title="Hidden Role", article=hidden)
    PositionFactory(organisation=zentova, title="Wrong Role", review_status=ReviewStatus.REJECTED)
    MetricFactory(organisation=zentova, label="rejected figure", review_status="rejected")
    MetricFactory(organisation=zentova, label="hidden figure", article=hidden, start=0, end=3)
    PositionFactory(
        organisation=zentova, title="At a rejected person", person__review_status="rejected"
    )

    text = str(facts_of(client, zentova))

    for unseen in ("Secret memo", "Hidden Role", "Wrong Role", "rejected figure", "hidden"):
        assert unseen not in text
    assert "At a rejected person" not in text


def test_a_rejected_record_has_no_dossier(client):
    """All three forms answer 404, as the record's page does."""
    organisation = OrganisationFactory(review_status=ReviewStatus.REJECTED)
    for suffix in ("", "-json", "-csv"):
        assert client.get(dossier_url(organisation, suffix)).status_code == 404


def test_metric_ranks_are_shown_preferred_first(client):
    """Where sources differ, the preferred value comes first in its year; others say normal."""
    program = ProgramFactory(kind=Program.Kind.FEDERAL)
    MetricFactory(program=program, value=Decimal("1000"), rank=Metric.Rank.NORMAL)
    MetricFactory(program=program, value=Decimal("2000"), rank=Metric.Rank.PREFERRED)

    metrics = [f for f in facts_of(client, program) if f["fact"] == "metric"]

    assert [(m["details"]["value"], m["rank"]) for m in metrics] == [
        (2000, "preferred"),
        (1000, "normal"),
    ]


def test_a_person_dossier_lists_positions_and_a_figure_in_a_title(client):
    """A person's positions name the organisation; one without an article has no citation."""
    person = PersonFactory(name="Irina Novikova")
    article = ArticleFactory(body=BODY, slug="plant")
    start = BODY.index("Irina")
    PersonMentionFactory(article=article, person=person, spans=[[start, start + 14]])
    PositionFactory(
        person=person,
        title="Executive Director",
        organisation__name="Zentova",
        article=article,
        quote="Irina Novikova, Executive Director of Zentova",
    )
    PositionFactory(person=person, title="Chair", organisation=None, article=None)

    positions = {f["value"]: f for f in facts_of(client, person) if f["fact"] == "position"}

    assert positions["Executive Director, Zentova"]["citation"]["url"] == (
        f"{HOST}/articles/plant/#s-{start}"
    )
    assert positions["Executive Director, Zentova"]["details"]["organisation"]["name"] == "Zentova"
    assert positions["Chair"]["citation"] is None


def test_a_figure_stated_in_the_title_cites_the_title(client):
    """No sentence of the body states it: the quote is the title, linked to the article."""
    program = ProgramFactory()
    article = ArticleFactory(title="Program gets RUB 5 billion", slug="five-billion")
    MetricFactory(program=program, article=article, raw_text="RUB 5 billion", start=None, end=None)
    (metric,) = [f for f in facts_of(client, program) if f["fact"] == "metric"]
    assert metric["citation"]["quote"] == "Program gets RUB 5 billion"
    assert metric["citation"]["url"] == f"{HOST}/articles/five-billion/"


def test_every_article_that_mentions_the_record_is_listed_newest_first(client):
    """An article with no quotable sentence is cited by its page as a whole."""
    program = ProgramFactory()
    older = ArticleFactory(title="Older", published_on=datetime.date(2013, 1, 1))
    newer = ArticleFactory(title="Newer", published_on=datetime.date(2015, 1, 1))
    ProgramMentionFactory(article=older, program=program)  # no spans, no quote
    ProgramMentionFactory(article=newer, program=program, spans=[[0, 11]])

    mentions = [f for f in facts_of(client, program) if f["fact"] == "mention"]

    assert [m["value"] for m in mentions] == ["Newer", "Older"]
    assert mentions[0]["citation"]["quote"] == "The cluster held a meeting."
    assert mentions[1]["citation"]["quote"] == ""
    assert mentions[1]["citation"]["url"] == f"{HOST}{older.get_absolute_url()}"


# --- CSV ------------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_the_csv_has_one_row_per_fact_with_citation_columns(client, zentova):
    """A header row, then the JSON's facts in order; downloads under a telling name."""
    response = client.get(dossier_url(zentova, "-csv"))

    rows = read_csv(response)
    assert list(rows[0]) == [
        "fact",
        "value",
        "rank",
        "article_title",
        "published_on",
        "source",
        "quote",
        "url",
    ]
    facts = facts_of(client, zentova)
    assert [(r["fact"], r["value"]) for r in rows] == [(f["fact"], f["value"]) for f in facts]
    metric = next(r for r in rows if r["fact"] == "metric")
    assert metric["rank"] == "preferred"
    assert metric["published_on"] == "2014-03-04" and metric["source"] == "GMP News"
    assert metric["url"].startswith(f"{HOST}/articles/zentova-opens/#s-")
    assert response["Content-Disposition"] == (
        'attachment; filename="organisation-zentova-dossier.csv"'
    )


def test_the_csv_is_safe_to_open_in_a_spreadsheet(client):
    """Cells that a spreadsheet would run as formulas start with an apostrophe; Cyrillic
    survives as UTF-8."""
    article = ArticleFactory(title='=HYPERLINK("http://evil")', body="Завод открыт.")
    organisation = OrganisationFactory(name="Завод", aliases=["+cmd|' /C calc'!A0", "@SUM(A1)"])
    OrganisationMentionFactory(article=article, organisation=organisation, spans=[[0, 5]])
    MetricFactory(organisation=organisation, label="-2+3", article=article, start=0, end=5)

    rows = read_csv(client.get(dossier_url(organisation, "-csv")))

    cells = [cell for row in rows for cell in row.values()]
    assert "Завод" in cells
    assert "'+cmd|' /C calc'!A0" in cells and "'@SUM(A1)" in cells
    assert '\'=HYPERLINK("http://evil")' in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert any(cell.startswith("'-2+3: ") for cell in cells)


# --- the page -------------------------------------------------------------------------------


def test_the_printable_page_shows_each_fact_with_its_quote_and_link(client, zentova):
    """The page lists the facts with their sentences and links, and loads the print styles."""
    response = client.get(dossier_url(zentova, ""))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="dossier-title">Zentova</h1>' in page
    assert "Irina Novikova, Executive Director" in page
    assert "Zentova opened a plant in Kaluga." in page
    assert f'href="{HOST}/articles/zentova-opens/#s-0"' in page
    assert "css/dossier.css" in page
    assert "Preferred" in page
    assert f'href="{dossier_url(zentova)}"' in page
    assert f'href="{dossier_url(zentova, "-csv")}"' in page


def test_the_entity_pages_link_to_their_dossiers(client):
    """Organisation, person and program pages each link to the page, JSON and CSV."""
    for record in (OrganisationFactory(), PersonFactory(), ProgramFactory()):
        page = client.get(record.get_absolute_url()).content.decode()
        for suffix in ("", "-json", "-csv"):
            assert f'href="{dossier_url(record, suffix)}"' in page


def test_dossiers_read_in_a_fixed_number_of_queries(client, zentova, django_assert_num_queries):
    """Five queries whatever the number of facts: the record, its articles, its mentions'
    sentences, its positions and its metrics (a person's and a program's: four)."""
    for suffix in ("", "-json", "-csv"):
        with django_assert_num_queries(5):
            client.get(dossier_url(zentova, suffix))
    for _ in range(5):
        article = ArticleFactory(body=BODY)
        OrganisationMentionFactory(article=article, organisation=zentova, spans=[[0, 7]])
        PositionFactory(organisation=zentova, article=article, quote="Zentova opened")
        MetricFactory(organisation=zentova)
    for suffix in ("", "-json", "-csv"):
        with django_assert_num_queries(5):
            client.get(dossier_url(zentova, suffix))
    assert len(facts_of(client, zentova)) > 20
    person = PersonFactory()
    PositionFactory.create_batch(3, person=person)
    with django_assert_num_queries(4):
        client.get(dossier_url(person))
    program = ProgramFactory()
    MetricFactory.create_batch(3, program=program)
    with django_assert_num_queries(4):
        client.get(dossier_url(program))
