"""Every list answers in a fixed number of queries, whatever the page size."""

import pytest

from entities.models import Person
from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationMentionFactory,
    PersonMentionFactory,
    PositionFactory,
    ProgramMentionFactory,
)

pytestmark = pytest.mark.django_db

ROWS = 12


@pytest.fixture
def corpus():
    """Articles that each mention an organisation, a person and a program and state metrics."""
    for _ in range(ROWS):
        article = ArticleFactory()
        OrganisationMentionFactory(article=article)
        PositionFactory(person=PersonMentionFactory(article=article).person, article=article)
        ProgramMentionFactory(article=article)
        MetricFactory.create_batch(2, article=article)


# count + page, then one query per prefetched relation.
QUERIES = {
    # organisation, person and program mentions, metrics
    "/api/articles/": 2 + 4,
    "/api/organisations/": 2,
    # positions (with organisation and article joined)
    "/api/people/": 2 + 1,
    "/api/programs/": 2,
    # article and subject are joined
    "/api/metrics/": 2,
}


@pytest.mark.parametrize("page_size", [1, 5, ROWS])
@pytest.mark.parametrize("endpoint", QUERIES)
def test_list_query_count_does_not_grow_with_the_page(
    api, corpus, django_assert_num_queries, endpoint, page_size
):
    """A list page costs the same number of queries for 1 row as for many."""
    with django_assert_num_queries(QUERIES[endpoint]):
        response = api.get(endpoint, {"page_size": page_size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [2, ROWS])
def test_searched_and_filtered_articles_cost_a_fixed_number_of_queries(
    api, corpus, django_assert_num_queries, page_size
):
    """A search reads its page in two steps (ids and ranks, then rows); entity filters
    add only one lookup query per filter."""
    people = "&".join(f"person_id={pk}" for pk in Person.objects.values_list("pk", flat=True))
    url = f"/api/articles/?search=meeting&page_size={page_size}&{people}"
    with django_assert_num_queries(QUERIES["/api/articles/"] + 2):
        response = api.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size


def test_an_editor_costs_a_fixed_number_of_extra_queries(
    editor_api, corpus, django_assert_num_queries
):
    """Token lookup and permission checks add a fixed cost, not one per row."""
    # token with its user, the user's permissions, the group permissions
    with django_assert_num_queries(QUERIES["/api/people/"] + 3):
        response = editor_api.get("/api/people/", {"page_size": ROWS})
    assert len(response.json()["results"]) == ROWS
