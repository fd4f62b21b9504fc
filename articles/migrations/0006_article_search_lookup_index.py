"""SQLite: a covering index the article search reads each hit's status and date from.

See ``SQLITE_LOOKUP_INDEX_SQL`` in articles/search.py. SQLite only: PostgreSQL
reads its hits from the article table, where its search index points, anyway.
"""

from django.db import migrations

from articles.search import SQLITE_LOOKUP_INDEX_SQL


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_LOOKUP_INDEX_SQL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS articles_article_search_lookup")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_article_newest_first_index"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
