"""The name index on the real database (SQLite FTS5 trigram table, PostgreSQL pg_trgm).

Whatever writes a record (save, bulk_create as the import does, QuerySet.update,
a deletion, a review decision), the index finds it by its new names at once,
and never finds a rejected one.
"""

import pytest
from django.db import connection

from entities.models import Organisation, Person, Program, ReviewStatus
from entities.name_index import (
    NameRequest,
    find_candidates,
    install_name_index,
    read_names,
    repair_name_index,
    tidy_name_index,
)
from entities.name_index.sqlite import SQLITE_TRIGGERS
from tests.factories import OrganisationFactory, PersonFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def found(text: str, kinds=("organisation", "person", "program")) -> set[tuple[str, int]]:
    """(kind, id) of every candidate the index proposes for ``text``."""
    (candidates,) = find_candidates([NameRequest(text, tuple(kinds))])
    return {(candidate.kind, candidate.pk) for candidate in candidates}


def test_a_saved_record_is_found_by_a_misspelt_name():
    """Save, then look up with a letter missing: the record is a candidate."""
    vertex = OrganisationFactory(name="Vertex Pharmaceuticals")
    assert ("organisation", vertex.pk) in found("Vertex Pharmaceuticls")


def test_records_written_in_bulk_are_found_as_the_import_writes_them():
    """bulk_create (no save()) with the key computed by the caller, as resolution does."""
    from entities.normalise import normalise_name

    Person.objects.bulk_create(
        [
            Person(name=name, slug=f"p-{n}", normalized_name=normalise_name(name))
            for n, name in enumerate(["Ivan Sokolov", "Marina Orlova"])
        ]
    )
    orlova = Person.objects.get(name="Marina Orlova")
    assert ("person", orlova.pk) in found("Marina Orlva", ["person"])


def test_aliases_set_by_a_queryset_update_are_found():
    """QuerySet.update (no signal, no save) of the aliases reaches the index."""
    agency = OrganisationFactory(name="Regional Development Agency")
    Organisation.objects.filter(pk=agency.pk).update(aliases=["Kaluga Growth Office"])
    assert ("organisation", agency.pk) in found("Kaluga Growth Ofice")


def test_a_renamed_record_is_found_by_its_new_name_only():
    """After a rename the old name finds nothing, the new one the record."""
    plant = OrganisationFactory(name="Zentova Biologics")
    plant.name = "Quirell Biologics"
    plant.save()
    assert ("organisation", plant.pk) in found("Quirell Biologic")
    assert ("organisation", plant.pk) not in found("Zentova")


def test_rejected_records_are_not_in_the_index_until_an_editor_takes_it_back():
    """Rejecting takes a record out of the index; confirming it again puts it back."""
    program = ProgramFactory(name="Pharma Cadres 2030")
    Program.objects.filter(pk=program.pk).update(review_status=ReviewStatus.REJECTED)
    assert ("program", program.pk) not in found("Pharma Cadres 2030")
    assert read_names([("program", program.pk)]) == {}
    Program.objects.filter(pk=program.pk).update(review_status=ReviewStatus.CONFIRMED)
    assert ("program", program.pk) in found("Pharma Cadres 2030")


def test_a_deleted_record_is_gone_from_the_index():
    """Deleting a record removes its entry."""
    person = PersonFactory(name="Olga Vetrova")
    pk = person.pk
    person.delete()
    assert ("person", pk) not in found("Olga Vetrova")


def test_cyrillic_finds_latin_and_latin_finds_cyrillic():
    """Both sides are compared transliterated: "Вертекс" finds "Vertex" and back."""
    vertex = OrganisationFactory(name="Vertex")
    kaluga = OrganisationFactory(name="Калужский фармкластер")
    assert ("organisation", vertex.pk) in found("ООО Вертекс")
    assert ("organisation", kaluga.pk) in found("Kaluzhskii farmklaster")


