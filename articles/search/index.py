"""Installing, removing and repairing the search index, on either database.

The statements themselves live with their backend (:mod:`articles.search.postgres`,
:mod:`articles.search.sqlite`); this module picks them by the connection's vendor.
"""

import logging

from django.db import connections

from articles.search.postgres import POSTGRES_INSTALL_SQL, POSTGRES_REMOVE_SQL
from articles.search.sqlite import (
    SQLITE_INSTALL_SQL,
    SQLITE_REMOVE_SQL,
    SQLITE_TABLE_INDEXES,
    SQLITE_TRIGGERS,
)

logger = logging.getLogger(__name__)


def install_search_index(connection):
    """Create (or bring up to date) the search index of the articles; idempotent."""
    _execute(connection, _install_sql(connection))


def remove_search_index(connection):
    """Drop the search index of the articles."""
    sql = POSTGRES_REMOVE_SQL if connection.vendor == "postgresql" else SQLITE_REMOVE_SQL
    _execute(connection, sql)


def _install_sql(connection):
    if connection.vendor == "postgresql":
        return POSTGRES_INSTALL_SQL
    if connection.vendor == "sqlite":
        return SQLITE_INSTALL_SQL
    raise NotImplementedError(
        f"Article search supports PostgreSQL and SQLite, not {connection.vendor}"
    )


def repair_sqlite_search_index(using="default", **kwargs):
    """Restore the FTS triggers and SQLite-only indexes after a migration rebuilt the table.

    A ``post_migrate`` receiver. Does nothing on other databases, before the
    index is installed, or when everything is there.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name FROM sqlite_master WHERE name = 'articles_article_fts' "
            "OR (type IN ('trigger', 'index') AND tbl_name = 'articles_article')"
        )
        existing = {name for _, name in cursor.fetchall()}
    if "articles_article_fts" not in existing:
        return
    if not existing >= set(SQLITE_TRIGGERS):
        # Articles may have changed unseen by the index: rebuild it all.
        logger.warning("Article search triggers were missing on %s; reinstalling them", using)
        install_search_index(connection)
    missing = [sql for name, sql in SQLITE_TABLE_INDEXES.items() if name not in existing]
    _execute(connection, missing)


def _execute(connection, statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
