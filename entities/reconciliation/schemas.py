"""OpenAPI descriptions of the reconciliation service's bodies (for ``/api/schema/``).

Written after the JSON schemas of the W3C Entity Reconciliation API 0.2, in
the OpenAPI 3.0 dialect (keyed results are ``additionalProperties``). Only
the shapes this service sends are described, so that a response that strays
from them fails the schema checks of the API's fuzzing.
"""

_TYPE = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
    "required": ["id", "name"],
}

_SERVICE_PATH = {
    "type": "object",
    "properties": {"service_url": {"type": "string"}, "service_path": {"type": "string"}},
    "required": ["service_url", "service_path"],
}

MANIFEST = {
    "type": "object",
    "description": "The service manifest (a GET without parameters).",
    "properties": {
        "versions": {"type": "array", "items": {"type": "string"}},
        "name": {"type": "string"},
        "identifierSpace": {"type": "string"},
        "schemaSpace": {"type": "string"},
        "documentation": {"type": "string"},
        "batchSize": {"type": "integer"},
        "defaultTypes": {"type": "array", "items": _TYPE},
        "view": {"type": "object", "properties": {"url": {"type": "string"}}},
        "preview": {
            "type": "object",
            "properties": {
                "url": {"type": "string"},
                "width": {"type": "integer"},
                "height": {"type": "integer"},
            },
        },
        "suggest": {"type": "object", "additionalProperties": _SERVICE_PATH},
        "extend": {"type": "object"},
    },
    "required": ["versions", "name", "identifierSpace", "schemaSpace"],
}

CANDIDATE = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "description": 'The record\'s id, e.g. "organisation-12".'},
        "name": {"type": "string"},
        "description": {"type": "string"},
        "type": {"type": "array", "items": _TYPE},
        "score": {"type": "number", "description": "0-100, higher is better."},
        "match": {"type": "boolean", "description": "True only for a clear winner."},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "value": {"oneOf": [{"type": "number"}, {"type": "boolean"}]},
                },
                "required": ["id", "value"],
            },
        },
    },
    "required": ["id", "name", "type", "score", "match"],
}

RESULT_BATCH = {
    "type": "object",
    "description": "The candidates of each query, by the query's key.",
    "additionalProperties": {
        "type": "object",
        "properties": {"result": {"type": "array", "items": CANDIDATE}},
        "required": ["result"],
    },
}

EXTENSION = {
    "type": "object",
    "description": "Data extension: the requested properties of each record.",
    "properties": {
        "meta": {"type": "array", "items": _TYPE},
        "rows": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"str": {"type": "string"}}},
                },
            },
        },
    },
    "required": ["meta", "rows"],
}

SERVICE_RESPONSE = {"anyOf": [MANIFEST, EXTENSION, RESULT_BATCH]}

SERVICE_FORM = {
    "type": "object",
    "properties": {
        "queries": {"type": "string", "description": "A reconciliation query batch (JSON)."},
        "extend": {"type": "string", "description": "A data extension query (JSON)."},
    },
}

SUGGEST_ENTITIES = {
    "type": "object",
    "properties": {
        "result": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "description": {"type": "string"},
                    "notable": {"type": "array", "items": _TYPE},
                },
                "required": ["id", "name"],
            },
        }
    },
    "required": ["result"],
}

SUGGEST_VOCABULARY = {
    "type": "object",
    "properties": {
        "result": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "description": {"type": "string"},
                },
                "required": ["id", "name"],
            },
        }
    },
    "required": ["result"],
}

PROPOSED_PROPERTIES = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "limit": {"type": "integer"},
        "properties": {"type": "array", "items": _TYPE},
    },
    "required": ["type", "properties"],
}
