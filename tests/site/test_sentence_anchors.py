"""Article pages anchor every sentence (#s-<start>) so evidence links land on it."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from entities.evidence import evidence_for
from entities.extraction.text import split_sentences
from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
)

pytestmark = pytest.mark.django_db

BODY = (
    "Northing Remedies expands.\n\n"
    "Dr. Pell Arden said Northing Remedies will hire 40 people. The <new> site opens in June.\n"
    "A second line follows."
)


def page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_every_sentence_is_a_span_with_its_start_offset(client):
    """Each sentence of the body is a span.sentence whose id is s-<start>, holding its text."""
    article = ArticleFactory(body=BODY)

    html = page(client, article)

    for sentence in split_sentences(BODY, line_breaks=True):
        match = re.search(rf'<span class="sentence" id="s-{sentence.start}">(.*?)</span>', html)
        assert match, sentence.text
        text = re.sub(r"<[^>]+>", "", match.group(1)).replace("&lt;", "<").replace("&gt;", ">")
        assert text == sentence.text
    # "Dr." does not end a sentence; the one sentence holds the whole statement.
    assert f'id="s-{BODY.index("Dr. Pell")}"' in html
    assert f'id="s-{BODY.index("Pell Arden")}"' not in html


def test_the_evidence_link_of_a_record_lands_on_a_sentence_of_the_page(client):
    """The anchor of an organisation's evidence exists on the article page, around its mention."""
    organisation = OrganisationFactory(name="Northing Remedies")
    article = ArticleFactory(body=BODY)
    start = BODY.index("Northing Remedies will")
    OrganisationMentionFactory(
        article=article, organisation=organisation, spans=[[start, start + 17]]
    )

    (evidence,) = evidence_for(organisation)
    anchor = evidence.article_url.split("#")[1]
    html = page(client, article)

    sentence = re.search(rf'<span class="sentence" id="{anchor}">(.*?)</span>', html).group(1)
    assert f'href="{organisation.get_absolute_url()}"' in sentence
    assert ">Northing Remedies</a> will hire 40 people." in sentence


def test_links_and_escaping_still_work_inside_sentences(client):
    """Mention and metric links stay inside their sentences; the body's text is never markup."""
    organisation = OrganisationFactory(name="Northing Remedies")
    article = ArticleFactory(body=BODY)
    OrganisationMentionFactory(article=article, organisation=organisation, spans=[[0, 17]])
    figure = BODY.index("40 people")
    metric = MetricFactory(
        article=article, raw_text="40 people", start=figure, end=figure + 9, quote="x"
    )

    html = page(client, article)

    assert (
        f'<span class="sentence" id="s-0"><a class="mention mention--organisation" '
        f'href="{organisation.get_absolute_url()}"'
    ) in html
    assert f'href="#metric-{metric.pk}"' in html
    assert "The &lt;new&gt; site opens in June." in html
    assert "<new>" not in html


def test_a_target_sentence_is_highlighted_by_the_stylesheet(client):
    """The site's stylesheet highlights the sentence an address points at (:target)."""
    css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")

    assert ".sentence:target" in css
