"""JSON-LD in the REST API: ``?format=jsonld`` (or ``Accept: application/ld+json``).

A viewset that adds :class:`LinkedDataMixin` answers in JSON-LD too: a detail
as the record's schema.org node, a list as a schema.org ``ItemList`` of the
page's nodes (``numberOfItems`` the total; the next and previous pages in an
HTTP ``Link`` header, as the JSON pagination's ``next``/``previous`` would be).
The nodes are built by the ``LINKED_DATA`` table of the model's app
(``<app>.linked_data``): the same builders the site's pages embed, found by
the model, so that no table here has to list both apps.
"""

from importlib import import_module

from rest_framework.settings import api_settings

from entities.linked_data import SCHEMA_CONTEXT, Links
from kaluga_cluster.renderers import JSONLDRenderer

LINKED_DATA_SCHEMA = "LinkedDataDocument"
LINKED_DATA_DESCRIPTION = (
    "schema.org JSON-LD (`?format=jsonld` or `Accept: application/ld+json`): one record as "
    "its node (Organization, Person, Project/Event/EducationalOccupationalProgram, "
    "NewsArticle), a list as an ItemList of the page's nodes. Errors are the usual JSON body."
)


def linked_data_type(model):
    """How ``model`` is described in JSON-LD, from the ``linked_data`` module of its app."""
    module = import_module(f"{model._meta.app_config.name}.linked_data")
    return module.LINKED_DATA[model._meta.model_name]


class LinkedDataMixin:
    """A viewset whose records also answer as schema.org JSON-LD (``format=jsonld``)."""

    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, JSONLDRenderer]

    def linked_data(self, data) -> dict | None:
        """The JSON-LD document of a response's ``data``, or None when it is not records.

        The records are the serializer's own instances (``data.serializer``),
        so nothing is read twice; an error body has no serializer and is
        rendered as it is.
        """
        links = Links(self.request)
        described = linked_data_type(self.queryset.model)
        if isinstance(data, dict) and "results" in data:
            serializer = getattr(data["results"], "serializer", None)
            if serializer is None:
                return None
            records = described.prepare(list(serializer.instance))
            first = self._first_position()
            items = [
                {
                    "@type": "ListItem",
                    "position": first + index,
                    "item": described.node(record, links),
                }
                for index, record in enumerate(records)
            ]
            document = {
                "@context": SCHEMA_CONTEXT,
                "@type": "ItemList",
                "url": self.request.build_absolute_uri(),
            }
            if "count" in data:
                document["numberOfItems"] = data["count"]
            document["itemListElement"] = items
            return document
        serializer = getattr(data, "serializer", None)
        if serializer is None or serializer.instance is None or getattr(serializer, "many", False):
            return None
        return described.document(serializer.instance, links)

    def linked_data_links(self, data) -> str:
        """The value of a list's ``Link`` header: its next and previous pages, if any."""
        if not isinstance(data, dict):
            return ""
        return ", ".join(
            f'<{data[key]}>; rel="{rel}"'
            for key, rel in (("next", "next"), ("previous", "prev"))
            if data.get(key)
        )

    def _first_position(self) -> int:
        """The list position of the page's first record (1 on the first page)."""
        page = getattr(getattr(self, "paginator", None), "page", None)
        start_index = getattr(page, "start_index", None)
        return start_index() if callable(start_index) and page.object_list else 1


def linked_data_responses_are_objects(result, generator, request, public):
    """Post-processing hook: an ``application/ld+json`` body is a JSON-LD object
    (``LinkedDataDocument``), not the serializer's schema, which drf-spectacular
    gives every renderer of an operation."""
    reference = {"$ref": f"#/components/schemas/{LINKED_DATA_SCHEMA}"}
    used = False
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for response in operation.get("responses", {}).values():
                media = response.get("content", {}).get(JSONLDRenderer.media_type)
                if media is not None:
                    media["schema"] = reference
                    used = True
    if used:
        schemas = result.setdefault("components", {}).setdefault("schemas", {})
        schemas[LINKED_DATA_SCHEMA] = {
            "type": "object",
            "description": LINKED_DATA_DESCRIPTION,
            "additionalProperties": True,
        }
    return result
