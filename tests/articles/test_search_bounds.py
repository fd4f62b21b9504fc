"""Searches with more matches than the ranking window (``articles.search.bounds``).

A fixed corpus and a window of 16: searches with at most 16 matches must come
out exactly as the full ranking orders them (the old behaviour), page after
page; searches with more rank only their 16 newest matches, say that the
count is not exact, and stop paging at the window. Runs on SQLite and
PostgreSQL, as CI does.
"""

import datetime
import random

import pytest
from django.db import connection
from django.db.models import F
from django.test import override_settings

from articles.models import Article
from articles.search import SearchResultsPaginator
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

WINDOW = 16
WORDS = ("insulin", "vaccine", "tablet", "export", "clinic", "plant", "grant", "tender")


@pytest.fixture
def corpus():
    """60 articles: "pharma" in 40 of them, other words in fewer, dates spread over years.

    Word repetitions vary so that ranks differ; a few articles are undated.
    """
    rng = random.Random(7)
    articles = []
    for number in range(60):
        words = [WORDS[number % len(WORDS)]] * (1 + number % 3)
        if number % 3 != 2:
            words += ["pharma"] * (1 + rng.randrange(4))
        words += ["note"] * rng.randrange(5)
        rng.shuffle(words)
        title = f"{'Pharma ' if number % 7 == 0 else ''}Report {number}"
        dated = number % 11 != 5
        articles.append(
            ArticleFactory(
                title=title,
                body=" ".join(words) + ".",
                published_on=datetime.date(2010, 1, 1) + datetime.timedelta(days=37 * number)
                if dated
                else None,
            )
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # planner statistics, as a large import leaves them
            cursor.execute("ANALYZE articles_article")
    return articles


def paged(queryset, per_page=3):
    """Every article of every page, in page order, and the paginator."""
    paginator = SearchResultsPaginator(queryset, per_page)
    return [a for n in paginator.page_range for a in paginator.page(n).object_list], paginator


def newest_first(articles):
    return sorted(
        articles,
        key=lambda a: (a.published_on is not None, a.published_on or datetime.date.min, a.pk),
        reverse=True,
    )


@override_settings(SEARCH_RANKING_WINDOW=WINDOW)
@pytest.mark.parametrize("query", ["insulin", "vaccine pharma", "insulin or tender", '"clinic"'])
def test_searches_within_the_window_keep_the_full_ranking_and_an_exact_count(corpus, query):
    """Up to the window, pages list exactly what ranking every match lists, in its order."""
    full_ranking = list(Article.objects.search(query))
    assert 0 < len(full_ranking) <= WINDOW, "the query must fit in the window"

    results, paginator = paged(Article.objects.search(query))

    assert [a.pk for a in results] == [a.pk for a in full_ranking]
    assert [a.search_rank for a in results] == pytest.approx([a.search_rank for a in full_ranking])
    assert (paginator.count, paginator.count_is_exact) == (len(full_ranking), True)


@override_settings(SEARCH_RANKING_WINDOW=WINDOW)
def test_a_search_above_the_window_ranks_only_its_newest_matches(corpus):
    """40 matches, window 16: the 16 newest matches, best first; the count is not exact."""
    matches = [a for a in corpus if "pharma" in a.body.split() or "Pharma" in a.title]
    assert len(matches) > WINDOW
    newest = {a.pk for a in newest_first(matches)[:WINDOW]}

    results, paginator = paged(Article.objects.search("pharma"))

    assert {a.pk for a in results} == newest
    ranks = [a.search_rank for a in results]
    assert ranks == sorted(ranks, reverse=True)
    assert paginator.count_is_exact is False
    assert paginator.num_pages == 6  # 16 results, 3 per page
    if connection.vendor == "postgresql":
        assert paginator.count_is_estimate and paginator.count > WINDOW
    else:
        assert (paginator.count_is_estimate, paginator.count) == (False, WINDOW + 1)


@override_settings(SEARCH_RANKING_WINDOW=WINDOW)
def test_an_explicit_ordering_above_the_window_is_not_narrowed_to_the_newest(corpus):
    """Oldest first over 40 matches lists the 16 oldest matches, not the newest ones."""
    matches = [a for a in corpus if "pharma" in a.body.split() or "Pharma" in a.title]
    dated = sorted((a for a in matches if a.published_on), key=lambda a: (a.published_on, a.pk))

    oldest_first = Article.objects.search("pharma").order_by(
        F("published_on").asc(nulls_last=True), "id"
    )
    results, paginator = paged(oldest_first)

    assert [a.pk for a in results] == [a.pk for a in dated[:WINDOW]]
    assert paginator.count_is_exact is False


@override_settings(SEARCH_RANKING_WINDOW=WINDOW)
def test_the_api_says_whether_the_count_is_exact_and_stops_at_the_window(corpus, client):
    """count_exact is true for lists and small searches, false above the window, where
    following ``next`` ends after the window's results."""
    small = client.get("/api/articles/", {"search": "insulin"}).json()
    assert small["count_exact"] is True
    assert small["count"] == Article.objects.search("insulin").count()
    assert client.get("/api/articles/").json()["count_exact"] is True

    url, seen = "/api/articles/?search=pharma&page_size=3", []
    while url:
        body = client.get(url).json()
        assert body["count_exact"] is False
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == WINDOW == len(set(seen))


@override_settings(SEARCH_RANKING_WINDOW=WINDOW)
def test_the_search_page_says_the_count_is_approximate_and_why(corpus, client):
    """Above the window the site shows "About N" (PostgreSQL) or "More than N" (SQLite)
    and tells visitors how to reach older articles; below it, the exact count."""
    page = client.get("/articles/", {"q": "pharma"}).content.decode()
    if connection.vendor == "postgresql":
        assert "About " in page
    else:
        assert f"More than {WINDOW} articles match" in page
    assert f"only the newest {WINDOW} are ranked" in page

    exact = client.get("/articles/", {"q": "insulin"}).content.decode()
    count = Article.objects.search("insulin").count()
    assert f"{count} articles match" in exact
    assert "are ranked and listed" not in exact
