"""Duplicate candidates (entities.services.duplicates) and deciding them (entities.services.review).

Every name here is invented.
"""

import io
import json
import random
from itertools import combinations
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import OrganisationMention, PersonMention
from entities.models import (
    NAMED_MODELS,
    DuplicateCandidate,
    Metric,
    Organisation,
    Person,
    Position,
    ReviewDecision,
)
from entities.normalise import normalise_name
from entities.services import duplicates, review
from entities.services.duplicates import Named, find_pairs, refresh_candidates
from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
    PersonFactory,
    PersonMentionFactory,
    PositionFactory,
)

# The seeds' hand annotation (a copy of ../shared/eval/gold_seeds.json, kept in the repo).
GOLD = Path(__file__).resolve().parents[2] / "docs" / "evaluation" / "gold_seeds.json"


def pair_of(found, first, second):
    return found.get((min(first, second), max(first, second)))


# --- the rules (pure) --------------------------------------------------------


def test_acronym_of_the_other_names_words_ignoring_glue_words():
    """An all-caps name equal to the initials of the other's words (of/the/and/for left out)."""
    found = find_pairs(
        "organisation",
        [Named(1, "NPMA"), Named(2, "Northern Pharma Makers Association"), Named(3, "NPXA")],
    )
    assert pair_of(found, 1, 2).reasons == ["acronym"]
    assert pair_of(found, 1, 2).score == pytest.approx(0.9)
    found = find_pairs(
        "program", [Named(1, "Fund for the Support of Vaccine Makers"), Named(2, "FSVM")]
    )
    assert "acronym" in pair_of(found, 1, 2).reasons
    assert pair_of(find_pairs("organisation", [Named(1, "NPMA"), Named(3, "NPXA")]), 1, 3) is None


def test_name_contained_in_the_other_as_whole_words():
    """ "Velmora" in "Velmora Biotech Labs"; not part of a word, not generic words alone."""
    found = find_pairs(
        "organisation",
        [
            Named(1, "Velmora"),
            Named(2, "Velmora Biotech Labs"),
            Named(3, "Velmoran Trading"),
            Named(4, "Ministry of Health"),
            Named(5, "Ministry of Health of Orlov Region"),
            Named(6, "Pharma Cluster LLC"),
            Named(7, "Pharma Cluster of Orlov"),
        ],
    )
    assert pair_of(found, 1, 2).reasons == ["contained"]
    assert 0.6 <= pair_of(found, 1, 2).score <= 0.85
    assert pair_of(found, 1, 3) is None  # "Velmora" is not the word "Velmoran"
    assert pair_of(found, 4, 5) is None  # generic words only
    assert pair_of(found, 6, 7) is None  # a legal form and generic words only


def test_words_of_one_name_in_order_in_the_other():
    """ "Tarsk Medical Institute" ~ "Tarsk Medical Research Institute": weaker than a run."""
    found = find_pairs(
        "organisation",
        [
            Named(1, "Tarsk Medical Institute"),
            Named(2, "Tarsk Medical Research Institute"),
            Named(3, "Ministry of Health"),
            Named(4, "Ministry of Health and Social Development"),
            Named(5, "Institute of Tarsk Medicine"),
        ],
    )
    assert pair_of(found, 1, 2).reasons == ["words in order"]
    assert 0.55 <= pair_of(found, 1, 2).score < 0.75
    assert pair_of(found, 3, 4) is None  # generic words only
    assert pair_of(found, 2, 5) is None  # not in order


def test_words_cut_short_word_by_word():
    """ "Ovra Pharma Park" ~ "Ovra Pharmaceutical Park", "Ovra Labs" ~ "Ovra Laboratories"."""
    found = find_pairs(
        "organisation",
        [
            Named(1, "Ovra Pharma Park"),
            Named(2, "Ovra Pharmaceutical Park"),
            Named(3, "Ovra Labs"),
            Named(4, "Ovra Laboratories"),
            Named(5, "Ovra Ph Park"),
        ],
    )
    assert pair_of(found, 1, 2).reasons == ["abbreviated"]
    assert pair_of(found, 3, 4).reasons == ["abbreviated"]
    assert pair_of(found, 2, 5) is None  # two letters abbreviate nothing


