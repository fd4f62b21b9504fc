"""An import that changed many articles leaves PostgreSQL with fresh planner statistics (issue 17).

``pg_class.reltuples`` is the row count the last ``ANALYZE`` found (a sample,
exact for tables this small). Autovacuum is switched off for the tables here,
so only the import can have changed it.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from articles.corpus import write_corpus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's statistics (the PostgreSQL run)"
    ),
]


def _estimated_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.fixture(autouse=True)
def _no_autovacuum():
    """Autovacuum could analyse the tables in the middle of a test; not here."""
    with connection.cursor() as cursor:
        for table in ("articles_article", "entities_metric"):
            cursor.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
            # Statistics of the empty table: what an earlier test left goes.
            cursor.execute(f"ANALYZE {table}")
    yield
    with connection.cursor() as cursor:
        for table in ("articles_article", "entities_metric"):
            cursor.execute(f"ALTER TABLE {table} RESET (autovacuum_enabled)")


def _import(directory) -> None:
    call_command("import_seeds", str(directory), "--workers", "0", stdout=io.StringIO())


def test_an_import_of_many_articles_analyses_the_tables(tmp_path):
    write_corpus(tmp_path, 60, seed=3)
    assert _estimated_rows("articles_article") == 0

    _import(tmp_path)

    assert _estimated_rows("articles_article") == 60
    assert _estimated_rows("entities_metric") > 0


def test_a_small_import_into_a_large_base_leaves_statistics_to_autovacuum(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    write_corpus(first, 60, seed=3)
    _import(first)
    analysed = _estimated_rows("articles_article")

    write_corpus(second, 5, seed=4, start=1000)
    _import(second)

    # 5 new articles are fewer than 50 + 10% of 60: no ANALYZE, the estimate stays.
    assert _estimated_rows("articles_article") == analysed == 60


def _pages_all_visible(table: str) -> int:
    """Pages of ``table`` its visibility map marks all-visible (set by ``VACUUM``)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relallvisible FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def test_an_import_of_many_articles_vacuums_the_tables(tmp_path):
    # Without a vacuum no page is known all-visible, and no count or window
    # the review queue and search run can be read from an index alone.
    write_corpus(tmp_path, 60, seed=3)

    _import(tmp_path)

    assert _pages_all_visible("articles_article") > 0
    assert _pages_all_visible("entities_metric") > 0