def test_an_alias_written_in_cyrillic_is_found_as_written():
    """An alias kept in Cyrillic (not in the name key) is found by the same letters."""
    stada = OrganisationFactory(name="Nizhpharm", aliases=["Нижфарм", "Stada CIS"])
    assert ("organisation", stada.pk) in found("Нижфарм")
    assert ("organisation", stada.pk) in found("Stada CIS")


def test_legal_forms_do_not_hide_a_name():
    """Both "OOO Vertex" and "Vertex LLC" find "Vertex" (legal forms are not in the key)."""
    vertex = OrganisationFactory(name="Vertex")
    assert ("organisation", vertex.pk) in found("OOO Vertex")
    assert ("organisation", vertex.pk) in found("Vertex, LLC")


def test_kinds_limit_the_candidates():
    """A person named like a company is not proposed for an organisation query."""
    OrganisationFactory(name="Marta Ilina Foundation")
    person = PersonFactory(name="Marta Ilina")
    assert ("person", person.pk) not in found("Marta Ilina", ["organisation"])
    assert ("person", person.pk) in found("Marta Ilina", ["person"])


def test_candidates_carry_what_scoring_needs():
    """Key, aliases and kind come with each candidate, without reading the tables again."""
    record = OrganisationFactory(name="Vertex LLC", aliases=["VRTX"], kind="fund")
    (candidates,) = find_candidates([NameRequest("Vertex", ("organisation",))])
    (candidate,) = [c for c in candidates if c.pk == record.pk]
    assert (candidate.key, candidate.aliases, candidate.category) == ("vertex", ("VRTX",), "fund")


def test_a_batch_costs_the_same_queries_as_one_name(django_assert_num_queries):
    """Fifty names cost no more queries than one (SQLite: vocabulary + lookups;
    PostgreSQL: a savepoint, a setting and the lookups)."""
    for n in range(50):
        OrganisationFactory(name=f"Company Number {n} Biologics")
    expected = 2 if connection.vendor == "sqlite" else 4
    with django_assert_num_queries(expected):
        find_candidates([NameRequest("Company Number 7 Biologics", ("organisation",))])
    with django_assert_num_queries(expected):
        answers = find_candidates(
            [NameRequest(f"Compny Number {n} Biologics", ("organisation",)) for n in range(50)]
        )
    assert all(answers)


def test_installing_again_changes_nothing():
    """The install is idempotent: a second run keeps the entries, once each."""
    vertex = OrganisationFactory(name="Vertex")
    install_name_index(connection)
    (candidates,) = find_candidates([NameRequest("Vertex", ("organisation",))])
    assert [c.pk for c in candidates].count(vertex.pk) == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL indexes need no triggers")
def test_lost_triggers_are_restored_after_migrate_with_what_changed_meanwhile():
    """A table rebuild drops the triggers; the post_migrate repair restores them and refills."""
    vertex = OrganisationFactory(name="Vertex")
    with connection.cursor() as cursor:
        for name in SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    Organisation.objects.filter(pk=vertex.pk).update(aliases=["Quirell"])
    renamed = OrganisationFactory(name="Zentova")
    repair_name_index(using=connection.alias)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        assert set(SQLITE_TRIGGERS) <= {name for (name,) in cursor.fetchall()}
    assert ("organisation", vertex.pk) in found("Quirell")
    assert ("organisation", renamed.pk) in found("Zentova")


def test_tidying_after_an_import_keeps_every_name_and_the_triggers_working():
    """The compaction a large import runs loses no record and leaves later writes indexed."""
    written = [OrganisationFactory(name=f"Borealis Reagents {n}") for n in range(30)]
    tidy_name_index(connection)
    later = OrganisationFactory(name="Quillon Assay Systems")

    assert all(("organisation", record.pk) in found(record.name) for record in written)
    assert ("organisation", later.pk) in found("Quillon Asay Systems")
