"""The PostgreSQL backend of the name index: ``pg_trgm`` GIN indexes on the three tables.

Each of the organisation, person and program tables gets a partial GIN
trigram index over its normalised name and its aliases as written (the JSON
text: ``pg_trgm`` only looks at letters and digits, so the brackets and
quotes do not count), leaving rejected records out. A lookup asks for the
rows whose *word similarity* to the query key reaches a threshold (``%>``,
which the index answers) and keeps the closest few (``<<->``, the distance).

The planner does not know how dear the similarity function is and, on a
table of a few thousand short rows, prefers to compute it for every row
(about 10 µs each) over the index: the lookup therefore turns sequential
scans off for its own transaction.
"""

import json
from collections.abc import Sequence

from django.db import transaction

TABLES = {
    "organisation": "entities_organisation",
    "person": "entities_person",
    "program": "entities_program",
}
#: Lowest word similarity (0-1) of a candidate: below it a name shares too few
#: trigrams with the query to be worth scoring. 0.3 keeps names with two typos.
WORD_SIMILARITY_THRESHOLD = 0.3


def _document(row: str) -> str:
    """SQL for the indexed text; queries must spell it exactly so for the index to serve."""
    return f"({row}.normalized_name || ' ' || {row}.aliases::text)"


def _index_name(table: str) -> str:
    return f"{table}_name_trgm"


POSTGRES_INSTALL_SQL = [
    *(
        f"CREATE INDEX IF NOT EXISTS {_index_name(table)} ON {table} "
        f"USING gin ((normalized_name || ' ' || aliases::text) gin_trgm_ops) "
        "WHERE review_status <> 'rejected'"
        for table in TABLES.values()
    ),
]

POSTGRES_REMOVE_SQL = [f"DROP INDEX IF EXISTS {_index_name(table)}" for table in TABLES.values()]


def find_candidates(
    cursor, requests: Sequence[tuple[Sequence[str], Sequence[str]]], *, per_query: int
):
    """``[(request number, kind, id, key, aliases, category)]``: ``per_query`` per request and kind.

    Each request is (keys, kinds); a request with two keys (its transliterated
    key and its text as written) looks both up. One statement answers the
    whole batch: per kind, a lateral join of the keys to their closest rows.
    """
    by_kind: dict[str, tuple[list[int], list[str]]] = {}
    for number, (keys, kinds) in enumerate(requests):
        for kind in kinds:
            numbers, texts = by_kind.setdefault(kind, ([], []))
            for key in keys:
                numbers.append(number)
                texts.append(key)
    if not by_kind:
        return []
    document = _document("candidate")
    parts, params = [], []
    for kind, (numbers, texts) in by_kind.items():
        parts.append(
            f"""
            SELECT request.number, %s::text, hit.id, hit.normalized_name, hit.aliases, hit.category
            FROM unnest(%s::int[], %s::text[]) AS request(number, key)
            CROSS JOIN LATERAL (
                SELECT candidate.id, candidate.normalized_name, candidate.aliases,
                    {"''" if kind == "person" else "candidate.kind"} AS category
                FROM {TABLES[kind]} AS candidate
                WHERE candidate.review_status <> 'rejected' AND {document} %%> request.key
                ORDER BY request.key <<-> {document}
                LIMIT {int(per_query)}
            ) AS hit
            """
        )
        params.extend([kind, numbers, texts])
    with transaction.atomic(using=cursor.db.alias):
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true), "
            "set_config('enable_seqscan', 'off', true)",
            [str(WORD_SIMILARITY_THRESHOLD)],
        )
        cursor.execute(" UNION ALL ".join(parts), params)
        return [
            (number, kind, pk, key, _aliases(aliases), category)
            for number, kind, pk, key, aliases, category in cursor.fetchall()
        ]


def _aliases(value) -> list:
    """The aliases column as a list (Django has psycopg hand over jsonb as text)."""
    if isinstance(value, str):
        value = json.loads(value)
    return value if isinstance(value, list) else []
