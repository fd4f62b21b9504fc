"""import_seeds under hostile input: every bad file is one line, nothing is half-written.

Each case drops one odd file next to four good articles. The odd file is either
refused (one error line naming it and the reason, exit status non-zero) or
imported as clean text; the good files always import, and no run prints a
traceback.
"""

import io
import os
import random
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

import articles.persistence
from articles.management.commands import import_seeds
from articles.models import Article, OrganisationMention
from entities.models import Organisation
from tests.articles.conftest import DATA, GOOD
from tests.articles.test_import import run

pytestmark = pytest.mark.django_db

ARTICLE = "Plant opens in Obninsk\n\nThe new plant of Zephyr Biotech LLC opened on Monday."


def row_counts() -> dict[str, int]:
    """Rows in every table the import writes (and the editors' tombstones)."""
    return {
        model.__name__: model.objects.count()
        for label in ("articles", "entities")
        for model in apps.get_app_config(label).get_models()
        if model._meta.managed
    }


def _write(data: bytes):
    return lambda path: path.write_bytes(data)


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(4096))


def _ten_megabytes(path: Path) -> None:
    with path.open("wb") as file:
        for _ in range(10):
            file.write(b"Plant opens. " * 80_660)  # 1,048,580 bytes a round


def _directory(path: Path) -> None:
    path.mkdir()


def _broken_link(path: Path) -> None:
    path.symlink_to(path.parent / "nowhere" / "missing.txt")


def _link_loop(path: Path) -> None:
    path.symlink_to(path)


