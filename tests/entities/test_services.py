"""Storing extraction, editors' deletions and merges (articles.persistence, entities.services)."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from articles.models import Article, OrganisationMention, PersonMention, ProgramMention
from articles.persistence import extraction_persist
from entities.extraction.types import (
    Extraction,
    MetricCandidate,
    OrganisationCandidate,
    PersonCandidate,
    PositionCandidate,
    ProgramCandidate,
)
from entities.models import (
    ImportTombstone,
    Metric,
    Organisation,
    Person,
    Position,
    Program,
    ReviewStatus,
)
from entities.services import (
    ImportIndex,
    editor_changed,
    editor_delete,
    entity_merge,
    unique_slugs,
)

pytestmark = pytest.mark.django_db

BODY = (
    "Northwind Biologics LLC opened a plant. Marta Kowalski, General Director of "
    "Northwind Biologics, said NWB invested RUB 450 million under the Pharma Growth program."
)


def make_article(name="a", body=BODY):
    return Article.objects.create(
        title=f"Article {name}",
        slug=f"article-{name}",
        source_file=f"{name}.txt",
        body=body,
        content_hash="0" * 64,
    )


def extraction(*, organisation="Northwind Biologics LLC", person="Marta Kowalski"):
    """What an extractor would find in BODY."""
    return Extraction(
        organisations=[
            OrganisationCandidate(
                name=organisation,
                kind=Organisation.Kind.COMPANY,
                aliases=["NWB"],
                spans=[(0, 23), (101, 104)],
                quote="Northwind Biologics LLC opened a plant.",
            )
        ],
        people=[
            PersonCandidate(
                name=person,
                spans=[(40, 54)],
                quote="Marta Kowalski, General Director of Northwind Biologics, said ...",
                positions=[PositionCandidate(title="General Director", organisation=organisation)],
            )
        ],
        programs=[
            ProgramCandidate(
                name="Pharma Growth",
                kind=Program.Kind.REGIONAL,
                spans=[(139, 152)],
                quote="... under the Pharma Growth program.",
                description="A regional program.",
            )
        ],
        metrics=[
            MetricCandidate(
                label="investment",
                value=Decimal("450000000"),
                unit="RUB",
                raw_text="RUB 450 million",
                start=114,
                end=129,
                quote="NWB invested RUB 450 million under the Pharma Growth program.",
                organisation=organisation,
                program="Pharma Growth",
            )
        ],
    )


def test_persist_creates_records_with_provenance():
    """Entities, mentions with spans, the position and the metric are stored and linked."""
    article = make_article()
    counts = extraction_persist(article=article, extraction=extraction())

    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.kind, organisation.aliases) == (
        "Northwind Biologics LLC",
        Organisation.Kind.COMPANY,
        ["NWB"],
    )
    assert organisation.slug == "northwind-biologics-llc"
    person = Person.objects.get()
    position = Position.objects.get()
    assert (position.person, position.title, position.organisation, position.article) == (
        person,
        "General Director",
        organisation,
        article,
    )
    program = Program.objects.get()
    assert program.description == "A regional program."
    mention = OrganisationMention.objects.get()
    assert mention.spans == [[0, 23], [101, 104]]
    assert mention.quote == "Northwind Biologics LLC opened a plant."
    assert PersonMention.objects.get().person == person
    assert ProgramMention.objects.get().program == program
    metric = Metric.objects.get()
    # The candidate names both; a metric has one subject, the organisation first.
    assert (metric.value, metric.unit, metric.organisation, metric.program) == (
        Decimal("450000000"),
        "RUB",
        organisation,
        None,
    )
    assert counts.created == {
        "organisations": 1,
        "people": 1,
        "programs": 1,
        "mentions": 3,
        "positions": 1,
        "metrics": 1,
    }


def test_metric_about_a_program_only_has_the_program_as_subject():
    """Without an organisation named, the program the figure is about is its subject."""
    candidate = extraction()
    candidate.metrics[0].organisation = None
    extraction_persist(article=make_article(), extraction=candidate)
    metric = Metric.objects.get()
    assert (metric.organisation, metric.program) == (None, Program.objects.get())


def test_persisting_again_duplicates_nothing():
    """Re-extracting an unchanged article keeps its facts: the same rows, nothing counted."""
    article = make_article()
    extraction_persist(article=article, extraction=extraction())
    counts = extraction_persist(article=article, extraction=extraction())
    assert counts.created == counts.updated == counts.removed == {}
    assert Organisation.objects.count() == Person.objects.count() == Program.objects.count() == 1
    assert OrganisationMention.objects.count() == Position.objects.count() == 1
    assert Metric.objects.count() == 1


def test_second_article_links_to_existing_entities():
    """Another article naming the same organisation links to the same record."""
    extraction_persist(article=make_article("a"), extraction=extraction())
    second = make_article("b")
    extraction_persist(
        article=second, extraction=extraction(organisation="NORTHWIND BIOLOGICS LLC")
    )
    organisation = Organisation.objects.get()
    assert set(organisation.articles.values_list("source_file", flat=True)) == {"a.txt", "b.txt"}


def test_candidate_named_like_an_alias_resolves_to_that_record():
    """A name known as another record's alias resolves to that record, not a new one."""
    known = Organisation.objects.create(name="Northwind Biologics LLC", aliases=["NWB"])
    extraction_persist(article=make_article(), extraction=extraction(organisation="NWB"))
    assert list(Organisation.objects.all()) == [known]
    assert OrganisationMention.objects.get().organisation == known


