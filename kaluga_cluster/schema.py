"""OpenAPI schema generation: error responses, CSV bodies and slugs described as they are."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from kaluga_cluster.renderers import CSVRenderer


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    detail = serializers.CharField(help_text="What went wrong, in one sentence.")


class ValidationErrorSerializer(ErrorSerializer):
    """The body of a 400 response: the summary and the messages of each field or parameter."""

    errors = serializers.DictField(
        required=False,
        help_text=(
            "Messages by field or query parameter name, e.g. "
            '`{"year": ["Enter a whole number."]}`; `non_field_errors` for the whole record. '
            "Absent when the body could not be parsed at all (then `detail` says why)."
        ),
    )


class ApiSchema(AutoSchema):
    """OpenAPI operations that also document the error responses each one can give."""

    def get_response_serializers(self):
        """The success response plus 400/401/403/404/429 where they can happen."""
        success = super().get_response_serializers()
        if self.method == "DELETE":
            responses = {"204": None}
        elif self._is_create_operation():
            responses = {"201": success}
        else:
            responses = {"200": success}
        is_write = self.method not in ("GET", "HEAD", "OPTIONS")
        has_id = "{" in self.path
        responses["400"] = OpenApiResponse(
            ValidationErrorSerializer,
            description="Invalid request body, or an unknown or malformed query parameter.",
        )
        if is_write:
            responses["401"] = OpenApiResponse(
                ErrorSerializer, description="No valid credentials were given."
            )
            responses["403"] = OpenApiResponse(
                ErrorSerializer,
                description="The user lacks the permission, or the session's CSRF check failed.",
            )
        if has_id or self._is_list_view(success):
            responses["404"] = OpenApiResponse(
                ErrorSerializer,
                description="No such record, or a page past the last one.",
            )
        responses["429"] = OpenApiResponse(
            ErrorSerializer, description="Too many requests from this anonymous client."
        )
        return responses


def csv_responses_are_text(result, generator, request, public):
    """Post-processing hook: a ``text/csv`` body is a string, not the JSON object schema."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for response in operation.get("responses", {}).values():
                media = response.get("content", {}).get(CSVRenderer.media_type)
                if media is not None:
                    media["schema"] = {"type": "string", "description": "CSV, header row first."}
    return result


# drf-spectacular's pattern for a slug field. JSON Schema validators read \w as
# ASCII only, but our slugs allow Unicode letters (SlugField(allow_unicode=True)).
ASCII_SLUG_PATTERN = r"^[-\w]+$"


def unicode_slugs_unconstrained(result, generator, request, public):
    """Post-processing hook: drop the ASCII-only pattern from (Unicode) slug properties."""
    for component in result.get("components", {}).get("schemas", {}).values():
        for prop in component.get("properties", {}).values():
            if prop.get("pattern") == ASCII_SLUG_PATTERN:
                del prop["pattern"]
                prop["description"] = (
                    prop.get("description", "") + " Letters (any script), digits, - and _."
                ).strip()
    return result
