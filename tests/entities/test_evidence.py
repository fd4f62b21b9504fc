"""Evidence: the sentences a record comes from, with its words marked, bounded in queries."""

import datetime

import pytest

from articles.models import Article
from entities.evidence import evidence_count, evidence_for
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

BODY = (
    "Brightmoor Biologics opened a plant near the river.\n"
    "The governor praised the project. Later, Brightmoor Biologics & partners <signed> a deal."
)


def spans_of(body: str, word: str) -> list[list[int]]:
    """Every [start, end] of ``word`` in ``body``."""
    spans, at = [], body.find(word)
    while at >= 0:
        spans.append([at, at + len(word)])
        at = body.find(word, at + 1)
    return spans


def marked(evidence) -> list[str]:
    """The highlighted words of an Evidence."""
    return [evidence.sentence[start:end] for start, end in evidence.highlights]


def mention_article(organisation, body=BODY, **article):
    article = ArticleFactory(body=body, **article)
    OrganisationMentionFactory(
        article=article, organisation=organisation, spans=spans_of(body, organisation.name)
    )
    return article


def test_each_sentence_naming_an_organisation_is_shown_with_the_name_marked():
    """Two sentences name it: both are shown, in body order, the name marked in each."""
    organisation = OrganisationFactory(name="Brightmoor Biologics")
    article = mention_article(organisation)

    first, second = evidence_for(organisation)

    assert first.sentence == "Brightmoor Biologics opened a plant near the river."
    assert second.sentence == "Later, Brightmoor Biologics & partners <signed> a deal."
    assert marked(first) == marked(second) == ["Brightmoor Biologics"]
    assert article.body[second.start : second.end] == second.sentence
    assert second.article_url == f"/articles/{article.slug}/#s-{second.start}"
    assert second.article_title == article.title


def test_the_sentence_html_marks_the_name_and_escapes_the_rest():
    """Markup in the text is shown as text; only the mention is wrapped in <mark>."""
    organisation = OrganisationFactory(name="Brightmoor Biologics")
    mention_article(organisation)

    html = evidence_for(organisation)[1].html

    assert html == (
        "Later, <mark>Brightmoor Biologics</mark> &amp; partners &lt;signed&gt; a deal."
    )


def test_newest_articles_come_first_and_the_limit_counts_sentences():
    """Newest article first; at most ``limit`` sentences; the count says how many articles."""
    program = ProgramFactory(name="Quillfield Skills")
    body = "Quillfield Skills began. Quillfield Skills grew."
    for day in (1, 3, 2):
        article = ArticleFactory(body=body, published_on=datetime.date(2020, 1, day))
        ProgramMentionFactory(article=article, program=program, spans=spans_of(body, program.name))

    evidence = evidence_for(program, limit=3)

    days = [Article.objects.get(pk=item.article_id).published_on.day for item in evidence]
    assert days == [3, 3, 2]
    assert evidence_count(program) == 3


def test_queries_do_not_grow_with_the_number_of_mentions(django_assert_num_queries):
    """One query for one mention or for forty."""
    one = PersonFactory(name="Ilse Varnow")
    many = PersonFactory(name="Ilse Varnow Junior")
    body = "Ilse Varnow spoke. Ilse Varnow Junior listened."
    PersonMentionFactory(person=one, article=ArticleFactory(body=body), spans=[[0, 11]])
    for _ in range(40):
        PersonMentionFactory(person=many, article=ArticleFactory(body=body), spans=[[19, 37]])

    with django_assert_num_queries(1):
        assert len(evidence_for(one)) == 1
    with django_assert_num_queries(1):
        assert len(evidence_for(many)) == 5


def test_public_evidence_leaves_out_hidden_articles():
    """Visitors' evidence never quotes an article hidden from them; editors' does."""
    organisation = OrganisationFactory(name="Brightmoor Biologics")
    mention_article(organisation, status=Article.Status.HIDDEN)

    assert evidence_for(organisation, public=True) == []
    assert evidence_count(organisation, public=True) == 0
    assert len(evidence_for(organisation)) == 2


def test_a_mention_without_spans_shows_its_quote_with_the_name_marked():
    """A mention an editor added without offsets still shows the sentence it quotes."""
    organisation = OrganisationFactory(name="Brightmoor Biologics", aliases=["BB"])
    article = ArticleFactory(body=BODY)
    OrganisationMentionFactory(
        article=article,
        organisation=organisation,
        quote="The governor praised the project.",
    )

    (evidence,) = evidence_for(organisation)

    assert evidence.sentence == "The governor praised the project."
    assert evidence.start == BODY.index("The governor")
    assert evidence.highlights == ()


def test_a_position_shows_its_quote_with_the_person_and_title_marked():
    """The sentence stating the position, the person's alias and the title marked."""
    body = "News in brief.\nThe plant is led by Dr. Tamsin Orrell, Chief Chemist of the firm."
    person = PersonFactory(name="Tamsin Orrell-Hayes", aliases=["Tamsin Orrell"])
    position = PositionFactory(
        person=person,
        title="Chief Chemist",
        article=ArticleFactory(body=body),
        quote="The plant is led by Dr. Tamsin Orrell, Chief Chemist of the firm.",
    )

    (evidence,) = evidence_for(position)

    assert evidence.sentence == position.quote
    assert evidence.start == body.index("The plant")
    assert marked(evidence) == ["Tamsin Orrell", "Chief Chemist"]
    assert evidence_count(position) == 1


def test_a_metric_shows_the_sentence_holding_its_figure():
    """The figure's sentence, the raw text marked."""
    body = "Costs rose.\nThe fund gave RUB 12 million to the lab. Work starts soon."
    start = body.index("RUB 12 million")
    metric = MetricFactory(
        article=ArticleFactory(body=body),
        raw_text="RUB 12 million",
        quote="The fund gave RUB 12 million to the lab.",
        start=start,
        end=start + len("RUB 12 million"),
    )

    (evidence,) = evidence_for(metric)

    assert evidence.sentence == "The fund gave RUB 12 million to the lab."
    assert marked(evidence) == ["RUB 12 million"]
    assert evidence.article_url.endswith(f"#s-{body.index('The fund')}")


def test_a_title_figure_shows_the_title_linked_to_the_article():
    """A figure stated only in the title: the title is the sentence, the page the link."""
    article = ArticleFactory(title="Lab wins RUB 7 million grant", body="Details follow.")
    metric = MetricFactory(
        article=article, raw_text="RUB 7 million", quote=article.title, start=None, end=None
    )

    (evidence,) = evidence_for(metric)

    assert evidence.sentence == article.title
    assert evidence.start is None and evidence.in_title
    assert marked(evidence) == ["RUB 7 million"]
    assert evidence.article_url == article.get_absolute_url()


def test_a_record_with_no_article_has_no_evidence():
    """An editor's position stated by no article: nothing to show, nothing counted."""
    position = PositionFactory(article=None, quote="")

    assert evidence_for(position) == []
    assert evidence_count(position) == 0
