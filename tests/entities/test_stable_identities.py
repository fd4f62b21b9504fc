"""Re-extracting an article keeps the ids of the facts it still states (articles.persistence).

Editors bookmark metrics and external tools store ids: a forced re-import, or a
re-import after a small edit of the text, must update those records in place,
remove only what the text no longer states and create only what is new.
"""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from articles.models import Article, OrganisationMention, PersonMention, ProgramMention
from articles.persistence import extraction_persist
from articles.services import ImportStatus, article_import_file
from entities.extraction.types import Extraction, MetricCandidate
from entities.models import Metric, Position, ReviewStatus
from entities.services import editor_delete

pytestmark = pytest.mark.django_db

KINDS = ("metrics", "mentions", "positions")

# An invented article: four organisations, two people with their positions, a
# program and six metrics.
TEXT = """\
Eastwater Pharma Expands Its Sterile Plant in Borovsk

Published 12 April 2019
Regional Industry Courier

Eastwater Pharma LLC will invest RUB 2.4 billion in a new sterile production line at its \
Borovsk plant in 2019, said Irina Volkova, General Director of Eastwater Pharma.

The plant employs 340 people and produced 12 million packages of medicines in 2018.

Under the federal program "Development of the Pharmaceutical Industry", the Regional \
Development Fund will provide a loan of RUB 300 million to Eastwater Pharma.

Pavel Sorokin, Minister of Economic Development of the Kaluga Region, said exports of the \
cluster grew by 15% in 2018.

The new line will create 120 jobs by 2021.
"""
FIRST_SENTENCE = "Eastwater Pharma LLC will invest"
SOROKIN = (
    "Pavel Sorokin, Minister of Economic Development of the Kaluga Region, said exports of the "
    "cluster grew by 15% in 2018.\n\n"
)


def _import(path, text=None):
    if text is not None:
        path.write_text(text)
    result = article_import_file(path=path, force=True)
    assert not result.error
    return result


def _ids(article) -> dict[str, dict]:
    """What each of the article's facts is, by the id it has."""
    return {
        "metrics": dict(article.metrics.values_list("raw_text", "pk")),
        "mentions": {
            name: pk
            for model, link in (
                (OrganisationMention, "organisation"),
                (PersonMention, "person"),
                (ProgramMention, "program"),
            )
            for name, pk in model.objects.filter(article=article).values_list(f"{link}__name", "pk")
        },
        "positions": {
            (person, title): pk
            for person, title, pk in article.positions.values_list("person__name", "title", "pk")
        },
    }


def _counts(result, kind: str) -> tuple[int, int, int]:
    counts = result.counts
    return counts.created[kind], counts.updated[kind], counts.removed[kind]


@pytest.fixture
def imported(tmp_path):
    """The article imported once: (its file, its article, the ids of its facts)."""
    path = tmp_path / "eastwater.txt"
    result = _import(path, TEXT)
    assert result.status is ImportStatus.CREATED
    ids = _ids(result.article)
    # The extraction this test relies on: every kind of fact is there.
    assert set(ids["metrics"]) == {
        "RUB 2.4 billion",
        "340 people",
        "12 million packages",
        "RUB 300 million",
        "15%",
        "120 jobs",
    }
    assert {"Eastwater Pharma LLC", "Irina Volkova", "Pavel Sorokin"} <= set(ids["mentions"])
    assert "Development of the Pharmaceutical Industry" in ids["mentions"]
    assert ("Irina Volkova", "General Director") in ids["positions"]
    assert any(person == "Pavel Sorokin" for person, _ in ids["positions"])
    return path, result.article, ids


def test_forced_re_import_of_an_unchanged_file_keeps_every_id_and_counts_nothing(imported):
    """--force on the same text: the same metric, mention and position ids, no change counted."""
    path, article, ids = imported
    updated_at = dict(article.metrics.values_list("pk", "updated_at"))

    result = _import(path)

    assert result.status is ImportStatus.UPDATED
    assert _ids(article) == ids
    for kind in KINDS:
        assert _counts(result, kind) == (0, 0, 0), kind
    assert dict(article.metrics.values_list("pk", "updated_at")) == updated_at


