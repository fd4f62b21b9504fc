"""The positions an article states: global records, with the article as provenance."""

from django.db.models import Q
from django.utils import timezone

from entities.extraction.types import PersonCandidate
from entities.identity import position_tombstone_key
from entities.models import Organisation, Person, Position
from entities.services import changes


def persist_positions(
    article, people: list[PersonCandidate], resolved, index, counts, *, replace: bool, shown: dict
) -> None:
    """Positions the article states, unless already known, curated or deleted.

    Positions are global, one per (person, title, organisation); the article
    is their provenance. One this article stated before and states again
    keeps its id (its title's spelling and its quote follow the text); the
    article's non-curated positions it no longer states are removed.
    """
    organisations = resolved[Organisation]
    planned = {}
    for person in people:
        person_pk = resolved[Person].find(person.name)
        if person_pk is None:
            continue
        for position in person.positions:
            title = " ".join(position.title.split())[:255]
            if not title:
                continue
            organisation_pk = organisations.find(position.organisation)
            identity = (person_pk, title.casefold(), organisation_pk or 0)
            planned.setdefault(identity, (title, position.quote))
    keys = {
        identity: ("entities.position", position_tombstone_key(*identity)) for identity in planned
    }
    deleted = index.deleted(keys.values())
    planned = {
        identity: found for identity, found in planned.items() if keys[identity] not in deleted
    }
    # The positions the article's people hold at the organisations it names them
    # with (not all their positions: someone in the news a lot holds hundreds),
    # and what this article stated before.
    lookup = Q()
    for person_pk, organisation_pk in {
        (person, organisation) for person, _, organisation in planned
    }:
        lookup |= Q(person_id=person_pk, organisation_id=organisation_pk or None)
    if replace:
        lookup |= Q(article=article, curated=False)
    elif not planned:
        return
    known: dict[tuple, list[Position]] = {}
    for position in Position.objects.filter(lookup):
        known.setdefault(_stated_position(position), []).append(position)
    ours = {
        position.pk: position
        for rows in known.values()
        for position in rows
        if position.article_id == article.pk and not position.curated
    }

    now = timezone.now()
    kept, changed, rows = set(), [], []
    for identity, (title, quote) in planned.items():
        holders = known.get(identity)
        if not holders:
            rows.append(
                Position(
                    person_id=identity[0],
                    title=title,
                    organisation_id=identity[2] or None,
                    article=article,
                    quote=quote,
                )
            )
            continue
        if any(position.pk not in ours for position in holders):
            continue  # curated, or stated by another article: that record stands
        position = next((p for p in holders if p.title == title), holders[0])
        kept.add(position.pk)
        if (position.title, position.quote) != (title, quote):
            position.title, position.quote, position.updated_at = title, quote, now
            changed.append(position)
    editable = Position.objects.filter(article=article, curated=False)
    # Stale ones go first: a case-variant twin of a kept title must not block its update.
    stale = [pk for pk in ours if pk not in kept]
    if stale:
        removed, _ = changes.delete(editable.filter(pk__in=stale))
        counts.removed["positions"] += removed
    if changed:
        counts.updated["positions"] += editable.bulk_update(
            changed, ["title", "quote", "updated_at"]
        )
    if rows:
        Position.objects.bulk_create(rows)
        counts.created["positions"] += len(rows)
    changes.add_dependents(shown, Position, [*changed, *rows])


def _stated_position(position: Position) -> tuple:
    """A position's identity as the import matches it: (person, title casefolded, organisation)."""
    return (position.person_id, position.title.casefold(), position.organisation_id or 0)
