"""What editors deleted, so that no import brings it back."""

from django.conf import settings
from django.db import models


class ImportTombstone(models.Model):
    """Something an editor deleted, remembered so that no import brings it back.

    ``kind`` is the deleted record's model label ("entities.person") and
    ``key`` a digest of its identity as the import sees it (a normalised name,
    a source file, an article plus an entity): see ``entities.identity``.
    """

    kind = models.CharField("kind", max_length=64, help_text='Model label, e.g. "entities.person".')
    key = models.CharField(
        "identity key", max_length=64, help_text="SHA-256 of the identity the import matches."
    )
    label = models.CharField("deleted record", max_length=255, help_text="What was deleted.")
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_tombstones",
        verbose_name="deleted by",
    )
    deleted_at = models.DateTimeField("deleted", auto_now_add=True)

    class Meta:
        ordering = ["-deleted_at"]
        verbose_name = "import tombstone"
        verbose_name_plural = "import tombstones"
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="uniq_import_tombstone"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.label}"
