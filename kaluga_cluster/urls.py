"""Top-level URL configuration: admin, REST API and site pages."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Kaluga Cluster knowledge base"
admin.site.site_title = "Kaluga Cluster editors"
admin.site.index_title = "Curate articles, organisations, people, programs and metrics"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("kaluga_cluster.api_urls")),
    path("", include("articles.urls")),
    path("", include("entities.urls")),
]
