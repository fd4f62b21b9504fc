"""Organisations, people (with positions), programs and metrics.

Every record remembers whether an editor has changed it (``curated``): the
import never overwrites a curated record. Articles are referenced lazily as
"articles.Article" so that this app does not import the articles app.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Window
from django.db.models.functions import Coalesce, Lower, RowNumber
from django.urls import reverse

from entities.identity import metric_tombstone_key, name_tombstone_key, position_tombstone_key
from entities.normalise import CURRENCY_CODE, normalise_name, slug_for


class Publication(models.TextChoices):
    """Whether visitors see an article, and so the records only it states (``Article.status``).

    Declared here, below the articles app, so that entities can filter by it
    without importing that app: apps depend one way, articles -> entities.
    """

    PUBLISHED = "published", "Published"
    HIDDEN = "hidden", "Hidden"


def article_model() -> type[models.Model]:
    """The article model, reached through the metrics' relation to it.

    The one place entities names it: the app never imports the articles app.
    """
    return Metric._meta.get_field("article").related_model


def confidence_field():
    """How far the extractor's evidence supports a record, 0 to 1 (see extraction.confidence).

    Records an editor creates by hand are fully trusted (1.0); the import sets
    extracted ones. Indexed: editors list the doubtful ones first.
    """
    return models.FloatField(
        "confidence",
        default=1.0,
        db_index=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=(
            "0 to 1: how strongly the article's evidence supports this extracted record "
            "(1 for records editors add by hand). Review the lowest first."
        ),
    )


class TimestampedModel(models.Model):
    """Creation and modification times, and the editor-protection flag."""

    curated = models.BooleanField(
        "curated by an editor",
        default=False,
        db_index=True,
        help_text="Set when an editor changes this record; imports never overwrite it.",
    )
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("updated", auto_now=True)

    class Meta:
        abstract = True

    @property
    def locked_article_id(self) -> int | None:
        """The article whose import an editor's write to this record waits for.

        See entities.editing.
        """
        return getattr(self, "article_id", None)


class ViewableQuerySet(models.QuerySet):
    """Rows some users may not see: ``viewable_by(user)`` decides, in one place.

    Users allowed to view the model (editors) see every row; everybody else
    sees what the site shows visitors, which each model defines as ``visible()``.
    """

    def visible(self):
        raise NotImplementedError

    def viewable_by(self, user):
        """The rows ``user`` may see: all of them with the view permission, else ``visible()``."""
        opts = self.model._meta
        if user is not None and user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            return self
        return self.visible()


class NamedEntity(TimestampedModel):
    """A named thing with a unique slug, a normalised natural key and aliases."""

    name = models.CharField("name", max_length=255, help_text="The preferred, display name.")
    slug = models.SlugField(
        "slug",
        max_length=255,
        unique=True,
        allow_unicode=True,
        help_text="The last part of the page address; filled in from the name when left empty.",
    )
    normalized_name = models.CharField(
        "normalised name",
        max_length=255,
        editable=False,
        help_text="Comparison key derived from the name; two records never share it.",
    )
    aliases = models.JSONField(
        "aliases",
        default=list,
        blank=True,
        help_text="Other spellings, acronyms and merged names that refer to this record.",
    )
    confidence = confidence_field()

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Keep the derived key and slug in step with the name."""
        self.normalized_name = normalise_name(self.name)[:255]
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def clean(self):
        """Refuse a name another record already has, ignoring case, quotes and legal forms.

        The unique ``normalized_name`` would refuse it too, but as a database
        error; this says which record has the name and what to do instead.
        """
        self.normalized_name = normalise_name(self.name)[:255]
        if not self.normalized_name:
            return  # the name field's own validation reports a blank name
        clash = (
            type(self)
            ._default_manager.filter(normalized_name=self.normalized_name)
            .exclude(pk=self.pk)
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {
                    "name": ValidationError(
                        "“%(name)s” (id %(id)s) already has this name, ignoring case, quotes "
                        "and legal forms: edit that record or add this spelling to its aliases.",
                        code="name_taken",
                        params={"name": clash.name, "id": clash.pk},
                    )
                }
            )

    def tombstone_keys(self) -> list[tuple[str, str]]:
        """(key, label) pairs by which imports recognise this record once an editor deletes it.

        One per distinct spelling (name and aliases), labelled as the editor knew it.
        """
        spellings = {}
        for name in [self.name, *self.aliases]:
            key = normalise_name(name)
            if key:
                spellings.setdefault(key, name)
        return [(name_tombstone_key(key), name) for key, name in spellings.items()]

    def _unique_slug(self) -> str:
        base = slug_for(self.name)
        slug, counter = base, 2
        others = type(self)._default_manager.exclude(pk=self.pk)
        while others.filter(slug=slug).exists():
            slug = f"{base}-{counter}"
            counter += 1
        return slug


