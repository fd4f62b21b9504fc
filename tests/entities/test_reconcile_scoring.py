"""Reconciliation without a database: match keys, scores, the match rule and batch parsing."""

import pytest

from entities.reconciliation.queries import (
    DEFAULT_LIMIT,
    MAX_BATCH,
    MAX_LIMIT,
    BatchError,
    entity_id,
    parse_batch,
    parse_entity_id,
    parse_extension,
)
from entities.reconciliation.scoring import (
    MATCH_MARGIN,
    MATCH_SCORE,
    Scored,
    combined_score,
    decide_match,
    match_key,
    name_score,
    prefix_score,
    typed_score,
)


@pytest.mark.parametrize(
    ("written", "transliterated"),
    [
        ("Вертекс", "Vertex"),
        ("ООО Вертекс", "Vertex LLC"),
        ("Хемофарм", "Hemofarm"),
        ("Астразенека", "AstraZeneca"),
        ("Ниармедик", "Niarmedic"),
        ("Ново Нордиск", "Novo Nordisk"),
        ("Евгений Петров", "Yevgeny Petrov"),
    ],
)
def test_cyrillic_and_latin_spellings_share_a_match_key(written, transliterated):
    """A name written in Cyrillic and its usual Latin spelling compare as one key."""
    assert match_key(written) == match_key(transliterated)


def test_legal_forms_case_and_word_order_do_not_change_the_key():
    """With or without "LLC"/"PJSC", in any case and order, "Vertex Pharmaceuticals" is one key."""
    keys = {
        match_key("Vertex Pharmaceuticals LLC"),
        match_key("PJSC vertex pharmaceuticals"),
        match_key("Vertex Pharmaceuticals"),
    }
    assert len(keys) == 1


def test_a_typo_scores_high_and_another_name_low():
    """One letter off in a long name stays above the match bar; another company falls far below."""
    name = match_key("Kerva Pharmaceuticals")
    assert name_score(match_key("Kerva Pharmaceuticls"), name, []) >= MATCH_SCORE
    assert name_score(match_key("Orvinor Chemicals"), name, []) < 50


def test_part_of_a_name_is_a_candidate_but_never_a_sure_match():
    """A part ("Vertex" of "Vertex Pharmaceuticals") scores well, below the match bar."""
    score = name_score(match_key("Vertex"), match_key("Vertex Pharmaceuticals"), [])
    assert 70 <= score < MATCH_SCORE


def test_an_alias_counts_slightly_less_than_the_name():
    """An exact alias scores 95: aliases are short forms several records may share."""
    assert name_score(match_key("UPM"), match_key("Union of Pharma Makers"), ["UPM"]) == 95.0


def test_prefix_score_is_for_names_as_typed():
    """What was typed starts the name (100) or an alias (95), starts each of its words (90,
    alias 85.5), or neither (0)."""
    assert prefix_score("vert", "Vertex Pharmaceuticals", []) == 100.0
    assert prefix_score("ВЕРТ", "Vertex", ["Вертекс"]) == 100.0
    assert prefix_score("upm", "Union of Pharma Makers", ["UPM"]) == 95.0
    assert prefix_score("pharma kaluga", "Kaluga Pharmaceutical Cluster", []) == 90.0
    assert prefix_score("cluster kaluga farma", "Kaluga Pharmaceutical Cluster", []) == 90.0
    assert prefix_score("regional gov", "Kaluga", ["Kaluga Regional Government"]) == 85.5
    assert prefix_score("kaluga pharma", "Kaluga SEZ", []) == 0.0
    assert prefix_score("pharma", "Vertex", []) == 0.0


def test_typed_score_forgives_typos_in_words_still_being_typed():
    """Each typed word against the start of the name's closest word: typos cost a little,
    another name a lot."""
    assert typed_score("Vertx Pharma", "Vertex Pharmaceuticals", []) > 90
    assert typed_score("hemofrm", "Hemofarm", []) > 80
    assert typed_score("trainin", "Menarini", []) < 50
    assert typed_score("", "Menarini", []) == 0.0


def test_a_kind_that_differs_costs_a_quarter_of_the_score():
    """Name 100 and a wrong kind make 75 (never a match); the right kind keeps 100."""
    assert combined_score(100.0, [0.0]) == 75.0
    assert combined_score(100.0, [100.0]) == 100.0
    assert combined_score(90.0, []) == 90.0


def _ranked(*scores):
    return [Scored(item=index, score=score, features={}) for index, score in enumerate(scores)]


