"""The reconciliation service (W3C Entity Reconciliation API 0.2, as OpenRefine uses it).

``/api/reconcile/`` answers the service manifest (GET without parameters),
query batches (``queries=``, GET or POST form) and data extension
(``extend=``); ``preview/``, ``view/<id>/`` and the ``suggest/`` endpoints
complete it. Entity ids are "organisation-12", "person-7", "program-3" (see
:func:`entities.reconciliation.queries.entity_id`). The matching itself lives
in :mod:`entities.reconciliation`.

As the specification requires, every endpoint allows cross-origin requests
(``Access-Control-Allow-Origin: *``: it only reads what anyone may read), and
the preview may be framed by other sites (it is a card without controls, so
framing it risks nothing). Parameters the protocol does not define are
ignored rather than refused, unlike the rest of the API: clients such as
OpenRefine add their own (``callback``, cache busters).
"""

import json

from csp.decorators import csp_replace
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import get_script_prefix, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, renderers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from entities.models import NAMED_MODELS
from entities.reconciliation import schemas
from entities.reconciliation.queries import (
    MAX_BATCH,
    PROPERTIES,
    TYPES,
    BatchError,
    BatchTooLarge,
    entity_id,
    kind_label,
    parse_batch,
    parse_entity_id,
    parse_extension,
)
from entities.reconciliation.service import (
    SUGGEST_PAGE,
    extend,
    property_names,
    reconcile,
    suggest_entities,
    suggest_vocabulary,
)
from kaluga_cluster.api import QueryParameterError, RequestTooLarge
from kaluga_cluster.schema import ErrorSerializer, ValidationErrorSerializer

