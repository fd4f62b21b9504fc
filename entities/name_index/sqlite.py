"""The SQLite backend of the name index: one FTS5 table with the ``trigram`` tokenizer.

``entities_name_fts`` holds a row per organisation, person and program that is
not rejected: its normalised name (``normalized_name``: transliterated to
ASCII, legal forms dropped) and its aliases as written, separated by `` | ``.
The trigram tokenizer indexes every three-character run (case folded for
every script), so a query broken into trigrams finds a name with a typo in it:
most of its trigrams still match, and the rows sharing the most of its
rarest trigrams come first (:func:`find_candidates`).

A row's ``rowid`` is the record's id times four plus its kind's tag, so that
one table serves the three models and a trigger finds the row to replace by
rowid alone. Triggers on the three tables keep the index in step with every
way of writing them (``save``, ``bulk_create``, ``QuerySet.update``, raw SQL);
a rejected record has no row. Django rebuilds a SQLite table to alter it,
which drops its triggers: :func:`entities.name_index.repair_name_index` puts
them back after ``migrate`` and rebuilds the rows.
"""

from collections.abc import Sequence

from entities.name_index.tables import TABLES

FTS_TABLE = "entities_name_fts"
#: The index's vocabulary: each trigram and how many rows hold it.
VOCABULARY_TABLE = "entities_name_fts_vocabulary"
#: A query looks up at most this many of its trigrams, the rarest.
LOOKUP_TRIGRAMS = 8

#: The tag of each kind in a row's rowid (``id * 4 + tag``).
TAGS = {"organisation": 1, "person": 2, "program": 3}
KIND_OF_TAG = {tag: kind for kind, tag in TAGS.items()}
# SQLite's default limit of terms in one compound SELECT is 500.
MAX_UNION_TERMS = 400
# Well under SQLite's limit of bound parameters per statement (32,766).
MAX_VARIABLES = 10_000


def _document(row: str) -> str:
    """SQL for the indexed text of ``row`` (``new`` in a trigger, an alias in a query)."""
    # Spaces around the whole make the first and last words' edge trigrams (" ab", "yz ").
    return (
        f"' ' || {row}.normalized_name || coalesce("
        f"(SELECT ' | ' || group_concat(value, ' | ') FROM json_each({row}.aliases)), '') || ' '"
    )


def _category(kind: str, row: str) -> str:
    """SQL for the record's ``kind`` field (organisations and programs have one), else ''."""
    return "''" if kind == "person" else f"{row}.kind"


def _watched(kind: str) -> str:
    """The columns whose change rewrites a record's row."""
    columns = ["id", "normalized_name", "aliases", "review_status"]
    return ", ".join(columns if kind == "person" else [*columns, "kind"])


def _triggers(kind: str) -> dict[str, str]:
    table, tag = TABLES[kind], TAGS[kind]
    prefix = f"entities_name_index_{kind}"
    new_row = f"new.id * 4 + {tag}, {_document('new')}, {_category(kind, 'new')}"
    return {
        f"{prefix}_insert": f"""
            CREATE TRIGGER IF NOT EXISTS {prefix}_insert AFTER INSERT ON {table}
            WHEN new.review_status <> 'rejected' BEGIN
                INSERT INTO {FTS_TABLE} (rowid, names, category) VALUES ({new_row});
            END
        """,
        f"{prefix}_delete": f"""
            CREATE TRIGGER IF NOT EXISTS {prefix}_delete AFTER DELETE ON {table} BEGIN
                DELETE FROM {FTS_TABLE} WHERE rowid = old.id * 4 + {tag};
            END
        """,
        f"{prefix}_update": f"""
            CREATE TRIGGER IF NOT EXISTS {prefix}_update
            AFTER UPDATE OF {_watched(kind)} ON {table} BEGIN
                DELETE FROM {FTS_TABLE} WHERE rowid = old.id * 4 + {tag};
                INSERT INTO {FTS_TABLE} (rowid, names, category)
                SELECT {new_row} WHERE new.review_status <> 'rejected';
            END
        """,
    }


SQLITE_TRIGGERS = {name: sql for kind in TABLES for name, sql in _triggers(kind).items()}

