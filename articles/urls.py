"""Site pages of the articles app."""

from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/", views.ArticleListView.as_view(), name="article-list"),
    path("articles/<str:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
]
