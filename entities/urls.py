"""Site pages of the entities app."""

from django.urls import path

from entities import views
from entities.models import Organisation, Person, Program

app_name = "entities"


def dossier_paths(prefix: str, model) -> list:
    """A kind's dossiers: ``<prefix>/<slug>/dossier/`` (printable), ``dossier.json``, ``.csv``."""
    name = f"{model._meta.model_name}-dossier"
    view = views.DossierView.as_view
    route = f"{prefix}/<str:slug>/dossier"
    return [
        path(f"{route}/", view(model=model), name=name),
        path(f"{route}.json", view(model=model, format="json"), name=f"{name}-json"),
        path(f"{route}.csv", view(model=model, format="csv"), name=f"{name}-csv"),
    ]


urlpatterns = [
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "organisations/<str:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    *dossier_paths("organisations", Organisation),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/<str:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    *dossier_paths("people", Person),
    path("programs/", views.ProgramListView.as_view(), name="program-list"),
    path("programs/<str:slug>/", views.ProgramDetailView.as_view(), name="program-detail"),
    *dossier_paths("programs", Program),
    path("metrics/", views.MetricListView.as_view(), name="metric-list"),
]