def test_same_name_with_another_legal_form_short_or_written_out():
    """ "Tarsk Medica LLC", "Tarsk Medica Joint Stock Company" and "Tarsk Medica" are one body."""
    found = find_pairs(
        "organisation",
        [
            Named(1, "Tarsk Medica LLC"),
            Named(2, "Tarsk Medica Joint Stock Company"),
            Named(3, "Tarsk Medica"),
        ],
    )
    for first, second in combinations((1, 2, 3), 2):
        assert pair_of(found, first, second).reasons[0] == "legal form"
        assert pair_of(found, first, second).score >= 0.95


def test_initials_and_full_first_name_with_the_same_surname():
    """ "J. Orbelt" and "J.A. Orbelt" ~ "Jonas Orbelt"; other initials or surnames are not."""
    people = [
        Named(1, "J. Orbelt"),
        Named(2, "Jonas Orbelt"),
        Named(3, "J.A. Orbelt"),
        Named(4, "K. Orbelt"),
        Named(5, "Jonas Tamm"),
    ]
    found = find_pairs("person", people)
    assert pair_of(found, 1, 2).reasons == ["initials"]
    assert pair_of(found, 2, 3).reasons == ["initials"]
    assert pair_of(found, 2, 3).score == pytest.approx(0.88)
    assert pair_of(found, 2, 4) is None
    assert pair_of(found, 2, 5) is None


def test_initials_that_fit_several_people_score_lower():
    """ "J. Orbelt" may be Jonas or Jakob: both pairs suggested, below a unique fit."""
    found = find_pairs(
        "person", [Named(1, "J. Orbelt"), Named(2, "Jonas Orbelt"), Named(3, "Jakob Orbelt")]
    )
    assert pair_of(found, 1, 2).score == pair_of(found, 1, 3).score < 0.88
    assert pair_of(found, 2, 3) is None


def test_similar_spelling_by_rapidfuzz_but_not_other_numbers():
    """A typo is similar; "Vitapol-2020" and "Vitapol-2030" are two programs."""
    found = find_pairs(
        "organisation",
        [Named(1, "Kelvistar Pharmaceuticals"), Named(2, "Kelwistar Pharmaceuticals")],
    )
    assert pair_of(found, 1, 2).reasons == ["similar"]
    assert 0.5 <= pair_of(found, 1, 2).score < 0.9
    programs = find_pairs("program", [Named(1, "Vitapol-2020"), Named(2, "Vitapol-2030")])
    assert programs == {}


def test_aliases_are_compared_too():
    """One record's alias that is the other's name makes them the same name."""
    found = find_pairs(
        "organisation",
        [Named(1, "Orlov Vaccine Works", ("Dravik Biologics",)), Named(2, "Dravik Biologics")],
    )
    assert pair_of(found, 1, 2).reasons[0] == "same name"
    assert pair_of(found, 1, 2).score == pytest.approx(0.97)


def test_people_sharing_a_surname_alias_are_not_duplicates():
    """A person's one-word aliases are surnames, which other people share."""
    found = find_pairs(
        "person", [Named(1, "Olga Marenko", ("Marenko",)), Named(2, "Pavel Marenko", ("Marenko",))]
    )
    assert found == {}


