"""The name index: organisations, people and programs found by a name with typos in it.

Reconciliation (``/api/reconcile/``) and the search box's suggestions
(``/api/suggest/``) look names up here. Both databases keep the index current
by themselves, so every way of writing a record keeps it right:

* PostgreSQL: ``pg_trgm`` GIN indexes on the three tables
  (:mod:`~entities.name_index.postgres`);
* SQLite: an FTS5 table with the ``trigram`` tokenizer, kept in step by
  triggers (:mod:`~entities.name_index.sqlite`).

What is indexed is each record's ``normalized_name`` (the comparison key of
:func:`entities.normalise.normalise_name`: transliterated to ASCII, legal
forms, quotes and case dropped) and its aliases as written; rejected records
are left out. A query is looked up by the same key, so "ООО Вертекс" meets
"Verteks" and "Vertex LLC" meets "Vertex", and by its own letters when it is
written in another script, to meet aliases written in that script.

The index only finds candidates: it answers, for each name of a batch, a
bounded number of records that share enough trigrams with it, in one or a
few statements for the whole batch. Scoring them is the caller's business
(:mod:`entities.reconciliation.scoring`).
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connections

from entities.models import NAMED_MODELS
from entities.name_index import postgres, sqlite
from entities.normalise import normalise_name

logger = logging.getLogger(__name__)

#: The kinds of record the index holds, as the API names them.
KINDS = tuple(NAMED_MODELS)
#: At most this many trigrams of a query are looked up (a long query costs no more).
MAX_TRIGRAMS = 48
#: Queries are cut to the longest name a record can have.
MAX_QUERY_LENGTH = 255


@dataclass(frozen=True)
class Candidate:
    """A record the index found for a name: what it holds of it, enough to score it."""

    kind: str  # "organisation", "person" or "program"
    pk: int
    key: str  # the record's normalized_name
    aliases: tuple[str, ...]
    category: str  # the record's ``kind`` field (organisations, programs), else ""


@dataclass(frozen=True)
class IndexedName:
    """A record as answers show it (:func:`read_names`)."""

    kind: str  # "organisation", "person" or "program"
    pk: int
    name: str
    slug: str
    aliases: tuple[str, ...]
    category: str  # the record's ``kind`` field (organisations, programs), else ""
    description: str


@dataclass(frozen=True)
class NameRequest:
    """One name to look up, among records of ``kinds``."""

    text: str
    kinds: tuple[str, ...] = KINDS


def query_keys(text: str) -> tuple[str, ...]:
    """The strings a query is looked up by: its key, and its own letters when not ASCII.

    "ООО Вертекс" gives ("verteks", "ооо вертекс"): the key meets names
    transliterated to Latin, the casefolded text meets aliases written in
    Cyrillic. Empty when nothing searchable is left.
    """
    text = text[:MAX_QUERY_LENGTH]
    key = normalise_name(text)
    written = " ".join(text.casefold().split())
    keys = [key] if key else []
    if written and not written.isascii() and written != key:
        keys.append(written)
    return tuple(keys)


def trigrams(keys: Sequence[str]) -> list[str]:
    """The distinct trigrams of ``keys``' words, edges included (" ab", "yz "), in order."""
    found: dict[str, None] = {}
    for key in keys:
        for word in key.split():
            framed = f" {word} "
            for start in range(len(framed) - 2):
                found.setdefault(framed[start : start + 3], None)
    return list(found)[:MAX_TRIGRAMS]


