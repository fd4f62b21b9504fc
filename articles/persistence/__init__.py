"""Storing what extraction found in an article: its mentions, positions and metrics.

:func:`extraction_persist` resolves the names the extraction found to
records (``entities.services.resolve_candidates``), then writes what the
article says about them, a module per kind of fact: :mod:`.mentions`,
:mod:`.positions`, :mod:`.metrics`.

Re-extraction updates the article's earlier records in place. Every write is
limited to records that are still not curated (and metrics still unreviewed), so
an editor's save that lands while the import runs wins.
"""

from django.db import transaction

from articles.models import Article
from articles.persistence.mentions import persist_mentions
from articles.persistence.metrics import persist_metrics
from articles.persistence.positions import persist_positions
from entities.extraction.types import Extraction
from entities.models import Person
from entities.services import ChangeCounts, ImportIndex, changes, resolve_candidates


def extraction_persist(
    *,
    article: Article,
    extraction: Extraction,
    index: ImportIndex | None = None,
    replace: bool = True,
    shown: changes.Found | None = None,
) -> ChangeCounts:
    """Store what extraction found in ``article``, updating its earlier extraction in place.

    A mention, position or metric found again keeps its id (bookmarks and
    external tools hold them) and gets what changed about it; the article's
    non-curated ones no longer found are removed, new ones are created, so
    re-extracting an unchanged article changes nothing. Curated and rejected
    ones stay as editors left them, and nothing an editor deleted comes back.
    Existing non-curated entities gain the new aliases, and the candidate's
    confidence when it is higher than theirs; curated ones are not modified.
    New records and metrics get their candidate's confidence. Pass the import
    run's ``index`` to share its lookups, and ``replace=False`` for a new
    article, which has nothing to replace.

    The records whose API representation changed (the entities whose
    article counts moved, the people whose positions did, the article)
    move their ``updated_at``; removed metrics go to the deletions feed.
    Given ``shown``, they are added to it instead, for the caller to touch
    once for many articles (``changes.touch``; an import's batch).
    """
    index = index if index is not None else ImportIndex()
    counts = ChangeCounts()
    # Inside the import's per-file transaction a savepoint would buy nothing:
    # any failure here rolls the whole file back.
    with transaction.atomic(savepoint=False):
        resolution = resolve_candidates(extraction=extraction, index=index, counts=counts)
        candidates, resolved = resolution.candidates, resolution.resolved
        # What these writes change for API mirrors, stamped once for the article.
        found: changes.Found = {}
        facts = (resolved, index, counts)
        persist_mentions(article, candidates, *facts, replace=replace, shown=found)
        persist_positions(article, candidates[Person], *facts, replace=replace, shown=found)
        persist_metrics(article, extraction.metrics, *facts, replace=replace, shown=found)
        if shown is None:
            changes.touch(found)
        else:
            changes.merge(shown, found)
    return counts