def test_a_sentence_inserted_at_the_top_keeps_every_id_and_moves_the_offsets(imported):
    """Every offset shifts; the facts keep their ids, their spans follow the text."""
    path, article, ids = imported
    before = {m.pk: (m.start, m.end) for m in article.metrics.all()}
    inserted = "The Borovsk site was founded by local chemists long ago. "

    result = _import(path, TEXT.replace(FIRST_SENTENCE, inserted + FIRST_SENTENCE))

    assert _ids(article) == ids
    shift = len(inserted)
    after = {m.pk: (m.start, m.end) for m in article.metrics.all()}
    assert after == {pk: (start + shift, end + shift) for pk, (start, end) in before.items()}
    body = Article.objects.get(pk=article.pk).body
    assert all(body[m.start : m.end] == m.raw_text for m in article.metrics.all())
    mention = OrganisationMention.objects.get(
        article=article, organisation__name="Eastwater Pharma LLC"
    )
    assert all(body[start:end].startswith("Eastwater") for start, end in mention.spans)
    assert _counts(result, "metrics") == (0, 6, 0)
    assert result.counts.created["mentions"] == result.counts.removed["mentions"] == 0
    assert _counts(result, "positions") == (0, 0, 0)


def test_a_changed_figure_updates_that_metric_in_place(imported):
    """340 people become 360: the same metric (same place, same measure) takes the new value."""
    path, article, ids = imported

    result = _import(path, TEXT.replace("340 people", "360 people"))

    metric = Metric.objects.get(pk=ids["metrics"]["340 people"])
    assert (metric.raw_text, metric.value) == ("360 people", Decimal("360"))
    assert dict(article.metrics.values_list("pk", "raw_text")) == {
        pk: ("360 people" if raw_text == "340 people" else raw_text)
        for raw_text, pk in ids["metrics"].items()
    }
    # The other figure of that sentence keeps its values; its quote follows the text.
    neighbour = Metric.objects.get(pk=ids["metrics"]["12 million packages"])
    assert neighbour.quote.startswith("The plant employs 360 people")
    assert _counts(result, "metrics") == (0, 2, 0)
    assert _ids(article)["mentions"] == ids["mentions"]
    assert _counts(result, "mentions") == (0, 0, 0)


def test_a_removed_sentence_removes_only_its_facts(imported):
    """Dropping the minister's sentence removes its metric, mentions and position; the rest stay."""
    path, article, ids = imported

    result = _import(path, TEXT.replace(SOROKIN, ""))

    now = _ids(article)
    gone_metrics = {"15%"}
    assert now["metrics"] == {k: v for k, v in ids["metrics"].items() if k not in gone_metrics}
    assert "Pavel Sorokin" not in now["mentions"]
    assert {k: v for k, v in ids["mentions"].items() if k in now["mentions"]} == now["mentions"]
    assert now["positions"] == {
        key: pk for key, pk in ids["positions"].items() if key[0] != "Pavel Sorokin"
    }
    removed_mentions = len(ids["mentions"]) - len(now["mentions"])
    assert _counts(result, "metrics") == (0, 1, 1)  # "120 jobs" moved up
    assert result.counts.created["mentions"] == 0
    assert result.counts.removed["mentions"] == removed_mentions >= 1
    assert _counts(result, "positions") == (0, 0, 1)


def test_a_new_sentence_adds_its_metric_and_keeps_the_others(imported):
    """What the text now states besides is created; nothing else changes id."""
    path, article, ids = imported

    result = _import(path, TEXT + "\nThe cluster trained 45 engineers in 2018.\n")

    now = _ids(article)
    assert set(now["metrics"]) - set(ids["metrics"]) == {"45 engineers"}
    assert {k: now["metrics"][k] for k in ids["metrics"]} == ids["metrics"]
    assert now["metrics"]["45 engineers"] > max(ids["metrics"].values())
    assert _counts(result, "metrics") == (1, 0, 0)


