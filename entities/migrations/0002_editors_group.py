from django.db import migrations

from kaluga_cluster.editors import sync_editors_group


class Migration(migrations.Migration):
    """Create the Editors group with every permission on the curated models."""

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("entities", "0001_initial"),
        ("articles", "0002_initial"),
    ]

    operations = [migrations.RunPython(sync_editors_group, migrations.RunPython.noop)]
