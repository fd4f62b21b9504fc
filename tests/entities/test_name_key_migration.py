"""Migration 0006 brings stored name keys in line with the current normalisation."""

import importlib

import pytest
from django.apps import apps

from entities.identity import name_tombstone_key
from entities.models import ImportTombstone, Organisation
from entities.normalise import normalise_name

pytestmark = pytest.mark.django_db

migration = importlib.import_module("entities.migrations.0006_recompute_name_keys")


def test_stale_keys_are_recomputed_and_a_clash_keeps_the_record_findable():
    """Old keys become new ones; of two records that now share a key, one keeps its old key."""
    # Rows as an older release stored them (bulk_create keeps the keys given).
    holder, stale, clash = Organisation.objects.bulk_create(
        [
            Organisation(name="Ministry of Health", slug="a", normalized_name="health ministry"),
            Organisation(name="Zentova Group", slug="b", normalized_name="group zentova"),
            Organisation(
                name="Russian Ministry of Health",
                slug="c",
                normalized_name="health ministry russian",
            ),
        ]
    )

    migration.recompute(apps, None)

    assert Organisation.objects.get(pk=stale.pk).normalized_name == normalise_name("Zentova")
    assert Organisation.objects.get(pk=holder.pk).normalized_name == normalise_name(holder.name)
    assert Organisation.objects.get(pk=clash.pk).normalized_name == "health ministry russian"


def test_deleted_names_stay_deleted_under_their_new_key():
    """An editor's tombstone for a deleted name also carries the key the import now computes."""
    ImportTombstone.objects.create(
        kind="entities.organisation", key="old", label="Orvel Industries"
    )

    migration.recompute(apps, None)

    assert ImportTombstone.objects.filter(key=name_tombstone_key(normalise_name("Orvel"))).exists()
