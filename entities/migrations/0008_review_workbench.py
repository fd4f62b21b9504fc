"""The review workbench: review states, metric ranks, duplicate candidates, decisions.

Metric.status (active/rejected) becomes the review state every extracted record has.
"""

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from kaluga_cluster.editors import sync_editors_group


def copy_rejected_metrics(apps, schema_editor):
    """A metric an editor rejected (status "rejected") keeps that as its review state."""
    Metric = apps.get_model("entities", "Metric")
    Metric.objects.filter(status="rejected").update(review_status="rejected")


def keep_rejected_metrics(apps, schema_editor):
    Metric = apps.get_model("entities", "Metric")
    Metric.objects.filter(review_status="rejected").update(status="rejected")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("entities", "0007_metric_invariants"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="metric",
            name="rank",
            field=models.CharField(
                choices=[("preferred", "Preferred"), ("normal", "Normal")],
                default="normal",
                help_text="Preferred: the value editors chose where articles state different values for the same subject, label and year (the others stay, ranked normal).",
                max_length=10,
                verbose_name="rank",
            ),
        ),
        migrations.AddField(
            model_name="metric",
            name="review_status",
            field=models.CharField(
                choices=[
                    ("unreviewed", "Unreviewed"),
                    ("confirmed", "Confirmed"),
                    ("rejected", "Rejected"),
                ],
                db_index=True,
                default="unreviewed",
                help_text="Unreviewed as extracted; confirmed or rejected by an editor. A rejected record is hidden from visitors and from the API's lists, and no import brings it back.",
                max_length=10,
                verbose_name="review",
            ),
        ),
        migrations.RunPython(copy_rejected_metrics, keep_rejected_metrics),
        migrations.RemoveField(
            model_name="metric",
            name="status",
        ),
        migrations.AddField(
            model_name="organisation",
            name="review_status",
            field=models.CharField(
                choices=[
                    ("unreviewed", "Unreviewed"),
                    ("confirmed", "Confirmed"),
                    ("rejected", "Rejected"),
                ],
                db_index=True,
                default="unreviewed",
                help_text="Unreviewed as extracted; confirmed or rejected by an editor. A rejected record is hidden from visitors and from the API's lists, and no import brings it back.",
                max_length=10,
                verbose_name="review",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="review_status",
            field=models.CharField(
                choices=[
                    ("unreviewed", "Unreviewed"),
                    ("confirmed", "Confirmed"),
                    ("rejected", "Rejected"),
                ],
                db_index=True,
                default="unreviewed",
                help_text="Unreviewed as extracted; confirmed or rejected by an editor. A rejected record is hidden from visitors and from the API's lists, and no import brings it back.",
                max_length=10,
                verbose_name="review",
            ),
        ),
        migrations.AddField(
            model_name="position",
            name="review_status",
            field=models.CharField(
                choices=[
                    ("unreviewed", "Unreviewed"),
                    ("confirmed", "Confirmed"),
                    ("rejected", "Rejected"),
                ],
                db_index=True,
                default="unreviewed",
                help_text="Unreviewed as extracted; confirmed or rejected by an editor. A rejected record is hidden from visitors and from the API's lists, and no import brings it back.",
                max_length=10,
                verbose_name="review",
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="review_status",
            field=models.CharField(
                choices=[
                    ("unreviewed", "Unreviewed"),
                    ("confirmed", "Confirmed"),
                    ("rejected", "Rejected"),
                ],
                db_index=True,
                default="unreviewed",
                help_text="Unreviewed as extracted; confirmed or rejected by an editor. A rejected record is hidden from visitors and from the API's lists, and no import brings it back.",
                max_length=10,
                verbose_name="review",
            ),
        ),
        migrations.CreateModel(
            name="DuplicateCandidate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("organisation", "Organisation"),
                            ("person", "Person"),
                            ("program", "Program"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("first_id", models.PositiveBigIntegerField(verbose_name="first record id")),
                ("second_id", models.PositiveBigIntegerField(verbose_name="second record id")),
                (
                    "score",
                    models.FloatField(
                        help_text="0 to 1: how likely the two are one.", verbose_name="score"
                    ),
                ),
                (
                    "reasons",
                    models.JSONField(
                        default=list,
                        help_text='Why they look alike, e.g. ["acronym"].',
                        verbose_name="reasons",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("distinct", "Not the same"),
                            ("merged", "Merged"),
                        ],
                        db_index=True,
                        default="open",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="found")),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
            ],
            options={
                "verbose_name": "duplicate candidate",
                "verbose_name_plural": "duplicate candidates",
                "ordering": ["-score", "pk"],
                "indexes": [models.Index(fields=["status", "-score"], name="duplicate_queue_idx")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "first_id", "second_id"), name="uniq_duplicate_candidate"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("first_id__lt", models.F("second_id"))),
                        name="duplicate_candidate_ordered",
                        violation_error_message="A pair names its lower id first.",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ReviewDecision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("confirm", "Confirmed"),
                            ("reject", "Rejected"),
                            ("merge", "Merged"),
                            ("distinct", "Not the same"),
                            ("prefer", "Preferred value"),
                        ],
                        max_length=10,
                        verbose_name="decision",
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField(verbose_name="record id")),
                ("object_repr", models.CharField(max_length=255, verbose_name="record")),
                ("summary", models.CharField(max_length=500, verbose_name="what was done")),
                (
                    "undo_data",
                    models.JSONField(
                        default=dict,
                        encoder=django.core.serializers.json.DjangoJSONEncoder,
                        help_text="What the record and its neighbours were before.",
                        verbose_name="undo data",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="when")),
                ("undone_at", models.DateTimeField(blank=True, null=True, verbose_name="undone")),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                        verbose_name="record type",
                    ),
                ),
                (
                    "undone_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="undone by",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="review_decisions",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="editor",
                    ),
                ),
            ],
            options={
                "verbose_name": "review decision",
                "verbose_name_plural": "review decisions",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["content_type", "object_id"], name="review_decision_record_idx"
                    )
                ],
            },
        ),
        # Editors may see and decide duplicate candidates and review decisions.
        migrations.RunPython(sync_editors_group, migrations.RunPython.noop),
    ]
