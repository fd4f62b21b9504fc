"""An article's mentions: one per (article, linked organisation, person or program)."""

from articles.models import OrganisationMention, PersonMention, ProgramMention
from entities.identity import mention_tombstone_key
from entities.models import Organisation, Person, Program
from entities.services import changes


def persist_mentions(
    article, candidates, resolved, index, counts, *, replace: bool, shown: dict
) -> None:
    """One mention per (article, linked entity), except curated or deleted ones.

    A mention of an entity found again keeps its id and takes the new spans
    and quote; the article's other non-curated mentions are removed. The
    records whose API representation these writes change are added to
    ``shown`` (``entities.services.changes``).
    """
    for model, mention_model, link in (
        (Organisation, OrganisationMention, "organisation"),
        (Person, PersonMention, "person"),
        (Program, ProgramMention, "program"),
    ):
        # Several candidates may stand for one record: one mention with all spans.
        planned: dict[int, tuple[list, str]] = {}
        for candidate in candidates[model]:
            pk = resolved[model].find(candidate.name)
            if pk is not None:
                spans, quote = planned.get(pk, ([], ""))
                planned[pk] = ([*spans, *candidate.spans], quote or candidate.quote)
        kind = mention_model._meta.label_lower
        keys = {pk: (kind, mention_tombstone_key(article.source_file, pk)) for pk in planned}
        deleted = index.deleted(keys.values())
        existing = (
            {getattr(m, f"{link}_id"): m for m in mention_model.objects.filter(article=article)}
            if replace
            else {}
        )
        changed, rows = [], []
        for pk, (spans, quote) in planned.items():
            if keys[pk] in deleted:
                continue
            spans = [list(span) for span in sorted(set(map(tuple, spans)))]
            mention = existing.pop(pk, None)
            if mention is None:
                rows.append(
                    mention_model(article=article, spans=spans, quote=quote, **{f"{link}_id": pk})
                )
            elif not mention.curated and (mention.spans, mention.quote) != (spans, quote):
                mention.spans, mention.quote = spans, quote
                changed.append(mention)
        editable = mention_model.objects.filter(article=article, curated=False)
        stale = [mention.pk for mention in existing.values() if not mention.curated]
        if stale:
            removed, _ = changes.delete(editable.filter(pk__in=stale))
            counts.removed["mentions"] += removed
        if changed:
            counts.updated["mentions"] += editable.bulk_update(changed, ["spans", "quote"])
        if rows:
            mention_model.objects.bulk_create(rows)
            counts.created["mentions"] += len(rows)
        written = [*changed, *rows]
        changes.add_dependents(shown, mention_model, written)
