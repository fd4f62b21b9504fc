"""Answering reconciliation queries and suggestions from the name index.

Reads only: the name index (:mod:`entities.name_index`) finds, for each name
of a batch, a bounded number of candidates sharing trigrams with it, in a few
statements for the whole batch; :mod:`~entities.reconciliation.scoring`
ranks them. Rejected records are in neither.
"""

from collections.abc import Sequence

from entities.name_index import (
    Candidate,
    IndexedName,
    NameRequest,
    find_candidates,
    read_names,
)
from entities.reconciliation.queries import (
    KIND_VALUES,
    PROPERTIES,
    TYPES,
    Query,
    parse_entity_id,
)
from entities.reconciliation.scoring import (
    Scored,
    combined_score,
    decide_match,
    fold,
    match_key,
    name_score,
    prefix_key,
    prefix_score,
    similarity,
    typed_score,
)

#: Candidates the index proposes per query and type, for scoring to rank.
CANDIDATES_PER_QUERY = 20
#: Candidates whose name scores less than this are not shown (the index proposes
#: any record sharing a few trigrams with the query).
MIN_NAME_SCORE = 50.0
#: Suggestions of one page (the ``cursor`` pages on).
SUGGEST_PAGE = 10
#: Below this score a name is not worth suggesting.
SUGGEST_MIN_SCORE = 70.0


def reconcile(queries: Sequence[Query], *, using: str = "default") -> dict[str, list[Scored]]:
    """The ranked candidates of each query, by its key; the first may be a ``match``.

    Each candidate's ``features`` say what its score is made of: ``name``
    (0-100, see :func:`scoring.name_score`), and for each property supplied
    ``kind`` (true when the record is of a kind named) and ``aliases``
    (0-100, the best similarity of a value to the record's names). The score
    weighs the name three times as much as each property (see
    :func:`scoring.combined_score`); the match rule is
    :func:`scoring.decide_match`'s. Candidates are scored on what the index
    holds; only those in the answer are read from their tables.
    """
    by_id = _records_by_id([query.name for query in queries], using=using)
    searched = [query for query in queries if query.name and query.name not in by_id]
    found = find_candidates(
        [NameRequest(query.name, query.types) for query in searched],
        per_query=CANDIDATES_PER_QUERY,
        using=using,
    )
    candidates = dict(zip((query.key for query in searched), found, strict=True))
    ranked = {}
    for query in queries:
        if query.name in by_id:
            record = by_id[query.name]
            ranked[query.key] = (
                [Scored(record, 100.0, {"name": 100.0}, match=True)]
                if record.kind in query.types
                else []
            )
        else:
            ranked[query.key] = _rank(query, candidates.get(query.key, []))[: query.limit]
    records = read_names(
        (scored.item.kind, scored.item.pk)
        for answer in ranked.values()
        for scored in answer
        if isinstance(scored.item, Candidate)
    )
    for answer in ranked.values():
        for scored in answer:
            if isinstance(scored.item, Candidate):
                scored.item = records.get((scored.item.kind, scored.item.pk))
        # A record rejected since the index was read is not shown.
        answer[:] = [scored for scored in answer if scored.item is not None]
    return ranked


def _rank(query: Query, candidates: Sequence[Candidate]) -> list[Scored]:
    """The candidates worth showing, best first, the first marked if it is a clear match."""
    key = match_key(query.name)
    ranked = []
    for candidate in candidates:
        name = name_score(key, fold(candidate.key), candidate.aliases)
        if name < MIN_NAME_SCORE:
            continue
        features = {"name": round(name, 1)}
        properties = []
        for prop in query.properties:
            if prop.pid == "kind" and candidate.kind in KIND_VALUES:
                kinds = KIND_VALUES[candidate.kind]
                features["kind"] = candidate.category in {
                    kinds.get(value.casefold()) for value in prop.values
                }
                properties.append(100.0 if features["kind"] else 0.0)
            elif prop.pid == "aliases" and prop.values:
                best = max(
                    name_score(match_key(value), fold(candidate.key), candidate.aliases)
                    for value in prop.values
                )
                features["aliases"] = round(best, 1)
                properties.append(best)
        ranked.append(Scored(candidate, combined_score(name, properties), features))
    # Ties go to the older record (lower id): stable across requests.
    ranked.sort(key=lambda scored: (-scored.score, scored.item.pk))
    decide_match(ranked)
    return ranked