def test_alias_added_in_one_file_is_known_to_the_next_in_the_same_run():
    """Within one import run the alias index follows what earlier files wrote."""
    index = ImportIndex()
    first = extraction_persist(article=make_article("a"), extraction=extraction(), index=index)
    index.commit()
    extraction_persist(
        article=make_article("b"), extraction=extraction(organisation="NWB"), index=index
    )
    assert first.created["organisations"] == 1
    assert Organisation.objects.count() == 1


def test_new_aliases_are_added_to_non_curated_records_only():
    """Non-curated records learn new spellings; a curated record is left exactly as is."""
    plain = Organisation.objects.create(name="Northwind Biologics LLC")
    curated = Person.objects.create(name="Marta Kowalski", curated=True)
    candidate = extraction()
    candidate.people[0].aliases = ["M. Kowalski"]
    counts = extraction_persist(article=make_article(), extraction=candidate)
    plain.refresh_from_db()
    curated.refresh_from_db()
    assert plain.aliases == ["NWB"]
    assert curated.aliases == []
    assert counts.updated == {"organisations": 1}
    assert PersonMention.objects.get().person == curated


def test_same_entity_twice_in_one_extraction_is_one_record_and_one_mention():
    """Two candidates with one normalised name merge: one record, spans joined."""
    candidate = extraction()
    twin = OrganisationCandidate(
        name="northwind biologics llc", kind="company", spans=[(60, 79)], quote="later"
    )
    candidate.organisations.append(twin)
    extraction_persist(article=make_article(), extraction=candidate)
    assert Organisation.objects.count() == 1
    assert OrganisationMention.objects.get().spans == [[0, 23], [60, 79], [101, 104]]


def test_batch_lookups_do_not_grow_with_the_number_of_candidates(django_assert_max_num_queries):
    """Persisting 30 organisations takes no more queries than persisting 2."""

    def many(count):
        found = extraction()
        found.organisations += [
            OrganisationCandidate(name=f"Company {n} Pharma", kind="company", spans=[(n, n + 1)])
            for n in range(count)
        ]
        return found

    with CaptureQueriesContext(connection) as few:
        extraction_persist(article=make_article("few"), extraction=many(2))
    with django_assert_max_num_queries(len(few)):
        extraction_persist(article=make_article("many"), extraction=many(30))
    assert Organisation.objects.count() == 31


def test_storing_an_article_reads_only_the_positions_it_could_match():
    """Someone in the news a lot holds many positions: an article naming them reads the
    ones at the organisations it names them with, not all of them."""
    first = make_article("first")
    extraction_persist(article=first, extraction=extraction())
    person = Person.objects.get()
    others = Organisation.objects.bulk_create(
        Organisation(
            name=f"Other {number}", slug=f"other-{number}", normalized_name=f"other {number}"
        )
        for number in range(40)
    )
    Position.objects.bulk_create(
        Position(person=person, title="Adviser", organisation=other, article=first)
        for other in others
    )
    loaded = []

    def count(sender, instance, **kwargs):
        loaded.append(instance)

    post_init.connect(count, sender=Position)
    try:
        extraction_persist(article=make_article("second"), extraction=extraction())
    finally:
        post_init.disconnect(count, sender=Position)

    # The one position at Northwind, which the second article states again.
    assert [(p.person_id, p.title) for p in loaded] == [(person.pk, "General Director")]
    assert Position.objects.count() == 41


