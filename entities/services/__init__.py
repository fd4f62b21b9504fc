"""Writes to the knowledge base's entities: resolution of extracted names, editors' actions.

A module per concern:

- :mod:`~entities.services.index`: what an import run looks records up in
  besides their names (aliases, short forms, tombstones), read once per run;
- :mod:`~entities.services.resolution`: which records the names an article's
  extraction found stand for, creating the missing ones;
- :mod:`~entities.services.editors`: editors' deletions, changes and merges,
  remembered so that later imports respect them;
- :mod:`~entities.services.slugs`: unique slugs for new records.

The identity keys both apps share live in :mod:`entities.identity`; storing an
article's mentions, positions and metrics is the articles app's part
(``articles.persistence``): this app never imports that one.
"""

from entities.services.editors import editor_changed, editor_delete, entity_merge
from entities.services.index import ImportIndex
from entities.services.resolution import (
    ChangeCounts,
    Resolution,
    ResolvedNames,
    resolve_candidates,
)
from entities.services.slugs import unique_slugs

__all__ = [
    "ChangeCounts",
    "ImportIndex",
    "Resolution",
    "ResolvedNames",
    "editor_changed",
    "editor_delete",
    "entity_merge",
    "resolve_candidates",
    "unique_slugs",
]
