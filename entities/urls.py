"""Site pages of the entities app."""

from django.urls import path

from entities import views

app_name = "entities"

urlpatterns = [
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "organisations/<str:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/<str:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("programs/", views.ProgramListView.as_view(), name="program-list"),
    path("programs/<str:slug>/", views.ProgramDetailView.as_view(), name="program-detail"),
    path("metrics/", views.MetricListView.as_view(), name="metric-list"),
]
