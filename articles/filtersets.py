"""FilterSet of articles, shared by the site's article list and the REST API.

``search`` (or the site's ``q``) runs the ranked full-text search
(``Article.objects.search``): results come best first unless ``ordering``
asks otherwise. The entity filters keep the article list free of duplicates
without ``DISTINCT`` (which would fight the search ranking) by matching the
article ids of the mention tables in a subquery.
"""

import django_filters
from django.db.models import QuerySet

from articles.models import Article, OrganisationMention, PersonMention, ProgramMention
from entities.filtersets import (
    IdMultipleChoiceField,
    SchemaTypeMixin,
    SearchFilter,
    SearchFilterSetMixin,
    StableOrderingFilter,
    YearFilter,
    related_filters,
)
from entities.models import Organisation, Person, Program


class MentionFilter(SchemaTypeMixin, django_filters.ModelMultipleChoiceFilter):
    """Articles that mention any of the chosen entities.

    ``mention_model`` is the mention table and ``entity_field`` its foreign
    key to the entity, e.g. ``OrganisationMention`` and ``"organisation"``.
    """

    def __init__(self, *, mention_model, entity_field, **kwargs):
        self.mention_model = mention_model
        self.entity_field = entity_field
        super().__init__(**kwargs)

    def filter(self, qs, value):
        """Keep the articles with a mention of one of ``value`` (entity instances)."""
        if nothing_chosen(value):
            return qs
        mentions = self.mention_model.objects.filter(**{f"{self.entity_field}__in": value})
        return qs.filter(pk__in=mentions.values("article"))


def nothing_chosen(value) -> bool:
    """Whether a filter's cleaned ``value`` chose nothing, without running a query.

    An unused entity filter's value is the field's ``queryset.none()``: ``not
    value`` would evaluate it, and that cost about 0.6 ms of query building
    per filter, six filters on every article list and search.
    """
    if isinstance(value, QuerySet):
        return value.query.is_empty()
    return value in (None, "", [], ())


class MentionIdFilter(MentionFilter):
    """Articles that mention any of the entities with the chosen ids."""

    field_class = IdMultipleChoiceField
    schema_type = "integer"


def _mention_filters(entity_model, mention_model):
    """The by-slug and by-id filters of one kind of entity (``person``, ``person_id``).

    The mention table's foreign key is named after the entity's model (``person``).
    """
    noun = entity_model._meta.verbose_name
    return related_filters(
        entity_model,
        slug_filter=MentionFilter,
        id_filter=MentionIdFilter,
        mention_model=mention_model,
        entity_field=entity_model._meta.model_name,
        help_text=f"Articles that mention the {noun} with this {{key}}; repeat for any of several.",
    )


class ArticleFilterSet(SearchFilterSetMixin):
    """Full-text search, mentioned entities, publication date and ordering of articles.

    Give it published articles for visitors (``Article.objects.published()``):
    the FilterSet narrows what it is given and never widens it.
    """

    search = SearchFilter(
        help_text=(
            "Full-text search of titles and bodies, best match first. Words are ANDed; "
            '"a phrase" in quotes, `or` between words, `-word` to exclude.'
        ),
    )
    organisation, organisation_id = _mention_filters(Organisation, OrganisationMention)
    person, person_id = _mention_filters(Person, PersonMention)
    program, program_id = _mention_filters(Program, ProgramMention)
    published_after = django_filters.DateFilter(
        field_name="published_on",
        lookup_expr="gte",
        label="Published on or after",
        help_text="Articles published on or after this date (YYYY-MM-DD).",
    )
    published_before = django_filters.DateFilter(
        field_name="published_on",
        lookup_expr="lte",
        label="Published on or before",
        help_text="Articles published on or before this date (YYYY-MM-DD).",
    )
    year = YearFilter(
        field_name="published_on",
        lookup_expr="year",
        label="Year",
        help_text="Articles published in this year.",
    )
    ordering = StableOrderingFilter(
        fields=(("published_on", "published_on"), ("title", "title"), ("id", "id")),
        text_fields=("title",),
        help_text=(
            "Sort by `published_on`, `title` or `id`; prefix `-` for descending. Undated "
            "articles come last. Default: best match first when searching, else newest first."
        ),
    )

    class Meta:
        model = Article
        fields = [
            "search",
            "q",
            "organisation",
            "organisation_id",
            "person",
            "person_id",
            "program",
            "program_id",
            "published_after",
            "published_before",
            "year",
            "ordering",
        ]

    def search_queryset(self, queryset, text):
        """The ranked full-text search of the articles app (same as the site's)."""
        return queryset.search(text)
