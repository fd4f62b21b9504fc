"""Plumbing shared by every REST API endpoint.

Pagination, the strict filter backend, the error format, the editor-write
mixin and visibility rules live here, in one place, so that the article and
entity endpoints behave alike. The CSV renderer (``kaluga_cluster.renderers``)
and the OpenAPI schema class (``kaluga_cluster.schema``) have modules of their
own because DRF imports them while its own views module is still loading.

Every error body has a ``detail`` message; validation errors (of a request
body or of query parameters) add ``errors``, keyed by field or parameter name.
"""

import unicodedata
from contextlib import contextmanager
from urllib.parse import quote

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, pagination, serializers
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from entities.editing import RecordGone, added_by_editor, editor_deleting, editor_saving
from entities.services import review

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


class QueryParameterError(exceptions.ValidationError):
    """A query parameter is unknown or its value is malformed (answers 400)."""

    summary = "Invalid query parameters."


def _positive_int(raw: str, parameter: str) -> int:
    """Parse a query parameter that must be a whole number of at least 1."""
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise QueryParameterError({parameter: [f"“{raw}” is not a whole number of 1 or more."]})
    return int(text)


def requested_page_size(request, paginator) -> int:
    """``paginator``'s page size parameter (1 or more, capped at its maximum), else its default."""
    raw = request.query_params.get(paginator.page_size_query_param)
    if raw is None:
        return paginator.page_size
    return min(_positive_int(raw, paginator.page_size_query_param), paginator.max_page_size)


def page_size_parameter(paginator) -> dict:
    """The OpenAPI description of ``paginator``'s page size parameter, as it behaves."""
    return {
        "name": paginator.page_size_query_param,
        "required": False,
        "in": "query",
        "description": (
            f"Results per page (default {paginator.page_size}); values above "
            f"{paginator.max_page_size} are capped to {paginator.max_page_size}."
        ),
        "schema": {"type": "integer", "minimum": 1},
    }


class PageNumberPagination(pagination.PageNumberPagination):
    """``page`` and ``page_size`` (default 25; values above 100 are capped to 100).

    A page size or page number that is not a whole number of at least 1
    answers 400; a page past the last one answers 404.
    """

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()
    invalid_page_message = "Page {page_number} does not exist: {message}."

    def get_page_size(self, request):
        """The requested page size, capped at ``max_page_size``."""
        return requested_page_size(request, self)

    def get_page_number(self, request, paginator):
        """The requested page number (validated; the paginator checks the upper end)."""
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        return _positive_int(raw, self.page_query_param)

    def get_schema_operation_parameters(self, view):
        """Describe ``page`` and ``page_size`` as they really behave."""
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1. A page past the last one answers 404.",
                "schema": {"type": "integer", "minimum": 1},
            },
            page_size_parameter(self),
        ]


def reject_unknown_parameters(query_params, allowed) -> None:
    """Answer 400 naming each query parameter not in ``allowed``, and listing those known."""
    unknown = sorted(set(query_params) - set(allowed))
    if unknown:
        known = ", ".join(sorted(allowed))
        raise QueryParameterError(
            {name: [f"Unknown query parameter. Known parameters: {known}."] for name in unknown}
        )


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, but unknown query parameters answer 400 instead of being ignored.

    A typo such as ``?organisaton=acme`` would otherwise silently return every
    row. Lists accept their FilterSet's parameters plus pagination and
    ``format``; single records accept only ``format`` and are never filtered.
    """

    def filter_queryset(self, request, queryset, view):
        """Reject unknown parameters, then filter lists with the view's FilterSet."""
        is_list = getattr(view, "action", None) == "list"
        allowed = {api_settings.URL_FORMAT_OVERRIDE}
        # Parameters the view reads itself (fields, updated_since: kaluga_cluster.api_mirror).
        allowed.update(getattr(view, "own_query_parameters", set)())
        filterset = None
        if is_list:
            filterset = self.get_filterset(request, queryset, view)
            if filterset is not None:
                allowed.update(filterset.filters)
            paginator = getattr(view, "paginator", None)
            if paginator is not None:
                allowed.update({paginator.page_query_param, paginator.page_size_query_param})
        reject_unknown_parameters(request.query_params, allowed)
        garbled = sorted(
            name
            for name, values in request.query_params.lists()
            if any(_has_control_characters(value, allowed=MULTILINE_WHITESPACE) for value in values)
        )
        if garbled:
            raise QueryParameterError({name: [CONTROL_CHARACTERS_MESSAGE] for name in garbled})
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise QueryParameterError(_form_errors_as_dict(filterset.errors))
        return filterset.qs


