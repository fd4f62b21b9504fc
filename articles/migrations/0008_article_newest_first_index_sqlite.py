"""SQLite: an index in the articles' list order, newest first with undated last.

See ``SQLITE_NEWEST_INDEX_SQL`` in articles/search/sqlite.py. Django cannot
declare it portably (it would write ``NULLS LAST``, which SQLite refuses in
an index); PostgreSQL has its own (0005).
"""

from django.db import migrations

from articles.search.sqlite import SQLITE_NEWEST_INDEX, SQLITE_NEWEST_INDEX_SQL


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_NEWEST_INDEX_SQL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SQLITE_NEWEST_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_article_updated_index"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
