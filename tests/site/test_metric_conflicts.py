"""Where articles state different values, the site shows the preferred one first and says so."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from articles.models import Article
from entities.services import review
from tests.factories import ArticleFactory, MetricFactory, OrganisationFactory, ProgramFactory

pytestmark = pytest.mark.django_db

METRICS = "/metrics/"


def stated(value, *, title, **fields):
    """An investment figure for 2016 in millions of roubles, in an article titled ``title``."""
    fields.setdefault("label", "investment")
    fields.setdefault("year", 2016)
    return MetricFactory(
        value=Decimal(value) * 1_000_000,
        raw_text=f"RUB {value} million",
        article=ArticleFactory(title=title, body="The budget allocates RUB 93.3 Million. " * 160),
        **fields,
    )


@pytest.fixture
def editor():
    return User.objects.create_user("odile", is_staff=True)


@pytest.fixture
def quill():
    return OrganisationFactory(name="Quillfeather Biologics")


def rows(response):
    """The metric rows of a page, in order."""
    return list(response.context["metrics"])


def test_open_conflict_says_sources_differ_on_both_rows(client, quill):
    """Before an editor decides, each row names the other value and its article."""
    stated(90, title="Quillfeather plans a plant", organisation=quill)
    stated(120, title="Quillfeather raises its budget", organisation=quill)

    page = client.get(quill.get_absolute_url()).content.decode()

    assert "Sources differ: also stated RUB 120 million in" in page
    assert "Sources differ: also stated RUB 90 million in" in page
    assert "Quillfeather raises its budget</a>" in page
    assert "metric-badge" not in page


def test_preferred_value_comes_first_and_is_marked_the_other_ranks_lower(client, quill, editor):
    """The preferred value leads its year, marked; the other follows, muted, naming the choice."""
    low = stated(90, title="Quillfeather plans a plant", organisation=quill)
    high = stated(120, title="Quillfeather raises its budget", organisation=quill)
    review.prefer(low, user=editor)

    response = client.get(quill.get_absolute_url())

    assert [m.pk for m in rows(response)] == [low.pk, high.pk]
    first, second = rows(response)
    assert first.is_preferred and second.ranked_lower
    page = response.content.decode()
    assert 'class="metric-conflict metric-preferred"' in page
    assert 'class="metric-conflict metric-ranked-lower"' in page
    assert "Sources differ: editors prefer RUB 90 million, stated in" in page
    assert page.index("metric-preferred") < page.index("metric-ranked-lower")


def test_metric_list_shows_the_preferred_value_first_too(client, quill, editor):
    """On /metrics/ the preferred value leads its year and unit, though it is the smaller."""
    low = stated(90, title="Quillfeather plans a plant", organisation=quill)
    high = stated(120, title="Quillfeather raises its budget", organisation=quill)
    review.prefer(low, user=editor)

    response = client.get(METRICS)

    assert [m.pk for m in rows(response)] == [low.pk, high.pk]
    page = response.content.decode()
    assert "metric-preferred" in page and "Sources differ: also stated RUB 120 million" in page


def test_figures_that_agree_or_differ_in_key_show_plainly(client, quill):
    """Other years, labels or a hidden article's figure are no disagreement for visitors."""
    stated(90, title="Quillfeather plans a plant", organisation=quill)
    stated(120, title="Quillfeather next year", organisation=quill, year=2017)
    stated(150, title="Quillfeather exports", organisation=quill, label="exports")
    hidden = stated(200, title="Quillfeather withdrawn story", organisation=quill)
    Article.objects.filter(pk=hidden.article_id).update(status=Article.Status.HIDDEN)

    page = client.get(quill.get_absolute_url()).content.decode()

    assert "Sources differ" not in page and "withdrawn story" not in page


def test_program_pages_say_so_too(client):
    """A program's figures disagree the same way."""
    program = ProgramFactory(name="Silverbrook Talent Scheme")
    stated(5, title="Silverbrook opens", program=program)
    stated(7, title="Silverbrook grows", program=program)
    page = client.get(program.get_absolute_url()).content.decode()
    assert page.count("Sources differ: also stated") == 2


@pytest.mark.parametrize("count", [2, 20])
def test_conflicts_cost_no_extra_query(client, django_assert_num_queries, count, editor):
    """Organisation page 4 queries, metrics page 8, however many groups disagree."""
    organisation = OrganisationFactory(name="Marrowgate Labs")
    for index in range(count):
        first = stated(10 + index, title=f"Marrowgate {index}", organisation=organisation)
        stated(500 + index, title=f"Marrowgate again {index}", organisation=organisation)
        MetricFactory(organisation=OrganisationFactory(), year=2000 + index)
        if index % 2:
            review.prefer(first, user=editor)
    with django_assert_num_queries(4):
        page = client.get(organisation.get_absolute_url()).content.decode()
    assert page.count("Sources differ") == 2 * count
    with django_assert_num_queries(8):
        assert "Sources differ" in client.get(METRICS).content.decode()