class NamedEntityQuerySet(models.QuerySet):
    """Reads shared by organisations, people and programs (all mentioned by articles)."""

    def with_article_counts(self):
        """Annotate ``article_count``: how many distinct published articles mention each one.

        A correlated subquery rather than a join and ``GROUP BY``: a page of 100
        records then counts the mentions of those 100 (PostgreSQL evaluates it
        after sorting and limiting), and ``count()`` drops it, where the
        aggregate counted the mentions of every record twice per list page.
        """
        mentions = self.model._meta.get_field("mentions")
        link = mentions.field.name
        counts = (
            mentions.related_model.objects.filter(
                **{link: models.OuterRef("pk")}, article__status=Publication.PUBLISHED
            )
            .order_by()
            .values(link)
            .annotate(count=models.Count("article", distinct=True))
            .values("count")
        )
        return self.annotate(
            article_count=Coalesce(models.Subquery(counts, output_field=models.IntegerField()), 0)
        )

    def most_mentioned_in(self, articles, limit: int) -> list:
        """The ``limit`` records most mentioned by ``articles`` (a queryset), ties by name.

        Each gets ``article_count``: how many of those articles mention it.
        Used for the facets of an article search and the overview. Counting is
        one ``GROUP BY`` over the mention table alone (an article mentions a
        record at most once, so rows are articles); names are read only for
        the records that can make the cut. Joining every mention to its record
        to sort by name took 2 s at 48,000 articles.
        """
        mentions = self.model._meta.get_field("mentions")
        link = f"{mentions.field.name}_id"
        counted = mentions.related_model.objects.filter(article__in=articles.values("pk"))
        if self.query.has_filters():
            counted = counted.filter(**{f"{link}__in": self.values("pk")})
        counts = dict(
            counted.order_by()
            .values_list(link)
            .annotate(count=models.Count("pk"))
            .values_list(link, "count")
        )
        if not counts:
            return []
        # Records tied with the last one that makes the cut may still win on their name.
        cutoff = sorted(counts.values(), reverse=True)[:limit][-1]
        candidates = [pk for pk, count in counts.items() if count >= cutoff]
        records = list(self.filter(pk__in=candidates))
        for record in records:
            record.article_count = counts[record.pk]
        records.sort(key=lambda record: (-record.article_count, record.name))
        return records[:limit]

    def for_listing(self):
        """These records as every list shows them, site page or API: counted, by name.

        Each gets ``article_count`` (:meth:`with_article_counts`). Names sort
        regardless of case and the primary key breaks ties: Meta.ordering
        (plain ``name``) would file "AIRR" before "Agency", and two records of
        one name could swap places between pages.
        """
        return self.with_article_counts().order_by(Lower("name"), "pk")


class OrganisationQuerySet(NamedEntityQuerySet):
    """Reusable reads of organisations."""

    def with_visible_metrics(self):
        """Organisations that at least one visible metric is about (each once)."""
        return self.filter(
            pk__in=Metric.objects.visible()
            .filter(organisation__isnull=False)
            .values("organisation")
        )


class Organisation(NamedEntity):
    """A company, government body, association, cluster, university, fund or outlet."""

    class Kind(models.TextChoices):
        COMPANY = "company", "Company"
        GOVERNMENT = "government", "Government body"
        ASSOCIATION = "association", "Association"
        CLUSTER = "cluster", "Cluster"
        EDUCATION = "education", "Education / research"
        FUND = "fund", "Fund / investor"
        MEDIA = "media", "Media"
        OTHER = "other", "Other"

    kind = models.CharField(
        "kind", max_length=20, choices=Kind.choices, default=Kind.OTHER, db_index=True
    )
    description = models.TextField("description", blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        constraints = [
            models.UniqueConstraint(
                fields=["normalized_name"], name="uniq_organisation_normalized_name"
            ),
        ]
        indexes = [models.Index(fields=["name"], name="organisation_name_idx")]

    def get_absolute_url(self):
        return reverse("entities:organisation-detail", kwargs={"slug": self.slug})


class PersonQuerySet(NamedEntityQuerySet):
    """Reusable reads of people."""

    def with_positions(self, *, viewer=None):
        """Prefetch the positions ``viewer`` may see (None: a visitor) with their relations."""
        positions = Position.objects.viewable_by(viewer)
        return self.prefetch_related(
            models.Prefetch(
                "positions", queryset=positions.select_related("organisation", "article")
            )
        )

    def for_listing(self, *, viewer=None):
        """As for any named record, with the positions ``viewer`` may see (None: a visitor)."""
        return super().for_listing().with_positions(viewer=viewer)


class Person(NamedEntity):
    """A person named in the articles, with the positions they hold."""

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "person"
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(fields=["normalized_name"], name="uniq_person_normalized_name"),
        ]
        indexes = [models.Index(fields=["name"], name="person_name_idx")]

    def get_absolute_url(self):
        return reverse("entities:person-detail", kwargs={"slug": self.slug})