def _records_by_id(texts: Sequence[str], *, using: str) -> dict[str, IndexedName]:
    """The records that queries name by reconciliation id ("organisation-12"), by that text."""
    wanted = {}
    for text in texts:
        parsed = parse_entity_id(text)
        if parsed is not None:
            wanted[parsed] = text
    if not wanted:
        return {}
    return {wanted[pair]: record for pair, record in read_names(wanted, using=using).items()}


def suggest_entities(
    prefix: str,
    *,
    types: Sequence[str] = tuple(TYPES),
    cursor: int = 0,
    limit: int = SUGGEST_PAGE,
    using: str = "default",
) -> list[Scored]:
    """Records for an autocomplete: names starting with ``prefix`` first, then names whose
    words start with its words (see :func:`scoring.prefix_score`), then the closest
    (:func:`scoring.typed_score` for words being typed, :func:`scoring.name_score`).

    Typo-tolerant (the name index), so "Vertx" still offers "Vertex". A
    reconciliation id as ``prefix`` offers that record. ``cursor`` skips the
    first suggestions, as the specification's suggest protocol pages.
    """
    prefix = " ".join(prefix.split())
    by_id = _records_by_id([prefix], using=using)
    if prefix in by_id:
        record = by_id[prefix]
        ranked = [Scored(record, 100.0, {"prefix": 100.0})] if record.kind in types else []
        return ranked[cursor : cursor + limit]
    if len(prefix_key(prefix)) < 2:
        return []
    (candidates,) = find_candidates(
        [NameRequest(prefix, tuple(types))], per_query=CANDIDATES_PER_QUERY, using=using
    )
    records = read_names(((c.kind, c.pk) for c in candidates), using=using)
    key = match_key(prefix)
    ranked = []
    for record in records.values():
        starts = prefix_score(prefix, record.name, record.aliases)
        score = max(
            starts,
            typed_score(prefix, record.name, record.aliases),
            name_score(key, match_key(record.name), record.aliases),
        )
        if score >= SUGGEST_MIN_SCORE:
            ranked.append(Scored(record, round(score, 1), {"prefix": starts}))
    ranked.sort(
        key=lambda scored: (
            -scored.features["prefix"],
            -scored.score,
            scored.item.name.casefold(),
            scored.item.pk,
        )
    )
    return ranked[cursor : cursor + limit]


def suggest_vocabulary(prefix: str, vocabulary: dict[str, str]) -> list[tuple[str, str]]:
    """(id, name) of the types or properties whose id or name is like ``prefix``, best first.

    An empty prefix lists them all, as a client offering a choice wants.
    """
    typed = prefix_key(prefix)
    if not typed:
        return list(vocabulary.items())
    scored = []
    for identifier, name in vocabulary.items():
        starts = any(prefix_key(text).startswith(typed) for text in (identifier, name))
        score = 100.0 if starts else similarity(typed, prefix_key(name))
        if score >= SUGGEST_MIN_SCORE:
            scored.append((not starts, -score, identifier, name))
    return [(identifier, name) for _, _, identifier, name in sorted(scored)]


def property_names() -> dict[str, str]:
    """The properties a query may supply, id -> name."""
    return {pid: name for pid, (name, _) in PROPERTIES.items()}


def extend(ids: Sequence[str], pids: Sequence[str], *, using: str = "default") -> dict:
    """A data extension answer: the properties ``pids`` (kind, aliases) of each record in ``ids``.

    ``{"meta": [{id, name}], "rows": {id: {pid: [{"str": value}]}}}``; an id
    that names no visible record gets empty values.
    """
    records = _records_by_id(ids, using=using)
    rows = {}
    for text in ids:
        record = records.get(text)
        row = {}
        for pid in pids:
            if record is None:
                row[pid] = []
            elif pid == "kind":
                row[pid] = [{"str": record.category}] if record.category else []
            else:
                row[pid] = [{"str": alias} for alias in record.aliases]
        rows[text] = row
    names = property_names()
    return {"meta": [{"id": pid, "name": names[pid]} for pid in pids], "rows": rows}
