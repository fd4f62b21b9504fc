"""Keeping a copy of the knowledge base in step: the changes feed of every list.

``?updated_since=<ISO 8601>`` on a list gives the records changed at or after
that moment (``updated_at``, which every write that changes what a record
shows moves: see ``entities.services.changes``), oldest change first, in
pages linked by an opaque cursor on (``updated_at``, ``id``): a record
changed while a client pages comes again at the end, none is skipped, and no
page overlaps another. Records that left are in ``/api/deletions/``
(``entities.api.deletions``), paged the same way.

A sync therefore reads the deletions since its last sync, then every
changed record, and remembers as its next ``since`` the moment it *started*,
less a margin: a write's time is taken when it is made and it becomes
visible when its transaction commits, up to a few seconds later.
"""

import base64
import binascii
from datetime import UTC, datetime, time
from functools import cached_property

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import pagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from kaluga_cluster.api import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    QueryParameterError,
    page_size_parameter,
    requested_page_size,
)

MOMENT_HELP = (
    "An ISO 8601 date and time, e.g. 2026-12-01T09:30:00Z (a date alone means its "
    "midnight; a time without an offset is UTC)."
)

CURSOR_HELP = "Where the next page of a feed starts: copy it from `next`, never build it."


def parse_moment(raw: str, parameter: str) -> datetime:
    """An aware datetime from an ISO 8601 query value; 400 naming ``parameter`` otherwise.

    An unescaped ``+`` of an offset arrives as a space (form encoding) and is
    read as the ``+`` it was.
    """
    text = raw.strip()
    head, _, offset = text.rpartition(" ")
    if head and offset[:2].isdigit() and ":" in head:
        text = f"{head}+{offset}"
    try:
        moment = parse_datetime(text)
        day = None if moment is not None else parse_date(text)
    except ValueError:
        moment = day = None
    if moment is None and day is not None:
        moment = datetime.combine(day, time.min)
    if moment is None:
        raise QueryParameterError({parameter: [f"“{raw}” is not an ISO 8601 date and time."]})
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    try:
        # In UTC, as the database compares it: 0001-01-01T00:00+14:00 falls before year 1.
        return moment.astimezone(UTC)
    except OverflowError:
        raise QueryParameterError({parameter: [f"“{raw}” is out of range."]}) from None


class ChangesCursorPagination(pagination.CursorPagination):
    """Pages of a changes feed in (``field``, ``id``) order, linked by an opaque cursor.

    The body keeps the shape of every list, ``{count, next, previous,
    results}``: ``count`` is how many records the whole feed holds (from the
    requested moment on), ``previous`` is always null (a sync reads forward),
    ``next`` is null on the last page. A cursor is the position after the
    page's last record, so records changed meanwhile move to the end instead
    of shifting the pages.
    """

    cursor_query_param = "cursor"
    # StrictFilterBackend allows a paginator's page and page size parameters.
    page_query_param = "cursor"
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_cursor_message = "Invalid cursor: follow the next link as it was given."
    #: The change time the feed is ordered by (then ``id``).
    field = "updated_at"

    def __init__(self, field: str | None = None, *, count_exact: bool = False):
        if field is not None:
            self.field = field
        # A list whose pages say whether their count is exact (articles) says so here too:
        # a feed's count always is.
        self.count_exact = count_exact

    def paginate_queryset(self, queryset, request, view=None):
        """The page after the cursor's position (the first page without one)."""
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        position = self.decode_position(request)
        self.count = queryset.count()
        queryset = queryset.order_by(self.field, "pk")
        if position is not None:
            moment, pk = position
            queryset = queryset.filter(
                Q(**{f"{self.field}__gt": moment}) | Q(**{self.field: moment, "pk__gt": pk})
            )
        rows = list(queryset[: self.page_size + 1])
        self.has_next = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        return self.page

    def get_page_size(self, request):
        """``page_size`` as the page-number lists read it: 1 or more, capped at 100."""
        return requested_page_size(request, self)

    def get_next_link(self):
        """The address of the next page, or None after the last one."""
        if not self.has_next:
            return None
        last = self.page[-1]
        return replace_query_param(
            self.base_url, self.cursor_query_param, self.encode_position(last)
        )

    def get_previous_link(self):
        """Always None: the feed is read forward."""
        return None

    def get_paginated_response(self, data):
        """``{count, next, previous, results}``, as every list answers."""
        exact = {"count_exact": True} if self.count_exact else {}
        return Response(
            {
                "count": self.count,
                **exact,
                "next": self.get_next_link(),
                "previous": None,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        """The same body schema as the page-number lists."""
        return pagination.PageNumberPagination().get_paginated_response_schema(schema)

    def get_schema_operation_parameters(self, view):
        """``cursor`` and ``page_size``."""
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": CURSOR_HELP,
                "schema": {"type": "string"},
            },
            page_size_parameter(self),
        ]

    def encode_position(self, record) -> str:
        """An opaque cursor for the position just after ``record``."""
        moment = getattr(record, self.field).astimezone(UTC).isoformat()
        return base64.urlsafe_b64encode(f"{moment}|{record.pk}".encode()).decode()

    def decode_position(self, request) -> tuple[datetime, int] | None:
        """The (moment, id) a cursor stands for; 400 naming ``cursor`` when garbled."""
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None
        try:
            moment, _, pk = base64.urlsafe_b64decode(raw.encode()).decode().partition("|")
            return datetime.fromisoformat(moment).astimezone(UTC), int(pk)
        except (binascii.Error, UnicodeError, ValueError, OverflowError):
            raise QueryParameterError(
                {self.cursor_query_param: [self.invalid_cursor_message]}
            ) from None


