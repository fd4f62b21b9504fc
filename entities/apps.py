from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EntitiesConfig(AppConfig):
    """Organisations, people, programs and metrics, and their extraction."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "entities"
    verbose_name = "Entities"

    def ready(self):
        """Keep the SQLite name index's triggers alive across migrations that rebuild tables."""
        from entities.name_index import repair_name_index

        post_migrate.connect(repair_name_index, sender=self)
