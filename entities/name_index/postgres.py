"""The PostgreSQL backend of the name index: ``pg_trgm`` GIN indexes on the three tables.

Each of the organisation, person and program tables gets two partial GIN
trigram indexes, rejected records left out: one on ``normalized_name`` (the
record's key), one on its aliases as written (the JSON text: ``pg_trgm`` only
looks at letters and digits, so brackets and quotes do not count). A lookup
asks for the records whose key or aliases hold most of the query key's
trigrams (*word similarity*, ``%>``: a typo costs a few trigrams, a name
typed in part loses none), which the indexes answer.

What costs is the similarity computed for each row an index proposes (the
index only bounds it, and most fall short): about 10 µs a row here. Hence
two passes, each one statement for the whole batch (a lateral join of the
keys to their rows): a strict one for every name (at least
:data:`STRICT_SIMILARITY`, unordered), then a loose one (down to
:data:`LOOSE_SIMILARITY`, closest first) only for the names that found
nothing close (:data:`SURE_RATIO`): transliterations, several typos, a short
form. Measured at 10,000 articles with 100 misspelt names, on a busy
machine: one ordered pass at 0.6 took 250-300 ms; the two passes (0.7, then
0.4) take 100-160 ms and put the right record first for 99 (a second pass
down to 0.3 took a third longer and found no more). The indexes are built
without ``fastupdate``: its pending list, scanned in full by every lookup,
made each one 40 ms after an import.
"""

import json
from collections.abc import Sequence

from django.db import transaction
from rapidfuzz import fuzz

from entities.name_index.tables import TABLES
from entities.normalise import normalise_name

#: First pass: records holding at least this share of the query's trigrams (word similarity).
STRICT_SIMILARITY = 0.7
#: ... at most this many per name, in no order (ordering would mean computing the
#: similarity of every row, which costs more than finding them).
STRICT_LIMIT = 50
#: A name with a first-pass candidate this close (rapidfuzz ratio of keys, 0-100)
#: needs no second pass.
SURE_RATIO = 80
#: Second pass: down to this share, the closest first.
LOOSE_SIMILARITY = 0.4

POSTGRES_INSTALL_SQL = [
    *(
        f"CREATE INDEX IF NOT EXISTS {table}_{name}_trgm ON {table} "
        f"USING gin (({expression}) gin_trgm_ops) WITH (fastupdate = off) "
        "WHERE review_status <> 'rejected'"
        for table in TABLES.values()
        for name, expression in (("key", "normalized_name"), ("aliases", "aliases::text"))
    ),
]

POSTGRES_REMOVE_SQL = [
    f"DROP INDEX IF EXISTS {table}_{name}_trgm"
    for table in TABLES.values()
    for name in ("key", "aliases")
]


def find_candidates(
    cursor, requests: Sequence[tuple[Sequence[str], Sequence[str]]], *, per_query: int
):
    """``[(request number, kind, id, key, aliases, category)]`` for each request and kind.

    Up to :data:`STRICT_LIMIT` records per key from the strict pass, and for
    the names it left unsure up to ``per_query`` more per key from the loose
    pass.

    Each request is (keys, kinds); a request with two keys (its transliterated
    key and its text as written) looks both up.
    """
    lookups = [
        (number, kind, key)
        for number, (keys, kinds) in enumerate(requests)
        for kind in kinds
        for key in keys
    ]
    if not lookups:
        return []
    with transaction.atomic(using=cursor.db.alias):
        found = _lookup(cursor, lookups, STRICT_SIMILARITY, limit=STRICT_LIMIT)
        best: dict[int, float] = {}
        for number, _, _, key, aliases, _ in found:
            texts = [key, *(normalise_name(alias) for alias in aliases)]
            closest = max(
                fuzz.ratio(text, lookup_key) for text in texts for lookup_key in requests[number][0]
            )
            best[number] = max(best.get(number, 0.0), closest)
        unsure = [lookup for lookup in lookups if best.get(lookup[0], 0.0) < SURE_RATIO]
        if unsure:
            found += _lookup(cursor, unsure, LOOSE_SIMILARITY, limit=per_query, closest_first=True)
    return found


def _lookup(cursor, lookups, threshold: float, *, limit: int, closest_first: bool = False):
    """One pass over ``lookups`` (number, kind, key) at ``threshold``: a setting and a statement.

    ``closest_first`` orders each key's rows by similarity before ``limit``
    cuts them (computing it costs more than finding the rows).
    """
    cursor.execute(
        "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [str(threshold)]
    )
    by_kind: dict[str, tuple[list[int], list[str]]] = {}
    for number, kind, key in lookups:
        numbers, keys = by_kind.setdefault(kind, ([], []))
        numbers.append(number)
        keys.append(key)
    order = (
        "ORDER BY greatest(word_similarity(request.key, candidate.normalized_name), "
        "word_similarity(request.key, candidate.aliases::text)) DESC"
        if closest_first
        else ""
    )
    parts, params = [], []
    for kind, (numbers, keys) in by_kind.items():
        category = "''" if kind == "person" else "candidate.kind"
        parts.append(
            f"""
            SELECT request.number, %s::text, hit.id, hit.normalized_name, hit.aliases,
                hit.category
            FROM unnest(%s::int[], %s::text[]) AS request(number, key)
            CROSS JOIN LATERAL (
                SELECT candidate.id, candidate.normalized_name, candidate.aliases,
                    {category} AS category
                FROM {TABLES[kind]} AS candidate
                WHERE candidate.review_status <> 'rejected'
                    AND (candidate.normalized_name %%> request.key
                        OR candidate.aliases::text %%> request.key)
                {order}
                LIMIT {int(limit)}
            ) AS hit
            """
        )
        params.extend([kind, numbers, keys])
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
