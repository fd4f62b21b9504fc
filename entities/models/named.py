"""Organisations, people with their positions, and programs."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower

from entities.identity import position_tombstone_key
from entities.models.base import (
    NamedEntity,
    NamedEntityQuerySet,
    Publication,
    ReviewedModel,
    ReviewedQuerySet,
    ReviewStatus,
)
from entities.models.metrics import Metric


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

    class Meta(NamedEntity.Meta):
        verbose_name = "organisation"
        verbose_name_plural = "organisations"


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

    class Meta(NamedEntity.Meta):
        verbose_name = "person"
        verbose_name_plural = "people"


class PositionQuerySet(ReviewedQuerySet):
    """Reusable reads of positions."""

    def visible(self):
        """Positions visitors may see: not rejected, of a person (and organisation) not
        rejected, stated by a published article or by none."""
        return (
            self.not_rejected()
            .exclude(person__review_status=ReviewStatus.REJECTED)
            .exclude(organisation__review_status=ReviewStatus.REJECTED)
            .filter(Q(article__isnull=True) | Q(article__status=Publication.PUBLISHED))
        )


class Position(ReviewedModel):
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

    class Meta(NamedEntity.Meta):
        verbose_name = "program"
        verbose_name_plural = "programs"


#: The named records by model name: what a duplicate candidate's ``kind`` names.
NAMED_MODELS = {"organisation": Organisation, "person": Person, "program": Program}