SQLITE_REBUILD_SQL = [
    f"DELETE FROM {FTS_TABLE}",
    *(
        f"INSERT INTO {FTS_TABLE} (rowid, names, category) "
        f"SELECT record.id * 4 + {TAGS[kind]}, {_document('record')}, {_category(kind, 'record')} "
        f"FROM {table} AS record WHERE record.review_status <> 'rejected'"
        for kind, table in TABLES.items()
    ),
]

SQLITE_INSTALL_SQL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} "
    "USING fts5(names, category UNINDEXED, tokenize='trigram')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCABULARY_TABLE} USING fts5vocab({FTS_TABLE}, row)",
    *SQLITE_TRIGGERS.values(),
    *SQLITE_REBUILD_SQL,
]

SQLITE_REMOVE_SQL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    f"DROP TABLE IF EXISTS {VOCABULARY_TABLE}",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def optimise(cursor) -> None:
    """Merge the FTS5 table's segments into one, as its ``optimize`` command does.

    The triggers add a name at a time, so an import leaves the index in
    many small segments (FTS5 merges them only now and then), and a lookup
    reads every segment of each trigram it looks up.
    """
    cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")


def _quoted(trigram: str) -> str:
    """A trigram as an FTS5 string (a phrase of one token)."""
    return '"' + trigram.replace('"', '""') + '"'


def document_frequencies(cursor, trigrams: Sequence[str]) -> dict[str, int]:
    """How many rows hold each of ``trigrams`` (absent: none), from the index's vocabulary."""
    frequencies: dict[str, int] = {}
    distinct = list(dict.fromkeys(trigrams))
    for first in range(0, len(distinct), MAX_VARIABLES):
        chunk = distinct[first : first + MAX_VARIABLES]
        placeholders = ", ".join(["%s"] * len(chunk))
        cursor.execute(
            f"SELECT term, doc FROM {VOCABULARY_TABLE} WHERE term IN ({placeholders})", chunk
        )
        frequencies.update(cursor.fetchall())
    return frequencies


def find_candidates(
    cursor, requests: Sequence[tuple[Sequence[str], Sequence[str]]], *, per_query: int
):
    """``[(request number, kind, id, key, aliases, category)]``: ``per_query`` per request.

    Each request is (trigrams, kinds). Only each request's
    :data:`LOOKUP_TRIGRAMS` rarest trigrams that the index holds are looked
    up (one query on the vocabulary for the whole batch): a common trigram
    ("ion", "pha") says little and costs the most, one the index lacks is
    where the typo is. The rows sharing the most of them come first. The
    whole batch is one compound SELECT (in chunks under SQLite's limit of
    terms). Counting shared trigrams is what ``pg_trgm`` does too; FTS5's
    bm25 ranking cost five times as much here. At 10,000 articles, 100
    misspelt names read about 110,000 entries; stopping at six trigrams once
    800 entries were reached saved a tenth of the time and lost the right
    record of one name in 100.
    """
    frequencies = document_frequencies(
        cursor, [trigram for trigrams, _ in requests for trigram in trigrams]
    )
    terms, params = [], []
    for number, (trigrams, kinds) in enumerate(requests):
        known = sorted((frequencies[t], t) for t in trigrams if frequencies.get(t))
        chosen = [trigram for _, trigram in known[:LOOKUP_TRIGRAMS]]
        if not chosen or not kinds:
            continue
        tags = ", ".join(str(TAGS[kind]) for kind in kinds)
        shared = " UNION ALL ".join(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND (rowid & 3) IN ({tags})"
            for _ in chosen
        )
        terms.append(
            f"SELECT {number} AS request, entry.rowid, entry.names, entry.category FROM ("
            f"SELECT rowid, count(*) AS shared FROM ({shared}) "
            f"GROUP BY rowid ORDER BY shared DESC LIMIT {int(per_query)}"
            f") AS hit JOIN {FTS_TABLE} AS entry ON entry.rowid = hit.rowid"
        )
        params.append([_quoted(trigram) for trigram in chosen])
    found = []
    for first in range(0, len(terms), MAX_UNION_TERMS):
        chunk = slice(first, first + MAX_UNION_TERMS)
        cursor.execute(
            " UNION ALL ".join(terms[chunk]), [param for group in params[chunk] for param in group]
        )
        for request, rowid, names, category in cursor:
            key, *aliases = names.strip().split(" | ")
            found.append((request, KIND_OF_TAG[rowid & 3], rowid >> 2, key, aliases, category))
    return found