def test_blocking_finds_planted_pairs_without_comparing_all_pairs(monkeypatch):
    """5,000 unrelated names and planted duplicates: every planted pair, few comparisons."""
    rng = random.Random(7)
    consonants, vowels = "bcdfghjklmnprstvwxz", "aeiou"

    def word():
        letters = (rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(3, 5)))
        return "".join(letters).capitalize()

    names = list(dict.fromkeys(f"{word()} {word()} Pharm" for _ in range(5000)))
    records = [Named(pk, name) for pk, name in enumerate(names, start=1)]
    planted = {
        "Qorvalen Biotech Labs": "Qorvalen",
        "Northern Oncology Makers Union": "NOMU",
        "Ulvastrin Medica LLC": "Ulvastrin Medica Joint Stock Company",
        "Brastovel Pharmaceuticals": "Brastowel Pharmaceuticals",
    }
    pk = len(records)
    expected = []
    for left, right in planted.items():
        records += [Named(pk + 1, left), Named(pk + 2, right)]
        expected.append((pk + 1, pk + 2))
        pk += 2
    compared = []
    combine = duplicates.combine

    def counting(found):
        compared.append(1)
        return combine(found)

    monkeypatch.setattr(duplicates, "combine", counting)
    found = find_pairs("organisation", records)
    assert all(pair in found for pair in expected)
    assert len(compared) < 20 * len(records)  # all pairs would be 12.5 million


# --- storing candidates -------------------------------------------------------


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user("editor", is_staff=True, is_superuser=True)


def candidate(first, second):
    return DuplicateCandidate.objects.get(
        kind=first._meta.model_name,
        first_id=min(first.pk, second.pk),
        second_id=max(first.pk, second.pk),
    )


@pytest.mark.django_db
def test_refresh_stores_updates_and_deletes_open_pairs():
    """New pairs are stored open; changed names rescore them; gone records lose them."""
    short = OrganisationFactory(name="Velmora")
    long = OrganisationFactory(name="Velmora Biotech Labs")
    OrganisationFactory(name="Tessaro Logistics")
    counts = refresh_candidates()
    assert counts.created == 1
    pair = candidate(short, long)
    assert (pair.status, pair.reasons) == ("open", ["contained"])

    score = pair.score
    short.name = "Velmora Biotech"
    short.save()
    assert refresh_candidates().updated == 1
    pair.refresh_from_db()
    assert pair.score > score  # two of three words shared rather than one

    long.delete()
    assert refresh_candidates().deleted == 1
    assert not DuplicateCandidate.objects.exists()


@pytest.mark.django_db
def test_refresh_of_some_records_only_touches_their_pairs():
    """``records=`` finds the pairs of those records and leaves the others alone."""
    a, b = OrganisationFactory(name="Velmora"), OrganisationFactory(name="Velmora Biotech")
    c, d = PersonFactory(name="J. Orbelt"), PersonFactory(name="Jonas Orbelt")
    refresh_candidates(records=[a])
    assert candidate(a, b)
    assert not DuplicateCandidate.objects.filter(kind="person").exists()
    refresh_candidates(kinds=["person"])
    assert candidate(c, d).reasons == ["initials"]


@pytest.mark.django_db
def test_decided_pairs_are_never_changed_nor_suggested_again(editor):
    """A "not the same" pair keeps its answer, score and reasons through every refresh."""
    a = OrganisationFactory(name="NPMA")
    b = OrganisationFactory(name="Northern Pharma Makers Alliance")
    refresh_candidates()
    pair = candidate(a, b)
    review.not_the_same(pair, user=editor)
    b.name = "Northern Pharma Makers Association"
    b.save()
    counts = refresh_candidates()
    assert (counts.created, counts.updated, counts.deleted, counts.open) == (0, 0, 0, 0)
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by, pair.reasons) == ("distinct", editor, ["acronym"])
    assert DuplicateCandidate.objects.count() == 1


@pytest.mark.django_db
def test_not_the_same_and_undo(editor):
    """Undoing "not the same" reopens the pair; a decided pair cannot be decided again."""
    a, b = PersonFactory(name="J. Orbelt"), PersonFactory(name="Jonas Orbelt")
    refresh_candidates()
    pair = candidate(a, b)
    review.not_the_same(pair, user=editor)
    with pytest.raises(review.DecisionError):
        review.not_the_same(pair, user=editor)
    decision = ReviewDecision.objects.get()
    assert decision.action == "distinct"
    review.undo(decision, user=editor)
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by, pair.decided_at) == ("open", None, None)
    assert refresh_candidates().open == 1


