"""The import writes files in batches: one transaction per batch, a savepoint per file.

A file that fails in the database, with a real SQL error (which on
PostgreSQL aborts the transaction until its savepoint rolls back), fails
alone; the files before and after it in its batch, and in later batches,
commit. A stop in the middle of a batch keeps the files written before it.
Runs on SQLite and PostgreSQL, as CI does.
"""

import pytest
from django.db import OperationalError, connection

import articles.services
from articles.models import Article
from articles.services import ImportStatus, articles_import
from entities.models import Organisation
from tests.articles.conftest import GOOD

pytestmark = pytest.mark.django_db(transaction=True)

FAILING = "no_headline.txt"  # the third of the four files in name order


def fail_in_the_database(monkeypatch, source_file: str, error: type[BaseException] | None = None):
    """Make storing ``source_file`` fail after its records are written.

    By default with a real SQL error: a second article with the same slug
    breaks the table's unique constraint. With ``error``, by raising it.
    """
    real_persist = articles.services.extraction_persist

    def persist_then_fail(*, article, **options):
        counts = real_persist(article=article, **options)
        if article.source_file == source_file:
            if error is not None:
                raise error
            Article.objects.create(
                title="Clash",
                slug=article.slug,
                source_file="clash.txt",
                body="Clash.",
                content_hash="0" * 64,
            )
        return counts

    monkeypatch.setattr(articles.services, "extraction_persist", persist_then_fail)


@pytest.mark.parametrize("batch_size", [50, 2, 1])
def test_a_file_failing_in_the_database_fails_alone_in_its_batch(
    articles_dir, monkeypatch, batch_size
):
    """One batch for all files, batches of two, or a file per batch: the failing file leaves
    nothing behind, every other file commits."""
    monkeypatch.setattr(articles.services, "IMPORT_BATCH_SIZE", batch_size)
    fail_in_the_database(monkeypatch, FAILING)

    summary = articles_import(paths=sorted(articles_dir.iterdir()), workers=0)

    statuses = {result.path.name: result.status for result in summary.results}
    assert statuses == {
        name: ImportStatus.FAILED if name == FAILING else ImportStatus.CREATED for name in GOOD
    }
    [failed] = [r for r in summary.results if r.status is ImportStatus.FAILED]
    assert failed.error.startswith("database error: ")
    assert set(Article.objects.values_list("source_file", flat=True)) == set(GOOD) - {FAILING}
    # Its organisations were rolled back with it; the next run imports it whole.
    monkeypatch.undo()
    organisations_before = Organisation.objects.count()
    again = articles_import(paths=sorted(articles_dir.iterdir()), workers=0)
    assert {r.status for r in again.results} == {ImportStatus.UNCHANGED, ImportStatus.CREATED}
    assert Article.objects.count() == len(GOOD)
    assert Organisation.objects.count() > organisations_before


def test_a_stop_in_the_middle_of_a_batch_keeps_the_files_written_before_it(
    articles_dir, monkeypatch
):
    """Ctrl-C while the third file is written: the first two commit, the third rolls back,
    the run says it was interrupted, and a new run imports the rest."""
    fail_in_the_database(monkeypatch, FAILING, error=KeyboardInterrupt())

    summary = articles_import(paths=sorted(articles_dir.iterdir()), workers=0)

    assert summary.interrupted
    written = ["chrome_first.txt", "cyrillic.txt"]
    assert [(r.path.name, r.status) for r in summary.results] == [
        (name, ImportStatus.CREATED) for name in written
    ]
    assert sorted(Article.objects.values_list("source_file", flat=True)) == written
    monkeypatch.undo()
    rest = articles_import(paths=sorted(articles_dir.iterdir()), workers=0)
    assert not rest.interrupted and Article.objects.count() == len(GOOD)


@pytest.mark.parametrize("workers", [0, 1])
def test_a_stop_while_a_batch_is_prepared_writes_nothing_of_it(articles_dir, monkeypatch, workers):
    """Asked to stop while the batch's files are being extracted (by the workers or this
    process): the run ends there, writes none of them, and a new run imports them."""
    monkeypatch.setattr(articles.services, "PARALLEL_MIN_FILES", 2)
    asked = []

    def stop_after_the_first_question():
        asked.append(True)
        return len(asked) > 1

    summary = articles_import(
        paths=sorted(articles_dir.iterdir()),
        workers=workers,
        should_stop=stop_after_the_first_question,
    )

    assert summary.interrupted
    assert summary.results == []
    assert not Article.objects.exists()
    rest = articles_import(paths=sorted(articles_dir.iterdir()), workers=workers)
    assert not rest.interrupted and Article.objects.count() == len(GOOD)


