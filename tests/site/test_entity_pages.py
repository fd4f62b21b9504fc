"""Organisation, person and program lists and pages, and the metrics page, as visitors see them."""

import datetime
import re
from decimal import Decimal

import factory
import pytest
from django.urls import reverse

from articles.models import Article
from entities.models import ReviewStatus
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

ORGANISATIONS = reverse("entities:organisation-list")
PEOPLE = reverse("entities:person-list")
PROGRAMS = reverse("entities:program-list")
METRICS = reverse("entities:metric-list")


def html(response) -> str:
    return response.content.decode()


# --- lists ----------------------------------------------------------------------------------


def test_organisation_list_shows_published_article_counts(client):
    """Each organisation shows how many published articles mention it; hidden ones don't count."""
    organisation = OrganisationFactory(name="Acme Pharma")
    OrganisationMentionFactory.create_batch(2, organisation=organisation)
    OrganisationMentionFactory(organisation=organisation, article__status=Article.Status.HIDDEN)
    page = html(client.get(ORGANISATIONS))
    assert re.search(r"Acme Pharma</a>.*?<td class=\"num\">2</td>", page, re.S)


def test_organisation_list_searches_names_and_aliases(client):
    """The search box finds an organisation by a part of its name or by an alias."""
    OrganisationFactory(name="Association of Innovative Regions", aliases=["AIRR"])
    OrganisationFactory(name="Northwind Labs")
    page = html(client.get(ORGANISATIONS, {"q": "airr"}))
    assert "Association of Innovative Regions" in page
    assert "Northwind Labs" not in page
    assert "1 organisation found" in page


def test_organisation_list_filters_by_kind(client):
    """Choosing a kind keeps only organisations of that kind, and the select shows the choice."""
    OrganisationFactory(name="Regional Ministry", kind="government")
    OrganisationFactory(name="Pill Maker", kind="company")
    page = html(client.get(ORGANISATIONS, {"kind": "government"}))
    assert "Regional Ministry" in page and "Pill Maker" not in page
    assert '<option value="government" selected>' in page


def test_lists_paginate_and_keep_the_search(client):
    """Thirty organisations per page; the next page link keeps the query."""
    OrganisationFactory.create_batch(35, name=factory.Sequence(lambda n: f"Bio {n:03d}"))
    page = html(client.get(ORGANISATIONS, {"q": "bio"}))
    assert "Page 1 of 2" in page and 'href="?q=bio&amp;page=2"' in page


def test_person_list_shows_positions(client):
    """People are listed with their titles and organisations."""
    PositionFactory(
        person__name="Jane Roe", title="Executive Director", organisation__name="Acme Pharma"
    )
    page = html(client.get(PEOPLE))
    assert "Jane Roe" in page and "Executive Director, Acme Pharma" in page


@pytest.mark.parametrize(
    ("url", "make"),
    [
        (ORGANISATIONS, lambda: OrganisationMentionFactory.create_batch(2)),
        (PROGRAMS, lambda: ProgramMentionFactory.create_batch(2)),
    ],
)
def test_entity_lists_render_in_a_fixed_number_of_queries(
    client, django_assert_num_queries, url, make
):
    """Count and page: 2 queries for a page of 30 rows with their article counts."""
    for _ in range(20):
        make()
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200


def test_person_list_renders_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    """Count, page and positions: 3 queries for a page of 30 people with positions."""
    for person in PersonFactory.create_batch(30):
        PositionFactory.create_batch(2, person=person)
        PersonMentionFactory(person=person)
    with django_assert_num_queries(3):
        assert client.get(PEOPLE).status_code == 200


# --- detail pages ---------------------------------------------------------------------------


