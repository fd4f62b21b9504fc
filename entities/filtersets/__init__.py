"""FilterSets of organisations, people, programs and metrics (``records``), and the filters
both apps share (``filters``). Everything is importable from ``entities.filtersets``."""

from entities.filtersets.filters import (
    MAX_ID,
    MAX_SEARCH_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    ConfidenceFilterSetMixin,
    IdMultipleChoiceField,
    IdMultipleChoiceFilter,
    ReviewFilterSetMixin,
    SchemaTypeMixin,
    SearchFilter,
    SearchFilterSetMixin,
    StableOrderingFilter,
    YearFilter,
    page_filterset,
    related_filters,
)
from entities.filtersets.records import (
    MetricFilterSet,
    NamedEntityFilterSet,
    OrganisationFilterSet,
    PersonFilterSet,
    ProgramFilterSet,
)

__all__ = [
    "MAX_ID",
    "MAX_SEARCH_LENGTH",
    "MAX_YEAR",
    "MIN_YEAR",
    "ConfidenceFilterSetMixin",
    "IdMultipleChoiceField",
    "IdMultipleChoiceFilter",
    "MetricFilterSet",
    "NamedEntityFilterSet",
    "OrganisationFilterSet",
    "PersonFilterSet",
    "ProgramFilterSet",
    "ReviewFilterSetMixin",
    "SchemaTypeMixin",
    "SearchFilter",
    "SearchFilterSetMixin",
    "StableOrderingFilter",
    "YearFilter",
    "page_filterset",
    "related_filters",
]
