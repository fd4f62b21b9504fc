"""The overview, article search and article pages as a visitor sees them."""

import datetime
import re

import pytest
from django.urls import reverse

from articles.models import Article
from entities.models import ReviewStatus
from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
    PersonMentionFactory,
    ProgramMentionFactory,
)

pytestmark = pytest.mark.django_db

HOME = reverse("articles:home")
ARTICLES = reverse("articles:article-list")


def html(response) -> str:
    return response.content.decode()


# --- overview -------------------------------------------------------------------------------


def test_overview_counts_only_what_visitors_may_see(client):
    """Hidden articles and rejected metrics are not counted on the overview."""
    published = ArticleFactory.create_batch(3)
    hidden = ArticleFactory(status=Article.Status.HIDDEN)
    MetricFactory.create_batch(2, article=published[0])
    MetricFactory(article=published[1], review_status=ReviewStatus.REJECTED)
    MetricFactory(article=hidden)
    page = html(client.get(HOME))
    assert re.search(r"<strong>3</strong> articles", page)
    assert re.search(r"<strong>2</strong> metrics", page)


def test_overview_lists_latest_articles_and_most_mentioned_organisations(client):
    """The newest article comes first; organisations are ranked by published articles."""
    old = ArticleFactory(title="Old news", published_on=datetime.date(2010, 1, 1))
    new = ArticleFactory(title="Fresh news", published_on=datetime.date(2020, 1, 1))
    hidden = ArticleFactory(title="Hidden news", status=Article.Status.HIDDEN)
    popular = OrganisationFactory(name="Popular Pharma")
    rare = OrganisationFactory(name="Rare Labs")
    for article in (old, new):
        OrganisationMentionFactory(article=article, organisation=popular)
    OrganisationMentionFactory(article=old, organisation=rare)
    # Mentions in a hidden article do not make an organisation more prominent.
    OrganisationMentionFactory(article=hidden, organisation=rare)
    page = html(client.get(HOME))
    assert page.index("Fresh news") < page.index("Old news")
    assert "Hidden news" not in page
    assert page.index("Popular Pharma") < page.index("Rare Labs")
    assert re.search(r"Rare Labs</a>\s*<span class=\"count\">1 article<", page)


def test_overview_renders_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    """Six counts (metrics take two), the latest articles, the top organisations (counts,
    then names): 9 queries however many rows."""
    for article in ArticleFactory.create_batch(12):
        OrganisationMentionFactory.create_batch(2, article=article)
    with django_assert_num_queries(9):
        assert client.get(HOME).status_code == 200


# --- article list and search ----------------------------------------------------------------


def test_article_list_shows_published_articles_newest_first(client):
    """Without a query every published article is listed, newest first; hidden ones never."""
    ArticleFactory(title="Older", published_on=datetime.date(2013, 5, 1))
    ArticleFactory(title="Newer", published_on=datetime.date(2017, 5, 1))
    ArticleFactory(title="Secret", status=Article.Status.HIDDEN)
    page = html(client.get(ARTICLES))
    assert page.index("Newer") < page.index("Older")
    assert "Secret" not in page
    assert "2 articles" in page


def test_search_ranks_matches_and_highlights_them(client):
    """A search lists only matching articles, with the matched words marked in a snippet."""
    ArticleFactory(title="Plant opening", body="A new vaccine plant opened near the river.")
    ArticleFactory(title="Budget news", body="The regional budget was adopted.")
    ArticleFactory(
        title="Hidden vaccine story", body="vaccine vaccine", status=Article.Status.HIDDEN
    )
    page = html(client.get(ARTICLES, {"q": "vaccine"}))
    assert "Plant opening" in page
    assert "Budget news" not in page
    assert "Hidden vaccine story" not in page
    assert re.search(r"<mark>vaccine</mark>", page, re.IGNORECASE)
    assert "1 article match" in page


def test_search_with_no_match_says_so_and_offers_a_way_back(client):
    """An unmatched query shows an explanation and a link to all articles, not an empty page."""
    ArticleFactory()
    page = html(client.get(ARTICLES, {"q": "zeppelin"}))
    assert "No article matches “zeppelin”" in page
    assert f'href="{ARTICLES}"' in page


