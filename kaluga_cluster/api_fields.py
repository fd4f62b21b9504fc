"""Choosing the fields of a response: ``?fields=a,b`` and ``?brief=1``, as NetBox does.

On a GET of a list or a record, ``fields`` names the fields each record
should carry (comma-separated, in any order; the response keeps the
serializer's order) and ``brief`` asks for the documented minimal form of
each endpoint (``Meta.brief_fields`` of its serializer; by default ``id``,
``url``, ``slug`` and the ``name`` or ``title``). An unknown field answers
400 naming it. What is left out is not computed: a record's evidence, a
person's positions and an article's mentions and metrics cost queries only
when asked for.
"""

import copy
from functools import cached_property

from drf_spectacular.utils import OpenApiParameter

from kaluga_cluster.api import QueryParameterError
from kaluga_cluster.environment import FALSE_WORDS, TRUE_WORDS

#: The brief form of a serializer without ``Meta.brief_fields``: those of these it has.
DEFAULT_BRIEF_FIELDS = ("id", "url", "slug", "name", "title")


_SELECTABLE_ACTIONS = ("list", "retrieve")


class FieldSelectionMixin:
    """``fields`` and ``brief`` on the GETs of a viewset (lists and records).

    Writes answer with the whole record: their responses show what was saved.
    """

    def own_query_parameters(self) -> set[str]:
        """The query parameters this mixin reads (``StrictFilterBackend`` allows them)."""
        own = getattr(super(), "own_query_parameters", set)()
        if self._selectable:
            own.update({"fields", "brief"})
        return own

    @property
    def _selectable(self) -> bool:
        request = getattr(self, "request", None)
        return (
            request is not None
            and request.method in ("GET", "HEAD")
            and getattr(self, "action", None) in _SELECTABLE_ACTIONS
        )

    @cached_property
    def selected_fields(self) -> list[str] | None:
        """The fields this response's records carry, in serializer order; None: all of them."""
        if not self._selectable:
            return None
        params = self.request.query_params
        requested = params.getlist("fields")
        brief = _brief(params.get("brief"))
        if requested and brief is not None:
            raise QueryParameterError({"brief": ["Give fields or brief, not both."]})
        if not requested and not brief:
            return None  # without building a serializer to list its fields
        known = self.readable_fields()
        if brief:
            return [name for name in self.brief_fields() if name in known]
        names = [name.strip() for value in requested for name in value.split(",")]
        if not all(names):
            raise QueryParameterError(
                {"fields": ["Name fields separated by single commas, e.g. fields=id,name."]}
            )
        unknown = [name for name in dict.fromkeys(names) if name not in known]
        if unknown:
            listed = ", ".join(f"“{name}”" for name in unknown)
            raise QueryParameterError(
                {"fields": [f"Unknown field {listed}. Known fields: {', '.join(known)}."]}
            )
        return [name for name in known if name in names]

    def wants_field(self, name: str) -> bool:
        """Whether this response shows ``name`` (so the queryset must prepare it)."""
        return self.selected_fields is None or name in self.selected_fields

    def readable_fields(self) -> list[str]:
        """The fields a record of this response can carry, in order."""
        serializer = self.get_serializer_class()(context=self.get_serializer_context())
        return [name for name, field in serializer.fields.items() if not field.write_only]

    def brief_fields(self) -> list[str]:
        """The brief form's fields: the serializer's ``Meta.brief_fields``, or the default."""
        meta = getattr(self.get_serializer_class(), "Meta", None)
        return list(getattr(meta, "brief_fields", DEFAULT_BRIEF_FIELDS))

    def get_serializer(self, *args, **kwargs):
        """The serializer, without the fields this response leaves out."""
        serializer = super().get_serializer(*args, **kwargs)
        selected = self.selected_fields
        if selected is not None:
            record = getattr(serializer, "child", serializer)
            for name in [name for name in record.fields if name not in selected]:
                del record.fields[name]
        return serializer

    def own_schema_parameters(self) -> list[OpenApiParameter]:
        """``fields`` and ``brief`` on lists and single records."""
        own = getattr(super(), "own_schema_parameters", list)()
        if getattr(self, "action", None) not in _SELECTABLE_ACTIONS:
            return own
        return [
            *own,
            OpenApiParameter(
                "fields",
                str,
                description=(
                    "Only these fields in each record, comma-separated (e.g. `id,name`); an "
                    "unknown name answers 400 listing the known ones. Fields left out cost "
                    "nothing to compute."
                ),
            ),
            OpenApiParameter(
                "brief",
                bool,
                description=(
                    "`1` (or `true`) for each record's minimal form: `id`, `url`, `slug` and "
                    "its `name` or `title` (metrics: `id`, `url`, `label`, `value`, `unit`, "
                    "`year`). Not together with `fields`."
                ),
            ),
        ]


def _brief(raw: str | None) -> bool | None:
    """``brief``'s value: True, False, or None when absent; 400 for anything else."""
    if raw is None:
        return None
    text = raw.strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise QueryParameterError({"brief": [f"“{raw}” is not 1 or 0 (true or false)."]})


def selected_fields_are_partial(result, generator, request, public):
    """Post-processing hook: where ``fields``/``brief`` apply, a record may hold fewer fields.

    A GET's records are described as the full record or a selection of its
    fields (a copy of its schema requiring none), so that a response to
    ``?brief=1`` is as valid as a full one.
    """
    schemas = result.get("components", {}).get("schemas", {})
    for operations in result.get("paths", {}).values():
        operation = operations.get("get")
        if not operation or not any(p.get("name") == "fields" for p in operation["parameters"]):
            continue
        content = operation.get("responses", {}).get("200", {}).get("content", {})
        body = content.get("application/json", {}).get("schema", {})
        name = _component_name(body)
        if name is None:
            continue
        results = schemas.get(name, {}).get("properties", {}).get("results")
        if results is not None:  # a list: its page holds the records
            results["items"] = _full_or_selection(results["items"], schemas)
        else:
            content["application/json"]["schema"] = _full_or_selection(body, schemas)
    return result


def _component_name(schema: dict) -> str | None:
    reference = schema.get("$ref", "")
    prefix = "#/components/schemas/"
    return reference[len(prefix) :] if reference.startswith(prefix) else None


def _full_or_selection(schema: dict, schemas: dict) -> dict:
    """``anyOf`` the record's schema and ``<Name>Selection`` (the same, nothing required)."""
    name = _component_name(schema)
    if name is None:
        return schema
    selection = f"{name}Selection"
    if selection not in schemas:
        partial = copy.deepcopy(schemas[name])
        partial.pop("required", None)
        partial["description"] = f"{name}, with only the fields asked for (`fields`, `brief`)."
        schemas[selection] = partial
    return {"anyOf": [schema, {"$ref": f"#/components/schemas/{selection}"}]}
