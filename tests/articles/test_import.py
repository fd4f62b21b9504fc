"""The import_seeds command and the article import services behind it."""

import io
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

import articles.preparation
import articles.services
from articles.models import Article, OrganisationMention
from articles.services import ImportStatus, article_import_file, articles_import
from entities.models import Metric, Organisation, Person, Position, Program
from entities.services import editor_delete
from tests.articles.conftest import DATA, GOOD

pytestmark = pytest.mark.django_db

MODELS = (Article, Organisation, Person, Program, Position, Metric, OrganisationMention)


def run(*args):
    """Run import_seeds; return (stdout, stderr, CommandError or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_seeds", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_import_creates_one_article_per_file(articles_dir):
    """Each file becomes an article with its title, date, source, body and file name."""
    _, err, error = run(articles_dir)
    assert error is None and err == ""
    assert Article.objects.count() == 4
    article = Article.objects.get(source_file="teaser_dateline.txt")
    assert article.title == "Northwind Biologics Opens a Sterile Filling Line in Obninsk"
    assert article.slug == "northwind-biologics-opens-a-sterile-filling-line-in-obninsk"
    assert str(article.published_on) == "2015-03-05"
    assert article.source == "Regional Business Herald"
    assert article.body.startswith("On March 3, 2015 Northwind Biologics LLC started")
    assert article.status == Article.Status.PUBLISHED
    assert len(article.content_hash) == 64
    cyrillic = Article.objects.get(source_file="cyrillic.txt")
    assert cyrillic.slug == "фармацевтический-кластер-открыл-учебный-центр"


def test_summary_reports_files_records_and_time(articles_dir):
    """The summary counts files by outcome and records by kind, and gives time and rate."""
    out, _, _ = run(articles_dir)
    assert "Files: 4 seen, 4 imported (4 new, 0 updated), 0 unchanged, 0 skipped, 0 failed." in out
    created = next(line for line in out.splitlines() if line.startswith("Created: "))
    assert created.startswith("Created: 4 articles, ")
    assert f"{Organisation.objects.count()} organisations" in created
    assert f"{OrganisationMention.objects.count()} " in created
    assert "no_headline.txt: no headline line: title derived from the first sentence" in out
    assert "Removed" not in out
    assert out.rstrip().splitlines()[-1].startswith("Time: ")
    assert "files/s" in out


def test_second_run_creates_nothing_and_reads_only_known_hashes(
    articles_dir, django_assert_max_num_queries
):
    """Re-running over unchanged files writes nothing and needs a single query.

    On PostgreSQL, taking and releasing the import lock (an advisory lock) are
    two more; SQLite's lock is a file lock.
    """
    run(articles_dir)
    before = row_counts()
    lock_queries = 2 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(1 + lock_queries):
        summary = articles_import(paths=sorted(articles_dir.iterdir()))
    assert summary.statuses == {ImportStatus.UNCHANGED: 4}
    out, _, error = run(articles_dir)
    assert error is None
    assert "0 imported (0 new, 0 updated), 4 unchanged" in out
    assert row_counts() == before


def test_changed_file_updates_its_article_and_replaces_extracted_facts(articles_dir):
    """A changed file updates the article in place and swaps its non-curated facts."""
    run(articles_dir)
    article = Article.objects.get(source_file="chrome_first.txt")
    stale = Organisation.objects.create(name="Stale Extraction Holding")
    kept = Organisation.objects.create(name="Editor Added Holding")
    OrganisationMention.objects.create(article=article, organisation=stale, spans=[[0, 5]])
    OrganisationMention.objects.create(article=article, organisation=kept, curated=True)
    path = articles_dir / "chrome_first.txt"
    path.write_text(path.read_text().replace("four researchers", "six researchers"))

    out, _, error = run(articles_dir)

    assert error is None
    assert "1 imported (0 new, 1 updated), 3 unchanged" in out
    removed = next(line for line in out.splitlines() if line.startswith("Removed"))
    assert removed.startswith("Removed (re-extracted): 0 articles")
    updated = Article.objects.get(pk=article.pk)
    assert "six researchers" in updated.body
    assert updated.slug == article.slug
    assert updated.content_hash != article.content_hash
    mentioned = set(updated.organisation_mentions.values_list("organisation__name", flat=True))
    assert "Stale Extraction Holding" not in mentioned
    assert "Editor Added Holding" in mentioned


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (PNG image), not article"),
        ("latin1.txt", b"Title\n\nCaf\xe9", "not UTF-8 (invalid byte 0xe9 at offset 10)"),
        ("chrome.txt", (DATA / "chrome_only.txt").read_bytes(), "no article text (only page"),
    ],
)
def test_bad_file_fails_alone_with_a_one_line_error(articles_dir, name, data, reason):
    """A bad file gets one error line naming it; the others import; the exit is non-zero."""
    (articles_dir / name).write_bytes(data)
    out, err, error = run(articles_dir)
    assert str(error) == "1 of 5 files could not be imported"
    assert err.count("\n") == 1
    assert err.startswith(f"{articles_dir / name}: {reason}")
    assert "Traceback" not in out + err
    assert Article.objects.count() == 4
    assert not Article.objects.filter(source_file=name).exists()
    assert "4 imported (4 new, 0 updated), 0 unchanged, 0 skipped, 1 failed." in out


def test_failure_while_writing_leaves_nothing_half_written(articles_dir, monkeypatch):
    """When storing a file fails midway, its article and records are rolled back."""
    real_persist = articles.services.extraction_persist

    def persist_then_fail(*, article, **options):
        counts = real_persist(article=article, **options)
        if article.source_file == "teaser_dateline.txt":
            raise IntegrityError("simulated constraint violation")
        return counts

    monkeypatch.setattr(articles.services, "extraction_persist", persist_then_fail)
    _, err, error = run(articles_dir)
    assert error is not None
    assert err.strip() == (
        f"{articles_dir / 'teaser_dateline.txt'}: database error: simulated constraint violation"
    )
    assert not Article.objects.filter(source_file="teaser_dateline.txt").exists()
    assert Article.objects.count() == 3
    names = " ".join(Organisation.objects.values_list("name", flat=True))
    assert "Northwind" not in names


def test_a_failed_single_file_import_leaves_the_callers_transaction_usable(monkeypatch):
    """article_import_file inside a caller's transaction: a failed write rolls back only
    the file (its savepoint); what the caller wrote before stays, and it can go on."""
    real_persist = articles.services.extraction_persist

    def persist_then_fail(**options):
        real_persist(**options)
        raise IntegrityError("simulated constraint violation")

    monkeypatch.setattr(articles.services, "extraction_persist", persist_then_fail)
    with transaction.atomic():
        Organisation.objects.create(name="Caller's Own Record")
        with pytest.raises(IntegrityError):
            article_import_file(path=DATA / "cyrillic.txt")
        Organisation.objects.create(name="Caller's Second Record")

    assert not Article.objects.exists()
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "Caller's Own Record",
        "Caller's Second Record",
    }


def test_unusable_arguments_are_refused_before_importing(tmp_path):
    """Missing paths, non-.txt files and directories without .txt files are errors."""
    (tmp_path / "notes.md").write_text("# notes")
    (tmp_path / "empty").mkdir()
    _, _, error = run(tmp_path / "missing.txt", tmp_path / "notes.md", tmp_path / "empty")
    assert str(error) == (
        f"{tmp_path / 'missing.txt'}: no such file or directory; "
        f"{tmp_path / 'notes.md'}: not a .txt file; "
        f"{tmp_path / 'empty'}: directory has no .txt files"
    )
    assert not Article.objects.exists()


def test_files_and_directories_can_be_mixed(articles_dir, tmp_path):
    """A single file and a directory are imported together; a file named twice counts once."""
    single = tmp_path / "single.txt"
    single.write_text("Plant opens in Obninsk\n\nThe new plant opened on Monday.")
    out, _, error = run(single, articles_dir, single)
    assert error is None
    assert "Files: 5 seen" in out
    assert Article.objects.filter(source_file="single.txt").exists()


def test_same_file_name_in_two_directories_fails_the_second(articles_dir, tmp_path):
    """Articles are identified by file name, so a second file of that name is refused."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "cyrillic.txt").write_text("Another headline\n\nAnother article body here.")
    _, err, error = run(articles_dir, other)
    assert error is not None
    assert f"{other / 'cyrillic.txt'}: same file name as {articles_dir / 'cyrillic.txt'}" in err
    assert Article.objects.get(source_file="cyrillic.txt").title.startswith("Фармацевтический")


