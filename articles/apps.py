from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """Articles, their mentions of entities, the import pipeline and search."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Articles"