def test_search_escapes_the_query_it_echoes(client):
    """The query is shown back escaped, never as markup."""
    page = html(client.get(ARTICLES, {"q": "<script>alert(1)</script>"}))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_facets_count_the_current_results_and_toggle_filters(client):
    """Each facet value shows how many results have it; its link narrows to it, then back."""
    acme = OrganisationFactory(name="Acme Pharma", slug="acme-pharma")
    other = OrganisationFactory(name="Other Bio", slug="other-bio")
    first = ArticleFactory(title="First", published_on=datetime.date(2014, 3, 1))
    second = ArticleFactory(title="Second", published_on=datetime.date(2014, 6, 1))
    third = ArticleFactory(title="Third", published_on=datetime.date(2015, 1, 1))
    for article in (first, second):
        OrganisationMentionFactory(article=article, organisation=acme)
    OrganisationMentionFactory(article=third, organisation=other)
    page = html(client.get(ARTICLES))
    acme_link = re.search(
        r'<a href="(\?[^"]*organisation=acme-pharma[^"]*)"[^>]*>\s*'
        r'<span class="facet__label">Acme Pharma</span> <span class="count">2<',
        page,
    )
    assert acme_link, "the Acme facet shows 2 results and links to its filter"
    assert re.search(r'<span class="facet__label">2014</span> <span class="count">2<', page)

    narrowed = html(client.get(ARTICLES, {"organisation": "acme-pharma"}))
    assert "First" in narrowed and "Second" in narrowed and "Third" not in narrowed
    # The selected value now links to the list without the filter.
    assert re.search(r'<a href="\?"[^>]*class="is-selected"', narrowed)
    # Facets count within the narrowed results: 2014 has both, 2015 none.
    assert re.search(r'<span class="facet__label">2014</span> <span class="count">2<', narrowed)
    assert '<span class="facet__label">2015</span>' not in narrowed


def test_facets_leave_out_hidden_articles(client):
    """An organisation mentioned only in a hidden article is not offered as a facet."""
    hidden = ArticleFactory(status=Article.Status.HIDDEN)
    OrganisationMentionFactory(article=hidden, organisation__name="Hidden Holdings")
    ArticleFactory()
    assert "Hidden Holdings" not in html(client.get(ARTICLES))


def test_a_bad_filter_value_is_explained_not_a_crash(client):
    """A malformed year answers 200 with a message naming the parameter."""
    ArticleFactory()
    response = client.get(ARTICLES, {"year": "soon"})
    assert response.status_code == 200
    page = html(response)
    assert "could not be used" in page and "<code>year</code>" in page


def test_pagination_keeps_the_query_string(client):
    """Page links keep the search and filters, and page 2 shows the rest."""
    ArticleFactory.create_batch(25, body="Cluster training news.")
    page = html(client.get(ARTICLES, {"q": "training"}))
    assert "Page 1 of 2" in page
    assert 'href="?q=training&amp;page=2"' in page
    second = html(client.get(ARTICLES, {"q": "training", "page": 2}))
    assert "Page 2 of 2" in second
    assert len(re.findall(r'class="article-item"', second)) == 5


def test_article_search_renders_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    """Count, page and the four facets (entities: counts, then names): 9 queries whatever
    the number of results and entities; a search reads its page in two steps (ids and
    ranks, then rows with snippets)."""
    for article in ArticleFactory.create_batch(25, body="Training of staff."):
        OrganisationMentionFactory.create_batch(2, article=article)
        PersonMentionFactory(article=article)
        ProgramMentionFactory(article=article)
    with django_assert_num_queries(10):
        assert client.get(ARTICLES, {"q": "training"}).status_code == 200
    with django_assert_num_queries(9):
        assert client.get(ARTICLES).status_code == 200


# --- article page ---------------------------------------------------------------------------


def test_article_page_links_every_mention_to_its_entity(client):
    """Each span of a mention in the body becomes a link to the entity's page."""
    body = "Acme Pharma opened a plant.\n\nLater Acme Pharma hired Jane Roe."
    article = ArticleFactory(title="Plant", body=body)
    second = body.index("Acme Pharma", 1)
    mention = OrganisationMentionFactory(
        article=article, organisation__name="Acme Pharma", spans=[[0, 11], [second, second + 11]]
    )
    jane = body.index("Jane Roe")
    PersonMentionFactory(article=article, person__name="Jane Roe", spans=[[jane, jane + 8]])
    page = html(client.get(article.get_absolute_url()))
    org_url = mention.organisation.get_absolute_url()
    assert page.count(f'href="{org_url}" title="Acme Pharma">Acme Pharma</a>') == 2
    assert re.search(
        r'class="mention mention--person" href="/people/[^"]+" title="Jane Roe">Jane Roe<', page
    )
    # Two paragraphs, as in the text.
    body = page[page.index('class="article__body"') :]
    assert body.count("<p>") >= 2


