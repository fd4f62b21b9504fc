from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    """Organisations, people, programs and metrics, and their extraction."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "entities"
    verbose_name = "Entities"
