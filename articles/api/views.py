"""API endpoint of articles: ranked full-text search, filters, and editors' writes."""

import hashlib

from rest_framework import viewsets

from articles.api.serializers import ArticleSerializer
from articles.filtersets import ArticleFilterSet
from articles.models import Article
from articles.search import SearchResultsPaginator
from kaluga_cluster.api import EditorWriteMixin, PageNumberPagination
from kaluga_cluster.api_mirror import MirrorMixin
from kaluga_cluster.linked_data import LinkedDataMixin


class ArticlePagination(PageNumberPagination):
    """Pages of articles, with ``count_exact``: whether ``count`` was counted.

    A search with more matches than the ranking window (``articles.search.
    bounds``) lists only the best of its newest matches: ``count`` is then
    PostgreSQL's estimate, or on SQLite the window + 1 (a lower bound), and
    ``next`` stops at the end of the window. Pages of search results are read
    in two steps (``read_search_page``).
    """

    django_paginator_class = SearchResultsPaginator

    def get_paginated_response(self, data):
        """DRF's page, with ``count_exact`` after ``count``."""
        response = super().get_paginated_response(data)
        response.data = {
            "count": response.data["count"],
            "count_exact": self.page.paginator.count_is_exact,
            **{key: value for key, value in response.data.items() if key != "count"},
        }
        return response

    def get_paginated_response_schema(self, schema):
        """DRF's page schema, with ``count_exact``."""
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"] = {
            "count": paginated["properties"]["count"],
            "count_exact": {
                "type": "boolean",
                "description": "False when the search matches more articles than it ranks: "
                "`count` is then an estimate (PostgreSQL) or a lower bound (SQLite).",
            },
            **{k: v for k, v in paginated["properties"].items() if k != "count"},
        }
        paginated["required"] = [*paginated.get("required", []), "count_exact"]
        return paginated


class ArticleViewSet(MirrorMixin, LinkedDataMixin, EditorWriteMixin, viewsets.ModelViewSet):
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
