"""Articles and the mentions of entities they contain.

A mention links an article to an organisation, person or program and keeps
where the entity appears (character offsets into ``Article.body``) and the
first sentence that names it, so pages can highlight and link every mention.
"""

from collections import Counter

from django.db import models
from django.db.models import F
from django.urls import reverse

from articles.search import IndexFirstOneToOneField, search_articles
from entities.identity import article_tombstone_key, mention_tombstone_key
from entities.models import (
    Metric,
    Publication,
    ReviewStatus,
    TimestampedModel,
    ViewableQuerySet,
)


class ArticleQuerySet(ViewableQuerySet):
    """Reusable reads of articles."""

    def published(self):
        """Articles that visitors may see."""
        return self.filter(status=Article.Status.PUBLISHED)

    def visible(self):
        """What visitors see (``viewable_by``): the published articles."""
        return self.published()

    def with_mentions(self):
        """Prefetch the organisations, people and programs an article shows (none rejected)."""
        # In the order they were found (the API's article list reads them so too).
        return self.prefetch_related(
            *(
                models.Prefetch(
                    f"{mention_model.entity_field}_mentions",
                    queryset=mention_model.objects.shown()
                    .select_related(mention_model.entity_field)
                    .order_by("pk"),
                )
                for mention_model in (OrganisationMention, PersonMention, ProgramMention)
            )
        )

    def search(self, query):
        """Articles matching a web-search style ``query``, best first.

        Annotates ``search_rank`` (float, higher is better), ``search_headline``
        (a body snippet as safe HTML, matches in ``<mark>``) and
        ``search_title_headline`` (the title as safe HTML, matches in ``<mark>``).
        Never raises on odd input; a query without searchable words gives no
        articles. See :mod:`articles.search`.
        """
        return search_articles(self, query)

    def with_visible_metrics(self):
        """Prefetch the metrics visitors may see, with their subject, in body order."""
        return self.prefetch_related(
            models.Prefetch(
                "metrics",
                queryset=Metric.objects.not_rejected().select_related("organisation", "program"),
            )
        )

    def year_counts(self):
        """Rows ``{"year", "count"}``: how many of these articles appeared each year, newest first.

        Undated articles are left out: a date is never guessed.
        """
        # Grouped by day in SQL and by year here: SQLite extracts a year with a
        # Python function, once per article (170 ms for 48,000 of them).
        per_day = (
            Article.objects.filter(pk__in=self.values("pk"), published_on__isnull=False)
            .order_by()
            .values_list("published_on")
            .annotate(count=models.Count("pk"))
        )
        per_year = Counter()
        for day, count in per_day:
            per_year[day.year] += count
        return [{"year": year, "count": per_year[year]} for year in sorted(per_year, reverse=True)]


