"""The import writes files in batches: one transaction per batch, a savepoint per file.

A file that fails in the database, with a real SQL error (which on
PostgreSQL aborts the transaction until its savepoint rolls back), fails
alone; the files before and after it in its batch, and in later batches,
commit. A stop in the middle of a batch keeps the files written before it.
Runs on SQLite and PostgreSQL, as CI does.
"""

import pytest
from django.db import IntegrityError

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


def test_a_python_error_in_a_batch_fails_that_file_alone(articles_dir, monkeypatch):
    """An error raised in Python (no SQL error) rolls its file's savepoint back too."""
    fail_in_the_database(monkeypatch, FAILING, error=IntegrityError("simulated"))

    summary = articles_import(paths=sorted(articles_dir.iterdir()), workers=0)

    assert [r.status for r in summary.results].count(ImportStatus.FAILED) == 1
    assert not Article.objects.filter(source_file=FAILING).exists()
    assert Article.objects.count() == len(GOOD) - 1
