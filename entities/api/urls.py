"""Routes of the entities app's API that are not a router's: the reconciliation service.

Included under ``/api/`` by :mod:`kaluga_cluster.api_urls` (names in its ``api`` namespace).
"""

from django.urls import path

from entities.api import reconcile

urlpatterns = [
    path("reconcile/", reconcile.ReconcileView.as_view(), name="reconcile"),
    path("reconcile/preview/", reconcile.PreviewView.as_view(), name="reconcile-preview"),
    path("reconcile/view/<str:entity>/", reconcile.EntityPageView.as_view(), name="reconcile-view"),
    path(
        "reconcile/suggest/entity/",
        reconcile.SuggestEntityView.as_view(),
        name="reconcile-suggest-entity",
    ),
    path(
        "reconcile/suggest/type/",
        reconcile.SuggestTypeView.as_view(),
        name="reconcile-suggest-type",
    ),
    path(
        "reconcile/suggest/property/",
        reconcile.SuggestPropertyView.as_view(),
        name="reconcile-suggest-property",
    ),
    path(
        "reconcile/properties/",
        reconcile.ProposePropertiesView.as_view(),
        name="reconcile-properties",
    ),
]
