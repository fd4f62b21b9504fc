"""What every record of the app shares: timestamps and editor protection, visibility, names.

Every record remembers whether an editor has changed it (``curated``): the
import never overwrites a curated record. Articles are referenced lazily as
"articles.Article" so that this app does not import the articles app.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone

from entities.identity import name_tombstone_key
from entities.normalise import normalise_name, slug_for


class Publication(models.TextChoices):
    """Whether visitors see an article, and so the records only it states (``Article.status``).

    Declared here, below the articles app, so that entities can filter by it
    without importing that app: apps depend one way, articles -> entities.
    """

    PUBLISHED = "published", "Published"
    HIDDEN = "hidden", "Hidden"


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


class TimestampedQuerySet(models.QuerySet):
    """Bulk writes move ``updated_at`` as ``save()`` does: the one place for that rule.

    ``auto_now`` acts in ``save()`` only: a ``QuerySet.update()``, and so a
    ``bulk_update()`` (which runs one), would change records and leave their
    stamp behind, and an API client syncing with ``?updated_since=`` would
    never learn of the change. A write that sets ``updated_at`` itself keeps
    its value.
    """

    def update(self, **kwargs):
        """Update the rows, stamping ``updated_at`` now unless the caller sets it."""
        if "updated_at" not in kwargs and _has_field(self.model, "updated_at"):
            kwargs["updated_at"] = timezone.now()
        return super().update(**kwargs)


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.concrete_fields)


class ViewableQuerySet(TimestampedQuerySet):
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


class ReviewStatus(models.TextChoices):
    """Whether an editor vouches for an extracted record (the review workbench)."""

    UNREVIEWED = "unreviewed", "Unreviewed"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class ReviewedModel(TimestampedModel):
    """An extracted record an editor confirms or rejects; no import changes the decision."""

    review_status = models.CharField(
        "review",
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.UNREVIEWED,
        db_index=True,
        help_text=(
            "Unreviewed as extracted; confirmed or rejected by an editor. A rejected record "
            "is hidden from visitors and from the API's lists, and no import brings it back."
        ),
    )

    class Meta:
        abstract = True


class ReviewedQuerySet(ViewableQuerySet):
    """Reads of records with a review state: visitors never see a rejected one."""

    def not_rejected(self):
        """Records an editor has not rejected."""
        return self.exclude(review_status=ReviewStatus.REJECTED)

    def visible(self):
        return self.not_rejected()


class NamedEntity(ReviewedModel):
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
        ordering = ["name"]
        # "%(class)s" makes one name per concrete model: uniq_organisation_normalized_name, ...
        constraints = [
            models.UniqueConstraint(
                fields=["normalized_name"], name="uniq_%(class)s_normalized_name"
            ),
        ]
        indexes = [
            models.Index(fields=["name"], name="%(class)s_name_idx"),
            # The changes feed (``?updated_since=``) reads in this order.
            models.Index(fields=["updated_at", "id"], name="%(class)s_updated_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Keep the derived key and slug in step with the name."""
        self.normalized_name = normalise_name(self.name)[:255]
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(f"entities:{self._meta.model_name}-detail", kwargs={"slug": self.slug})

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


class NamedEntityQuerySet(ReviewedQuerySet):
    """Reads shared by organisations, people and programs (all mentioned by articles)."""

    def with_article_counts(self, *, published_only: bool = True):
        """Annotate ``article_count``: how many distinct published articles mention each one.

        A correlated subquery rather than a join and ``GROUP BY``: a page of 100
        records then counts the mentions of those 100 (PostgreSQL evaluates it
        after sorting and limiting), and ``count()`` drops it, where the
        aggregate counted the mentions of every record twice per list page.
        ``published_only=False`` counts hidden articles too, as editors see
        them, from the mention table alone (an article mentions a record at most
        once): joining each mention to its article to check its status was
        most of the review queue's 137 ms for 142 programs at 10,000 articles.
        """
        mentions = self.model._meta.get_field("mentions")
        link = mentions.field.name
        rows = mentions.related_model.objects.filter(**{link: models.OuterRef("pk")})
        if published_only:
            rows = rows.filter(article__status=Publication.PUBLISHED)
        counts = (
            rows.order_by()
            .values(link)
            .annotate(count=models.Count("article", distinct=published_only))
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