def _form_errors_as_dict(errors):
    """``{"year": ["Enter a whole number."]}`` from a form's ErrorDict."""
    return {field: [str(message) for message in messages] for field, messages in errors.items()}


class Conflict(exceptions.APIException):
    """The write collides with what another write did meanwhile (answers 409)."""

    status_code = 409
    default_detail = "The record changed while this request was being handled; try again."
    default_code = "conflict"


class RequestTooLarge(exceptions.APIException):
    """The request body is larger than Django accepts (DATA_UPLOAD_MAX_MEMORY_SIZE)."""

    status_code = 413
    default_detail = "The request body is too large."
    default_code = "request_too_large"


def exception_handler(exc, context):
    """DRF's handler, with every validation error wrapped as ``{detail, errors}``.

    Django's refusals of a malformed request (a body over the upload limit, too
    many form fields) answer JSON too, like every other API error.
    """
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = RequestTooLarge(f"The request body is too large (the limit is {limit} bytes).")
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError(str(exc) or "Malformed request.")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data
        if not isinstance(errors, dict):
            errors = {api_settings.NON_FIELD_ERRORS_KEY: errors}
        summary = getattr(exc, "summary", "Invalid input.")
        response.data = {"detail": summary, "errors": errors}
    return response


# Line breaks and tabs are fine in long texts (bodies, quotes, descriptions).
MULTILINE_WHITESPACE = "\n\r\t"


CONTROL_CHARACTERS_MESSAGE = "Remove the control characters (invisible codes) from this text."


def _has_control_characters(text: str, *, allowed: str = "") -> bool:
    return any(unicodedata.category(char) == "Cc" and char not in allowed for char in text)


def reject_control_characters(attrs: dict, *, multiline: tuple[str, ...] = ()) -> None:
    """Refuse text fields holding control characters (nobody types them; pages and CSV break).

    ``multiline`` names the fields where line breaks and tabs are allowed.
    Raises a ValidationError naming every offending field.
    """
    errors = {}
    for name, value in attrs.items():
        allowed = MULTILINE_WHITESPACE if name in multiline else ""
        texts = value if isinstance(value, list) else [value]
        for text in texts:
            if isinstance(text, str) and _has_control_characters(text, allowed=allowed):
                errors[name] = [CONTROL_CHARACTERS_MESSAGE]
    if errors:
        raise serializers.ValidationError(errors)


class ValidatedModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that checks the record with the model's own rules (``full_clean``).

    The rules live on the models (``clean()``, constraints), so the admin, the
    API and the import refuse the same records with the same messages; a
    serializer only adds what is about the request itself. As NetBox's
    ValidatedModelSerializer does. Model errors are reported under the API's
    field names (``organisation_id`` for the model's ``organisation``).
    """

    def validate(self, attrs):
        """Apply ``attrs`` to a copy of the record and run the model's validation on it."""
        attrs = super().validate(attrs)
        model = self.Meta.model
        concrete = {field.name for field in model._meta.concrete_fields}
        values = {name: value for name, value in attrs.items() if name in concrete}
        if self.instance is None:
            candidate = model(**values)
        else:
            candidate = model._default_manager.get(pk=self.instance.pk)
            for name, value in values.items():
                setattr(candidate, name, value)
        # Derived fields are filled in on save; blank ones are not the client's fault.
        exclude = {
            field.name
            for field in model._meta.concrete_fields
            if not field.editable or (field.name == "slug" and not candidate.slug)
        }
        try:
            candidate.full_clean(exclude=exclude, validate_unique=True)
        except DjangoValidationError as error:
            raise serializers.ValidationError(self._api_errors(error)) from error
        return attrs

    def _api_errors(self, error: DjangoValidationError) -> dict:
        """The model's errors keyed by this serializer's field names."""
        field_of_source = {
            field.source: name for name, field in self.fields.items() if not field.read_only
        }
        errors = {}
        for name, messages in error.message_dict.items():
            key = (
                api_settings.NON_FIELD_ERRORS_KEY
                if name == NON_FIELD_ERRORS
                else field_of_source.get(name, name)
            )
            errors.setdefault(key, []).extend(messages)
        return errors


@extend_schema_field({"type": "string", "format": "uri"})
class SiteURLField(serializers.Field):
    """The absolute address of the record's page on the site (``get_absolute_url``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "The absolute address of its page on the site.")
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, value):
        """Make the record's page address absolute for the requesting client."""
        path = value.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


def site_url_maker(model, request=None):
    """``slug -> absolute page address`` for records of ``model`` (pages addressed by slug).

    Reverses the URL pattern once rather than per record: for a page of 100
    records that was a third of the time of an API list.
    """
    placeholder = "slug-placeholder"
    path = model(slug=placeholder).get_absolute_url()
    if request is not None:
        path = request.build_absolute_uri(path)
    before, after = path.split(placeholder)
    # reverse() quotes a slug's non-ASCII letters the same way.
    return lambda slug: f"{before}{quote(slug, safe='')}{after}"


class EditorWriteMixin:
    """Writes through the API are an editor's changes (one place for all endpoints).

    Created and updated records are marked ``curated`` so that imports never
    overwrite them, and are read back through ``get_queryset()`` so that the
    response carries the same annotations and nested data as a GET. Every
    write is recorded in the admin history (LogEntry), like an edit in the admin.

    Each write is one transaction that first waits for an import writing the
    record's article and re-reads the record (``entities.editing``): the
    editor's change is applied to the record as it is now and always wins.
    A record deleted meanwhile, or a write that collides with a unique key
    another write just took, answers 409 with a ``detail``.
    """

    # Records are addressed by their numeric id. Anything else ("abc", a
    # non-ASCII digit such as "١", which int() would accept) names no record
    # and falls through to the JSON 404 of unknown API addresses.
    lookup_value_regex = "[0-9]+"

    def perform_create(self, serializer):
        """Save a new record as an editor's."""
        article = serializer.validated_data.get("article")
        with (
            self.editor_transaction(),
            editor_saving(None, user=self.request.user, article_id=getattr(article, "pk", None)),
        ):
            serializer.validated_data.pop("review_status", None)
            serializer.save(
                curated=True,
                **added_by_editor(serializer.Meta.model),
                **self.derived_fields(serializer),
            )
            self.log(serializer.instance, ADDITION, "Added through the API.")
        self.reload_for_response(serializer)

    def derived_fields(self, serializer) -> dict:
        """Fields a new record gets from its validated data, not from the client."""
        return {}

    def perform_update(self, serializer):
        """Save the changes as an editor's, keeping what the import knew the record by."""
        instance = serializer.instance
        with self.editor_transaction(), editor_saving(instance, user=self.request.user):
            # Apply the change to the record as it is now, not as it was read.
            instance.refresh_from_db()
            decision = serializer.validated_data.pop("review_status", None)
            changed = ", ".join(sorted(serializer.validated_data)) or "nothing"
            serializer.save(curated=True)
            if serializer.validated_data or decision is None:
                self.log(serializer.instance, CHANGE, f"Changed through the API: {changed}.")
            if decision is not None:
                # A decision like one taken in the admin: in history, undoable.
                review.review([serializer.instance], decision, user=self.request.user)
                serializer.instance.review_status = decision
        self.reload_for_response(serializer)

    @contextmanager
    def editor_transaction(self):
        """One transaction for the write and its bookkeeping; conflicts answer 409."""
        try:
            with transaction.atomic():
                yield
        except RecordGone as error:
            raise Conflict(str(error)) from error
        except IntegrityError as error:
            raise Conflict(
                "This change collides with another record that was saved meanwhile "
                f"({' '.join(str(error).split())[:200]}). Reload and try again."
            ) from error

    def reload_for_response(self, serializer):
        """Read the saved record back as a GET would show it (annotations, nested data)."""
        instance = serializer.instance
        # A user allowed to change but not to view everything may have just
        # hidden the record from themselves: then answer with it as saved.
        serializer.instance = self.get_queryset().filter(pk=instance.pk).first() or instance

    def perform_destroy(self, instance):
        """Delete the record as an editor's deletion: no later import recreates it."""
        with self.editor_transaction():
            self.log(instance, DELETION, "Deleted through the API.")
            if not editor_deleting(instance, user=self.request.user):
                raise RecordGone(f"This {instance._meta.verbose_name} was deleted meanwhile.")

    def log(self, instance, action_flag, message: str) -> None:
        """Record the write in the admin history, under the user who made it."""
        LogEntry.objects.log_actions(
            user_id=self.request.user.pk,
            queryset=[instance],
            action_flag=action_flag,
            change_message=message,
        )


def api_not_found(request, *args, **kwargs):
    """A JSON 404 for an address under /api/ that names no endpoint."""
    root = reverse("api:api-root")
    return JsonResponse(
        {"detail": f"No API endpoint at {request.path}; the endpoints are listed at {root}."},
        status=404,
    )
