"""The name index: typo-tolerant lookup of organisations, people and programs.

PostgreSQL: the ``pg_trgm`` extension and partial GIN trigram indexes (key, aliases) on each
of the three tables; SQLite: an FTS5 table with the ``trigram`` tokenizer and
the triggers that keep it in step. The DDL is vendor-specific, so it runs from
``RunPython`` (see :mod:`entities.name_index`).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from entities.name_index import install_name_index, remove_name_index


class TrigramExtensionOnPostgreSQL(TrigramExtension):
    """``CREATE EXTENSION pg_trgm`` on PostgreSQL only.

    Django's operation skips other databases going forwards but not
    backwards (it looks for ``pg_extension`` on SQLite too). Unapplying keeps
    the extension: it may have been there before, and other code may use it.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        """Create the extension, on PostgreSQL."""
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        """Keep the extension (see the class)."""


def install(apps, schema_editor):
    """Build the index for this database's vendor and fill it from the tables."""
    install_name_index(schema_editor.connection)


def remove(apps, schema_editor):
    """Drop the index (the tables keep their rows)."""
    remove_name_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("entities", "0010_change_log"),
    ]

    operations = [
        TrigramExtensionOnPostgreSQL(),
        migrations.RunPython(install, remove),
    ]
