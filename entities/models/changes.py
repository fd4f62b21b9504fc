"""The change log external mirrors read: what left the API, when and why.

A client that keeps a copy of the knowledge base asks for what changed since
its last sync (``?updated_since=`` on every list, from ``updated_at``) and for
what it must drop (``/api/deletions/?since=``, from :class:`Deletion`). Rows
are written by ``entities.services.changes`` wherever records are deleted,
merged away, rejected or hidden, and never updated.
"""

from django.db import models
from django.utils import timezone


class DeletionQuerySet(models.QuerySet):
    """Reads of the deletions feed."""

    def since(self, moment):
        """Entries written at or after ``moment``, oldest first (the feed's order)."""
        return self.filter(deleted_at__gte=moment).order_by("deleted_at", "pk")


class Deletion(models.Model):
    """A record the API stopped showing: deleted, merged into another, rejected or hidden.

    ``kind`` names the endpoint's record (``organisation`` for
    ``/api/organisations/``) and ``object_id`` its id. Rejected and hidden
    records still exist (editors see them and may bring them back); a mirror
    of what visitors see drops them all the same, and picks a record up again
    from ``updated_since`` when it comes back (un-rejected, published again,
    a merge undone), because that moves its ``updated_at``.
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        ORGANISATION = "organisation", "Organisation"
        PERSON = "person", "Person"
        PROGRAM = "program", "Program"
        METRIC = "metric", "Metric"

    class Reason(models.TextChoices):
        DELETED = "deleted", "Deleted"
        MERGED = "merged", "Merged into another record"
        REJECTED = "rejected", "Rejected by an editor"
        HIDDEN = "hidden", "Hidden from visitors"

    kind = models.CharField("kind", max_length=12, choices=Kind.choices)
    # Plain ids, not foreign keys: the record is gone, and the entry must
    # outlive whatever happens to the record it was merged into.
    object_id = models.PositiveBigIntegerField("record id")
    reason = models.CharField("reason", max_length=10, choices=Reason.choices)
    merged_into = models.PositiveBigIntegerField(
        "merged into",
        null=True,
        blank=True,
        help_text="For a merge: the id of the record (of the same kind) that absorbed it.",
    )
    deleted_at = models.DateTimeField("when", default=timezone.now)

    objects = DeletionQuerySet.as_manager()

    class Meta:
        ordering = ["deleted_at", "id"]
        verbose_name = "deletion"
        verbose_name_plural = "deletions"
        indexes = [models.Index(fields=["deleted_at", "id"], name="deletion_feed_idx")]

    def __str__(self):
        return f"{self.kind} {self.object_id} {self.reason}"
