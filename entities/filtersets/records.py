"""FilterSets of organisations, people, programs and metrics.

One FilterSet per model, shared by the site's list pages and the REST API
(NetBox habit), so a filter behaves the same wherever a visitor or a client
uses it. The FilterSets of organisations, people and programs expect a
queryset annotated ``article_count`` (``with_article_counts()``) so that
they can order by it.
"""

import django_filters
from django.db.models import Q

from entities.filtersets.filters import (
    ConfidenceFilterSetMixin,
    IdMultipleChoiceFilter,
    ReviewFilterSetMixin,
    SearchFilter,
    SearchFilterSetMixin,
    StableOrderingFilter,
    YearFilter,
    related_filters,
)
from entities.models import Metric, Organisation, Person, Program, article_model


class NamedEntityFilterSet(ReviewFilterSetMixin, ConfidenceFilterSetMixin, SearchFilterSetMixin):
    """Search by name or alias, bound the confidence, order by name, articles or confidence.

    Subclasses declare ``search`` with :func:`name_search` (its help names
    their records) and list their filters with :func:`named_entity_fields`.
    """

    ordering = StableOrderingFilter(
        fields=(
            ("name", "name"),
            ("article_count", "article_count"),
            ("confidence", "confidence"),
        ),
        text_fields=("name",),
        help_text=("Sort by `name`, `article_count` or `confidence`; prefix `-` for descending."),
    )

    def search_queryset(self, queryset, text):
        """Names or aliases containing ``text``, case-insensitively."""
        # aliases is a JSON list: icontains matches inside its text form,
        # which finds an alias by any part of it.
        return queryset.filter(Q(name__icontains=text) | Q(aliases__icontains=text))


def name_search(model) -> SearchFilter:
    """The ``search`` of a list of named records, its help naming them ("People whose...")."""
    plural = str(model._meta.verbose_name_plural).capitalize()
    return SearchFilter(help_text=f"{plural} whose name or an alias contains this text (any case).")


def kind_filter(model) -> django_filters.MultipleChoiceFilter:
    """``kind``: records of any of the chosen kinds (``model.Kind``)."""
    return django_filters.MultipleChoiceFilter(
        choices=model.Kind.choices,
        help_text=(
            f"Only {model._meta.verbose_name_plural} of this kind; "
            "repeat the parameter for several kinds."
        ),
    )


def named_entity_fields(*own: str) -> list[str]:
    """The parameters of a named-entity FilterSet, in order, with ``own`` after the search."""
    return ["search", "q", *own, "confidence_min", "confidence_max", "review_status", "ordering"]


class OrganisationFilterSet(NamedEntityFilterSet):
    """Filters of the organisation list."""

    search = name_search(Organisation)
    kind = kind_filter(Organisation)

    class Meta:
        model = Organisation
        fields = named_entity_fields("kind")


class PersonFilterSet(NamedEntityFilterSet):
    """Filters of the people list."""

    search = name_search(Person)
    organisation, organisation_id = related_filters(
        Organisation,
        path="positions__organisation",
        distinct=True,
        help_text="People holding a position at the organisation with this {key}.",
    )

    class Meta:
        model = Person
        fields = named_entity_fields("organisation", "organisation_id")


class ProgramFilterSet(NamedEntityFilterSet):
    """Filters of the program list."""

    search = name_search(Program)
    kind = kind_filter(Program)

    class Meta:
        model = Program
        fields = named_entity_fields("kind")


class MetricValueFilter(django_filters.NumberFilter):
    """A bound on a metric's value in base units, with the digits the column holds."""

    def __init__(self, *args, **kwargs):
        value = Metric._meta.get_field("value")
        kwargs.setdefault("field_name", "value")
        kwargs.setdefault("max_digits", value.max_digits)
        kwargs.setdefault("decimal_places", value.decimal_places)
        super().__init__(*args, **kwargs)


class MetricFilterSet(ReviewFilterSetMixin, ConfidenceFilterSetMixin):
    """Filters of the metric list: unit, year range, subject, article, value and confidence."""

    unit = django_filters.CharFilter(
        lookup_expr="iexact",
        help_text='Only metrics in this unit, such as "RUB", "%" or "jobs" (any case).',
    )
    qualifier = django_filters.MultipleChoiceFilter(
        choices=Metric.Qualifier.choices,
        help_text="Only metrics with this qualifier; repeat for several.",
    )
    year_min = YearFilter(
        field_name="year",
        lookup_expr="gte",
        label="From year",
        help_text="Only metrics about this year or later.",
    )
    year_max = YearFilter(
        field_name="year",
        lookup_expr="lte",
        label="To year",
        help_text="Only metrics about this year or earlier.",
    )
    value_min = MetricValueFilter(
        lookup_expr="gte",
        label="Minimum value",
        help_text="Only metrics whose value (in base units) is at least this.",
    )
    value_max = MetricValueFilter(
        lookup_expr="lte",
        label="Maximum value",
        help_text="Only metrics whose value (in base units) is at most this.",
    )
    article = IdMultipleChoiceFilter(
        # The related model, not an import: entities never imports the articles app.
        queryset=article_model().objects.all(),
        distinct=False,
        label="Article id",
        help_text="Only metrics stated by the article with this id.",
    )
    organisation, organisation_id = related_filters(
        Organisation,
        path="organisation",
        distinct=False,
        help_text="Only metrics about the organisation with this {key}.",
    )
    program, program_id = related_filters(
        Program,
        path="program",
        distinct=False,
        help_text="Only metrics about the program with this {key}.",
    )
    ordering = StableOrderingFilter(
        fields=(
            ("value", "value"),
            ("year", "year"),
            ("label", "label"),
            ("confidence", "confidence"),
            ("id", "id"),
        ),
        text_fields=("label",),
        help_text=(
            "Sort by `value`, `year`, `label`, `confidence` or `id`; prefix `-` for descending."
        ),
    )

    class Meta:
        model = Metric
        fields = [
            "unit",
            "qualifier",
            "year_min",
            "year_max",
            "value_min",
            "value_max",
            "article",
            "organisation",
            "organisation_id",
            "program",
            "program_id",
            "confidence_min",
            "confidence_max",
            "review_status",
            "ordering",
        ]
