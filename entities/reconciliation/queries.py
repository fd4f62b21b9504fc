"""What a reconciliation client sends: types, properties, entity ids and query batches.

Pure parsing and validation of the W3C Entity Reconciliation Community
Group's JSON (version 0.2, as OpenRefine sends it), no ORM. A batch that does
not parse raises :class:`BatchError` naming the query at fault, so that the
API answers 400 saying what to fix.
"""

import re
from dataclasses import dataclass, field

from entities.models import NAMED_MODELS, Organisation, Program

#: The types of the service, by id: every record is of exactly one.
TYPES = {kind: str(model._meta.verbose_name).capitalize() for kind, model in NAMED_MODELS.items()}
#: What a query may be compared on besides its name.
PROPERTIES = {
    "kind": (
        "Kind",
        "What sort of organisation (company, government body, association, cluster, "
        "education/research, fund/investor, media, other) or program (federal, regional, "
        "education/training, initiative/certification, event).",
    ),
    "aliases": ("Aliases", "Other names of the record: short forms, acronyms, former names."),
}
#: The kind values and labels a "kind" property may name, casefolded, by type.
KIND_VALUES = {
    kind: {
        text.casefold(): value
        for value, label in model.Kind.choices
        for text in (value, str(label))
    }
    for kind, model in (("organisation", Organisation), ("program", Program))
}
#: The label of each kind value, by type (built once, not per candidate shown).
_KIND_LABELS = {
    kind: {value: str(label) for value, label in model.Kind.choices}
    for kind, model in (("organisation", Organisation), ("program", Program))
}


def kind_label(kind: str, category: str) -> str:
    """The label of a record's ``kind`` field ("Company"), or "" (people, or none set)."""
    return _KIND_LABELS.get(kind, {}).get(category, "")


#: Candidates a query answers unless it says ``limit``, and at most.
DEFAULT_LIMIT = 5
MAX_LIMIT = 25
#: Queries in one batch, at most (the manifest's ``batchSize``).
MAX_BATCH = 200

# "organisation-12": the type and the id of the record in the REST API.
_ENTITY_ID = re.compile(r"^(organisation|person|program)-([1-9][0-9]{0,17})$")


def entity_id(kind: str, pk: int) -> str:
    """The reconciliation id of a record: "organisation-12", "person-7", "program-3".

    Its type and its REST API id (``/api/organisations/12/``), joined by a
    hyphen: stable when an editor renames the record or changes its slug, and
    made of characters that no URL needs to encode.
    """
    return f"{kind}-{pk}"


def parse_entity_id(text: str) -> tuple[str, int] | None:
    """(kind, id) of a reconciliation id, or None when ``text`` is not one."""
    found = _ENTITY_ID.match(text.strip()) if isinstance(text, str) else None
    return (found.group(1), int(found.group(2))) if found else None


class BatchError(ValueError):
    """A query batch that cannot be answered; ``errors`` says why, by query."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(
            "; ".join(f"{key}: {' '.join(messages)}" for key, messages in errors.items())
        )
        self.errors = errors


class BatchTooLarge(BatchError):
    """More queries (or ids) than the manifest's ``batchSize``."""


@dataclass(frozen=True)
class PropertyValues:
    """A property of a query and the values the candidates should have."""

    pid: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Query:
    """One query of a batch, validated."""

    key: str
    text: str
    types: tuple[str, ...]
    limit: int = DEFAULT_LIMIT
    properties: tuple[PropertyValues, ...] = field(default=())

    @property
    def name(self) -> str:
        """What to match names against: the query, else the first alias supplied."""
        if self.text:
            return self.text
        for prop in self.properties:
            if prop.pid == "aliases" and prop.values:
                return prop.values[0]
        return ""