def test_deleted_person_is_not_recreated_or_relinked():
    """A person an editor deleted stays deleted: no record, mention or position."""
    article = make_article()
    extraction_persist(article=article, extraction=extraction())
    editor_delete(instance=Person.objects.get())
    extraction_persist(article=article, extraction=extraction())
    extraction_persist(article=make_article("b"), extraction=extraction())
    assert not Person.objects.exists()
    assert not PersonMention.objects.exists()
    assert not Position.objects.exists()
    assert Organisation.objects.count() == 1
    assert ImportTombstone.objects.get().kind == "entities.person"


def test_deleted_organisation_is_not_relinked_by_its_alias():
    """Deleting a record tombstones its aliases too: the acronym does not bring it back."""
    article = make_article()
    extraction_persist(article=article, extraction=extraction())
    editor_delete(instance=Organisation.objects.get())
    extraction_persist(article=make_article("b"), extraction=extraction(organisation="NWB"))
    assert not Organisation.objects.exists()
    assert Metric.objects.filter(organisation__isnull=False).count() == 0
    position = Position.objects.get()
    assert position.organisation is None


def test_deleted_mention_is_not_re_added():
    """A mention an editor removed is not added back; the entity itself stays."""
    article = make_article()
    extraction_persist(article=article, extraction=extraction())
    editor_delete(instance=ProgramMention.objects.get())
    extraction_persist(article=article, extraction=extraction())
    assert Program.objects.count() == 1
    assert not ProgramMention.objects.exists()
    assert OrganisationMention.objects.count() == 1


def test_deleted_position_and_metric_are_not_re_added():
    """Positions and metrics an editor deleted do not come back on re-extraction."""
    article = make_article()
    extraction_persist(article=article, extraction=extraction())
    editor_delete(instance=Position.objects.get())
    editor_delete(instance=Metric.objects.get())
    extraction_persist(article=article, extraction=extraction())
    assert not Position.objects.exists()
    assert not Metric.objects.exists()


def test_rejected_metric_is_not_recreated():
    """A metric an editor rejected stays the only row for that fact."""
    article = make_article()
    extraction_persist(article=article, extraction=extraction())
    Metric.objects.update(review_status=ReviewStatus.REJECTED)
    extraction_persist(article=article, extraction=extraction())
    assert Metric.objects.get().review_status == ReviewStatus.REJECTED


def test_curated_facts_survive_re_extraction_unchanged():
    """Curated mentions, positions and metrics are kept as the editor left them."""
    article = make_article()
    extraction_persist(article=article, extraction=extraction())
    OrganisationMention.objects.update(curated=True, quote="Edited by hand")
    Position.objects.update(curated=True, quote="Checked")
    Metric.objects.update(curated=True, label="capital expenditure")
    extraction_persist(article=article, extraction=extraction())
    assert OrganisationMention.objects.get().quote == "Edited by hand"
    assert Position.objects.get().quote == "Checked"
    assert Metric.objects.get().label == "capital expenditure"


def _edit(instance, **changes):
    """Save ``changes`` the way the admin and the API do: curated, then editor_changed."""
    previous = type(instance).objects.get(pk=instance.pk)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.curated = True
    instance.save()
    editor_changed(previous=previous, instance=instance)


def test_renamed_entity_keeps_its_old_name_so_imports_do_not_recreate_it():
    """After an editor renames a record, its old spelling in articles still links to it."""
    article = make_article()
    extraction_persist(article=article, extraction=extraction())
    _edit(Organisation.objects.get(), name="Northwind Biologics (Obninsk plant)")
    _edit(Person.objects.get(), name="Marta K. Kowalski")
    extraction_persist(article=article, extraction=extraction())
    organisation, person = Organisation.objects.get(), Person.objects.get()
    assert organisation.aliases == ["NWB", "Northwind Biologics LLC"]
    assert person.aliases == ["Marta Kowalski"]
    assert organisation.mentions.get().article == article
    assert person.positions.get().organisation == organisation


