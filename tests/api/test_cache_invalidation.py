"""Editors' API writes reach the cached aggregates of the pages at once (kaluga_cluster.cache).

Transactional tests: the data version is bumped when the write commits.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import ArticleFactory, OrganisationFactory, OrganisationMentionFactory
from tests.test_cache import organisation_count


@pytest.mark.django_db(transaction=True)
def test_the_overview_counts_an_organisation_an_editor_just_added(editor_api):
    """An API write commits, bumps the data version, and the next overview shows it."""
    OrganisationFactory(name="Known Pharma")
    visitor = Client()
    assert organisation_count(visitor) == 1

    response = editor_api.post("/api/organisations/", {"name": "New Labs"}, format="json")

    assert response.status_code == 201
    assert organisation_count(visitor) == 2


@pytest.mark.django_db(transaction=True)
def test_search_facets_are_cached_by_the_normalised_query_and_follow_editor_writes(editor_api):
    """Spellings of one search share the cached facets; a rejected organisation leaves them."""
    organisation = OrganisationFactory(name="Facet Pharma")
    for article in ArticleFactory.create_batch(2, title="Vaccine plant", body="Vaccine plant."):
        OrganisationMentionFactory(article=article, organisation=organisation)
    visitor = Client()
    assert "Facet Pharma" in visitor.get("/articles/", {"q": "vaccine"}).content.decode()
    assert _facets_cached_across_spellings(visitor)

    response = editor_api.patch(
        f"/api/organisations/{organisation.pk}/", {"review_status": "rejected"}, format="json"
    )

    assert response.status_code == 200
    assert "Facet Pharma" not in visitor.get("/articles/", {"q": "vaccine"}).content.decode()


def _facets_cached_across_spellings(visitor) -> bool:
    """The same search spelled with other spaces reads its facets from the cache."""
    with CaptureQueriesContext(connection) as cold:
        visitor.get("/articles/", {"q": "plant"})
    with CaptureQueriesContext(connection) as warm:
        visitor.get("/articles/", {"q": "  plant "})
    # Cold: the results, their count and the four facets; warm: no facet query.
    return len(warm) < len(cold)
