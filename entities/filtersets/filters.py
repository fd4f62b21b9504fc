"""Filters the FilterSets of both apps share, and the rules they all keep.

Every value is validated by a form field: a malformed value is a form error
naming the parameter, never an exception from the database. Related records
are chosen by slug (``organisation=acme``) or by id (``organisation_id=7``);
both accept several values (``?organisation=a&organisation=b`` matches either).
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models.functions import Lower
from django_filters.fields import BaseCSVField, ModelMultipleChoiceField
from drf_spectacular.utils import extend_schema_field

from entities.models import ReviewStatus

# Bounds of the year filters: what a PositiveSmallIntegerField and a Python
# date can hold, so that no valid-looking value can make the database fail.
MIN_YEAR = 1
MAX_YEAR = 9999
# The largest primary key a 64-bit integer column holds.
MAX_ID = 2**63 - 1


class SchemaTypeMixin:
    """State the OpenAPI type of a filter's values, keeping its help text and bounds.

    drf-spectacular guesses a filter's type from the model field it follows;
    the filters below follow relations or lookups it cannot resolve.
    """

    schema_type = "string"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schema = {"type": self.schema_type, "description": self.extra.get("help_text", "")}
        if self.extra.get("min_value") is not None:
            schema["minimum"] = self.extra["min_value"]
        if self.extra.get("max_value") is not None:
            schema["maximum"] = self.extra["max_value"]
        extend_schema_field(schema)(self)


class IntegerFilter(SchemaTypeMixin, django_filters.NumberFilter):
    """A whole-number filter: "2020" passes, "2020.5" is rejected with a clear message."""

    field_class = forms.IntegerField
    schema_type = "integer"


class YearFilter(IntegerFilter):
    """A year, or a bound on years: a whole number from MIN_YEAR to MAX_YEAR."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)


class IdMultipleChoiceField(ModelMultipleChoiceField):
    """Choose records by id, rejecting what is not a whole number in range before any query.

    A huge or non-numeric id would otherwise reach the database and fail there.
    """

    def _check_values(self, value):
        for item in value:
            text = str(item).strip()
            if not (text.isascii() and text.isdigit()):
                raise ValidationError(
                    "“%(pk)s” is not a valid id: ids are positive whole numbers.",
                    code="invalid_pk_value",
                    params={"pk": item},
                )
            if not 1 <= int(text) <= MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)


class SlugMultipleChoiceFilter(SchemaTypeMixin, django_filters.ModelMultipleChoiceFilter):
    """Filter by the slugs of related records; several values match any of them."""


class IdMultipleChoiceFilter(SchemaTypeMixin, django_filters.ModelMultipleChoiceFilter):
    """Filter by the ids of related records; several values match any of them."""

    field_class = IdMultipleChoiceField
    schema_type = "integer"


def related_filters(
    model,
    *,
    help_text: str,
    path: str | None = None,
    slug_filter=SlugMultipleChoiceFilter,
    id_filter=IdMultipleChoiceFilter,
    **kwargs,
):
    """The pair of filters ``<model>`` and ``<model>_id``: related records by slug or by id.

    ``path`` is the lookup from the filtered model to ``model``
    (``positions__organisation``); without it the filters keep the names they
    are declared under. ``help_text`` has ``{key}`` where "slug" or "id"
    belongs. The labels are the model's name ("Organisation", "Organisation
    id"); other keyword arguments go to both filters.
    """
    noun = str(model._meta.verbose_name).capitalize()
    by_slug = slug_filter(
        **({"field_name": f"{path}__slug"} if path else {}),
        to_field_name="slug",
        queryset=model.objects.all(),
        label=noun,
        help_text=help_text.format(key="slug"),
        **kwargs,
    )
    by_id = id_filter(
        **({"field_name": path} if path else {}),
        queryset=model.objects.all(),
        label=f"{noun} id",
        help_text=help_text.format(key="id"),
        **kwargs,
    )
    return by_slug, by_id


class OrderingField(BaseCSVField):
    """The comma-separated sort fields of ``ordering``, each named at most once.

    django-filter lets an empty term through ("name,,year" or a lone ","), and
    nothing stops "name,-name"; both are refused here, as a form error naming
    the parameter, rather than failing while the query is built.
    """

    def clean(self, value):
        """Check each term (a known field, ``-`` for descending), then refuse gaps and repeats."""
        terms = super().clean(value)
        if not terms:
            return terms
        written = ",".join(terms)
        if any(term == "" for term in terms):
            raise ValidationError(
                "“%(value)s” has an empty sort field: separate the fields with single commas, "
                "such as “name,-confidence”.",
                code="empty_term",
                params={"value": written},
            )
        seen = set()
        for term in terms:
            field = term.removeprefix("-")
            if field in seen:
                raise ValidationError(
                    "“%(value)s” sorts by “%(field)s” twice: name each field at most once.",
                    code="repeated_term",
                    params={"value": written, "field": field},
                )
            seen.add(field)
        return terms