def find_candidates(
    requests: Sequence[NameRequest], *, per_query: int = 20, using: str = "default"
) -> list[list[Candidate]]:
    """For each request, records of its kinds sharing trigrams with it.

    In no particular order: scoring decides. SQLite gives at most
    ``per_query``; PostgreSQL's strict pass gives every record it finds close
    up to :data:`postgres.STRICT_LIMIT` per kind and key (unordered, so
    cutting them would drop one at random), its loose pass ``per_query``.

    Each candidate carries what the index holds (its key and aliases),
    enough to score it; read the few that make the answer with
    :func:`read_names`. Queries: on SQLite one on the index's vocabulary and
    one per chunk of 400 lookups; on PostgreSQL a setting and a statement for
    the whole batch, and again for the names that found nothing close (see
    :mod:`~entities.name_index.postgres`).
    """
    connection = connections[using]
    lookups = [(query_keys(request.text), request.kinds) for request in requests]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            hits = postgres.find_candidates(cursor, lookups, per_query=per_query)
        elif connection.vendor == "sqlite":
            hits = sqlite.find_candidates(
                cursor, [(trigrams(keys), kinds) for keys, kinds in lookups], per_query=per_query
            )
        else:
            raise NotImplementedError(
                f"The name index supports PostgreSQL and SQLite, not {connection.vendor}"
            )
    found: list[list[Candidate]] = [[] for _ in requests]
    seen = set()
    for number, kind, pk, key, aliases, category in hits:
        if (number, kind, pk) not in seen:
            seen.add((number, kind, pk))
            aliases = tuple(alias for alias in aliases if isinstance(alias, str))
            found[number].append(Candidate(kind, pk, key, aliases, category or ""))
    return found


def read_names(
    wanted: Iterable[tuple[str, int]], *, using: str = "default"
) -> dict[tuple[str, int], IndexedName]:
    """The records named by (kind, id) pairs that are not rejected, by pair; one query per kind."""
    by_kind: dict[str, set[int]] = {}
    for kind, pk in wanted:
        by_kind.setdefault(kind, set()).add(pk)
    records = {}
    for kind, pks in by_kind.items():
        model = NAMED_MODELS[kind]
        has_category = kind != "person"
        fields = ["pk", "name", "slug", "aliases"]
        fields += ["kind", "description"] if has_category else []
        rows = model.objects.using(using).not_rejected().filter(pk__in=pks).values_list(*fields)
        for row in rows:
            pk, name, slug, aliases = row[:4]
            category, description = row[4:] if has_category else ("", "")
            records[(kind, pk)] = IndexedName(
                kind=kind,
                pk=pk,
                name=name,
                slug=slug,
                aliases=tuple(alias for alias in aliases or () if isinstance(alias, str)),
                category=category,
                description=description,
            )
    return records


# --------------------------------------------------------------------------
# Installing and repairing the index (migration 0011, post_migrate)
# --------------------------------------------------------------------------


def install_name_index(connection) -> None:
    """Create the index (or bring it up to date) and fill it from the tables; idempotent."""
    if connection.vendor == "postgresql":
        _execute(connection, postgres.POSTGRES_INSTALL_SQL)
    elif connection.vendor == "sqlite":
        _execute(connection, sqlite.SQLITE_INSTALL_SQL)


def remove_name_index(connection) -> None:
    """Drop the index."""
    if connection.vendor == "postgresql":
        _execute(connection, postgres.POSTGRES_REMOVE_SQL)
    elif connection.vendor == "sqlite":
        _execute(connection, sqlite.SQLITE_REMOVE_SQL)


def tidy_name_index(connection) -> None:
    """Compact the index after a large import; see :func:`sqlite.optimise`. PostgreSQL: nothing.

    (PostgreSQL's GIN indexes need no pass of their own: they are built
    without a pending list, and the import's ``VACUUM`` covers them.)
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            sqlite.optimise(cursor)


def repair_name_index(using: str = "default", **kwargs) -> None:
    """Restore the SQLite triggers after a migration rebuilt one of the three tables.

    A ``post_migrate`` receiver. Rebuilding a table (how SQLite alters one)
    drops its triggers, and rows may have changed unseen meanwhile: the
    triggers are recreated and the index refilled. Does nothing on
    PostgreSQL (its indexes live on the tables), before the index exists, or
    when every trigger is there.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name = %s OR type = 'trigger'",
            [sqlite.FTS_TABLE],
        )
        existing = {name for (name,) in cursor.fetchall()}
    if sqlite.FTS_TABLE in existing and not existing >= set(sqlite.SQLITE_TRIGGERS):
        logger.warning("Name index triggers were missing on %s; reinstalling them", using)
        install_name_index(connection)


def _execute(connection, statements) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
