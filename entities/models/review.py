"""The review workbench's memory: duplicate candidates and editors' decisions.

A candidate pair is found by ``entities.services.duplicates``; an editor
merges it or says the two are not the same, and that answer is kept so the
pair is never suggested again. Every decision (confirm, reject, merge, not
the same, preferred value) is a :class:`ReviewDecision` holding who made it,
when, and what undoing it needs.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q


class DuplicateCandidate(models.Model):
    """Two records of one kind that are probably one body or one person."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "Organisation"
        PERSON = "person", "Person"
        PROGRAM = "program", "Program"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DISTINCT = "distinct", "Not the same"
        MERGED = "merged", "Merged"

    kind = models.CharField("kind", max_length=12, choices=Kind.choices)
    # Plain ids, not foreign keys: a decided pair outlives a merge that deletes
    # one side, so that undoing the merge finds the "merged" answer again.
    first_id = models.PositiveBigIntegerField("first record id")
    second_id = models.PositiveBigIntegerField("second record id")
    score = models.FloatField("score", help_text="0 to 1: how likely the two are one.")
    reasons = models.JSONField(
        "reasons", default=list, help_text='Why they look alike, e.g. ["acronym"].'
    )
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="decided by",
    )
    decided_at = models.DateTimeField("decided", null=True, blank=True)
    created_at = models.DateTimeField("found", auto_now_add=True)

    class Meta:
        ordering = ["-score", "pk"]
        verbose_name = "duplicate candidate"
        verbose_name_plural = "duplicate candidates"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "first_id", "second_id"], name="uniq_duplicate_candidate"
            ),
            models.CheckConstraint(
                condition=Q(first_id__lt=F("second_id")),
                name="duplicate_candidate_ordered",
                violation_error_message="A pair names its lower id first.",
            ),
        ]
        indexes = [models.Index(fields=["status", "-score"], name="duplicate_queue_idx")]

    def __str__(self):
        return f"{self.kind} {self.first_id} ~ {self.second_id} ({self.score:.2f})"


class ReviewDecision(models.Model):
    """One editor's decision on a record, with what undoing it needs."""

    class Action(models.TextChoices):
        CONFIRM = "confirm", "Confirmed"
        REJECT = "reject", "Rejected"
        MERGE = "merge", "Merged"
        DISTINCT = "distinct", "Not the same"
        PREFER = "prefer", "Preferred value"

    action = models.CharField("decision", max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name="record type"
    )
    object_id = models.PositiveBigIntegerField("record id")
    object_repr = models.CharField("record", max_length=255)
    summary = models.CharField("what was done", max_length=500)
    undo_data = models.JSONField(
        "undo data",
        default=dict,
        encoder=DjangoJSONEncoder,
        help_text="What the record and its neighbours were before.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="review_decisions",
        verbose_name="editor",
    )
    created_at = models.DateTimeField("when", auto_now_add=True)
    undone_at = models.DateTimeField("undone", null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="undone by",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "review decision"
        verbose_name_plural = "review decisions"
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="review_decision_record_idx")
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.object_repr}"
