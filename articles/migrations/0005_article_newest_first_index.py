"""PostgreSQL: an index in the articles' list order, newest first with undated last.

Lists order articles by ``published_on DESC NULLS LAST, id DESC``. The plain
index on ``published_on`` cannot serve that order (a backward scan puts NULLs
first), so every list page sorted the whole table: 49 ms at 10,000 articles
and growing with them (docs/benchmarks.md). Django cannot declare this index
portably: SQLite refuses ``NULLS LAST`` in an index, and does not use an index
for an explicit ``NULLS LAST`` order anyway, so the index is PostgreSQL's only.
"""

from django.db import migrations

INDEX = "article_newest_first_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            "ON articles_article (published_on DESC NULLS LAST, id DESC)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_mention_curated"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