def test_curated_rejected_and_deleted_metrics_stay_as_editors_left_them(imported):
    """After an edit shifting every offset: curated untouched, rejected kept, deleted not back."""
    path, article, ids = imported
    curated = Metric.objects.get(pk=ids["metrics"]["RUB 2.4 billion"])
    curated.label = "capital expenditure"
    curated.curated = True
    curated.save()
    curated_row = Metric.objects.filter(pk=curated.pk).values().get()
    rejected = Metric.objects.get(pk=ids["metrics"]["12 million packages"])
    rejected.review_status = ReviewStatus.REJECTED
    rejected.curated = True
    rejected.save()
    editor_delete(instance=Metric.objects.get(pk=ids["metrics"]["15%"]))

    result = _import(path, TEXT.replace(FIRST_SENTENCE, "Big news. " + FIRST_SENTENCE))

    assert Metric.objects.filter(pk=curated.pk).values().get() == curated_row
    assert list(article.metrics.filter(raw_text="12 million packages")) == [rejected]
    assert Metric.objects.get(pk=rejected.pk).review_status == ReviewStatus.REJECTED
    assert not article.metrics.filter(raw_text="15%").exists()
    assert dict(article.metrics.values_list("raw_text", "pk")) == {
        raw_text: pk for raw_text, pk in ids["metrics"].items() if raw_text != "15%"
    }
    assert _counts(result, "metrics") == (0, 3, 0)


def test_rejected_metric_that_is_not_curated_is_neither_updated_nor_recreated(imported):
    """A metric rejected without other edits stays the only, rejected row for its fact."""
    path, article, ids = imported
    Metric.objects.filter(pk=ids["metrics"]["RUB 300 million"]).update(
        review_status=ReviewStatus.REJECTED
    )

    result = _import(path, TEXT.replace(FIRST_SENTENCE, "Big news. " + FIRST_SENTENCE))

    rows = article.metrics.filter(raw_text="RUB 300 million")
    assert list(rows.values_list("pk", "review_status")) == [
        (ids["metrics"]["RUB 300 million"], ReviewStatus.REJECTED)
    ]
    assert result.counts.created["metrics"] == 0


def test_curated_mention_and_position_are_not_rewritten(imported):
    """The import neither updates nor removes what an editor corrected by hand."""
    path, article, ids = imported
    mention = OrganisationMention.objects.get(pk=ids["mentions"]["Eastwater Pharma LLC"])
    OrganisationMention.objects.filter(pk=mention.pk).update(curated=True, spans=[[1, 2]])
    position_pk = ids["positions"][("Irina Volkova", "General Director")]
    Position.objects.filter(pk=position_pk).update(curated=True, quote="Checked by hand")

    _import(path, TEXT.replace(FIRST_SENTENCE, "Big news. " + FIRST_SENTENCE))

    mention.refresh_from_db()
    assert mention.spans == [[1, 2]]
    assert Position.objects.get(pk=position_pk).quote == "Checked by hand"
    assert _ids(article)["mentions"] == ids["mentions"]


def test_seeds_keep_their_metric_ids_through_a_forced_re_import():
    """The reported fault: import_seeds --force gave all the seeds' metrics new ids."""
    call_command("import_seeds", "seeds", stdout=_Null(), stderr=_Null())
    ids = sorted(Metric.objects.values_list("pk", flat=True))
    mentions = sorted(OrganisationMention.objects.values_list("pk", flat=True))
    positions = sorted(Position.objects.values_list("pk", flat=True))
    assert len(ids) >= 20

    call_command("import_seeds", "seeds", force=True, stdout=_Null(), stderr=_Null())

    assert sorted(Metric.objects.values_list("pk", flat=True)) == ids
    assert sorted(OrganisationMention.objects.values_list("pk", flat=True)) == mentions
    assert sorted(Position.objects.values_list("pk", flat=True)) == positions


def test_a_metric_url_still_answers_after_a_forced_re_import(imported):
    """GET /api/metrics/<id>/ answers 200 with the same metric after import_seeds --force."""
    path, _, ids = imported
    pk = ids["metrics"]["RUB 300 million"]
    cache.clear()  # a fresh anonymous request budget
    client = APIClient()
    assert client.get(f"/api/metrics/{pk}/").status_code == 200

    call_command("import_seeds", str(path.parent), force=True, stdout=_Null(), stderr=_Null())

    response = client.get(f"/api/metrics/{pk}/")
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["raw_text"]) == (pk, "RUB 300 million")


class _Null:
    def write(self, text):
        return len(text)

    def flush(self):
        pass


# --- the unique constraints while metrics move ---------------------------------------------


BODY = "x" * 200


def _metric(raw_text: str, start: int, *, label="investment", value="1", unit="RUB", quote=None):
    return MetricCandidate(
        label=label,
        value=Decimal(value),
        unit=unit,
        raw_text=raw_text,
        start=start,
        end=start + len(raw_text),
        quote=quote or f"It stated {raw_text}.",
    )