def test_rename_that_keeps_the_normalised_name_adds_no_alias():
    """Fixing case or quotes changes nothing the import matches on."""
    extraction_persist(article=make_article(), extraction=extraction())
    _edit(Organisation.objects.get(), name="NORTHWIND BIOLOGICS")
    assert Organisation.objects.get().aliases == ["NWB"]


def test_corrected_position_and_mention_are_not_added_back_in_their_old_form():
    """A position retitled or a mention re-pointed by an editor leaves no old twin behind."""
    article = make_article()
    extraction_persist(article=article, extraction=extraction())
    other = Organisation.objects.create(name="Eastgate Pharma")
    _edit(Position.objects.get(), title="Chief Executive")
    _edit(OrganisationMention.objects.get(), organisation=other)
    extraction_persist(article=article, extraction=extraction())
    assert list(Position.objects.values_list("title", flat=True)) == ["Chief Executive"]
    assert list(OrganisationMention.objects.values_list("organisation__name", flat=True)) == [
        "Eastgate Pharma"
    ]
    assert ImportTombstone.objects.filter(kind="entities.position").count() == 1


def test_only_positions_and_mentions_leave_their_old_form_behind_when_edited():
    """An edited metric, article or renamed record leaves no tombstone (a renamed one, an alias)."""
    article = make_article()
    extraction_persist(article=article, extraction=extraction())
    _edit(Metric.objects.get(), raw_text="RUB 450 mln")
    _edit(Article.objects.get(), source_file="renamed.txt")
    _edit(Organisation.objects.get(), name="Northwind Biologics (Obninsk plant)")
    assert not ImportTombstone.objects.exists()


def test_deleting_a_record_no_import_writes_is_refused():
    """Only what the import writes has an identity to remember; anything else stays."""
    user = get_user_model().objects.create(username="someone")
    with pytest.raises(TypeError, match="not imported"):
        editor_delete(instance=user)
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_metric_that_cannot_be_stored_is_skipped_not_fatal():
    """An out-of-range metric value is left out; the rest of the article is stored."""
    candidate = extraction()
    candidate.metrics[0].value = Decimal("1e30")
    extraction_persist(article=make_article(), extraction=candidate)
    assert not Metric.objects.exists()
    assert Organisation.objects.count() == 1


def test_merge_moves_everything_to_the_kept_record():
    """Merging joins mentions (spans merged), moves positions and metrics, keeps names."""
    article = make_article()
    extraction_persist(article=article, extraction=extraction())
    keep = Organisation.objects.get()
    duplicate = Organisation.objects.create(name="Northwind Bio", aliases=["NW Bio"])
    OrganisationMention.objects.create(article=article, organisation=duplicate, spans=[[60, 73]])
    other_article = make_article("b")
    OrganisationMention.objects.create(
        article=other_article, organisation=duplicate, spans=[[1, 2]]
    )
    Metric.objects.update(organisation=duplicate)
    Position.objects.update(organisation=duplicate)

    entity_merge(keep=keep, others=[duplicate])

    keep.refresh_from_db()
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    assert keep.curated
    assert keep.aliases == ["NWB", "Northwind Bio", "NW Bio"]
    assert OrganisationMention.objects.get(article=article).spans == [
        [0, 23],
        [60, 73],
        [101, 104],
    ]
    assert OrganisationMention.objects.get(article=other_article).organisation == keep
    assert Metric.objects.get().organisation == keep
    assert Position.objects.get().organisation == keep
    assert not ImportTombstone.objects.exists()


def test_merged_name_resolves_to_the_kept_record_on_later_imports():
    """After a merge, the merged record's name links to the kept record."""
    keep = Organisation.objects.create(name="Northwind Biologics LLC")
    duplicate = Organisation.objects.create(name="Northwind Bio")
    entity_merge(keep=keep, others=[duplicate])
    extraction_persist(article=make_article(), extraction=extraction(organisation="Northwind Bio"))
    assert list(Organisation.objects.all()) == [keep]
    assert OrganisationMention.objects.get().organisation == keep


