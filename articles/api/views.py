"""API endpoint of articles: ranked full-text search, filters, and editors' writes."""

import hashlib

from rest_framework import viewsets

from articles.api.serializers import ArticleSerializer
from articles.filtersets import ArticleFilterSet
from articles.models import Article
from articles.search import SearchResultsPaginator
from kaluga_cluster.api import EditorWriteMixin, PageNumberPagination


class ArticlePagination(PageNumberPagination):
    """Pages of articles; those of search results read in two steps (``read_search_page``)."""

    django_paginator_class = SearchResultsPaginator


class ArticleViewSet(EditorWriteMixin, viewsets.ModelViewSet):
    """Articles, newest first, or best match first with `search`.

    Hidden articles are shown only to editors (users allowed to view them);
    the metrics listed with an article are those an editor has not rejected.
    """

    queryset = Article.objects.all()
    serializer_class = ArticleSerializer
    filterset_class = ArticleFilterSet
    pagination_class = ArticlePagination

    def get_queryset(self):
        """The articles this client may see, with everything the serializer shows."""
        articles = Article.objects.viewable_by(self.request.user)
        if self.action == "list":
            # ArticleListSerializer reads mentions and metrics as rows itself.
            return articles
        return articles.with_mentions().with_visible_metrics()

    def derived_fields(self, serializer) -> dict:
        """An article typed in by an editor has no imported file: its body's hash stands in."""
        body = serializer.validated_data["body"]
        return {"content_hash": hashlib.sha256(body.encode()).hexdigest()}
