from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    """Articles, their mentions of entities, the import pipeline and search."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        """Keep the SQLite search triggers alive across migrations that rebuild tables."""
        from articles.search import repair_sqlite_search_index

        post_migrate.connect(repair_sqlite_search_index, sender=self)