SERVICE_NAME = "Kaluga Cluster knowledge base"
PREVIEW_SIZE = {"width": 400, "height": 160}
ERRORS = {
    400: OpenApiResponse(ValidationErrorSerializer, description="A malformed batch or parameter."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests from this client."),
}


class ReconciliationView(APIView):
    """What every endpoint of the service shares: anonymous reads, JSON, CORS."""

    permission_classes = [permissions.AllowAny]
    renderer_classes = [renderers.JSONRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        """Allow every origin, as the specification requires of all endpoints."""
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        if request.method == "OPTIONS":
            response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Content-Type"
        return response


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


#: Stands for the record id in the URL templates of the manifest.
_ID = "0"


def manifest(request) -> dict:
    """The service manifest: what the service offers and where, as absolute addresses.

    The specification's suggest and extend services are a ``service_url``
    (the site's root) and a ``service_path`` under it; every address comes
    from the URLconf, so a site served under a prefix announces it.
    """
    prefix = get_script_prefix()
    base = _absolute(request, prefix).rstrip("/")

    def url(name: str, **kwargs) -> str:
        return _absolute(request, reverse(f"api:{name}", kwargs=kwargs))

    def service(name: str) -> dict:
        return {"service_url": base, "service_path": "/" + reverse(f"api:{name}")[len(prefix) :]}

    # Records' pages are this plus "<id>/" (reverse() would escape the "{{id}}" placeholder).
    identifier_space = url("reconcile-view", entity=_ID).removesuffix(f"{_ID}/")
    return {
        "versions": ["0.2"],
        "name": SERVICE_NAME,
        "identifierSpace": identifier_space,
        "schemaSpace": url("reconcile-suggest-type"),
        "documentation": url("docs"),
        "batchSize": MAX_BATCH,
        "defaultTypes": [{"id": kind, "name": name} for kind, name in TYPES.items()],
        "view": {"url": identifier_space + "{{id}}/"},
        "preview": {"url": url("reconcile-preview") + "?id={{id}}", **PREVIEW_SIZE},
        "suggest": {
            what: service(f"reconcile-suggest-{what}") for what in ("entity", "type", "property")
        },
        "extend": {
            "propose_properties": service("reconcile-properties"),
            "property_settings": [],
        },
    }


def _candidate(scored) -> dict:
    record = scored.item
    result = {
        "id": entity_id(record.kind, record.pk),
        "name": record.name,
        "type": [{"id": record.kind, "name": TYPES[record.kind]}],
        "score": scored.score,
        "match": scored.match,
        "features": [{"id": name, "value": value} for name, value in scored.features.items()],
    }
    description = _description(record)
    if description:
        result["description"] = description
    return result


def _description(record) -> str:
    """The record's kind and the start of its description ("Company", "Federal program: …")."""
    label = kind_label(record.kind, record.category)
    text = record.description.strip()
    if len(text) > 120:
        text = text[:119].rstrip() + "…"
    return ": ".join(part for part in (label, text) if part)


def _json_parameter(raw: str, name: str):
    try:
        return json.loads(raw)
    except ValueError as error:
        raise QueryParameterError({name: [f"Not valid JSON: {error}."]}) from error


class ReconcileView(ReconciliationView):
    """The service endpoint: the manifest, query batches and data extension."""

    parser_classes = [FormParser, MultiPartParser]

    @extend_schema(
        summary="Reconciliation service (manifest, queries, data extension)",
        description=(
            "Without parameters: the service manifest. With `queries`: a JSON batch of "
            'reconciliation queries, e.g. `{"q0": {"query": "Vertex", "type": "organisation", '
            '"limit": 3, "properties": [{"pid": "kind", "v": "company"}]}}`, answered as '
            '`{"q0": {"result": [{id, name, type, score, match, features, description}]}}`. '
            "With `extend`: the kind and aliases of records by id. Scores run 0-100; `match` is "
            "true only for a clear winner (score of at least 90, ten points ahead of the next)."
        ),
        parameters=[
            OpenApiParameter("queries", str, description="A reconciliation query batch (JSON)."),
            OpenApiParameter("extend", str, description="A data extension query (JSON)."),
        ],
        responses={200: OpenApiResponse(schemas.SERVICE_RESPONSE), 413: ErrorSerializer, **ERRORS},
    )
    def get(self, request):
        """The manifest, or the answer to ``queries`` or ``extend``."""
        return self._answer(request, request.query_params, allow_manifest=True)

    @extend_schema(
        summary="Reconciliation queries or data extension (form-encoded, as OpenRefine sends)",
        request={"application/x-www-form-urlencoded": schemas.SERVICE_FORM},
        responses={200: OpenApiResponse(schemas.SERVICE_RESPONSE), 413: ErrorSerializer, **ERRORS},
    )
    def post(self, request):
        """The answer to ``queries`` or ``extend`` sent as form fields."""
        return self._answer(request, request.data, allow_manifest=False)

    def _answer(self, request, params, *, allow_manifest: bool) -> Response:
        if params.get("queries"):
            try:
                queries = parse_batch(_json_parameter(params["queries"], "queries"))
            except BatchTooLarge as error:
                raise RequestTooLarge(str(error)) from error
            except BatchError as error:
                raise QueryParameterError(error.errors) from error
            answers = reconcile(queries)
            return Response(
                {
                    key: {"result": [_candidate(s) for s in ranked]}
                    for key, ranked in answers.items()
                }
            )
        if params.get("extend"):
            try:
                ids, pids = parse_extension(_json_parameter(params["extend"], "extend"))
            except BatchTooLarge as error:
                raise RequestTooLarge(str(error)) from error
            except BatchError as error:
                raise QueryParameterError(error.errors) from error
            return Response(extend(ids, pids))
        if allow_manifest:
            return Response(manifest(request))
        raise QueryParameterError({"queries": ["Send “queries” (or “extend”) as a form field."]})


def _types_parameter(request) -> tuple[str, ...]:
    raw = request.query_params.get("type", "")
    if not raw:
        return tuple(TYPES)
    if raw not in TYPES:
        raise QueryParameterError({"type": [f"Unknown type; the types are {', '.join(TYPES)}."]})
    return (raw,)


def _cursor_parameter(request) -> int:
    raw = request.query_params.get("cursor", "0").strip() or "0"
    if not (raw.isascii() and raw.isdigit()):
        raise QueryParameterError({"cursor": ["A whole number of suggestions to skip."]})
    return min(int(raw), 10_000)


SUGGEST_PARAMETERS = [
    OpenApiParameter("prefix", str, description="What the user typed."),
    OpenApiParameter("cursor", int, description="How many suggestions to skip (paging)."),
]


class SuggestEntityView(ReconciliationView):
    """Suggest protocol, entities: records for what the user is typing, typos forgiven."""

    @extend_schema(
        summary="Reconciliation suggest: entities",
        parameters=[
            *SUGGEST_PARAMETERS,
            OpenApiParameter(
                "type", str, description="Only records of this type.", enum=list(TYPES)
            ),
        ],
        responses={200: OpenApiResponse(schemas.SUGGEST_ENTITIES), **ERRORS},
    )
    def get(self, request):
        """Up to ten records: names starting with ``prefix`` first, then the closest."""
        suggestions = suggest_entities(
            request.query_params.get("prefix", ""),
            types=_types_parameter(request),
            cursor=_cursor_parameter(request),
            limit=SUGGEST_PAGE,
        )
        result = []
        for scored in suggestions:
            record = scored.item
            item = {
                "id": entity_id(record.kind, record.pk),
                "name": record.name,
                "notable": [{"id": record.kind, "name": TYPES[record.kind]}],
            }
            description = _description(record)
            if description:
                item["description"] = description
            result.append(item)
        return Response({"result": result})


class SuggestTypeView(ReconciliationView):
    """Suggest protocol, types: organisation, person, program."""

    @extend_schema(
        summary="Reconciliation suggest: types",
        parameters=SUGGEST_PARAMETERS,
        responses={200: OpenApiResponse(schemas.SUGGEST_VOCABULARY), **ERRORS},
    )
    def get(self, request):
        """The types like ``prefix`` (all of them for an empty one)."""
        found = suggest_vocabulary(request.query_params.get("prefix", ""), TYPES)
        cursor = _cursor_parameter(request)
        return Response({"result": [{"id": i, "name": n} for i, n in found[cursor:]]})


class SuggestPropertyView(ReconciliationView):
    """Suggest protocol, properties: kind and aliases."""

    @extend_schema(
        summary="Reconciliation suggest: properties",
        parameters=SUGGEST_PARAMETERS,
        responses={200: OpenApiResponse(schemas.SUGGEST_VOCABULARY), **ERRORS},
    )
    def get(self, request):
        """The properties like ``prefix`` (all of them for an empty one), with descriptions."""
        found = suggest_vocabulary(request.query_params.get("prefix", ""), property_names())
        cursor = _cursor_parameter(request)
        return Response(
            {
                "result": [
                    {"id": i, "name": n, "description": PROPERTIES[i][1]} for i, n in found[cursor:]
                ]
            }
        )


class ProposePropertiesView(ReconciliationView):
    """Data extension: the properties a type's records can be extended with."""

    @extend_schema(
        summary="Reconciliation data extension: properties of a type",
        parameters=[
            OpenApiParameter("type", str, enum=list(TYPES), description="A type id."),
            OpenApiParameter("limit", int, description="At most this many properties."),
        ],
        responses={200: OpenApiResponse(schemas.PROPOSED_PROPERTIES), **ERRORS},
    )
    def get(self, request):
        """Kind (organisations and programs) and aliases."""
        kind = request.query_params.get("type", "")
        if kind not in TYPES:
            raise QueryParameterError({"type": [f"One of {', '.join(TYPES)}."]})
        names = property_names()
        pids = [pid for pid in names if pid != "kind" or kind != "person"]
        raw_limit = request.query_params.get("limit", "").strip()
        answer = {"type": kind}
        if raw_limit:
            if not (raw_limit.isascii() and raw_limit.isdigit()):
                raise QueryParameterError({"limit": ["A whole number."]})
            answer["limit"] = int(raw_limit)
            pids = pids[: int(raw_limit)]
        answer["properties"] = [{"id": pid, "name": names[pid]} for pid in pids]
        return Response(answer)


def _visible_record(text: str, *, counted: bool = False):
    """The record a reconciliation id names, if visitors may see it; else None.

    ``counted`` annotates ``article_count`` (published articles that mention it).
    """
    parsed = parse_entity_id(text)
    if parsed is None:
        return None
    kind, pk = parsed
    records = NAMED_MODELS[kind].objects.visible()
    if counted:
        records = records.with_article_counts()
    return records.filter(pk=pk).first()


class EntityPageView(ReconciliationView):
    """The view template's target: a reconciliation id redirects to the record's page."""

    @extend_schema(
        summary="Reconciliation view: the page of a record",
        responses={302: None, 404: ErrorSerializer, 429: ErrorSerializer},
    )
    def get(self, request, entity):
        """302 to ``/organisations/<slug>/`` (or the person's, the program's page)."""
        record = _visible_record(entity)
        if record is None:
            return Response({"detail": f"No record has the id {entity!r}."}, status=404)
        return redirect(record.get_absolute_url())


@method_decorator(xframe_options_exempt, name="dispatch")
@method_decorator(csp_replace({"frame-ancestors": ["*"]}), name="dispatch")
class PreviewView(ReconciliationView):
    """The preview card a client shows in a frame while its user picks a candidate."""

    renderer_classes = [renderers.TemplateHTMLRenderer]

    @extend_schema(
        summary="Reconciliation preview: an HTML card of a record",
        parameters=[OpenApiParameter("id", str, description="A reconciliation id.")],
        responses={
            (200, "text/html"): OpenApiResponse(OpenApiTypes.STR, description="The card."),
            (404, "text/html"): OpenApiResponse(OpenApiTypes.STR, description="No such record."),
            (429, "text/html"): OpenApiResponse(OpenApiTypes.STR, description="Too many requests."),
        },
    )
    def get(self, request):
        """The record's name, type, kind, aliases, description and published article count."""
        text = request.query_params.get("id", "")
        record = _visible_record(text, counted=True)
        context = {
            "record": record,
            "entity_id": text,
            "type_name": TYPES.get(record._meta.model_name, "") if record is not None else "",
            "page_url": _absolute(request, record.get_absolute_url()) if record else "",
        }
        return TemplateResponse(
            request, "entities/reconcile_preview.html", context, status=200 if record else 404
        )

    def options(self, request, *args, **kwargs):
        """The allowed methods (headers only): DRF's metadata body has no HTML form."""
        return HttpResponse(status=200)