@pytest.mark.django_db
def test_merge_candidate_moves_everything_and_undo_splits_it_back(editor):
    """Merge keeps one record with all mentions, positions, metrics and aliases; undo splits."""
    keep = OrganisationFactory(name="Velmora Biotech Labs", aliases=["VBL"])
    other = OrganisationFactory(name="Velmora", aliases=["Velmora Group Orlov"])
    shared = ArticleFactory(body="Velmora Biotech Labs and Velmora opened a line.")
    own = ArticleFactory()
    kept_mention = OrganisationMentionFactory(article=shared, organisation=keep, spans=[[0, 20]])
    OrganisationMentionFactory(article=shared, organisation=other, spans=[[25, 32]])
    moved_mention = OrganisationMentionFactory(article=own, organisation=other)
    position = PositionFactory(organisation=other, title="Chief Chemist")
    metric = MetricFactory(organisation=other)
    refresh_candidates()
    pair = candidate(keep, other)

    decision = review.merge_candidate(pair, keep_id=keep.pk, user=editor)

    assert not Organisation.objects.filter(pk=other.pk).exists()
    keep.refresh_from_db()
    assert {normalise_name(a) for a in keep.aliases} >= {
        normalise_name(n) for n in ("VBL", "Velmora", "Velmora Group Orlov")
    }
    kept_mention.refresh_from_db()
    assert kept_mention.spans == [[0, 20], [25, 32]]
    assert OrganisationMention.objects.get(pk=moved_mention.pk).organisation_id == keep.pk
    assert Position.objects.get(pk=position.pk).organisation_id == keep.pk
    assert Metric.objects.get(pk=metric.pk).organisation_id == keep.pk
    pair.refresh_from_db()
    assert pair.status == "merged"
    refresh_candidates()
    assert not DuplicateCandidate.objects.filter(status="open").exists()

    review.undo(decision, user=editor)

    restored = Organisation.objects.get(pk=other.pk)
    assert (restored.name, restored.aliases) == ("Velmora", ["Velmora Group Orlov"])
    keep.refresh_from_db()
    assert keep.aliases == ["VBL"]
    kept_mention.refresh_from_db()
    assert kept_mention.spans == [[0, 20]]
    assert OrganisationMention.objects.filter(organisation=restored).count() == 2
    assert OrganisationMention.objects.get(pk=moved_mention.pk).organisation_id == other.pk
    assert Position.objects.get(pk=position.pk).organisation_id == other.pk
    assert Metric.objects.get(pk=metric.pk).organisation_id == other.pk
    pair.refresh_from_db()
    assert pair.status == "open"


@pytest.mark.django_db
def test_merging_people_moves_positions_and_mentions_and_undo_returns_them(editor):
    """A person's positions and mentions follow the merge and come back on undo."""
    full, short = PersonFactory(name="Jonas Orbelt"), PersonFactory(name="J.A. Orbelt")
    position = PositionFactory(person=short, title="Head of Research")
    mention = PersonMentionFactory(person=short)
    refresh_candidates()
    decision = review.merge_candidate(candidate(full, short), keep_id=full.pk, user=editor)
    assert Position.objects.get(pk=position.pk).person_id == full.pk
    assert PersonMention.objects.get(pk=mention.pk).person_id == full.pk
    review.undo(decision, user=editor)
    assert Position.objects.get(pk=position.pk).person_id == short.pk
    assert PersonMention.objects.get(pk=mention.pk).person_id == short.pk
    assert Person.objects.get(pk=short.pk).name == "J.A. Orbelt"


@pytest.mark.django_db
def test_merge_refuses_a_record_outside_the_pair_and_a_decided_pair(editor):
    """Only one of the pair's two records can be kept, and only while the pair is open."""
    a, b = OrganisationFactory(name="Velmora"), OrganisationFactory(name="Velmora Biotech")
    refresh_candidates()
    with pytest.raises(review.DecisionError):
        review.merge_candidate(candidate(a, b), keep_id=OrganisationFactory().pk, user=editor)
    review.not_the_same(candidate(a, b), user=editor)
    with pytest.raises(review.DecisionError):
        review.merge_candidate(candidate(a, b), keep_id=a.pk, user=editor)
    assert Organisation.objects.filter(pk__in=[a.pk, b.pk]).count() == 2