def test_organisation_page_shows_people_articles_metrics_and_timeline(client):
    """Kind, aliases, positions held there, mentioning articles by year and metrics about it."""
    organisation = OrganisationFactory(
        name="Acme Pharma", kind="company", aliases=["Acme", "ACME Rus"]
    )
    early = ArticleFactory(title="Early news", published_on=datetime.date(2013, 4, 2))
    late = ArticleFactory(title="Late news", published_on=datetime.date(2017, 9, 9))
    hidden = ArticleFactory(title="Hidden news", status=Article.Status.HIDDEN)
    for article in (early, late, hidden):
        OrganisationMentionFactory(article=article, organisation=organisation)
    PositionFactory(
        person__name="Jane Roe", title="General Director", organisation=organisation, article=late
    )
    PositionFactory(
        person__name="Ghost Person", title="Chair", organisation=organisation, article=hidden
    )
    metric = MetricFactory(
        organisation=organisation,
        article=late,
        value=Decimal("5000000"),
        unit="EUR",
        raw_text="EUR 5 million",
    )
    MetricFactory(
        organisation=organisation,
        article=late,
        review_status=ReviewStatus.REJECTED,
        quote="A rejected figure sentence.",
    )
    page = html(client.get(organisation.get_absolute_url()))
    assert "Company" in page and "Also known as Acme, ACME Rus" in page
    assert "Jane Roe</a>, General Director" in page
    assert "Ghost Person" not in page  # stated only by a hidden article
    assert "Hidden news" not in page
    assert "EUR 5 million" in page and f'href="{metric.get_absolute_url()}"' in page
    assert "A rejected figure sentence." not in page
    timeline = page[page.index('class="timeline"') :]
    assert timeline.index("2017") < timeline.index("2013")
    assert "Mentioned in 2 articles" in page


def test_person_page_shows_positions_with_their_source_articles(client):
    """Each position names its organisation and links the article that states it."""
    position = PositionFactory(
        person__name="Jane Roe",
        title="Executive Director",
        organisation__name="Cluster Association",
        article__title="Interview with the director",
        quote="Jane Roe, Executive Director of the Cluster Association, said so.",
    )
    PersonMentionFactory(person=position.person, article=position.article)
    page = html(client.get(position.person.get_absolute_url()))
    assert "<strong>Executive Director</strong>" in page
    assert f'<a href="{position.organisation.get_absolute_url()}">Cluster Association</a>' in page
    assert (
        f'<a href="{position.article.get_absolute_url()}">Interview with the director</a>' in page
    )
    assert "Jane Roe, Executive Director of the Cluster Association, said so." in page


def test_program_page_shows_kind_description_articles_and_metrics(client):
    """A program page shows its kind, description, articles and the figures about it."""
    program = ProgramFactory(
        name="Training Initiative", kind="education", description="Trains plant staff."
    )
    mention = ProgramMentionFactory(program=program, article__title="Training starts")
    MetricFactory(
        program=program,
        article=mention.article,
        unit="people",
        value=Decimal(16),
        raw_text="16 people",
    )
    page = html(client.get(program.get_absolute_url()))
    assert "Education / training program" in page and "Trains plant staff." in page
    assert "Training starts" in page and "16 people" in page


@pytest.mark.parametrize(
    "url",
    ["/organisations/no-such/", "/people/no-such/", "/programs/no-such/"],
)
def test_unknown_entity_slug_is_a_helpful_404(client, url):
    """An unknown slug answers 404 with a search box and links to the lists."""
    response = client.get(url)
    assert response.status_code == 404
    page = html(response)
    assert "Page not found" in page and 'name="q"' in page and f'href="{PEOPLE}"' in page


def test_detail_pages_render_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    """Organisation 4, person 3, program 3 queries, however many articles, people and metrics."""
    organisation = OrganisationFactory()
    program = ProgramFactory()
    person = PersonFactory()
    for _ in range(10):
        article = ArticleFactory()
        OrganisationMentionFactory(article=article, organisation=organisation)
        ProgramMentionFactory(article=article, program=program)
        PersonMentionFactory(article=article, person=person)
        PositionFactory(organisation=organisation, article=article)
        PositionFactory(person=person, article=article)
        MetricFactory(article=article, organisation=organisation)
        MetricFactory(article=article, program=program)
    with django_assert_num_queries(4):
        assert client.get(organisation.get_absolute_url()).status_code == 200
    with django_assert_num_queries(3):
        assert client.get(person.get_absolute_url()).status_code == 200
    with django_assert_num_queries(3):
        assert client.get(program.get_absolute_url()).status_code == 200