def test_same_title_gets_a_numbered_slug(tmp_path):
    """Two articles with one headline get distinct slugs."""
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"Plant opens\n\nThe plant from {name} opened.")
    run(tmp_path)
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "plant-opens",
        "plant-opens-2",
    ]


def test_progress_bar_only_on_a_terminal(articles_dir):
    """A terminal sees a bar redrawn with carriage returns; a pipe or file never does."""

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    call_command("import_seeds", str(articles_dir), stdout=terminal, stderr=io.StringIO())
    assert "\r[" in terminal.getvalue()
    assert "4/4" in terminal.getvalue()
    piped, _, _ = run(articles_dir)
    assert "\r" not in piped


def test_curated_article_is_left_alone_when_its_file_changes(articles_dir):
    """An article an editor curated is not updated; the run reports it as skipped."""
    run(articles_dir)
    Article.objects.filter(source_file="cyrillic.txt").update(curated=True, title="Edited title")
    path = articles_dir / "cyrillic.txt"
    path.write_text(path.read_text() + "\nНовый абзац.\n")
    out, _, error = run(articles_dir)
    assert error is None
    assert f"{path}: skipped: curated by an editor" in out
    article = Article.objects.get(source_file="cyrillic.txt")
    assert article.title == "Edited title"
    assert "Новый абзац" not in article.body