class PositionQuerySet(ViewableQuerySet):
    """Reusable reads of positions."""

    def visible(self):
        """Positions visitors may see: stated by a published article, or by no article."""
        return self.filter(Q(article__isnull=True) | Q(article__status=Publication.PUBLISHED))


class Position(TimestampedModel):
    """A title a person holds, optionally at an organisation, as an article states it."""

    person = models.ForeignKey(
        "entities.Person", on_delete=models.CASCADE, related_name="positions", verbose_name="person"
    )
    title = models.CharField("title", max_length=255, help_text='For example "Executive Director".')
    organisation = models.ForeignKey(
        "entities.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name="organisation",
    )
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name="source article",
        help_text="The article that states this position.",
    )
    quote = models.TextField("quote", blank=True, help_text="The sentence that states it.")

    objects = PositionQuerySet.as_manager()

    #: An editor's change leaves a tombstone for what the position was, so that
    #: the import does not add the old version back next to the editor's.
    tombstone_when_changed = True

    class Meta:
        ordering = ["person__name", "title"]
        verbose_name = "position"
        verbose_name_plural = "positions"
        constraints = [
            # One row per (person, title, organisation); a missing organisation
            # counts as a value of its own so that NULLs cannot duplicate.
            models.UniqueConstraint(
                "person",
                Lower("title"),
                Coalesce("organisation", 0),
                name="uniq_position_person_title_organisation",
                violation_error_message=(
                    "This person already holds this title (ignoring case) at this organisation."
                ),
            ),
        ]

    def __str__(self):
        if self.organisation_id:
            return f"{self.person}, {self.title}, {self.organisation}"
        return f"{self.person}, {self.title}"

    def tombstone_keys(self) -> list[tuple[str, str]]:
        """(key, label) pairs by which imports recognise this position (see entities.identity)."""
        key = position_tombstone_key(self.person_id, self.title, self.organisation_id)
        return [(key, str(self))]


class ProgramQuerySet(NamedEntityQuerySet):
    """Reusable reads of programs."""


class Program(NamedEntity):
    """A named program, initiative, certification or event."""

    class Kind(models.TextChoices):
        FEDERAL = "federal", "Federal program"
        REGIONAL = "regional", "Regional program"
        EDUCATION = "education", "Education / training program"
        INITIATIVE = "initiative", "Initiative / certification"
        EVENT = "event", "Event"

    kind = models.CharField(
        "kind", max_length=20, choices=Kind.choices, default=Kind.INITIATIVE, db_index=True
    )
    description = models.TextField("description", blank=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "program"
        verbose_name_plural = "programs"
        constraints = [
            models.UniqueConstraint(
                fields=["normalized_name"], name="uniq_program_normalized_name"
            ),
        ]
        indexes = [models.Index(fields=["name"], name="program_name_idx")]

    def get_absolute_url(self):
        return reverse("entities:program-detail", kwargs={"slug": self.slug})


class MetricQuerySet(ViewableQuerySet):
    """Reusable reads of metrics."""

    def active(self):
        """Metrics that an editor has not rejected."""
        return self.filter(status=Metric.Status.ACTIVE)

    def visible(self):
        """Metrics visitors may see: not rejected, and from a published article."""
        return self.active().filter(article__status=Publication.PUBLISHED)

    def count_visible(self) -> int:
        """``visible().count()``, from indexes: the active ones less those of unpublished articles.

        Few articles are hidden; checking every metric's article took 0.6 s
        at 48,000 articles (a million metrics).
        """
        active = self.active()
        hidden = article_model().objects.exclude(status=Publication.PUBLISHED).values("pk")
        return active.count() - active.filter(article__in=hidden).count()

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


class Metric(TimestampedModel):
    """A quantitative claim an article makes, normalised to a number and a unit."""

    class Qualifier(models.TextChoices):
        EXACTLY = "exactly", "exactly"
        OVER = "over", "over"
        ABOUT = "about", "about"
        UP_TO = "up_to", "up to"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        REJECTED = "rejected", "Rejected by an editor"

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
    status = models.CharField(
        "status",
        max_length=10,
        choices=Status.choices,
        default=Status.ACTIVE,
        db_index=True,
        help_text="A rejected metric is hidden and never recreated by an import.",
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

    def tombstone_keys(self) -> list[tuple[str, str]]:
        """(key, label) pairs by which imports recognise this metric (see entities.identity)."""
        key = metric_tombstone_key(self.article.source_file, self.raw_text, self.quote)
        return [(key, str(self))]


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