# --- metrics --------------------------------------------------------------------------------


def test_metrics_page_draws_one_chart_per_currency_with_linked_bars(client):
    """Money metrics become SVG bars per currency; each bar segment links to its sentence."""
    rub = MetricFactory(unit="RUB", value=Decimal("93300000"), year=2014)
    eur = MetricFactory(unit="EUR", value=Decimal("1000000000"), year=2013, raw_text="EUR 1 bn")
    page = html(client.get(METRICS))
    assert "Money stated per year (RUB)" in page and "Money stated per year (EUR)" in page
    assert page.count("<svg") >= 2 and "<rect" in page
    for metric in (rub, eur):
        assert f'<a href="{metric.get_absolute_url()}" aria-label=' in page
    # Never a chart that adds roubles and euros.
    assert "RUB 1.09 billion" not in page and "EUR 1.09 billion" not in page


def test_metrics_page_never_shows_rejected_metrics_or_hidden_articles(client):
    """Rejected metrics and metrics of hidden articles are neither in the table nor the charts."""
    MetricFactory(quote="Visible figure sentence.")
    rejected = MetricFactory(review_status=ReviewStatus.REJECTED, quote="Rejected figure sentence.")
    hidden = MetricFactory(
        article__status=Article.Status.HIDDEN, quote="Hidden article figure sentence."
    )
    page = html(client.get(METRICS))
    assert "Visible figure sentence." in page
    assert "Rejected figure sentence." not in page and "Hidden article figure sentence." not in page
    assert f"#metric-{rejected.pk}" not in page and f"#metric-{hidden.pk}" not in page


def test_metrics_page_filters_by_unit_year_and_organisation(client):
    """The filter form narrows the table and the charts, and shows the chosen values."""
    acme = OrganisationFactory(name="Acme Pharma", slug="acme")
    MetricFactory(unit="RUB", year=2014, organisation=acme, quote="Acme rouble figure.")
    MetricFactory(unit="RUB", year=2010, organisation=acme, quote="Old rouble figure.")
    MetricFactory(unit="%", value=Decimal(14), year=2014, quote="Share figure.")
    page = html(client.get(METRICS, {"unit": "RUB", "year_min": 2012, "organisation": "acme"}))
    assert "Acme rouble figure." in page
    assert "Old rouble figure." not in page and "Share figure." not in page
    assert '<option value="RUB" selected>' in page
    assert '<option value="acme" selected>Acme Pharma</option>' in page
    assert 'name="year_min" inputmode="numeric" min="1" max="9999" value="2012"' in page


def test_metrics_page_explains_a_bad_filter(client):
    """A year that is not a number answers 200 with the parameter named, not a crash."""
    MetricFactory()
    response = client.get(METRICS, {"year_min": "last year"})
    assert response.status_code == 200
    assert "<code>year_min</code>" in html(response)


def test_metrics_page_renders_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    """8 queries for 60 metrics: count, page, totals and drawn figures of each of the two
    chart groupings, units, organisations."""
    for index in range(60):
        MetricFactory(
            unit=("RUB", "EUR", "%")[index % 3],
            year=2010 + index % 5,
            organisation=OrganisationFactory(),
        )
    with django_assert_num_queries(8):
        assert client.get(METRICS).status_code == 200


def test_lists_sort_names_regardless_of_case(client):
    """Acronyms in capitals sort among the other names, not before all of them."""
    for name in ("Zeta Labs", "AIRR", "Agency for Development", "beta Holdings"):
        OrganisationFactory(name=name)
    page = html(client.get(ORGANISATIONS))
    positions = [
        page.index(f">{name}</a>")
        for name in ("Agency for Development", "AIRR", "beta Holdings", "Zeta Labs")
    ]
    assert positions == sorted(positions)
