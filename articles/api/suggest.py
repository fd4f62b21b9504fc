"""``/api/suggest/?q=``: what the site's search box offers while a visitor types.

Names of organisations, people and programs first (typo-tolerant: the name
index and the reconciliation service's scoring, so "Vertx" offers "Vertex"),
then articles whose titles hold the words typed, the last one as a prefix. A
misspelt name also brings the titles that hold the name it was taken for.
Rejected records and hidden articles never show.
"""

from django.db.models import F
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, renderers, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from articles.models import Article
from articles.search.titles import match_titles, title_words
from entities.models import NAMED_MODELS
from entities.reconciliation.queries import TYPES, kind_label
from entities.reconciliation.service import suggest_entities
from kaluga_cluster.api import (
    QueryParameterError,
    reject_control_characters,
    reject_unknown_parameters,
    site_url_maker,
)
from kaluga_cluster.schema import ErrorSerializer, ValidationErrorSerializer

#: Suggestions in all, by default and at most; names take up to this many of them.
DEFAULT_LIMIT = 10
MAX_LIMIT = 20
MAX_NAMES = 6
MAX_QUERY_LENGTH = 200
#: Fewer characters than this suggest nothing: one letter would match too much to help.
MIN_LENGTH = 2


class SuggestionSerializer(serializers.Serializer):
    """One suggestion: a named record (``name``, ``kind``) or an article (``title``)."""

    type = serializers.ChoiceField(
        choices=["organisation", "person", "program", "article"],
        help_text="What is suggested: a named record, or an article.",
    )
    id = serializers.IntegerField(help_text="Its id in the REST API.")
    name = serializers.CharField(required=False, help_text="A record's name.")
    kind = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="An organisation's or program's kind (`company`, `federal`, …); null for people.",
    )
    title = serializers.CharField(required=False, help_text="An article's title.")
    description = serializers.CharField(
        help_text="What to show under it: the record's type and kind, or the article's date "
        "and source."
    )
    url = serializers.URLField(help_text="Its page on the site.")


class SuggestionsSerializer(serializers.Serializer):
    """The suggestions for a text, names first."""

    query = serializers.CharField(help_text="The text the suggestions are for.")
    results = SuggestionSerializer(many=True)


class SuggestParametersSerializer(serializers.Serializer):
    """The query string of ``/api/suggest/``."""

    q = serializers.CharField(
        max_length=MAX_QUERY_LENGTH,
        allow_blank=True,
        help_text="What the visitor has typed so far (fewer than two letters: no suggestions).",
    )
    limit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_LIMIT,
        default=DEFAULT_LIMIT,
        help_text=f"At most this many suggestions (default {DEFAULT_LIMIT}, up to {MAX_LIMIT}).",
    )

    def validate(self, attrs):
        """Refuse invisible control characters, as every text parameter of the API does."""
        reject_control_characters(attrs)
        return attrs


class SuggestView(APIView):
    """Suggestions for the search box: names of records first, then article titles."""

    permission_classes = [permissions.AllowAny]
    renderer_classes = [renderers.JSONRenderer]

    @extend_schema(
        summary="Suggestions while typing a search",
        parameters=[
            OpenApiParameter("q", str, required=True, description="What has been typed so far."),
            OpenApiParameter("limit", int, description=f"At most this many (1-{MAX_LIMIT})."),
        ],
        responses={
            200: SuggestionsSerializer,
            400: OpenApiResponse(ValidationErrorSerializer, description="A malformed parameter."),
            429: OpenApiResponse(ErrorSerializer, description="Too many requests."),
        },
    )
    def get(self, request):
        """Up to ``limit`` suggestions: at most six names, then articles."""
        params = self._parameters(request)
        query, limit = params["q"], params["limit"]
        if len(query.strip()) < MIN_LENGTH:
            return Response({"query": query, "results": []})
        names = suggest_entities(query, limit=min(MAX_NAMES, limit))
        url_makers = {}
        results = [self._name(request, scored, url_makers) for scored in names]
        alternatives = [title_words(query)]
        if names and not names[0].features.get("prefix"):
            # Typed with a typo: the titles that hold the name it was taken for.
            alternatives.append(title_words(names[0].item.name))
        if limit > len(results) and any(alternatives):
            articles = (
                match_titles(Article.objects.published(), alternatives)
                .order_by(F("published_on").desc(nulls_last=True), "-pk")
                .values_list("pk", "slug", "title", "published_on", "source")[
                    : limit - len(results)
                ]
            )
            url_of = site_url_maker(Article, request)
            results += [
                {
                    "type": "article",
                    "id": pk,
                    "title": title,
                    "description": " · ".join(
                        part for part in (_date(published_on), source) if part
                    ),
                    "url": url_of(slug),
                }
                for pk, slug, title, published_on, source in articles
            ]
        return Response({"query": query, "results": results})

    def _parameters(self, request) -> dict:
        """``q`` and ``limit``, validated; unknown parameters answer 400 as elsewhere."""
        reject_unknown_parameters(
            request.query_params, {"q", "limit", api_settings.URL_FORMAT_OVERRIDE}
        )
        parameters = SuggestParametersSerializer(data=request.query_params)
        if not parameters.is_valid():
            raise QueryParameterError(parameters.errors)
        return parameters.validated_data

    def _name(self, request, scored, url_makers: dict) -> dict:
        record = scored.item
        model = NAMED_MODELS[record.kind]
        if model not in url_makers:
            url_makers[model] = site_url_maker(model, request)
        type_name = TYPES[record.kind]
        category = kind_label(record.kind, record.category) or None
        return {
            "type": record.kind,
            "id": record.pk,
            "name": record.name,
            "kind": record.category or None,
            "description": " · ".join(part for part in (type_name, category) if part),
            "url": url_makers[model](record.slug),
        }


def _date(day) -> str:
    """ "4 March 2014", or "" for an undated article."""
    return f"{day.day} {day:%B %Y}" if day else ""
