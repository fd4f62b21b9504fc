"""Identity keys: how the import recognises a record an editor deleted or changed.

An editor's deletion leaves an ``ImportTombstone`` holding one of these keys,
and the import computes the same key for what it is about to write, so a
deleted record never comes back. Pure functions of strings and ids, without
model imports, so that the models of both apps (each record's
``tombstone_keys()``) and the import share them.
"""

import hashlib


def _digest(*parts: str) -> str:
    # entities migration 0006 computes name keys with this digest (of one part).
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def article_tombstone_key(source_file: str) -> str:
    """Tombstone key of an article: its source file name."""
    return _digest(source_file)


def name_tombstone_key(normalised_name: str) -> str:
    """Tombstone key of an organisation, person or program: a normalised name."""
    return _digest(normalised_name)


# Mentions and positions are keyed by record id, which survives an editor's renaming.
def mention_tombstone_key(source_file: str, entity_pk: int) -> str:
    """Tombstone key of a mention: its article's source file and the entity's id."""
    return _digest(source_file, str(entity_pk))


def position_tombstone_key(person_pk: int, title: str, organisation_pk: int | None) -> str:
    """Tombstone key of a position: the person's id, the title ignoring case, the organisation."""
    return _digest(str(person_pk), title.casefold(), str(organisation_pk or 0))


def metric_tombstone_key(source_file: str, raw_text: str, quote: str) -> str:
    """Tombstone key of a metric: its article's source file, its words and its sentence."""
    return _digest(source_file, raw_text, quote)