# --- the import ----------------------------------------------------------------

ARTICLES = {
    # An article that names the association by its acronym only.
    "a1.txt": (
        "Velmora Biotech Opens a Line\n\n"
        "NPMA signed an agreement with Velmora Biotech LLC on 3 March 2022. "
        "I.K. Varlamov, director of Velmora Biotech, said that the company invested "
        "RUB 2 billion in the new line.\n"
    ),
    # Its full name with the acronym beside it.
    "a2.txt": (
        "Pharma Makers Meet in Orlov\n\n"
        "The Northern Pharma Makers Association (NPMA) held its annual meeting in Orlov "
        "on 5 April 2022. Velmora Biotech Laboratories JSC opened a new line for vaccines.\n"
    ),
    "a3.txt": (
        "Velmora Hires Engineers\n\n"
        "Igor Varlamov, director of Velmora Biotech LLC, said on 7 May 2022 that the plant "
        "will employ 300 people. Kelvistar Pharmaceuticals opened a warehouse in Orlov.\n"
    ),
    "a4.txt": (
        "Warehouse Grows\n\n"
        "Kelwistar Pharmaceuticals expanded its warehouse in Orlov on 9 June 2022, "
        "the company said.\n"
    ),
}


def write_articles(directory: Path, names) -> Path:
    directory.mkdir(exist_ok=True)
    for name in names:
        (directory / name).write_text(ARTICLES[name], encoding="utf-8")
    return directory