def test_a_python_error_in_a_batch_fails_that_file_alone(articles_dir, monkeypatch):
    """An error raised in Python (a bug, no SQL error) rolls its file's savepoint back too."""
    fail_in_the_database(monkeypatch, FAILING, error=RuntimeError("simulated"))

    summary = articles_import(paths=sorted(articles_dir.iterdir()), workers=0)

    [failed] = [r for r in summary.results if r.status is ImportStatus.FAILED]
    assert failed.path.name == FAILING and failed.error.startswith("internal error: ")
    assert not Article.objects.filter(source_file=FAILING).exists()
    assert Article.objects.count() == len(GOOD) - 1


def test_a_database_error_at_a_batchs_commit_fails_its_files_and_the_run_goes_on(
    articles_dir, monkeypatch
):
    """The batch's last writes fail (as a deadlock would): its files are reported failed,
    nothing of them is left, the next batch imports, and a new run imports the rest."""
    monkeypatch.setattr(articles.services, "IMPORT_BATCH_SIZE", 2)
    real_touch = articles.services.changes.touch
    calls = []

    def touch_failing_once(found, **options):
        calls.append(found)
        if len(calls) == 1:
            raise OperationalError("simulated deadlock")
        return real_touch(found, **options)

    monkeypatch.setattr(articles.services.changes, "touch", touch_failing_once)

    summary = articles_import(paths=sorted(articles_dir.iterdir()), workers=0)

    first, second = sorted(GOOD)[:2], sorted(GOOD)[2:]
    statuses = {result.path.name: result.status for result in summary.results}
    assert statuses == {
        **dict.fromkeys(first, ImportStatus.FAILED),
        **dict.fromkeys(second, ImportStatus.CREATED),
    }
    assert all(
        "database error when its batch was committed" in r.error
        for r in summary.results
        if r.status is ImportStatus.FAILED
    )
    assert sorted(Article.objects.values_list("source_file", flat=True)) == second
    monkeypatch.undo()
    again = articles_import(paths=sorted(articles_dir.iterdir()), workers=0)
    assert {r.path.name for r in again.results if r.status is ImportStatus.CREATED} == set(first)


def write_article(directory, name: str, headline: str, sentence: str):
    """An article file of one headline and one paragraph."""
    path = directory / name
    path.write_text(f"{headline}\n\nPublished 4 May 2021\n\n{sentence}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("fails", [False, True], ids=["written", "failed"])
def test_records_a_batch_changes_for_api_mirrors_move_once_it_is_written(
    tmp_path, monkeypatch, fails
):
    """A new article mentioning a known organisation changes that organisation's article count:
    the batch moves its ``updated_at`` (the changes feed sends it again), unless the file failed
    and nothing it wrote is left."""
    sentence = "Quorvane Biologics LLC opened a laboratory for cell therapy in the valley."
    first = write_article(tmp_path, "a.txt", "Quorvane Biologics opens a lab", sentence)
    articles_import(paths=[first], workers=0)
    quorvane = Organisation.objects.get(name__startswith="Quorvane")
    stamped = quorvane.updated_at
    second = write_article(
        tmp_path, "b.txt", "A second laboratory", sentence.replace("laboratory", "second lab")
    )
    if fails:
        fail_in_the_database(monkeypatch, "b.txt")

    summary = articles_import(paths=[second], workers=0)

    quorvane.refresh_from_db()
    assert summary.results[0].status is (ImportStatus.FAILED if fails else ImportStatus.CREATED)
    assert quorvane.articles.count() == (1 if fails else 2)
    assert (quorvane.updated_at > stamped) is not fails


def test_files_are_extracted_before_their_batch_opens_its_transaction(articles_dir, monkeypatch):
    """Extraction takes seconds a batch: never inside the transaction, where it would hold
    SQLite's write lock (and the articles' locks) while editors wait."""
    real_prepare = articles.services.prepare_article
    in_transaction = []

    def prepare_and_look(data):
        in_transaction.append(connection.in_atomic_block)
        return real_prepare(data)

    monkeypatch.setattr(articles.services, "prepare_article", prepare_and_look)

    summary = articles_import(paths=sorted(articles_dir.iterdir()), workers=0)

    assert {r.status for r in summary.results} == {ImportStatus.CREATED}
    assert in_transaction == [False] * len(GOOD)


def test_with_workers_a_batch_opens_once_its_files_are_extracted(articles_dir, monkeypatch):
    """The workers extract in other processes: the batch waits for them before its
    transaction opens, never inside it."""
    monkeypatch.setattr(articles.services, "PARALLEL_MIN_FILES", 2)
    real_import_file = articles.services._import_file
    seen = []

    def import_and_look(file, *args, **kwargs):
        seen.append((connection.in_atomic_block, file.prepared.done()))
        return real_import_file(file, *args, **kwargs)

    monkeypatch.setattr(articles.services, "_import_file", import_and_look)

    summary = articles_import(paths=sorted(articles_dir.iterdir()), workers=1)

    assert {r.status for r in summary.results} == {ImportStatus.CREATED}
    # Each file is written inside the batch's transaction, its extraction already done.
    assert seen == [(True, True)] * len(GOOD)
