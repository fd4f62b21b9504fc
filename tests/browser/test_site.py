"""What a visitor does in a real browser: search, read, follow a mention, see a chart."""

import pytest

from tests.factories import ArticleFactory, OrganisationMentionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_finds_and_highlights_an_article(page, article):
    """Typing a word in the overview's search box lists the article with the word marked."""
    ArticleFactory(title="Budget adopted", body="The regional budget was adopted.")
    page.goto("/")
    page.get_by_label("Search the articles").fill("vaccine")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/articles/?q=vaccine")
    results = page.locator(".article-list")
    assert results.get_by_role("link", name="Vaccine plant opens").is_visible()
    assert "Budget adopted" not in results.inner_text()
    assert page.locator(".snippet mark").first.inner_text().lower() == "vaccine"


def test_open_an_article_and_follow_a_mention(page, article):
    """From the list, open the article, then click a highlighted mention to its organisation."""
    page.goto("/articles/")
    page.get_by_role("link", name="Vaccine plant opens").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Vaccine plant opens"
    page.locator(".article__body a.mention--organisation").first.click()
    page.wait_for_url("**/organisations/northwind-pharma/")
    assert page.get_by_role("heading", level=1).inner_text() == "Northwind Pharma"
    assert page.get_by_role("link", name="Vaccine plant opens").first.is_visible()


def test_metrics_page_draws_a_bar_chart_that_links_to_the_sentence(page, article):
    """/metrics/ shows an SVG with bars; a bar leads to the metric's sentence on the article."""
    page.goto("/metrics/")
    chart = page.locator("figure.chart svg").first
    assert chart.is_visible()
    bar = chart.locator("rect.chart__bar").first
    box = bar.bounding_box()
    assert box is not None and box["width"] > 50 and box["height"] > 5
    bar.click()
    page.wait_for_url("**/articles/*/#metric-*")
    target = page.locator(".metric-card:target")
    assert "Northwind Pharma will invest RUR 93.3 Million in training." in target.inner_text()


def test_markup_in_an_article_body_runs_nothing(page):
    """<script> and an <img onerror> in an article's text are shown as text and never run."""
    body = (
        'Before <script>window.__pwned = "script"; alert(1)</script> middle '
        "<img src=x onerror=\"window.__pwned = 'img'; alert(2)\"> after."
    )
    hostile = ArticleFactory(title="Hostile text", body=body)
    start = body.index("<img")
    OrganisationMentionFactory(article=hostile, spans=[[start, body.index(" after.")]])
    page.goto(hostile.get_absolute_url())
    page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned") is None
    text = page.locator(".article__body").inner_text()
    assert "<script>" in text and "<img src=x onerror=" in text
    assert page.locator(".article__body script, .article__body img").count() == 0
