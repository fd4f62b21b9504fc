"""Editors' writes ordered against the import, so that an editor's change always wins.

An import reads an article, extracts it (seconds, outside any transaction),
then writes it. An editor's write landing in between was overwritten: the
import had read the article before the editor marked it curated. So both
sides serialise on the article:

- the import, inside the file's transaction, takes :func:`lock_article` and
  only then re-reads whether an editor changed the article meanwhile;
- an editor's write to an article, or to a record that hangs from one (a
  mention, a metric, a position), takes the same lock inside its
  transaction and re-reads the record (:func:`lock_for_edit`) before
  applying the change, so it never saves over a version the import replaced.

PostgreSQL: a transaction-level advisory lock per article (no row needs to
exist yet, and the lock goes with the transaction). SQLite needs none: its
transactions start ``IMMEDIATE`` (settings), so writers already run one at a
time and each re-read sees the other's commit.
"""

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, models, transaction

from entities.models import ReviewStatus, article_model
from entities.services import changes, editor_changed, editor_delete
from kaluga_cluster.cache import bump_data_version_on_commit

# First half of the advisory lock key (the article id is the second): keeps
# these locks apart from any other advisory lock on the database.
_ARTICLE_LOCK_CLASS = zlib.crc32(b"kaluga_cluster.article") & 0x7FFFFFFF


class RecordGone(Exception):
    """The record an editor is changing was deleted meanwhile (by an import or an editor)."""


@contextmanager
def editor_saving(
    instance: models.Model | None, *, user, article_id: int | None = None
) -> Iterator[models.Model | None]:
    """The frame of every editor's save of ``instance``, in the admin and the API alike.

    One transaction. Before the block: waits for any import writing the
    record's article, then locks and re-reads the stored record (RecordGone
    when it was deleted meanwhile) and yields it. For a new record (None,
    or not saved yet) it yields None; ``article_id`` names its article when
    ``instance`` is None.
    The block applies the change and saves the record marked ``curated``.
    After it: the import's knowledge of the record follows the change
    (``editor_changed``: a renamed record keeps its old name as an alias...),
    and the records showing it move their ``updated_at`` for API mirrors (an
    article hidden meanwhile goes to the deletions feed; see
    ``entities.services.changes``; review decisions log themselves).
    The cached aggregates of the pages are recomputed once it commits.
    """
    with transaction.atomic():
        bump_data_version_on_commit()
        if instance is None or instance.pk is None:
            lock_article(getattr(instance, "locked_article_id", article_id))
            if instance is not None:
                for name, value in added_by_editor(type(instance)).items():
                    setattr(instance, name, value)
            previous = None
        else:
            previous = lock_for_edit(instance)
        with changes.changing([] if instance is None else [instance]):
            yield previous
            if previous is not None:
                editor_changed(previous=previous, instance=instance, user=user)
        if previous is not None:
            changes.left_view(instance, field="status", was=getattr(previous, "status", None))
        elif instance is None and article_id is not None:
            # A record created under an article (a metric) shows in that article.
            changes.touch({article_model(): {article_id}})


def added_by_editor(model) -> dict:
    """The fields a record an editor adds gets: the editor vouches for it (confirmed)."""
    return {"review_status": ReviewStatus.CONFIRMED} if hasattr(model, "review_status") else {}


def editor_deleting(instance: models.Model, *, user) -> bool:
    """Delete ``instance`` as an editor (tombstoned: no import recreates it), after any import.

    Returns False when it was already gone. The cached aggregates of the
    pages are recomputed once the deletion commits.
    """
    with transaction.atomic():
        bump_data_version_on_commit()
        try:
            stored = lock_for_edit(instance)
        except RecordGone:
            return False
        editor_delete(instance=stored, user=user)
        return True


def lock_article(article_id: int | None) -> None:
    """Wait until no other transaction writes article ``article_id``; hold that until commit.

    Must run inside a transaction (``transaction.atomic``). Does nothing for
    ``None`` (a record that hangs from no article) and on SQLite.
    """
    if article_id is None or connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("lock_article() needs a transaction")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", [_ARTICLE_LOCK_CLASS, article_id % 2**31]
        )


def lock_for_edit(instance: models.Model) -> models.Model:
    """``instance`` as the database holds it now, locked for the editor's transaction.

    Waits for an import writing the record's article first. Raises
    RecordGone when the record no longer exists.
    """
    lock_article(getattr(instance, "locked_article_id", None))
    stored = type(instance)._default_manager.select_for_update().filter(pk=instance.pk).first()
    if stored is None:
        name = instance._meta.verbose_name
        raise RecordGone(
            f"This {name} was deleted while you were editing it (by an import that "
            f"re-extracted its article, or by another editor). Reload and try again."
        )
    return stored
