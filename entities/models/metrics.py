"""Metrics: the quantitative claims of the articles, and their reads."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber

from entities.identity import metric_tombstone_key
from entities.models.base import (
    Publication,
    ReviewedModel,
    ReviewedQuerySet,
    ReviewStatus,
    confidence_field,
)
from entities.normalise import CURRENCY_CODE


def article_model() -> type[models.Model]:
    """The article model, reached through the metrics' relation to it.

    The one place entities names it: the app never imports the articles app.
    """
    return Metric._meta.get_field("article").related_model


class MetricQuerySet(ReviewedQuerySet):
    """Reusable reads of metrics."""

    def visible(self):
        """Metrics visitors may see: not rejected, and from a published article."""
        return self.not_rejected().filter(article__status=Publication.PUBLISHED)

    def count_visible(self) -> int:
        """``visible().count()``, from indexes: those not rejected less those of hidden articles.

        Few articles are hidden; checking every metric's article took 0.6 s
        at 48,000 articles (a million metrics).
        """
        kept = self.not_rejected()
        hidden = article_model().objects.exclude(status=Publication.PUBLISHED).values("pk")
        return kept.count() - kept.filter(article__in=hidden).count()

    def units(self):
        """The distinct units of these metrics, alphabetically (a flat list query)."""
        return self.order_by("unit").values_list("unit", flat=True).distinct()

    def money(self):
        """Metrics in a currency: the unit is an ISO 4217 code such as RUB or EUR."""
        return self.filter(unit__regex=rf"^{CURRENCY_CODE}$")

    def totals_by(self, *fields):
        """Rows of ``unit``, ``fields``, ``total`` (sum of values) and ``count`` per group.

        Grouped by unit as well, so amounts in different units are never added up.
        """
        return (
            self.values("unit", *fields)
            .annotate(total=models.Sum("value"), count=models.Count("pk"))
            .order_by()
        )

    def largest_by(self, *fields, limit):
        """The ``limit`` largest metrics of each (unit, ``fields``) group, in one query."""
        return self.annotate(
            rank_in_group=Window(
                RowNumber(),
                partition_by=[F("unit"), *(F(field) for field in fields)],
                order_by=[F("value").desc(), F("pk").asc()],
            )
        ).filter(rank_in_group__lte=limit)

    def with_relations(self):
        """Join the article and subject that every metric listing shows."""
        return self.select_related("article", "organisation", "program")

    def same_group_as_outer(self):
        """These metrics that share the outer query's metric's conflict group (for subqueries).

        Same subject (organisation or program), label, stated year and unit; see
        ``entities.services.conflicts``. A metric with no subject or no year has none.
        """
        return self.filter(
            Q(organisation__isnull=False, organisation_id=OuterRef("organisation_id"))
            | Q(program__isnull=False, program_id=OuterRef("program_id")),
            label=OuterRef("label"),
            year=OuterRef("year"),
            unit=OuterRef("unit"),
        )

    def with_conflicts(self, among=None):
        """Annotate whether the sources of each metric's group differ, in the same query.

        ``among`` (default: what visitors see, ``visible()``) are the metrics
        compared. Annotations: ``conflict_other_value``, ``conflict_other_pk``,
        ``conflict_other_title``, ``conflict_other_slug`` and ``conflict_other_rank``
        (another value the group states, the preferred one first, with its
        article; None when the sources agree), ``conflict_other_count`` (how many other values) and
        ``conflict_preferred`` (whether the group has a preferred value).
        Correlated subqueries, computed for the rows fetched only.
        """
        if among is None:
            among = Metric.objects.visible()
        others = (
            among.same_group_as_outer()
            .exclude(value=OuterRef("value"))
            .order_by("-rank", "-value", "pk")
        )
        other_values = (
            others.order_by()
            .values("unit")
            .annotate(count=models.Count("value", distinct=True))
            .values("count")
        )
        preferred = among.same_group_as_outer().filter(rank=Metric.Rank.PREFERRED)
        return self.annotate(
            conflict_other_value=Subquery(others.values("value")[:1]),
            conflict_other_pk=Subquery(others.values("pk")[:1]),
            conflict_other_title=Subquery(others.values("article__title")[:1]),
            conflict_other_slug=Subquery(others.values("article__slug")[:1]),
            conflict_other_rank=Subquery(others.values("rank")[:1]),
            conflict_other_count=Coalesce(
                Subquery(other_values, output_field=models.IntegerField()), 0
            ),
            conflict_preferred=Exists(preferred),
        )


class Metric(ReviewedModel):
    """A quantitative claim an article makes, normalised to a number and a unit."""

    class Qualifier(models.TextChoices):
        EXACTLY = "exactly", "exactly"
        OVER = "over", "over"
        ABOUT = "about", "about"
        UP_TO = "up_to", "up to"

    class Rank(models.TextChoices):
        """Where sources differ, the value editors prefer ranks above the others (Wikibase)."""

        PREFERRED = "preferred", "Preferred"
        NORMAL = "normal", "Normal"

    label = models.CharField(
        "label", max_length=255, help_text='What is measured, for example "investment".'
    )
    value = models.DecimalField(
        "value",
        max_digits=24,
        decimal_places=6,
        help_text='The number in base units: "RUR 93.3 Million" is 93300000.',
    )
    unit = models.CharField(
        "unit",
        max_length=64,
        db_index=True,
        help_text='ISO 4217 code for money (RUB, EUR, USD), "%", "points", or the counted noun.',
    )
    raw_text = models.CharField("as written", max_length=255)
    qualifier = models.CharField(
        "qualifier", max_length=10, choices=Qualifier.choices, default=Qualifier.EXACTLY
    )
    year = models.PositiveSmallIntegerField(
        "year", null=True, blank=True, db_index=True, help_text="The year it refers to, if stated."
    )
    period = models.CharField(
        "period", max_length=100, blank=True, help_text='A stated period, such as "2014-2020".'
    )
    organisation = models.ForeignKey(
        "entities.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="metrics",
        verbose_name="subject organisation",
    )
    program = models.ForeignKey(
        "entities.Program",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="metrics",
        verbose_name="subject program",
    )
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="metrics",
        verbose_name="article",
    )
    quote = models.TextField("quote", help_text="The sentence it came from.")
    # Offsets are null for a metric stated only in the article's title.
    start = models.PositiveIntegerField(
        "start offset",
        null=True,
        blank=True,
        help_text="Where the raw text starts in the article body (empty when in the title).",
    )
    end = models.PositiveIntegerField(
        "end offset",
        null=True,
        blank=True,
        help_text="Where the raw text ends in the article body (empty when in the title).",
    )
    rank = models.CharField(
        "rank",
        max_length=10,
        choices=Rank.choices,
        default=Rank.NORMAL,
        help_text=(
            "Preferred: the value editors chose where articles state different values for the "
            "same subject, label and year (the others stay, ranked normal)."
        ),
    )
    confidence = confidence_field()

    objects = MetricQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start"]
        verbose_name = "metric"
        verbose_name_plural = "metrics"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "start"],
                name="uniq_metric_article_start",
                violation_error_message="The article already has a metric at this start offset.",
            ),
            models.UniqueConstraint(
                fields=["article", "raw_text"],
                condition=Q(start__isnull=True),
                name="uniq_metric_article_title_text",
                violation_error_message=(
                    "The article already has a metric with this text and no offsets."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="metric_span_ok",
                violation_error_message="The end offset must not be before the start offset.",
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True)
                | Q(start__isnull=False, end__isnull=False),
                name="metric_offsets_paired",
                violation_error_message=(
                    "Give both start and end offsets, or neither (a figure stated in the title)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(program__isnull=True),
                name="metric_one_subject",
                violation_error_message=(
                    "A metric is about an organisation or a program, not both."
                ),
            ),
        ]
        indexes = [
            # The review queue: unreviewed metrics, the most doubtful first, without a sort.
            models.Index(
                fields=["review_status", "confidence", "id"], name="metric_review_queue_idx"
            ),
            # Conflict groups (entities.services.conflicts): only dated figures can conflict;
            # the key first, then what the grouped query reads, so it scans this index alone.
            models.Index(
                fields=[
                    *("label", "year", "unit", "organisation", "program"),
                    *("value", "rank", "review_status"),
                ],
                condition=Q(year__isnull=False),
                name="metric_conflict_idx",
            ),
            # The changes feed (``?updated_since=``) reads in this order.
            models.Index(fields=["updated_at", "id"], name="metric_updated_idx"),
        ]

    def __str__(self):
        return f"{self.label}: {self.raw_text}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#metric-{self.pk}"

    def clean(self):
        """The rules of a metric, reported on the field to correct.

        The database constraints above enforce the same (but report no field).
        """
        errors = {}
        if self.organisation_id is not None and self.program_id is not None:
            errors["program"] = "A metric is about an organisation or a program, not both."
        if (self.start is None) != (self.end is None):
            errors["end"] = (
                "Give both start and end offsets, or neither (a figure stated in the title)."
            )
        elif self.start is not None and self.end < self.start:
            errors["end"] = "The end offset must not be before the start offset."
        elif self.end is not None and self.article_id and self.end > len(self.article.body):
            errors["end"] = "The end offset lies past the end of the article body."
        if self.start is None and self.article_id and self._title_twins().exists():
            errors["raw_text"] = "The article already has a metric with this text and no offsets."
        if errors:
            raise ValidationError(errors)

    def _title_twins(self):
        """Other metrics of the article with the same text and no offsets."""
        return Metric.objects.filter(
            article_id=self.article_id, raw_text=self.raw_text, start__isnull=True
        ).exclude(pk=self.pk)

    @property
    def subject(self):
        """The organisation or program this metric is about, if known."""
        return self.organisation or self.program

    @property
    def shown_subject(self):
        """The subject visitors see: none when an editor rejected that record."""
        subject = self.subject
        if subject is None or subject.review_status == ReviewStatus.REJECTED:
            return None
        return subject

    def tombstone_keys(self) -> list[tuple[str, str]]:
        """(key, label) pairs by which imports recognise this metric (see entities.identity)."""
        key = metric_tombstone_key(self.article.source_file, self.raw_text, self.quote)
        return [(key, str(self))]