def _article():
    return Article.objects.create(
        title="Moves", slug="moves", source_file="moves.txt", body=BODY, content_hash="0" * 64
    )


def _persist(article, *metrics):
    return extraction_persist(article=article, extraction=Extraction(metrics=list(metrics)))


def test_two_metrics_swapping_places_keep_their_ids():
    """Facts trading offsets move without breaking (article, start) uniqueness."""
    article = _article()
    _persist(article, _metric("RUB 1 mln", 10, value="1"), _metric("RUB 2 mln", 40, value="2"))
    ids = dict(article.metrics.values_list("raw_text", "pk"))

    counts = _persist(
        article, _metric("RUB 1 mln", 40, value="1"), _metric("RUB 2 mln", 10, value="2")
    )

    assert dict(article.metrics.values_list("raw_text", "pk")) == ids
    assert dict(article.metrics.values_list("raw_text", "start")) == {
        "RUB 1 mln": 40,
        "RUB 2 mln": 10,
    }
    assert (counts.created["metrics"], counts.updated["metrics"]) == (0, 2)


def test_a_shift_by_exactly_the_distance_between_metrics_keeps_their_ids():
    """Each metric moves to where the next one was: no collision, no new id."""
    article = _article()
    values = ("1", "2", "3")
    _persist(article, *(_metric(f"RUB {v} mln", 20 * n, value=v) for n, v in enumerate(values)))
    ids = dict(article.metrics.values_list("raw_text", "pk"))

    _persist(
        article, *(_metric(f"RUB {v} mln", 20 * n + 20, value=v) for n, v in enumerate(values))
    )

    assert dict(article.metrics.values_list("raw_text", "pk")) == ids
    assert sorted(article.metrics.values_list("start", flat=True)) == [20, 40, 60]


def test_a_new_metric_where_a_removed_one_stood_is_created_cleanly():
    """A vanished fact frees its offset for a different fact stated there now."""
    article = _article()
    _persist(article, _metric("RUB 1 mln", 10), _metric("50 jobs", 60, label="jobs", unit="jobs"))
    old = Metric.objects.get(raw_text="50 jobs").pk

    counts = _persist(
        article, _metric("RUB 1 mln", 10), _metric("7%", 60, label="exports", unit="%")
    )

    assert not Metric.objects.filter(pk=old).exists()
    assert Metric.objects.get(start=60).raw_text == "7%"
    assert (counts.created["metrics"], counts.removed["metrics"]) == (1, 1)


def test_same_figure_twice_keeps_each_id_in_text_order():
    """Two equal facts in different sentences pair with their own earlier records."""
    article = _article()
    first, second = "It stated RUB 5 mln first.", "It stated RUB 5 mln again."
    _persist(article, _metric("RUB 5 mln", 10, quote=first), _metric("RUB 5 mln", 50, quote=second))
    ids = dict(article.metrics.values_list("quote", "pk"))

    _persist(article, _metric("RUB 5 mln", 30, quote=first), _metric("RUB 5 mln", 90, quote=second))

    assert dict(article.metrics.values_list("quote", "pk")) == ids


def test_unchanged_re_extraction_takes_no_more_queries_with_many_facts(
    django_assert_max_num_queries,
):
    """Re-persisting 40 unchanged metrics costs what re-persisting 2 does: no query per row."""

    def found(count, shift=0):
        return [_metric(f"RUB {n} mln", 4 * n + shift, value=str(n + 1)) for n in range(count)]

    few, many = (
        _article(),
        Article.objects.create(
            title="Many", slug="many", source_file="many.txt", body=BODY, content_hash="1" * 64
        ),
    )
    _persist(few, *found(2))
    _persist(many, *found(40))
    with CaptureQueriesContext(connection) as baseline:
        _persist(few, *found(2))
    with django_assert_max_num_queries(len(baseline)):
        counts = _persist(many, *found(40))
    assert counts.updated == counts.created == counts.removed == {}
    # Everything moving by exactly the spacing: two bulk updates (park, then move) for 40
    # rows, and one to stamp the article that lists them (entities.services.changes).
    with django_assert_max_num_queries(len(baseline) + 3):
        counts = _persist(many, *found(40, shift=4))
    assert counts.updated["metrics"] == 40
