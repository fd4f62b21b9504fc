"""Counts that stop early (``kaluga_cluster.counting``), on SQLite and PostgreSQL."""

import pytest
from django.db import connection

from entities.models import Organisation
from kaluga_cluster.counting import Count, bounded_count
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_up_to_the_bound_the_count_is_exact():
    """At most ``bound`` rows: counted, and shown as the number itself."""
    OrganisationFactory.create_batch(5)

    count = bounded_count(Organisation.objects.all(), bound=5)

    assert (count.value, count.exact, str(count)) == (5, True, "5")


def test_above_the_bound_the_count_is_estimated_or_a_lower_bound():
    """Above ``bound``: PostgreSQL's planner estimate ("about N"), else "more than <bound>"."""
    OrganisationFactory.create_batch(40)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE entities_organisation")

    count = bounded_count(Organisation.objects.all(), bound=10)

    assert count.exact is False
    if connection.vendor == "postgresql":
        assert count.estimated and count.value == 40 and str(count) == "about 40"
    else:
        assert (count.value, str(count)) == (11, "more than 10")


def test_shown_counts_are_readable():
    """Thousands separated; estimates rounded to three significant digits."""
    assert str(Count(1234)) == "1,234"
    assert str(Count(96_580, exact=False, estimated=True)) == "about 96,600"
    assert str(Count(1001, exact=False)) == "more than 1,000"
