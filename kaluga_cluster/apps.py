"""The project's app configurations."""

from django.contrib.admin.apps import AdminConfig


class KnowledgeBaseAdminConfig(AdminConfig):
    """Django's admin, with the knowledge base's site (the review queue) as ``admin.site``."""

    default_site = "kaluga_cluster.admin.KnowledgeBaseAdminSite"
