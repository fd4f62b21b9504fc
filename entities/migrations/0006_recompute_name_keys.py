"""Recompute the comparison keys of names after the normalisation rules changed.

``entities.normalise.normalise_name`` now folds transliteration and
diacritics, drops more legal forms and words that never make another body
(see its docstring). Stored keys made by the old rules would no longer find
their records, so the import would create duplicates, and editors'
tombstones would no longer stop deleted records from coming back.

The current function is imported on purpose: the keys must be what the code
computes now. When two records of a kind now share a key, the one that already
has it (else the older) keeps it and the other keeps its old key (it stays
findable by name until an editor merges the two); the migration logs how many. Tombstones of deleted names
get a second key, computed from the name the editor deleted.
"""

import hashlib
import logging

from django.db import migrations

logger = logging.getLogger(__name__)

NAMED = {
    "Organisation": "entities.organisation",
    "Person": "entities.person",
    "Program": "entities.program",
}


def _tombstone_key(normalised: str) -> str:
    # The same digest as entities.services.name_tombstone_key.
    return hashlib.sha256(normalised.encode()).hexdigest()


def recompute(apps, schema_editor):
    from entities.normalise import normalise_name

    for model_name in NAMED:
        model = apps.get_model("entities", model_name)
        taken = set()
        changed = []
        kept_old = 0
        for record in model.objects.order_by("pk").only("pk", "name", "normalized_name"):
            key = normalise_name(record.name)[:255]
            if key == record.normalized_name:
                taken.add(key)
                continue
            if (
                key in taken
                or model.objects.filter(normalized_name=key).exclude(pk=record.pk).exists()
            ):
                kept_old += 1
                taken.add(record.normalized_name)
                continue
            record.normalized_name = key
            taken.add(key)
            changed.append(record)
        model.objects.bulk_update(changed, ["normalized_name"], batch_size=500)
        if kept_old:
            logger.warning(
                "%d %s records keep their old name key: another record now has it",
                kept_old,
                model_name,
            )

    tombstone = apps.get_model("entities", "ImportTombstone")
    rows = []
    for row in tombstone.objects.filter(kind__in=NAMED.values()):
        key = normalise_name(row.label)
        if key:
            rows.append(
                tombstone(
                    kind=row.kind,
                    key=_tombstone_key(key),
                    label=row.label,
                    deleted_by_id=row.deleted_by_id,
                )
            )
    tombstone.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("entities", "0005_confidence")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