@pytest.mark.parametrize(
    ("scores", "matched"),
    [
        ((100.0,), True),
        ((MATCH_SCORE,), True),
        ((MATCH_SCORE - 0.1,), False),
        ((98.0, 98.0 - MATCH_MARGIN), True),
        ((98.0, 98.0 - MATCH_MARGIN + 0.1), False),
        ((100.0, 100.0), False),
    ],
)
def test_only_a_clear_winner_is_a_match(scores, matched):
    """Match: the best scores at least 90 and is at least 10 ahead of the runner-up."""
    ranked = _ranked(*scores)
    decide_match(ranked)
    assert ranked[0].match is matched
    assert not any(scored.match for scored in ranked[1:])


def test_entity_ids_round_trip_and_reject_anything_else():
    """The id "organisation-12" names organisation 12; other texts name nothing."""
    assert entity_id("organisation", 12) == "organisation-12"
    assert parse_entity_id("organisation-12") == ("organisation", 12)
    assert parse_entity_id(" person-7 ") == ("person", 7)
    for text in ("organisation-0", "organisation-", "company-3", "organisation-١٢", "Vertex"):
        assert parse_entity_id(text) is None


def test_the_specifications_full_query_example_parses():
    """The 0.2 specification's full batch (with our types and properties) parses field by field."""
    queries = parse_batch(
        {
            "q0": {
                "query": "Christel Hanewinckel",
                "type": "person",
                "limit": 5,
                "properties": [{"pid": "aliases", "v": "Hanewinckel"}],
                "type_strict": "should",
            },
            "q1": {
                "query": "Franz Thönnes",
                "type": ["person", "organisation"],
                "limit": 2.7,
                "properties": [
                    {"pid": "kind", "v": ["company", {"id": "government", "name": "Government"}]}
                ],
            },
        }
    )
    first, second = queries
    assert (first.key, first.text, first.types, first.limit) == (
        "q0",
        "Christel Hanewinckel",
        ("person",),
        5,
    )
    assert first.properties[0].values == ("Hanewinckel",)
    assert second.types == ("person", "organisation")
    assert second.limit == 2
    assert second.properties[0].values == ("company", "government")


def test_defaults_and_caps():
    """No type: all three; no limit: the default; a huge limit: capped."""
    (query,) = parse_batch({"q0": {"query": "Vertex", "limit": 10_000}})
    assert query.types == ("organisation", "person", "program")
    assert query.limit == MAX_LIMIT
    (query,) = parse_batch({"q0": {"query": "Vertex"}})
    assert query.limit == DEFAULT_LIMIT


def test_a_query_of_properties_only_matches_by_its_alias():
    """The specification allows a query without "query": an alias value stands in for the name."""
    (query,) = parse_batch({"q1": {"properties": [{"pid": "aliases", "v": "UPM"}]}})
    assert query.text == "" and query.name == "UPM"


@pytest.mark.parametrize(
    ("batch", "key", "message"),
    [
        ([], "queries", "JSON object"),
        ({"q0": "Vertex"}, "q0", "JSON object"),
        ({"q0": {}}, "q0", "non-empty"),
        ({"q0": {"query": "   "}}, "q0", "non-empty"),
        ({"q0": {"query": 5}}, "q0", "string"),
        ({"q0": {"query": "x", "type": "Company"}}, "q0", "Unknown type 'Company'"),
        ({"q0": {"query": "x", "limit": 0}}, "q0", "positive"),
        ({"q0": {"query": "x", "limit": True}}, "q0", "positive"),
        ({"q0": {"query": "x", "properties": [{"pid": "ceo", "v": "x"}]}}, "q0", "Unknown"),
        ({"q0": {"query": "x", "properties": [{"v": "x"}]}}, "q0", "pid"),
        ({"q0": {"query": "x", "properties": [{"pid": "kind", "v": [[1]]}]}}, "q0", "value"),
    ],
)
def test_malformed_batches_say_which_query_is_wrong(batch, key, message):
    """Each mistake is reported against the query that makes it."""
    with pytest.raises(BatchError) as raised:
        parse_batch(batch)
    assert message in " ".join(raised.value.errors[key])


def test_a_batch_larger_than_the_manifest_says_is_refused():
    """batchSize is a promise: one query more is an error."""
    with pytest.raises(BatchError):
        parse_batch({f"q{n}": {"query": "x"} for n in range(MAX_BATCH + 1)})


def test_extension_queries_parse_and_unknown_properties_are_refused():
    """{"ids", "properties"} gives the ids and the property ids, each once."""
    ids, pids = parse_extension(
        {"ids": ["organisation-1", "x"], "properties": [{"id": "kind"}, {"id": "kind"}]}
    )
    assert ids == ["organisation-1", "x"] and pids == ["kind"]
    with pytest.raises(BatchError):
        parse_extension({"ids": [], "properties": [{"id": "employees"}]})
    with pytest.raises(BatchError):
        parse_extension({"properties": []})