class StableOrderingFilter(django_filters.OrderingFilter):
    """``ordering`` that keeps empty values last and gives pages a stable order.

    Two rows with the same sort value would otherwise swap between pages, so
    the primary key breaks ties; NULLs sort last in either direction on both
    SQLite and PostgreSQL (their defaults differ). Fields named in
    ``text_fields`` sort regardless of case, so "ANBR" files among the A's.
    Empty and repeated terms are form errors (:class:`OrderingField`).
    """

    base_field_class = OrderingField

    def __init__(self, *args, text_fields=(), **kwargs):
        self.text_fields = set(text_fields)
        super().__init__(*args, **kwargs)

    def get_ordering_value(self, param):
        """Return an expression ordering by ``param`` with NULLs last."""
        descending = param.startswith("-")
        field_name = self.param_map[param.removeprefix("-")]
        expression = Lower(field_name) if field_name in self.text_fields else F(field_name)
        if descending:
            return expression.desc(nulls_last=True)
        return expression.asc(nulls_last=True)

    def filter(self, qs, value):
        """Order by the requested fields, then by primary key."""
        if not value:
            return qs
        return qs.order_by(*(self.get_ordering_value(param) for param in value), "pk")


def page_filterset(filterset_class, request, queryset):
    """The FilterSet of a site page's query string, with an unusable sort order left out.

    The API answers 400 for a bad ``ordering``. A visitor's list page instead
    falls back to its default order: sorting never narrows a list, so a bad
    one (a hand-edited or truncated address) is no reason to show nothing.
    Bad filters still match nothing, and the page says why.
    """
    data = request.GET or None
    filterset = filterset_class(data, queryset=queryset, request=request)
    unusable = [
        name
        for name, declared in filterset.filters.items()
        if isinstance(declared, django_filters.OrderingFilter) and name in filterset.errors
    ]
    if not unusable:
        return filterset
    data = data.copy()
    for name in unusable:
        data.pop(name)
    return filterset_class(data or None, queryset=queryset, request=request)


# Far more than anybody types. A longer search is refused (400) rather than run:
# SQLite fails on LIKE patterns over 50,000 bytes (5,000 characters are at most 20,000).
MAX_SEARCH_LENGTH = 5000


class SearchFilter(django_filters.CharFilter):
    """A search text parameter: at most MAX_SEARCH_LENGTH characters, else a 400 naming it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("method", "filter_search")
        kwargs.setdefault("label", "Search")
        kwargs.setdefault("max_length", MAX_SEARCH_LENGTH)
        super().__init__(*args, **kwargs)


class SearchFilterSetMixin(django_filters.FilterSet):
    """``search`` and its site alias ``q``: one full-text or name search, two spellings.

    The REST API documents ``search``; the site's pages use ``q`` in their
    addresses. When both are given, ``search`` wins and ``q`` is ignored.
    """

    search = SearchFilter(help_text="Text to search for.")
    q = SearchFilter(
        help_text="The same as `search` (the site's spelling); ignored when `search` is given.",
    )

    def filter_search(self, queryset, name, value):
        """Apply :meth:`search_queryset` once, whichever parameter carried the text."""
        if name == "q" and self.form.cleaned_data.get("search"):
            return queryset
        if not value.strip():
            return queryset
        return self.search_queryset(queryset, value.strip())

    def search_queryset(self, queryset, text):
        """Return the rows of ``queryset`` that match ``text`` (subclasses define it)."""
        raise NotImplementedError


class ConfidenceFilter(SchemaTypeMixin, django_filters.NumberFilter):
    """A bound on the extractor's confidence, a number from 0 to 1."""

    schema_type = "number"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "confidence")
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 1)
        super().__init__(*args, **kwargs)


class ConfidenceFilterSetMixin(django_filters.FilterSet):
    """``confidence_min`` and ``confidence_max``: editors review the doubtful records first."""

    confidence_min = ConfidenceFilter(
        lookup_expr="gte",
        label="Minimum confidence",
        help_text="Only records whose confidence (0 to 1) is at least this.",
    )
    confidence_max = ConfidenceFilter(
        lookup_expr="lte",
        label="Maximum confidence",
        help_text="Only records whose confidence (0 to 1) is at most this.",
    )


class ReviewFilterSetMixin(django_filters.FilterSet):
    """``review_status``: by default the lists leave rejected records out.

    A rejected record is one an editor said is wrong; it vanishes from the
    lists unless a client asks for it by name (``review_status=rejected``).
    Visitors never see one whatever they ask (``viewable_by``).
    """

    review_status = django_filters.MultipleChoiceFilter(
        choices=ReviewStatus.choices,
        label="Review",
        help_text=(
            "Only records in this review state (unreviewed, confirmed, rejected); repeat for "
            "several. Default: unreviewed and confirmed, rejected records left out."
        ),
    )

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("review_status"):
            queryset = queryset.not_rejected()
        return super().filter_queryset(queryset)