def test_article_deleted_by_an_editor_is_not_imported_again(articles_dir):
    """Deleting an article through editor_delete keeps its file from coming back."""
    run(articles_dir)
    editor_delete(instance=Article.objects.get(source_file="no_headline.txt"))
    out, _, error = run(articles_dir)
    assert error is None
    assert f"{articles_dir / 'no_headline.txt'}: skipped: deleted by an editor" in out
    assert not Article.objects.filter(source_file="no_headline.txt").exists()


def test_curated_organisation_keeps_its_name_after_re_import(articles_dir):
    """An organisation an editor renamed is not renamed back or duplicated by an import."""
    run(articles_dir)
    mention = OrganisationMention.objects.filter(article__source_file="teaser_dateline.txt").first()
    assert mention is not None, "extraction should find an organisation in this article"
    organisation = mention.organisation
    original = organisation.name
    organisation.name = "Edited Organisation Name"
    organisation.aliases = [*organisation.aliases, original]
    organisation.curated = True
    organisation.save()
    path = articles_dir / "teaser_dateline.txt"
    path.write_text(path.read_text().replace("85 people", "90 people"))

    run(articles_dir)

    organisation.refresh_from_db()
    assert organisation.name == "Edited Organisation Name"
    assert not Organisation.objects.filter(name=original).exists()
    assert organisation.mentions.filter(article__source_file="teaser_dateline.txt").exists()


def test_single_file_service_reports_status():
    """article_import_file imports one file and says what it did."""
    path = DATA / "cyrillic.txt"
    first = article_import_file(path=path)
    second = article_import_file(path=path)
    assert (first.status, second.status) == (ImportStatus.CREATED, ImportStatus.UNCHANGED)
    assert first.article == second.article
    assert first.counts.created["articles"] == 1


def test_force_re_extracts_unchanged_files_but_not_curated_ones(articles_dir):
    """--force re-imports unchanged files (after an extractor upgrade), still sparing editors."""
    run(articles_dir)
    Article.objects.filter(source_file="cyrillic.txt").update(curated=True)
    stale = Organisation.objects.create(name="Stale Extraction Holding")
    article = Article.objects.get(source_file="chrome_first.txt")
    OrganisationMention.objects.create(article=article, organisation=stale)
    out, _, error = run("--force", articles_dir)
    assert error is None
    assert "3 imported (0 new, 3 updated), 0 unchanged, 1 skipped, 0 failed." in out
    assert not stale.mentions.exists()


def test_extractor_crash_is_one_line_and_other_files_import(articles_dir, monkeypatch):
    """Even an internal error on one file is one line, with no traceback, and not fatal."""
    real_extract = articles.preparation.extract

    def extract_or_crash(body, *, title=""):
        if title.startswith("Eastgate"):
            raise ValueError("unexpected input")
        return real_extract(body, title=title)

    monkeypatch.setattr(articles.preparation, "extract", extract_or_crash)
    out, err, error = run(articles_dir)
    assert str(error) == "1 of 4 files could not be imported"
    assert err.splitlines() == [
        f"{articles_dir / 'chrome_first.txt'}: internal error: ValueError: unexpected input "
        "(LOG_LEVEL=DEBUG shows the traceback)"
    ]
    assert "Traceback" not in out + err
    assert Article.objects.count() == 3


def test_verbosity_zero_prints_only_errors(articles_dir):
    """With --verbosity 0 a clean run is silent and a failing one prints just its errors."""
    (articles_dir / "empty.txt").write_bytes(b"")
    out, err, error = run("--verbosity", "0", articles_dir)
    assert out == ""
    assert err == f"{articles_dir / 'empty.txt'}: empty file\n"
    assert error is not None
    (articles_dir / "empty.txt").unlink()
    assert run("--verbosity", "0", articles_dir)[:2] == ("", "")


@pytest.mark.django_db(transaction=True)
def test_worker_processes_import_exactly_what_one_process_does(tmp_path, monkeypatch):
    """Parsing and extracting in worker processes changes nothing but the speed."""
    from articles import services

    one, many = tmp_path / "one", tmp_path / "many"
    for directory in (one, many):
        directory.mkdir()
        for name in (*GOOD, "chrome_only.txt"):
            shutil.copy(DATA / name, directory / name)
    monkeypatch.setattr(services, "PARALLEL_MIN_FILES", 2)

    alone = articles_import(paths=sorted(one.iterdir()), workers=0)
    alone_rows = row_counts()
    for model in MODELS:
        model.objects.all().delete()
    workers = articles_import(paths=sorted(many.iterdir()), workers=2)

    def outcome(summary):
        return [(r.path.name, r.status, r.error, dict(r.counts.created)) for r in summary.results]

    assert outcome(workers) == outcome(alone)
    assert workers.statuses[ImportStatus.FAILED] == 1  # chrome_only.txt: no article text
    assert row_counts()["Article"] == alone_rows["Article"] == 4
