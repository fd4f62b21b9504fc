"""The "Editors" group: people who curate the knowledge base and nothing else.

Migrations call :func:`sync_editors_group` whenever a curated model is added,
so the group always holds every permission of the curated apps and none of
``auth`` (editors cannot manage users or groups).
"""

EDITORS_GROUP = "Editors"
CURATED_APPS = ("articles", "entities")


def sync_editors_group(apps, schema_editor):
    """Create the Editors group and grant it all permissions of the curated apps.

    Permissions are normally created after ``migrate`` finishes; create them
    now so that the group can be granted them within this migration.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _ = group_model.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.set(permission_model.objects.filter(content_type__app_label__in=CURATED_APPS))
