"""REST API routes under /api/: one router for every endpoint, the schema and its explorer."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from articles.api.suggest import SuggestView
from articles.api.views import ArticleViewSet
from entities.api.deletions import DeletionViewSet
from entities.api.views import MetricViewSet, OrganisationViewSet, PersonViewSet, ProgramViewSet
from kaluga_cluster.api import api_not_found

router = DefaultRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("people", PersonViewSet, basename="person")
router.register("programs", ProgramViewSet, basename="program")
router.register("metrics", MetricViewSet, basename="metric")
router.register("deletions", DeletionViewSet, basename="deletion")

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's init script as a file (/api/docs/?script=),
    # so the Content-Security-Policy needs no inline script.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    *router.urls,
    # The reconciliation service (OpenRefine) and the search box's suggestions.
    path("", include("entities.api.urls")),
    path("suggest/", SuggestView.as_view(), name="suggest"),
    # Anything else under /api/ answers a JSON 404, as clients of an API expect.
    re_path(r"^.*$", api_not_found, name="not-found"),
]