def test_article_page_keeps_the_first_of_overlapping_mentions(client):
    """Where two mentions overlap, the one that starts first is linked, the other not."""
    article = ArticleFactory(body="Kaluga Pharma Cluster met.")
    OrganisationMentionFactory(article=article, organisation__name="Kaluga Pharma", spans=[[0, 13]])
    OrganisationMentionFactory(
        article=article, organisation__name="Pharma Cluster", spans=[[7, 21]]
    )
    page = html(client.get(article.get_absolute_url()))
    assert ">Kaluga Pharma</a> Cluster met." in page
    assert 'title="Pharma Cluster"' not in page


def test_article_page_ignores_broken_spans(client):
    """Spans an editor mistyped (outside the body, reversed, not numbers) never break the page."""
    article = ArticleFactory(body="Short text.")
    OrganisationMentionFactory(article=article, spans=[[5, 500], [8, 2], ["a", "b"], "x"])
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Short text." in html(response)


def test_article_body_is_escaped_so_nothing_in_it_runs(client):
    """Markup in an article body is shown as text, inside and outside mention links."""
    body = 'Evil <script>alert("x")</script> and <img src=x onerror=alert(1)> Corp.'
    article = ArticleFactory(body=body)
    start = body.index("<img")
    OrganisationMentionFactory(article=article, spans=[[start, len(body) - 1]])
    page = html(client.get(article.get_absolute_url()))
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_article_page_lists_its_metrics_with_quotes_and_anchors(client):
    """Every visible metric shows value, unit, year, subject and quote, anchored metric-<pk>."""
    article = ArticleFactory(body="The budget allocates RUR 93.3 Million to the cluster.")
    subject = OrganisationFactory(name="Cluster Association")
    metric = MetricFactory(
        article=article,
        start=21,
        end=37,
        year=2014,
        organisation=subject,
        quote="The budget allocates RUR 93.3 Million to the cluster.",
    )
    rejected = MetricFactory(
        article=article,
        start=0,
        end=3,
        raw_text="The",
        review_status=ReviewStatus.REJECTED,
        quote="Rejected quote here.",
    )
    page = html(client.get(article.get_absolute_url()))
    assert f'id="metric-{metric.pk}"' in page
    assert "RUB 93.3 million" in page
    assert "2014" in page and "Cluster Association" in page
    assert "The budget allocates RUR 93.3 Million to the cluster." in page
    # The figure in the body links down to its card.
    assert f'href="#metric-{metric.pk}"' in page
    assert f'id="metric-{rejected.pk}"' not in page and "Rejected quote here." not in page


def test_article_page_side_panel_lists_its_entities(client):
    """The panel names the article's organisations, people and programs, linked."""
    article = ArticleFactory()
    org = OrganisationMentionFactory(article=article).organisation
    person = PersonMentionFactory(article=article).person
    program = ProgramMentionFactory(article=article).program
    page = html(client.get(article.get_absolute_url()))
    for entity in (org, person, program):
        assert f'<a href="{entity.get_absolute_url()}">{entity.name}</a>' in page


def test_hidden_or_unknown_article_is_a_helpful_404(client):
    """A hidden article is not found, and the 404 page offers search and the lists."""
    hidden = ArticleFactory(status=Article.Status.HIDDEN)
    for url in (hidden.get_absolute_url(), "/articles/no-such-article/"):
        response = client.get(url)
        assert response.status_code == 404
        page = html(response)
        assert "Page not found" in page
        assert 'type="search"' in page
        assert reverse("entities:organisation-list") in page


def test_article_page_renders_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    """Article, three mention kinds and metrics: 5 queries however many mentions and metrics."""
    article = ArticleFactory(body="x" * 400)
    for index in range(8):
        OrganisationMentionFactory(article=article, spans=[[index * 10, index * 10 + 5]])
        PersonMentionFactory(article=article, spans=[[100 + index * 10, 105 + index * 10]])
        ProgramMentionFactory(article=article, spans=[[200 + index * 10, 205 + index * 10]])
        MetricFactory(
            article=article,
            start=300 + index * 10,
            end=305 + index * 10,
            organisation=OrganisationFactory(),
        )
    with django_assert_num_queries(5):
        assert client.get(article.get_absolute_url()).status_code == 200
