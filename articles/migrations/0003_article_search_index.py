"""Full-text search index of articles, built by the database itself.

PostgreSQL gets a trigger-maintained ``search_vector`` column with a GIN index;
SQLite gets an FTS5 table kept in step by triggers. The model state only learns
about the unmanaged ``ArticleSearchEntry`` (the SQLite FTS table); the DDL is
vendor-specific, so it runs from ``RunPython`` (see articles/search.py).
"""

import django.db.models.deletion
from django.db import migrations, models

from articles.search import (
    IndexFirstOneToOneField,
    install_search_index,
    remove_search_index,
)


def install(apps, schema_editor):
    install_search_index(schema_editor.connection)


def remove(apps, schema_editor):
    remove_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleSearchEntry",
            fields=[
                (
                    "article",
                    IndexFirstOneToOneField(
                        db_column="rowid",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        related_query_name="search_entry",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("document", models.TextField(db_column="articles_article_fts")),
                ("rank", models.FloatField(db_column="rank")),
            ],
            options={
                "db_table": "articles_article_fts",
                "managed": False,
                "default_permissions": (),
            },
        ),
        migrations.RunPython(install, remove),
    ]