class Article(TimestampedModel):
    """A news article imported from a text file."""

    Status = Publication

    title = models.CharField("title", max_length=500)
    slug = models.SlugField("slug", max_length=255, unique=True, allow_unicode=True)
    published_on = models.DateField(
        "published on",
        null=True,
        blank=True,
        help_text="Only when the text states a full date; never guessed.",
    )
    source = models.CharField(
        "source", max_length=255, blank=True, help_text="Publication or site, when stated."
    )
    source_file = models.CharField(
        "source file", max_length=255, help_text="Name of the imported file."
    )
    body = models.TextField("body", help_text="Clean article text without page chrome.")
    content_hash = models.CharField(
        "content hash",
        max_length=64,
        editable=False,
        help_text="SHA-256 of the imported file; an unchanged file is not re-extracted.",
    )
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    organisations = models.ManyToManyField(
        "entities.Organisation",
        through="articles.OrganisationMention",
        related_name="articles",
        blank=True,
    )
    people = models.ManyToManyField(
        "entities.Person", through="articles.PersonMention", related_name="articles", blank=True
    )
    programs = models.ManyToManyField(
        "entities.Program", through="articles.ProgramMention", related_name="articles", blank=True
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [F("published_on").desc(nulls_last=True), "-id"]
        verbose_name = "article"
        verbose_name_plural = "articles"
        constraints = [
            models.UniqueConstraint(fields=["source_file"], name="uniq_article_source_file"),
        ]
        indexes = [
            models.Index(fields=["published_on"], name="article_published_on_idx"),
            models.Index(fields=["content_hash"], name="article_content_hash_idx"),
            # The changes feed (?updated_since=) pages in this order.
            models.Index(fields=["updated_at", "id"], name="article_updated_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:article-detail", kwargs={"slug": self.slug})

    @property
    def locked_article_id(self) -> int | None:
        """An editor's write to an article waits for its import (entities.editing)."""
        return self.pk

    def tombstone_keys(self) -> list[tuple[str, str]]:
        """(key, label) pairs by which imports recognise this article: its source file."""
        return [(article_tombstone_key(self.source_file), self.source_file)]


class ArticleSearchEntry(models.Model):
    """A row of the SQLite full-text index of articles (an FTS5 virtual table).

    Exists only on SQLite, where database triggers keep it in step with the
    article table; PostgreSQL keeps its index in a column of the article table
    instead (see :mod:`articles.search`). Only searches use it, through a join.
    """

    article = IndexFirstOneToOneField(
        "articles.Article",
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        related_name="+",
        related_query_name="search_entry",
    )
    # FTS5 names a hidden column after its table; "column = query" on it runs
    # a full-text MATCH, and the ranking/snippet functions take it as argument.
    document = models.TextField(db_column="articles_article_fts")
    # FTS5's rank column: bm25() with the column weights the migration configures.
    rank = models.FloatField(db_column="rank")

    class Meta:
        managed = False
        db_table = "articles_article_fts"
        default_permissions = ()

    def __str__(self):
        return f"Search entry of article {self.pk}"


class MentionQuerySet(models.QuerySet):
    """Reads of one mention table."""

    def shown(self):
        """Mentions of records an editor has not rejected: what pages and API lists show."""
        entity = self.model.entity_field
        return self.exclude(**{f"{entity}__review_status": ReviewStatus.REJECTED})


class Mention(models.Model):
    """Where an entity appears in an article (abstract base of the three mention tables).

    ``entity_field`` names the foreign key to the entity in each concrete table.
    """

    entity_field: str

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        verbose_name="article",
    )
    spans = models.JSONField(
        "spans",
        default=list,
        blank=True,
        help_text="[start, end] character offsets of every occurrence in the article body.",
    )
    quote = models.TextField("quote", blank=True, help_text="The first sentence that names it.")
    # Mentions are re-extracted when their article's file changes; an editor's
    # mention (added or corrected by hand) must survive that, like every record.
    curated = models.BooleanField(
        "curated by an editor",
        default=False,
        db_index=True,
        help_text="Set when an editor adds or changes this mention; imports never overwrite it.",
    )
    created_at = models.DateTimeField("created", auto_now_add=True)

    objects = MentionQuerySet.as_manager()

    #: An editor's change (another entity) leaves a tombstone for what the
    #: mention was, so that the import does not add the old one back next to it.
    tombstone_when_changed = True

    class Meta:
        abstract = True

    @property
    def locked_article_id(self) -> int:
        """An editor's write to a mention waits for its article's import (entities.editing)."""
        return self.article_id

    def tombstone_keys(self) -> list[tuple[str, str]]:
        """(key, label) pairs by which imports recognise this mention (see entities.identity)."""
        return [(mention_tombstone_key(self.article.source_file, self._entity_pk()), str(self))]

    def _entity_pk(self) -> int:
        return getattr(self, f"{self.entity_field}_id")


class OrganisationMention(Mention):
    """An article mentions an organisation."""

    entity_field = "organisation"

    organisation = models.ForeignKey(
        "entities.Organisation",
        on_delete=models.CASCADE,
        related_name="mentions",
        verbose_name="organisation",
    )

    class Meta:
        verbose_name = "organisation mention"
        default_related_name = "organisation_mentions"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "organisation"], name="uniq_organisation_mention"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} in {self.article}"


class PersonMention(Mention):
    """An article mentions a person."""

    entity_field = "person"

    person = models.ForeignKey(
        "entities.Person", on_delete=models.CASCADE, related_name="mentions", verbose_name="person"
    )

    class Meta:
        verbose_name = "person mention"
        default_related_name = "person_mentions"
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="uniq_person_mention"),
        ]

    def __str__(self):
        return f"{self.person} in {self.article}"


class ProgramMention(Mention):
    """An article mentions a program."""

    entity_field = "program"

    program = models.ForeignKey(
        "entities.Program",
        on_delete=models.CASCADE,
        related_name="mentions",
        verbose_name="program",
    )

    class Meta:
        verbose_name = "program mention"
        default_related_name = "program_mentions"
        constraints = [
            models.UniqueConstraint(fields=["article", "program"], name="uniq_program_mention"),
        ]

    def __str__(self):
        return f"{self.program} in {self.article}"
