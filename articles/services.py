"""Importing article files: one transaction per file, editor-safe, idempotent.

``article_import_file`` imports one file; ``articles_import`` imports many,
skipping unchanged files without touching the database per file, and
collects the results the ``import_seeds`` command reports.
"""

import enum
import hashlib
import logging
import os
import stat
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction

from articles.models import Article
from articles.parsing import ArticleParseError, ParsedArticle, decode_article, parse_article
from entities.extraction import extract
from entities.services import (
    ChangeCounts,
    ImportIndex,
    article_tombstone_key,
    extraction_persist,
    unique_slugs,
)

logger = logging.getLogger(__name__)


class ImportStatus(enum.StrEnum):
    """What happened to one file."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    CURATED = "skipped: curated by an editor"
    DELETED = "skipped: deleted by an editor"
    DUPLICATE = "skipped: same content as another file"
    FAILED = "failed"


@dataclass
class ImportResult:
    """The outcome of importing one file."""

    path: Path
    status: ImportStatus
    article: Article | None = None
    counts: ChangeCounts = field(default_factory=ChangeCounts)
    error: str = ""  # one line, for FAILED
    notes: list[str] = field(default_factory=list)

    def describe(self, text: str) -> str:
        """``text`` prefixed with the file, the way every line about a file starts."""
        return f"{display_path(self.path)}: {text}"


def display_path(path: Path) -> str:
    """``path`` as printable text, even when its name is not valid UTF-8."""
    return os.fsencode(path).decode("utf-8", "replace")


class UnreadableFile(Exception):
    """The file cannot be read as an article; the message says why, in one line."""


def read_article_file(path: Path) -> bytes:
    """The bytes of an article file, refusing what is not a readable, reasonably sized file.

    Never blocks (a named pipe is refused, not waited on) and never reads more
    than ``settings.IMPORT_MAX_FILE_BYTES`` + 1 bytes (a device or a growing
    file cannot exhaust memory). Raises UnreadableFile with a one-line reason.
    """
    limit = settings.IMPORT_MAX_FILE_BYTES
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        if path.is_symlink():
            raise UnreadableFile("broken symbolic link") from None
        raise UnreadableFile("file disappeared before it could be read") from None
    except OSError as error:
        raise UnreadableFile(f"cannot read ({error.strerror})") from None
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFile("is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("not a regular file (a pipe, socket or device)")
        # At most limit + 1 bytes, in chunks: a file growing meanwhile cannot exhaust memory.
        chunks, remaining = [], limit + 1
        while remaining > 0 and (chunk := os.read(descriptor, min(remaining, 1 << 20))):
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as error:
        raise UnreadableFile(f"cannot read ({error.strerror})") from None
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    if len(data) > limit:
        size = max(info.st_size, len(data))
        raise UnreadableFile(
            f"too large ({_megabytes(size)}; the limit is {_megabytes(limit)}, "
            "set by IMPORT_MAX_FILE_BYTES): not a news article"
        )
    return data


def _megabytes(size: int) -> str:
    if size >= 2**20:
        return f"{size / 2**20:.1f} MiB"
    return f"{size / 2**10:.0f} KiB" if size >= 2**10 else f"{size} bytes"


@dataclass
class ImportSummary:
    """The outcome of importing many files."""

    results: list[ImportResult]
    seconds: float

    @property
    def statuses(self) -> Counter:
        """How many files ended in each status."""
        return Counter(result.status for result in self.results)

    @property
    def failures(self) -> list[ImportResult]:
        """The files that could not be imported."""
        return [result for result in self.results if result.status is ImportStatus.FAILED]

    @property
    def counts(self) -> ChangeCounts:
        """Records created, updated and removed across all files."""
        total = ChangeCounts()
        for result in self.results:
            total.add(result.counts)
        return total

    @property
    def files_per_second(self) -> float:
        """Throughput of the run."""
        return len(self.results) / self.seconds if self.seconds > 0 else float("inf")


def article_import_file(
    *, path: Path, index: ImportIndex | None = None, force: bool = False
) -> ImportResult:
    """Import one article file: create or update its article and re-extract its facts.

    An unchanged file (unless ``force``), an article an editor curated and a
    file whose article an editor deleted are skipped. A bad file fails with a
    one-line reason and writes nothing. Pass the run's ``index`` when
    importing many files.
    """
    try:
        data = read_article_file(path)
    except UnreadableFile as error:
        return ImportResult(path, ImportStatus.FAILED, error=str(error))
    return _import_bytes(path, data, _content_hash(data), index or ImportIndex(), force=force)


def articles_import(
    *,
    paths: Sequence[Path],
    force: bool = False,
    on_progress: Callable[[int, int, ImportResult], None] | None = None,
) -> ImportSummary:
    """Import many article files, one transaction each; a bad file does not stop the rest.

    Unchanged files are recognised from one query for all known content
    hashes, so a second run over the same files writes and reads next to
    nothing. ``force`` re-extracts unchanged files too (after the extractor
    improved). ``on_progress(done, total, result)`` is called after each file.
    """
    started = time.perf_counter()
    known_hashes = dict(Article.objects.values_list("source_file", "content_hash"))
    index = ImportIndex()
    first_path_of: dict[str, Path] = {}
    results = []
    for done, path in enumerate(paths, start=1):
        result = _import_path(path, known_hashes, first_path_of, index, force=force)
        results.append(result)
        if on_progress is not None:
            on_progress(done, len(paths), result)
    return ImportSummary(results=results, seconds=time.perf_counter() - started)


def _import_path(
    path: Path, known_hashes, first_path_of, index: ImportIndex, *, force: bool
) -> ImportResult:
    """Import one file of a run, turning any failure into a one-line error."""
    first = first_path_of.setdefault(path.name, path)
    if first != path:
        reason = f"same file name as {first}; articles are identified by their file name"
        return ImportResult(path, ImportStatus.FAILED, error=reason)
    if display_path(path) != str(path):
        # The name is stored and shown as text; undecodable bytes would not survive.
        return ImportResult(path, ImportStatus.FAILED, error="file name is not valid UTF-8")
    try:
        data = read_article_file(path)
    except UnreadableFile as error:
        return ImportResult(path, ImportStatus.FAILED, error=str(error))
    content_hash = _content_hash(data)
    if known_hashes.get(path.name) == content_hash and not force:
        return ImportResult(path, ImportStatus.UNCHANGED)
    try:
        return _import_bytes(
            path, data, content_hash, index, force=force, known=path.name in known_hashes
        )
    except DatabaseError as error:
        reason = " ".join(str(error).split())
        return ImportResult(path, ImportStatus.FAILED, error=f"database error: {reason}")
    except Exception as error:
        # A bug rather than bad input. The user gets one line like for any bad
        # file; the traceback goes to the debug log (LOG_LEVEL=DEBUG) for
        # whoever fixes it, and the other files still import.
        logger.debug("Importing %s failed", path, exc_info=True)
        reason = f"{type(error).__name__}: {error}"
        return ImportResult(
            path,
            ImportStatus.FAILED,
            error=f"internal error: {reason} (LOG_LEVEL=DEBUG shows the traceback)",
        )


def _import_bytes(
    path: Path,
    data: bytes,
    content_hash: str,
    index: ImportIndex,
    *,
    force: bool,
    known: bool = True,
) -> ImportResult:
    """Import one file's content; ``known=False`` when the run knows it has no article yet."""
    article = Article.objects.filter(source_file=path.name).first() if known else None
    if article is not None and article.content_hash == content_hash and not force:
        return ImportResult(path, ImportStatus.UNCHANGED, article=article)
    if article is not None and article.curated:
        return ImportResult(path, ImportStatus.CURATED, article=article)
    if article is None and index.deleted([_article_tombstone(path.name)]):
        return ImportResult(path, ImportStatus.DELETED)
    if article is None:
        # One text is one article, whatever its files are called: a second copy
        # would double every mention and metric on the site.
        twin = (
            Article.objects.filter(content_hash=content_hash)
            .exclude(source_file=path.name)
            .values_list("source_file", flat=True)
            .first()
        )
        if twin is not None:
            note = f"skipped: same content as {twin}, which is already imported"
            return ImportResult(path, ImportStatus.DUPLICATE, notes=[note])
    try:
        parsed = parse_article(decode_article(data))
    except ArticleParseError as error:
        return ImportResult(path, ImportStatus.FAILED, error=str(error))
    # Extraction is pure and the slowest step: keep it out of the transaction.
    extraction = extract(parsed.body, title=parsed.title)

    status = ImportStatus.CREATED if article is None else ImportStatus.UPDATED
    try:
        with transaction.atomic():
            article = _save_article(article, path.name, content_hash, parsed)
            counts = extraction_persist(
                article=article,
                extraction=extraction,
                index=index,
                replace=status is ImportStatus.UPDATED,
            )
    except BaseException:
        index.rollback()
        raise
    index.commit()
    if status is ImportStatus.CREATED:
        counts.created["articles"] += 1
    else:
        counts.updated["articles"] += 1
    logger.info("%s %s (%s)", status, path, article.slug)
    return ImportResult(path, status, article=article, counts=counts, notes=parsed.notes)


def _save_article(
    article: Article | None, source_file: str, content_hash: str, parsed: ParsedArticle
) -> Article:
    """Create the article, or update an existing one in place (its slug and status stay)."""
    if article is None:
        article = Article(
            source_file=source_file,
            slug=unique_slugs(model=Article, names=[parsed.title])[0],
        )
    article.title = parsed.title[:500]
    article.published_on = parsed.published_on
    article.source = parsed.source[:255]
    article.body = parsed.body
    article.content_hash = content_hash
    article.save()
    return article


def _article_tombstone(source_file: str) -> tuple[str, str]:
    return Article._meta.label_lower, article_tombstone_key(source_file)


def _content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