def import_quietly(*args):
    call_command("import_seeds", *map(str, args), "--workers", "0", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_an_import_refreshes_the_candidates(tmp_path):
    """After a run that changed records the queue holds their pairs."""
    import_quietly(write_articles(tmp_path / "articles", ARTICLES))
    people = {p.name: p for p in Person.objects.all()}
    assert candidate(people["I.K. Varlamov"], people["Igor Varlamov"]).reasons == ["initials"]


@pytest.mark.django_db(transaction=True)
def test_a_later_import_pairs_its_new_records_with_old_ones_comparing_only_those(
    tmp_path, monkeypatch
):
    """A run refreshes the pairs of the records it created or changed, not of every record."""
    old = OrganisationFactory(name="Tarsk Medical Research Institute")
    untouched = [OrganisationFactory(name=f"Ovra Holding {n}") for n in range(3)]
    (tmp_path / "later.txt").write_text(
        "Training Starts in Tarsk\n\nPublished 4 May 2023\n\n"
        "The Tarsk Medical Institute will train the staff of the new plant.\n",
        encoding="utf-8",
    )
    focuses = []
    find_pairs_of = duplicates.find_pairs

    def spying(kind, records, *, focus=None):
        focuses.append((kind, focus))
        return find_pairs_of(kind, records, focus=focus)

    monkeypatch.setattr(duplicates, "find_pairs", spying)

    import_quietly(tmp_path)

    new = Organisation.objects.get(name="Tarsk Medical Institute")
    assert "words in order" in candidate(old, new).reasons
    compared = {pk for kind, focus in focuses if kind == "organisation" for pk in focus}
    assert new.pk in compared
    assert not compared & {old.pk, *(record.pk for record in untouched)}


@pytest.mark.django_db(transaction=True)
def test_not_the_same_survives_a_forced_reimport(tmp_path, editor):
    """Two records marked not the same stay two, with their own mentions, after --force.

    The second article names the association in full with its acronym beside
    it: without the editor's answer, the import would fold the acronym (the
    other record's name) into the full name's record.
    """
    directory = write_articles(tmp_path / "articles", ["a1.txt"])
    import_quietly(directory)
    acronym = Organisation.objects.get(name="NPMA")
    full = OrganisationFactory(name="Northern Pharma Makers Association")
    refresh_candidates()
    pair = candidate(acronym, full)
    assert "acronym" in pair.reasons
    review.not_the_same(pair, user=editor)

    write_articles(directory, ["a2.txt"])
    import_quietly(directory, "--force")
    import_quietly(directory, "--force")

    acronym.refresh_from_db()
    full.refresh_from_db()
    assert normalise_name("NPMA") not in {normalise_name(a) for a in full.aliases}
    assert normalise_name(full.name) not in {normalise_name(a) for a in acronym.aliases}
    assert set(acronym.mentions.values_list("article__source_file", flat=True)) == {"a1.txt"}
    assert set(full.mentions.values_list("article__source_file", flat=True)) == {"a2.txt"}
    pair.refresh_from_db()
    assert pair.status == "distinct"
    assert (
        DuplicateCandidate.objects.filter(status="open", kind="organisation")
        .filter(first_id=pair.first_id, second_id=pair.second_id)
        .count()
        == 0
    )


@pytest.mark.django_db
def test_find_duplicates_command_prints_counts():
    """``manage.py find_duplicates`` refreshes and says how many pairs it found."""
    OrganisationFactory(name="Velmora")
    OrganisationFactory(name="Velmora Biotech")
    out = io.StringIO()
    call_command("find_duplicates", stdout=out)
    assert "organisation: 1 candidate pair(s)" in out.getvalue()
    assert "1 new" in out.getvalue()


# --- acceptance: pairs of one real body rank first ------------------------------


def groups_from_gold(gold: dict) -> dict[str, list[set[str]]]:
    """Per kind, the name groups of the gold file as sets of normalised names."""
    groups = {}
    for kind, section in (
        ("organisation", "organisations"),
        ("person", "people"),
        ("program", "programs"),
    ):
        section = gold[section]
        if isinstance(section, dict):
            entries = [*section.get("core", []), *section.get("optional", [])]
        else:
            entries = section
        kind_groups = []
        for entry in entries:
            names = entry["names"] if isinstance(entry, dict) else entry
            kind_groups.append({normalise_name(name) for name in names})
        groups[kind] = kind_groups
    return groups


def assert_true_pairs_rank_first(groups: dict[str, list[set[str]]]) -> int:
    """Every pair of records of one group is a candidate, above all other candidates."""
    true_pairs = set()
    for kind, model in NAMED_MODELS.items():
        records = list(model.objects.all())
        for group in groups.get(kind, []):
            matching = [
                r.pk for r in records if {normalise_name(n) for n in (r.name, *r.aliases)} & group
            ]
            true_pairs |= {(kind, a, b) for a, b in combinations(sorted(matching), 2)}
    candidates = {
        (c.kind, c.first_id, c.second_id): c.score for c in DuplicateCandidate.objects.all()
    }
    missing = true_pairs - candidates.keys()
    assert not missing, f"pairs of one body not suggested: {missing}"
    others = [score for key, score in candidates.items() if key not in true_pairs]
    if true_pairs and others:
        assert min(candidates[key] for key in true_pairs) > max(others)
    return len(true_pairs)


@pytest.mark.django_db(transaction=True)
def test_seeds_pairs_of_one_body_are_suggested_first():
    """On seeds/, every pair of records of one gold group is a candidate ranked first."""
    call_command("import_seeds", "--workers", "0", stdout=io.StringIO())
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    # Today's extraction resolves each gold group to one record, so there may be no
    # pair; the helper fails on any pair of one body left out or ranked below another.
    assert_true_pairs_rank_first(groups_from_gold(gold))


@pytest.mark.django_db(transaction=True)
def test_invented_corpus_pairs_of_one_body_are_suggested_first(tmp_path):
    """Articles that make duplicate records: every true pair is a candidate, ranked first."""
    import_quietly(write_articles(tmp_path / "articles", ARTICLES))
    groups = {
        "organisation": [
            {normalise_name("Velmora Biotech LLC"), normalise_name("Velmora Biotech Laboratories")},
            {
                normalise_name("Kelvistar Pharmaceuticals"),
                normalise_name("Kelwistar Pharmaceuticals"),
            },
        ],
        "person": [{normalise_name("I.K. Varlamov"), normalise_name("Igor Varlamov")}],
    }
    assert assert_true_pairs_rank_first(groups) == 3