def parse_batch(batch) -> list[Query]:
    """The queries of a batch (``{"q0": {"query": ..., "type": ..., ...}, ...}``).

    Lenient where the specification is: ``type`` is a string or a list,
    ``limit`` any positive number (capped at :data:`MAX_LIMIT`), a property
    value a string, number, boolean, ``{"id", "name"}`` object or a list of
    them; ``type_strict`` and fields the specification does not define are
    ignored. Strict where a mistake would silently match the wrong records:
    unknown types and properties are errors.
    """
    if not isinstance(batch, dict):
        raise BatchError({"queries": ["A query batch is a JSON object of queries by key."]})
    if len(batch) > MAX_BATCH:
        raise BatchTooLarge({"queries": [f"At most {MAX_BATCH} queries per batch."]})
    queries, errors = [], {}
    for key, raw in batch.items():
        try:
            queries.append(_parse_query(str(key), raw))
        except ValueError as error:
            errors[str(key)] = [str(error)]
    if errors:
        raise BatchError(errors)
    return queries


def _parse_query(key: str, raw) -> Query:
    if not isinstance(raw, dict):
        raise ValueError("A query is a JSON object.")
    text = raw.get("query", "")
    if not isinstance(text, str):
        raise ValueError("“query” is a string.")
    properties = _parse_properties(raw.get("properties", []))
    query = Query(
        key=key,
        text=" ".join(text.split()),
        types=_parse_types(raw.get("type")),
        limit=_parse_limit(raw.get("limit")),
        properties=properties,
    )
    if not query.text and not properties:
        raise ValueError("A query needs a non-empty “query” or some “properties”.")
    return query


def _parse_types(raw) -> tuple[str, ...]:
    if raw is None or raw == "" or raw == []:
        return tuple(TYPES)
    names = [raw] if isinstance(raw, str) else raw
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise ValueError("“type” is a type id or a list of them.")
    unknown = [name for name in names if name not in TYPES]
    if unknown:
        raise ValueError(f"Unknown type {unknown[0]!r}; the types are {', '.join(TYPES)}.")
    return tuple(dict.fromkeys(names))


def _parse_limit(raw) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    if isinstance(raw, bool) or not isinstance(raw, int | float) or raw != raw or raw < 1:
        raise ValueError("“limit” is a positive number.")
    return int(min(raw, MAX_LIMIT))


def _parse_properties(raw) -> tuple[PropertyValues, ...]:
    if not isinstance(raw, list):
        raise ValueError("“properties” is a list of {pid, v} objects.")
    parsed = []
    for item in raw:
        if not isinstance(item, dict) or "pid" not in item or "v" not in item:
            raise ValueError("Each property is an object with “pid” and “v”.")
        pid = item["pid"]
        if pid not in PROPERTIES:
            raise ValueError(
                f"Unknown property {pid!r}; the properties are {', '.join(PROPERTIES)}."
            )
        values = item["v"] if isinstance(item["v"], list) else [item["v"]]
        texts = tuple(text for text in (_value_text(value) for value in values) if text)
        parsed.append(PropertyValues(pid=pid, values=texts))
    return tuple(parsed)


def _value_text(value) -> str:
    """A property value as text: a string, a number, a boolean or an entity's id."""
    if isinstance(value, dict):
        value = value.get("id", "")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return " ".join(str(value).split())
    raise ValueError("A property value is a string, number, boolean or {id, name} object.")


def parse_extension(query) -> tuple[list[str], list[str]]:
    """The ids and property ids of a data extension query (``{"ids": [...], "properties":
    [{"id": "kind"}, ...]}``); at most :data:`MAX_BATCH` ids."""
    if not isinstance(query, dict) or not isinstance(query.get("ids"), list):
        raise BatchError({"extend": ["An object with “ids” and “properties”."]})
    properties = query.get("properties", [])
    if not isinstance(properties, list):
        raise BatchError({"extend": ["“properties” is a list of {id} objects."]})
    pids = [item.get("id") if isinstance(item, dict) else None for item in properties]
    unknown = [pid for pid in pids if pid not in PROPERTIES]
    if unknown:
        known = ", ".join(PROPERTIES)
        raise BatchError({"extend": [f"Unknown property {unknown[0]!r}; known: {known}."]})
    ids = [text for text in query["ids"] if isinstance(text, str)]
    if len(ids) > MAX_BATCH:
        raise BatchTooLarge({"extend": [f"At most {MAX_BATCH} ids per query."]})
    return ids, list(dict.fromkeys(pids))
