"""Slugs for new records: unique among the existing ones, in two queries at most."""

from collections.abc import Sequence

from django.db import connections, models
from django.db.models import Q

from entities.normalise import slug_for


def unique_slugs(*, model: type[models.Model], names: Sequence[str]) -> list[str]:
    """Slugs for new records of ``model``, unique among existing ones and each other.

    Two queries at most: which base slugs are taken, and which numbered
    variants of those exist; a taken slug gets the next free "-2", "-3" suffix.
    """
    bases = [slug_for(name) for name in names]
    # Unordered: the model's default ordering would sort every numbered
    # variant of a common title for nothing.
    slugs_of = model._default_manager.order_by().values_list("slug", flat=True)
    taken = set(slugs_of.filter(slug__in=set(bases)))
    if taken:
        variants = Q()
        for base in taken:
            variants |= _slug_prefix_lookup(slugs_of.db, f"{base}-")
        taken |= set(slugs_of.filter(variants))
    slugs = []
    for base in bases:
        slug, counter = base, 2
        while slug in taken:
            slug = f"{base}-{counter}"
            counter += 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _slug_prefix_lookup(using: str, prefix: str) -> Q:
    """Slugs that start with ``prefix``, as a lookup the slug's unique index can serve.

    PostgreSQL serves ``LIKE 'prefix%'`` from the ``varchar_pattern_ops`` index
    Django adds to unique text columns. SQLite cannot use an index for Django's
    ``LIKE ... ESCAPE`` (it scanned all 100,000 articles of the benchmark for
    every repeated title), but its columns compare bytewise (BINARY
    collation), so a range does: "base-" <= slug < "base." ("." follows "-").
    """
    if connections[using].vendor == "sqlite":
        return Q(slug__gte=prefix, slug__lt=prefix[:-1] + chr(ord(prefix[-1]) + 1))
    return Q(slug__startswith=prefix)