def _named_pipe(path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    os.mkfifo(path)


def _endless_device(path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this system")
    path.symlink_to("/dev/zero")


def _unreadable(path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file (CI runs as root)")
    path.write_text(ARTICLE)
    path.chmod(0)


HOSTILE = [
    ("empty.txt", _write(b""), "empty file"),
    ("blank.txt", _write(b" \t\r\n \n\x0b\x0c"), "empty file"),
    ("bom-only.txt", _write(b"\xef\xbb\xbf\r\n"), "empty file"),
    ("controls-only.txt", _write(b"\x07\x1b[0m\x7f\x08"), "empty file"),
    ("nul.txt", _write(b"Headline\n\nBody\x00text"), "binary file (NUL byte at offset 14)"),
    ("random.txt", _random_bytes, "binary file (NUL byte at offset "),
    ("image.txt", _write(b"\x89PNG\r\n\x1a\n\rIHDR"), "binary file (PNG image), not article text"),
    ("scan.txt", _write(b"%PDF-1.7\n%\xe2\xe3"), "binary file (PDF document), not article text"),
    (
        "latin1.txt",
        _write(b"Title\n\nCaf\xe9 opened."),
        "not UTF-8 (invalid byte 0xe9 at offset 10)",
    ),
    (
        "cp1251.txt",
        _write("Завод открыт\n\nЗавод открыт.".encode("cp1251")),
        "not UTF-8 (invalid byte 0xc7 at offset 0)",
    ),
    (
        "utf16-truncated.txt",
        _write(b"\xff\xfeP\x00l\x00a"),
        "not UTF-16-LE despite its byte-order mark (invalid data at offset 6)",
    ),
    ("chrome.txt", _write((DATA / "chrome_only.txt").read_bytes()), "no article text (only page"),
    (
        "headline.txt",
        _write(b"Plant opens\r\n\r\nShare on:\r\n"),
        "no article text after the title",
    ),
    (
        "html-chrome.txt",
        _write(b"<!DOCTYPE html><html><head><script>x()</script></head><body><nav>Home</nav>"),
        "no article text (only page chrome)",
    ),
    (
        "huge.txt",
        _ten_megabytes,
        "too large (10.0 MiB; the limit is 256 KiB, set by IMPORT_MAX_FILE_BYTES)",
    ),
    ("folder.txt", _directory, "is a directory, not a file"),
    ("broken-link.txt", _broken_link, "broken symbolic link"),
    ("loop.txt", _link_loop, "cannot read (Too many levels of symbolic links)"),
    ("pipe.txt", _named_pipe, "not a regular file (a pipe, socket or device)"),
    ("zero.txt", _endless_device, "not a regular file (a pipe, socket or device)"),
    ("locked.txt", _unreadable, "cannot read (Permission denied)"),
]


@pytest.mark.parametrize(("name", "make", "reason"), HOSTILE, ids=[name for name, _, _ in HOSTILE])
def test_hostile_file_fails_alone_and_the_others_import(articles_dir, name, make, reason):
    """The bad file is one error line (name and reason) and writes nothing; exit non-zero.

    The good files of the same run import: a first run over them alone gives the
    row counts, a forced run with the bad file next to them must end with the same.
    """
    run(articles_dir)
    clean = row_counts()
    path = articles_dir / name
    make(path)
    started = time.perf_counter()
    out, err, error = run("--force", articles_dir)
    seconds = time.perf_counter() - started
    assert str(error) == "1 of 5 files could not be imported"
    assert err.count("\n") == 1, err
    assert err.startswith(f"{path}: {reason}"), err
    assert "Traceback" not in out + err
    assert "4 imported (0 new, 4 updated), 0 unchanged, 0 skipped, 1 failed." in out
    assert row_counts() == clean
    assert sorted(Article.objects.values_list("source_file", flat=True)) == sorted(GOOD)
    # Nothing is waited on or read in full: a pipe, /dev/zero or 10 MB take no time.
    assert seconds < 20


def test_file_name_that_is_not_utf8_is_refused_by_name(articles_dir):
    """A file name with undecodable bytes is reported (legibly) instead of crashing the output."""
    raw = os.fsencode(articles_dir) + b"/caf\xe9.txt"
    try:
        Path(os.fsdecode(raw)).write_text(ARTICLE)
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    _, err, error = run(articles_dir)
    assert error is not None
    assert err == f"{articles_dir}/caf\ufffd.txt: file name is not valid UTF-8\n"
    assert Article.objects.count() == 4


def test_size_limit_is_inclusive_and_set_from_settings(tmp_path, settings):
    """A file of exactly IMPORT_MAX_FILE_BYTES imports; one byte more is refused."""
    settings.IMPORT_MAX_FILE_BYTES = 100
    fits = ("Plant opens\n\nThe new plant opened on Monday. " + "x" * 100)[:100]
    (tmp_path / "fits.txt").write_text(fits)
    (tmp_path / "over.txt").write_text(fits + "x")
    _, err, error = run(tmp_path)
    assert str(error) == "1 of 2 files could not be imported"
    assert err == (
        f"{tmp_path / 'over.txt'}: too large (101 bytes; the limit is 100 bytes, "
        "set by IMPORT_MAX_FILE_BYTES): not a news article\n"
    )
    assert Article.objects.filter(source_file="fits.txt").exists()


def test_file_deleted_between_listing_and_reading_is_reported(articles_dir, monkeypatch):
    """A file that vanishes after the directory was listed is one error line, not a crash."""
    listed = import_seeds.Command._article_files

    def list_then_delete(command, paths):
        files = listed(command, paths)
        (articles_dir / "cyrillic.txt").unlink()
        return files

    monkeypatch.setattr(import_seeds.Command, "_article_files", list_then_delete)
    _, err, error = run(articles_dir)
    assert str(error) == "1 of 4 files could not be imported"
    assert err == f"{articles_dir / 'cyrillic.txt'}: file disappeared before it could be read\n"
    assert Article.objects.count() == 3


# --- odd but legitimate text is imported cleanly ------------------------------------------------

TEXT = "Plant opens in Obninsk\n\nThe new plant of Zephyr Biotech LLC opened on Monday.\n"
ODD_BUT_FINE = [
    ("utf8-bom.txt", b"\xef\xbb\xbf" + TEXT.encode()),
    ("utf16-le.txt", TEXT.encode("utf-16")),  # with its byte-order mark
    ("utf16-be.txt", b"\xfe\xff" + TEXT.encode("utf-16-be")),
    ("utf32.txt", TEXT.encode("utf-32")),
    ("crlf.txt", TEXT.replace("\n", "\r\n").encode()),
    ("cr.txt", TEXT.replace("\n", "\r").encode()),
    (
        "controls.txt",
        TEXT.replace("new", "n\x07e\x1b[1mw\x7f").replace("\n\n", "\n\x0c\n").encode(),
    ),
]


@pytest.mark.parametrize(("name", "data"), ODD_BUT_FINE, ids=[name for name, _ in ODD_BUT_FINE])
def test_other_encodings_line_ends_and_control_characters_import_as_clean_text(
    tmp_path, name, data
):
    """BOMs, UTF-16/32, CR and CRLF line ends and control characters give the same clean article."""
    (tmp_path / name).write_bytes(data)
    _, err, error = run(tmp_path)
    assert (err, error) == ("", None)
    article = Article.objects.get(source_file=name)
    assert article.title == "Plant opens in Obninsk"
    assert article.body == "The new plant of Zephyr Biotech LLC opened on Monday."
    assert Organisation.objects.filter(name="Zephyr Biotech LLC").exists()


def test_cyrillic_text_with_very_long_lines_imports(tmp_path):
    """A 200 kB one-line paragraph of Cyrillic text imports quickly, offsets intact."""
    sentence = "Компания «Зефир Фарма» открыла завод в Обнинске за 5 млрд рублей. "
    paragraph = sentence * (200_000 // len(sentence.encode()))
    (tmp_path / "long.txt").write_text(f"Завод открыт\n\n{paragraph}\n")
    started = time.perf_counter()
    _, err, error = run(tmp_path)
    assert (err, error) == ("", None)
    assert time.perf_counter() - started < 30
    article = Article.objects.get()
    assert article.body == paragraph.strip()
    for mention in OrganisationMention.objects.all():
        for start, end in mention.spans:
            assert 0 <= start < end <= len(article.body)


def test_html_page_is_imported_as_its_text(tmp_path):
    """A saved HTML page becomes its article text; scripts, navigation and footer are dropped."""
    (tmp_path / "page.txt").write_text(
        "<!DOCTYPE html>\n<html><head><title>Plant opens | News site</title>"
        "<style>p{color:red}</style><script>track('visit')</script></head>"
        "<body><header><nav><a href='/'>Home</a> <a href='/news'>All news</a></nav></header>"
        "<main><h1>Plant opens in Obninsk</h1><p>The new plant of <b>Zephyr Biotech LLC</b>"
        " opened on Monday &amp; hired 85&nbsp;people.</p><p>It cost RUB 5 million.</p></main>"
        "<footer>© News site</footer></body></html>"
    )
    out, err, error = run(tmp_path)
    assert (err, error) == ("", None)
    assert f"{tmp_path / 'page.txt'}: HTML page: converted to text" in out
    article = Article.objects.get()
    assert article.title == "Plant opens in Obninsk"
    assert article.body == (
        "The new plant of Zephyr Biotech LLC opened on Monday & hired 85\u00a0people.\n\n"
        "It cost RUB 5 million."
    ).replace("\u00a0", " ")
    assert Organisation.objects.filter(name="Zephyr Biotech LLC").exists()


def test_symlink_to_an_article_imports_under_the_links_name(tmp_path):
    """A symbolic link to a good file is followed; the article is named after the link."""
    target = tmp_path / "elsewhere.dat"
    target.write_text(TEXT)
    directory = tmp_path / "articles"
    directory.mkdir()
    (directory / "linked.txt").symlink_to(target)
    _, err, error = run(directory)
    assert (err, error) == ("", None)
    assert Article.objects.get().source_file == "linked.txt"


# --- the same text under two names --------------------------------------------------------------


def test_same_content_under_two_names_is_imported_once_and_reported(tmp_path):
    """A second copy of a text is skipped with a note naming the first; the exit is zero.

    One article per text: a copy would double every mention and metric. Once the
    first file's text changes, the other is a different article and imports.
    """
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "b.txt").write_text(TEXT)
    out, err, error = run(tmp_path)
    assert (err, error) == ("", None)
    assert "Files: 2 seen, 1 imported (1 new, 0 updated), 0 unchanged, 1 skipped, 0 failed." in out
    assert f"{tmp_path / 'b.txt'}: skipped: same content as a.txt, which is already imported" in out
    assert list(Article.objects.values_list("source_file", flat=True)) == ["a.txt"]
    before = row_counts()

    out, _, error = run("--force", tmp_path)
    assert error is None
    assert "1 skipped" in out
    assert row_counts() == before

    (tmp_path / "a.txt").write_text(TEXT.replace("Monday", "Tuesday"))
    run(tmp_path)
    assert sorted(Article.objects.values_list("source_file", flat=True)) == ["a.txt", "b.txt"]


def test_copy_of_an_imported_text_in_a_later_run_is_skipped(tmp_path):
    """A copy that arrives after its original was imported is recognised as well."""
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    (first / "original.txt").write_text(TEXT)
    run(first)
    (later / "copy.txt").write_text(TEXT)
    (later / "other.txt").write_text(TEXT.replace("Monday", "Tuesday"))
    out, _, error = run(later)
    assert error is None
    assert f"{later / 'copy.txt'}: skipped: same content as original.txt" in out
    assert sorted(Article.objects.values_list("source_file", flat=True)) == [
        "original.txt",
        "other.txt",
    ]


# --- nothing half-written -----------------------------------------------------------------------


def _failing_late(monkeypatch, source_file: str, exception: Exception) -> None:
    """Make storing ``source_file``'s metrics (the last write of a file) raise ``exception``."""
    real = articles.persistence.persist_metrics

    def persist_or_fail(article, *args, **kwargs):
        if article.source_file == source_file:
            raise exception
        return real(article, *args, **kwargs)

    monkeypatch.setattr(articles.persistence, "persist_metrics", persist_or_fail)


def _article_state(source_file: str) -> tuple:
    article = Article.objects.get(source_file=source_file)
    return (
        article.title,
        article.body,
        article.content_hash,
        sorted(article.organisation_mentions.values_list("pk", "organisation_id")),
        sorted(article.person_mentions.values_list("pk", "person_id")),
        sorted(article.metrics.values_list("pk", "raw_text")),
        sorted(article.positions.values_list("pk", "title")),
    )


def test_late_failure_while_updating_rolls_the_whole_file_back(articles_dir, monkeypatch):
    """A crash after mentions and positions were rewritten leaves the article as it was.

    Every table keeps its row count, the old extraction stays, and the next run
    retries the file (its new content was never recorded as imported).
    """
    run(articles_dir)
    path = articles_dir / "teaser_dateline.txt"
    path.write_text(path.read_text().replace("85 people", "90 people"))
    before, state = row_counts(), _article_state("teaser_dateline.txt")
    _failing_late(monkeypatch, "teaser_dateline.txt", RuntimeError("disk on fire"))

    out, err, error = run(articles_dir)

    assert str(error) == "1 of 4 files could not be imported"
    assert err == (
        f"{path}: internal error: RuntimeError: disk on fire "
        "(LOG_LEVEL=DEBUG shows the traceback)\n"
    )
    assert "Traceback" not in out + err
    assert row_counts() == before
    assert _article_state("teaser_dateline.txt") == state
    monkeypatch.undo()
    out, _, error = run(articles_dir)
    assert error is None
    assert "1 imported (0 new, 1 updated), 3 unchanged" in out
    assert "90 people" in Article.objects.get(source_file="teaser_dateline.txt").body


def test_late_failure_of_a_new_file_leaves_no_trace_for_the_next_file(tmp_path, monkeypatch):
    """Records a failed file created (and their aliases) are gone; the next file makes its own."""
    text = "Plant opens\n\nZephyr Biotech Limited Liability Company (ZBL) opened a plant on Monday."
    (tmp_path / "a.txt").write_text(text)
    (tmp_path / "b.txt").write_text(text.replace("Monday", "Friday"))
    _failing_late(monkeypatch, "a.txt", RuntimeError("simulated"))

    _, err, error = run(tmp_path)

    assert str(error) == "1 of 2 files could not be imported"
    assert err.startswith(f"{tmp_path / 'a.txt'}: internal error: RuntimeError: simulated")
    assert list(Article.objects.values_list("source_file", flat=True)) == ["b.txt"]
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.aliases) == (
        "Zephyr Biotech Limited Liability Company",
        ["ZBL"],
    )
    assert organisation.mentions.get().article.source_file == "b.txt"


def test_command_never_raises_anything_but_command_error(articles_dir, monkeypatch):
    """Even a failure of the database in the middle of a file ends as one line per file."""
    from django.db import OperationalError

    _failing_late(monkeypatch, "cyrillic.txt", OperationalError("server closed the connection"))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 of 4 files could not be imported"):
        call_command("import_seeds", str(articles_dir), stdout=out, stderr=err)
    assert err.getvalue() == (
        f"{articles_dir / 'cyrillic.txt'}: database error: server closed the connection\n"
    )
