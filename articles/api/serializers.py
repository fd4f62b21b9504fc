"""Serializers of articles and the entities and metrics they mention."""

from functools import cache

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.models import Article, OrganisationMention, PersonMention, ProgramMention
from entities.models import Metric
from kaluga_cluster.api import SiteURLField, reject_control_characters, site_url_maker

SPANS_HELP = "[start, end] character offsets of every occurrence in the article body."


class SpansField(serializers.ListField):
    """Where a mention occurs: a list of [start, end] offset pairs."""

    def __init__(self, **kwargs):
        pair = serializers.ListField(
            child=serializers.IntegerField(min_value=0), min_length=2, max_length=2
        )
        super().__init__(child=pair, read_only=True, help_text=SPANS_HELP, **kwargs)


class MentionSerializer(serializers.ModelSerializer):
    """An entity an article mentions (its id, slug and name) and where.

    Subclasses name the mention table's foreign key to the entity in ``entity_field``.
    """

    entity_field: str

    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    spans = SpansField()

    class Meta:
        fields = ["id", "slug", "name", "spans"]

    def get_fields(self):
        """The declared fields, ``id``, ``slug`` and ``name`` read from the mentioned entity."""
        fields = super().get_fields()
        for name in ("id", "slug", "name"):
            fields[name].source = f"{self.entity_field}.{name}"
        return fields


class OrganisationMentionSerializer(MentionSerializer):
    """An organisation the article mentions, and where."""

    entity_field = "organisation"

    class Meta(MentionSerializer.Meta):
        model = OrganisationMention


class PersonMentionSerializer(MentionSerializer):
    """A person the article mentions, and where."""

    entity_field = "person"

    class Meta(MentionSerializer.Meta):
        model = PersonMention


class ProgramMentionSerializer(MentionSerializer):
    """A program the article mentions, and where."""

    entity_field = "program"

    class Meta(MentionSerializer.Meta):
        model = ProgramMention


class MetricBriefSerializer(serializers.ModelSerializer):
    """A metric the article states, in brief (the full record is at /api/metrics/{id}/)."""

    class Meta:
        model = Metric
        fields = ["id", "label", "value", "unit", "raw_text", "qualifier", "year"]
        read_only_fields = fields


@cache
def _metric_value_to_json():
    """How the brief metric serializer writes a value (built once, not per page)."""
    return MetricBriefSerializer().fields["value"].to_representation


#: The mention lists of an article: output key and the serializer of one mention.
MENTION_LISTS = {
    "organisations": OrganisationMentionSerializer,
    "people": PersonMentionSerializer,
    "programs": ProgramMentionSerializer,
}


class ArticleListSerializer(serializers.ListSerializer):
    """A page of articles, their mentions and metrics read as plain rows.

    The same output as :class:`ArticleSerializer` per article, in the same
    queries as prefetching (one per mention table, one for the metrics), but
    without a model instance and a nested serializer per mention and metric:
    for a page of 100 articles with about 2,000 of them that took four fifths
    of the request (see docs/benchmarks.md). Give it articles without the
    prefetches (the viewset's list does).
    """

    def to_representation(self, data):
        """The page's articles as dicts, mentions and metrics attached from batched rows."""
        articles = list(data)
        if not articles:
            return []
        ids = [article.pk for article in articles]
        # The child's fields, less any a request left out (?fields=, ?brief=1): a list
        # left out costs no query.
        shown = set(self.child.fields)
        nested = {pk: {key: [] for key in MENTION_LISTS} | {"metrics": []} for pk in ids}
        for key, serializer in MENTION_LISTS.items():
            if key not in shown:
                continue
            link = serializer.entity_field
            rows = (
                serializer.Meta.model.objects.shown()
                .filter(article_id__in=ids)
                .order_by("pk")
                .values_list("article_id", f"{link}_id", f"{link}__slug", f"{link}__name", "spans")
            )
            for article_id, pk, slug, name, spans in rows:
                nested[article_id][key].append(
                    {"id": pk, "slug": slug, "name": name, "spans": spans}
                )
        metric_fields = MetricBriefSerializer.Meta.fields
        to_value = _metric_value_to_json()
        metrics = Metric.objects.not_rejected().filter(article_id__in=ids)
        if "metrics" not in shown:
            metrics = metrics.none()
        for article_id, *values in metrics.values_list("article_id", *metric_fields):
            metric = dict(zip(metric_fields, values, strict=True))
            metric["value"] = to_value(metric["value"])
            nested[article_id]["metrics"].append(metric)
        url_of = site_url_maker(Article, self.context.get("request"))
        rows = []
        for article in articles:
            rank = getattr(article, "search_rank", None)
            headline = getattr(article, "search_headline", None)
            row = {
                "id": article.pk,
                "url": url_of(article.slug),
                "slug": article.slug,
                "title": article.title,
                "published_on": article.published_on and article.published_on.isoformat(),
                "source": article.source,
                "source_file": article.source_file,
                "status": article.status,
                "body": article.body,
                **nested[article.pk],
                "search_rank": None if rank is None else float(rank),
                "search_headline": None if headline is None else str(headline),
            }
            rows.append({key: value for key, value in row.items() if key in shown})
        return rows


class ArticleSerializer(serializers.ModelSerializer):
    """An article with the organisations, people, programs and metrics it mentions.

    Mentions are read-only here (editors curate them in the admin). When the
    list is searched, ``search_rank`` and ``search_headline`` describe the match.
    """

    url = SiteURLField()
    organisations = OrganisationMentionSerializer(
        source="organisation_mentions", many=True, read_only=True
    )
    people = PersonMentionSerializer(source="person_mentions", many=True, read_only=True)
    programs = ProgramMentionSerializer(source="program_mentions", many=True, read_only=True)
    metrics = MetricBriefSerializer(many=True, read_only=True)
    search_rank = serializers.SerializerMethodField(
        help_text="How well it matches `search` (higher is better); null without a search."
    )
    search_headline = serializers.SerializerMethodField(
        help_text=(
            "HTML snippet of the body, article text escaped, matched words in <mark>; "
            "null without a search."
        )
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "slug",
            "title",
            "published_on",
            "source",
            "source_file",
            "status",
            "body",
            "organisations",
            "people",
            "programs",
            "metrics",
            "search_rank",
            "search_headline",
        ]
        list_serializer_class = ArticleListSerializer

    def validate(self, attrs):
        """Text fields hold no control characters (the body may have line breaks)."""
        reject_control_characters(attrs, multiline=("body",))
        return attrs

    @extend_schema_field({"type": "number", "format": "double", "nullable": True})
    def get_search_rank(self, article):
        """How well the article matches ``search`` (higher is better); null without a search."""
        rank = getattr(article, "search_rank", None)
        return None if rank is None else float(rank)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_search_headline(self, article):
        """A snippet of the body with the matched words in <mark>; null without a search."""
        headline = getattr(article, "search_headline", None)
        return None if headline is None else str(headline)