def test_merging_people_drops_duplicate_positions():
    """Two records holding the same position become one person with that position once."""
    keep = Person.objects.create(name="Marta Kowalski")
    duplicate = Person.objects.create(name="M. Kowalski")
    Position.objects.create(person=keep, title="General Director")
    Position.objects.create(person=duplicate, title="general director")
    Position.objects.create(person=duplicate, title="Board Member")
    entity_merge(keep=keep, others=[duplicate])
    assert sorted(keep.positions.values_list("title", flat=True)) == [
        "Board Member",
        "General Director",
    ]


def test_merge_refuses_records_of_different_kinds():
    """An organisation cannot be merged with a person."""
    organisation = Organisation.objects.create(name="Northwind")
    person = Person.objects.create(name="Northwind")
    with pytest.raises(TypeError, match="only merge organisations"):
        entity_merge(keep=organisation, others=[person])
    assert Person.objects.exists()


def test_unique_slugs_suffix_taken_and_repeated_names():
    """Slugs avoid existing ones and each other; Cyrillic names keep their letters."""
    Organisation.objects.create(name="Northwind")
    Organisation.objects.create(name="Northwind 2", slug="northwind-2")
    slugs = unique_slugs(model=Organisation, names=["Northwind", "Northwind", "Фарма Центр"])
    assert slugs == ["northwind-3", "northwind-4", "фарма-центр"]


def test_candidate_with_an_overlong_name_is_skipped():
    """A "name" longer than a record can hold is extraction noise and is left out."""
    candidate = extraction(organisation="Northwind " * 30)
    extraction_persist(article=make_article(), extraction=candidate)
    assert not Organisation.objects.exists()
    assert Person.objects.count() == 1
    assert Position.objects.get().organisation is None


def test_people_sharing_a_surname_alias_stay_apart():
    """Two people both known by their surname are not taken for one person."""
    first = extraction(person="Vladimir Orlov")
    first.people[0].aliases = ["Orlov"]
    extraction_persist(article=make_article("a"), extraction=first)
    second = extraction(person="Anton Orlov")
    second.people[0].aliases = ["Orlov"]
    extraction_persist(article=make_article("b"), extraction=second)
    assert sorted(Person.objects.values_list("name", flat=True)) == [
        "Anton Orlov",
        "Vladimir Orlov",
    ]


def test_organisation_known_by_its_acronym_is_matched_through_the_candidate_alias():
    """A record named by an acronym matches a later full name that gives that acronym."""
    acronym = Organisation.objects.create(name="NWB")
    extraction_persist(article=make_article(), extraction=extraction())
    assert list(Organisation.objects.all()) == [acronym]
    acronym.refresh_from_db()
    assert acronym.aliases == ["Northwind Biologics LLC"]


def test_editor_delete_remembers_who_deleted_what(django_user_model):
    """The tombstone names the deleted record and the editor; the record is gone."""
    editor = django_user_model.objects.create_user("editor")
    person = Person.objects.create(name="Marta Kowalski", aliases=["M. Kowalski"])
    editor_delete(instance=person, user=editor)
    assert not Person.objects.exists()
    tombstones = ImportTombstone.objects.order_by("label")
    assert [(t.kind, t.label, t.deleted_by) for t in tombstones] == [
        ("entities.person", "M. Kowalski", editor),
        ("entities.person", "Marta Kowalski", editor),
    ]


def test_editor_delete_refuses_records_the_import_never_creates(django_user_model):
    """Deleting, say, a user through editor_delete is a programming error, not a tombstone."""
    user = django_user_model.objects.create_user("someone")
    with pytest.raises(TypeError, match="not imported"):
        editor_delete(instance=user)
    assert django_user_model.objects.filter(pk=user.pk).exists()
    assert not ImportTombstone.objects.exists()


def test_alias_of_a_record_deleted_during_the_run_is_ignored():
    """A record removed after the run read its aliases is neither matched nor an error."""
    index = ImportIndex()
    extraction_persist(article=make_article("a"), extraction=extraction(), index=index)
    index.commit()
    Organisation.objects.all().delete()
    extraction_persist(
        article=make_article("b"), extraction=extraction(organisation="NWB"), index=index
    )
    assert list(Organisation.objects.values_list("name", flat=True)) == ["NWB"]
