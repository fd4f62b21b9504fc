"""Organisations, people (with positions), programs and metrics: a module per concern.

``base`` holds what every record shares (editor protection, visibility, names),
``named`` the named records, ``metrics`` the figures, ``review`` the review
workbench's duplicate candidates and decisions, ``tombstones`` what
editors deleted, and ``changes`` what left the API (the deletions feed).
Everything is importable from ``entities.models``.
"""

from entities.models.base import (
    NamedEntity,
    NamedEntityQuerySet,
    Publication,
    ReviewedModel,
    ReviewedQuerySet,
    ReviewStatus,
    TimestampedModel,
    ViewableQuerySet,
    confidence_field,
)
from entities.models.changes import Deletion, DeletionQuerySet
from entities.models.metrics import Metric, MetricQuerySet, article_model
from entities.models.named import (
    NAMED_MODELS,
    Organisation,
    OrganisationQuerySet,
    Person,
    PersonQuerySet,
    Position,
    PositionQuerySet,
    Program,
    ProgramQuerySet,
)
from entities.models.review import DuplicateCandidate, ReviewDecision
from entities.models.tombstones import ImportTombstone

__all__ = [
    "NAMED_MODELS",
    "Deletion",
    "DeletionQuerySet",
    "DuplicateCandidate",
    "ImportTombstone",
    "Metric",
    "MetricQuerySet",
    "NamedEntity",
    "NamedEntityQuerySet",
    "Organisation",
    "OrganisationQuerySet",
    "Person",
    "PersonQuerySet",
    "Position",
    "PositionQuerySet",
    "Program",
    "ProgramQuerySet",
    "Publication",
    "ReviewDecision",
    "ReviewStatus",
    "ReviewedModel",
    "ReviewedQuerySet",
    "TimestampedModel",
    "ViewableQuerySet",
    "article_model",
    "confidence_field",
]