CURSOR_PARAMETER = OpenApiParameter("cursor", str, description=CURSOR_HELP)


class ChangesFeedMixin:
    """``?updated_since=`` on a list: the records changed since then, in change order.

    Without it the list pages as always (``page``, ``{count, next,
    previous, results}``); with it, pages follow a cursor
    (:class:`ChangesCursorPagination`) and ``ordering`` is refused, since
    the feed's order is the order of the changes.
    """

    changes_field = "updated_at"

    def own_query_parameters(self) -> set[str]:
        """The query parameters this mixin reads (``StrictFilterBackend`` allows them)."""
        own = getattr(super(), "own_query_parameters", set)()
        if getattr(self, "action", None) == "list":
            own.add("updated_since")
        return own

    def own_schema_parameters(self) -> list[OpenApiParameter]:
        """``updated_since`` and its ``cursor`` on lists."""
        own = getattr(super(), "own_schema_parameters", list)()
        if getattr(self, "action", None) != "list":
            return own
        return [
            *own,
            OpenApiParameter(
                "updated_since",
                OpenApiTypes.DATETIME,
                description=(
                    "Only records changed at or after this moment, oldest change first, paged "
                    f"by `cursor` (follow `next`); `count` is how many there are. {MOMENT_HELP}"
                ),
            ),
            CURSOR_PARAMETER,
        ]

    @cached_property
    def updated_since(self) -> datetime | None:
        """The moment ``?updated_since=`` asks for, or None for the plain list."""
        if getattr(self, "action", None) != "list":
            return None
        raw = self.request.query_params.get("updated_since")
        return None if raw is None else parse_moment(raw, "updated_since")

    @property
    def paginator(self):
        """The cursor of the changes feed with ``updated_since``, else the list's own pages."""
        if self.updated_since is None:
            return super().paginator
        if not hasattr(self, "_changes_paginator"):
            pages = super().paginator
            keys = pages.get_paginated_response_schema({}).get("properties", {}) if pages else {}
            self._changes_paginator = ChangesCursorPagination(
                self.changes_field, count_exact="count_exact" in keys
            )
        return self._changes_paginator

    def filter_queryset(self, queryset):
        """The list's filters, then only what changed at or after ``updated_since``."""
        queryset = super().filter_queryset(queryset)
        if self.updated_since is None:
            return queryset
        if "ordering" in self.request.query_params:
            raise QueryParameterError(
                {
                    "ordering": [
                        "A changes feed (updated_since) comes in the order of the changes; "
                        "leave ordering out."
                    ]
                }
            )
        return queryset.filter(**{f"{self.changes_field}__gte": self.updated_since})
