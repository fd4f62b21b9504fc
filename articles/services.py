"""Importing article files: one transaction per file, editor-safe, idempotent.

``article_import_file`` imports one file; ``articles_import`` imports many,
skipping unchanged files without touching the database per file, and
collects the results the ``import_seeds`` command reports.

Parsing and extraction are pure and take a quarter to a third of the CPU
time of a new file, so ``articles_import`` runs them in worker processes
(``articles.preparation``), a few files ahead of the main process, which
writes the files in batches: one transaction per ``IMPORT_BATCH_SIZE`` files,
with a savepoint per file, so a bad file still fails alone and leaves
nothing behind while the others of its batch commit (and a run commits once
per batch rather than once per file).

Faults leave nothing half-done: one import runs per database at a time
(``articles.import_lock``); a stop request ends the run between files; and
a file's write re-reads, under the article's lock, whether an editor changed
the article since extraction began (``entities.editing``), so an editor's
change is never overwritten.
"""

import itertools
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent import futures
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone

from articles.import_files import UnreadableFile, display_path, hash_bytes, read_article_file
from articles.import_lock import ImportCancelled, exclusive_import
from articles.import_results import ImportResult, ImportStatus, ImportSummary
from articles.import_upkeep import after_changes
from articles.models import Article
from articles.parsing import ArticleParseError, ParsedArticle
from articles.persistence import extraction_persist
from articles.preparation import Prepared, preparation_pool, prepare_article
from entities.editing import lock_article
from entities.identity import article_tombstone_key
from entities.services import ImportIndex, changes, unique_slugs
from kaluga_cluster.cache import bump_data_version

logger = logging.getLogger(__name__)

#: Below this many files to extract, worker processes cost more than they save.
PARALLEL_MIN_FILES = 64
#: Files written per transaction (each in a savepoint of its own). An editor's
#: write to an article of the batch waits for the batch: about a second.
IMPORT_BATCH_SIZE = 50
#: How many files the workers may be ahead of the batch being written: the next
#: batch, and some more per worker, so that they extract while it writes.
_LOOKAHEAD = IMPORT_BATCH_SIZE
_LOOKAHEAD_PER_WORKER = 16
#: How often a run waiting for the workers asks whether to stop.
_STOP_POLL_SECONDS = 0.2


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
    return _import_bytes(path, data, hash_bytes(data), index or ImportIndex(), force=force)


def articles_import(
    *,
    paths: Sequence[Path],
    force: bool = False,
    on_progress: Callable[[int, int, ImportResult], None] | None = None,
    workers: int | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    on_wait: Callable[[], None] | None = None,
) -> ImportSummary:
    """Import many article files; a bad file fails alone and does not stop the rest.

    Files are written in batches of :data:`IMPORT_BATCH_SIZE`, a transaction
    each, with a savepoint per file: a file is atomic, a batch is not.

    Unchanged files are recognised from one query for all known content
    hashes, so a second run over the same files writes and reads next to
    nothing. ``force`` re-extracts unchanged files too (after the extractor
    improved). ``on_progress(done, total, result)`` is called for each file,
    once its batch has committed.
    ``workers`` processes parse and extract ahead of the writes (default: one
    per CPU but one, at most 4; 0 does everything in this process).

    Runs while holding the database's import lock: when another import holds
    it, ``on_wait()`` is called and the run waits, then imports what the
    other one left. ``should_stop()`` is asked before each file; when it
    answers True (or a KeyboardInterrupt rolls the current file back) the run
    ends early with ``interrupted`` set, and a new run continues where it
    stopped.
    """
    started = time.perf_counter()
    run_started = timezone.now()
    if workers is None:
        workers = min(4, (os.cpu_count() or 1) - 1)
    results: list[ImportResult] = []
    interrupted = False
    try:
        with exclusive_import(on_wait=on_wait, should_stop=should_stop):
            # Read only now: a run that waited sees what the other one imported.
            # Unordered: sorting every article by date would be for nothing.
            known_hashes = dict(
                Article.objects.order_by().values_list("source_file", "content_hash")
            )
            articles_before = len(known_hashes)
            files = _read_files(paths, known_hashes, force=force)
            with preparation_pool(workers if len(paths) >= PARALLEL_MIN_FILES else 0) as pool:
                interrupted = _import_files(
                    _prepared(files, pool, lookahead=_LOOKAHEAD + _LOOKAHEAD_PER_WORKER * workers),
                    known_hashes,
                    results,
                    force=force,
                    should_stop=should_stop,
                    on_progress=on_progress,
                    total=len(paths),
                )
            changed = sum(r.status in (ImportStatus.CREATED, ImportStatus.UPDATED) for r in results)
            if changed:
                after_changes(changed=changed, articles_before=articles_before, since=run_started)
    except (KeyboardInterrupt, ImportCancelled):
        interrupted = True
    finally:
        # Once for the whole run (each batch committed on its own): the pages'
        # cached aggregates show what it changed, even when it was stopped.
        if any(r.status in (ImportStatus.CREATED, ImportStatus.UPDATED) for r in results):
            bump_data_version()
    return ImportSummary(
        results=results,
        seconds=time.perf_counter() - started,
        total=len(paths),
        interrupted=interrupted,
    )


def _import_files(
    files: Iterator["_File"],
    known_hashes: dict[str, str],
    results: list[ImportResult],
    *,
    force: bool,
    should_stop: Callable[[], bool],
    on_progress: Callable[[int, int, ImportResult], None] | None,
    total: int,
) -> bool:
    """Import ``files`` in order, in batches, into ``results``; True when stopped before the end.

    Files settled without a write (unchanged, unreadable) need no
    transaction; a batch opens at the first file to write, once its files
    are parsed and extracted (:func:`_prepare_batch`). A batch's results are
    reported once it has committed. When the batch rolls back as a whole (a
    database error or a stop at its commit), what its files taught the
    run's index is forgotten and its files are left for the next run: after
    a database error they are reported failed and the run goes on.
    """
    index = ImportIndex()
    # Content hash -> a file with that content: finds a new file's twin without a query.
    contents = {content_hash: name for name, content_hash in known_hashes.items()}
    files = iter(files)

    def report(result: ImportResult) -> None:
        results.append(result)
        if on_progress is not None:
            on_progress(len(results), total, result)

    for file in files:
        if should_stop():
            return True
        if file.result is not None:
            report(file.result)
            continue
        pending = [file, *itertools.islice(files, IMPORT_BATCH_SIZE - 1)]
        try:
            if _prepare_batch(pending, should_stop):
                return True
        except KeyboardInterrupt:  # nothing of the batch written yet: a stop
            return True
        batch: list[ImportResult] = []
        # What the batch's files change for API mirrors, stamped once at its end.
        shown: changes.Found = {}
        try:
            with transaction.atomic():
                stopped = _import_batch(
                    iter(pending),
                    batch,
                    index,
                    contents,
                    shown,
                    force=force,
                    stop=should_stop,
                )
                changes.touch(shown)
        except DatabaseError as error:
            # Its last writes or its commit failed (a deadlock, a lost
            # connection): none of its files was written.
            index.forget()
            reason = " ".join(str(error).split())
            batch = [_not_committed(result, reason) for result in batch]
            stopped = False
        except BaseException:
            index.forget()
            logger.info("Rolled back a batch of %d files; the next run imports them", len(batch))
            raise
        for result in batch:
            report(result)
        if stopped:
            return True
    return False


def _prepare_batch(files: list["_File"], should_stop: Callable[[], bool]) -> bool:
    """Have every one of ``files`` to import parsed and extracted; True when asked to stop.

    Done before the batch's transaction opens: extracting, or waiting for a
    worker to, inside it would hold the write lock (SQLite) and the
    articles' locks for seconds. The workers run a batch ahead of the
    writing process (:data:`_LOOKAHEAD`), so what is waited for here is
    mostly done; ``should_stop()`` is asked while waiting. Files no worker
    prepares are prepared in this process. A file that turns out not to
    need a write (an editor's, a twin) is extracted for nothing, as the
    workers do too.
    """
    for file in files:
        if file.result is None and file.prepared is None:
            if should_stop():
                return True
            done: Future = Future()
            try:
                done.set_result(prepare_article(file.data))
            except Exception as error:  # reported as the file's failure, as a worker's would be
                done.set_exception(error)
            file.prepared = done
    waiting = {file.prepared for file in files if file.prepared is not None}
    while waiting:
        if should_stop():
            return True
        _, waiting = futures.wait(waiting, timeout=_STOP_POLL_SECONDS)
    return should_stop()


def _not_committed(result: ImportResult, reason: str) -> ImportResult:
    """A file's result once its batch rolled back: written files failed, with why."""
    if result.status not in (ImportStatus.CREATED, ImportStatus.UPDATED):
        return result
    return ImportResult(
        result.path,
        ImportStatus.FAILED,
        error=f"database error when its batch was committed: {reason} (nothing of it was written)",
    )


def _import_batch(
    files: Iterator["_File"],
    batch: list[ImportResult],
    index: ImportIndex,
    contents: dict[str, str],
    shown: changes.Found,
    *,
    force: bool,
    stop: Callable[[], bool],
) -> bool:
    """Import up to ``IMPORT_BATCH_SIZE`` of ``files`` into ``batch``; True when stopped.

    Called inside the batch's transaction, with the first file to write. A
    KeyboardInterrupt rolls back the current file only (its savepoint); the
    files before it commit. What the committed files change for API mirrors
    is added to ``shown``, for the caller to touch once.
    """
    for number, file in enumerate(files):
        if number and stop():  # the first file was asked about already
            return True
        try:
            result = _import_file(file, index, contents, shown, force=force)
        except KeyboardInterrupt:
            return True
        if result.status in (ImportStatus.CREATED, ImportStatus.UPDATED):
            contents.setdefault(file.content_hash, file.path.name)
        batch.append(result)
        if len(batch) >= IMPORT_BATCH_SIZE:
            return False
    return False


@dataclass
class _File:
    """One file of a run: read and hashed, or already settled (``result``)."""

    path: Path
    data: bytes = b""
    content_hash: str = ""
    known: bool = False
    result: ImportResult | None = None
    prepared: "Future | None" = None


def _read_files(paths: Sequence[Path], known_hashes: dict, *, force: bool) -> Iterator[_File]:
    """Each file read and hashed; duplicate names, unreadable and unchanged files settled."""
    first_path_of: dict[str, Path] = {}
    for path in paths:
        first = first_path_of.setdefault(path.name, path)
        if first != path:
            reason = f"same file name as {first}; articles are identified by their file name"
            yield _File(path, result=ImportResult(path, ImportStatus.FAILED, error=reason))
            continue
        if display_path(path) != str(path):
            # The name is stored and shown as text; undecodable bytes would not survive.
            reason = "file name is not valid UTF-8"
            yield _File(path, result=ImportResult(path, ImportStatus.FAILED, error=reason))
            continue
        try:
            data = read_article_file(path)
        except UnreadableFile as error:
            yield _File(path, result=ImportResult(path, ImportStatus.FAILED, error=str(error)))
            continue
        content_hash = hash_bytes(data)
        if known_hashes.get(path.name) == content_hash and not force:
            yield _File(path, result=ImportResult(path, ImportStatus.UNCHANGED))
            continue
        yield _File(path, data, content_hash, known=path.name in known_hashes)


def _prepared(files: Iterator[_File], pool, *, lookahead: int) -> Iterator[_File]:
    """``files`` in order, those to import with parsing and extraction started in ``pool``."""
    if pool is None:
        yield from files
        return
    window: deque[_File] = deque()
    for file in files:
        if file.result is None:
            file.prepared = pool.submit(prepare_article, file.data)
        window.append(file)
        if len(window) > lookahead:
            yield window.popleft()
    yield from window


def _import_file(
    file: _File,
    index: ImportIndex,
    contents: dict[str, str],
    shown: changes.Found,
    *,
    force: bool,
) -> ImportResult:
    """Import one file of a run, turning any failure into a one-line error."""
    if file.result is not None:
        return file.result
    path = file.path
    try:
        prepared = file.prepared.result() if file.prepared is not None else None
        # The file's savepoint: whatever fails in it, its reads included, rolls
        # back to here and leaves the batch's transaction usable.
        with transaction.atomic():
            return _import_bytes(
                path,
                file.data,
                file.content_hash,
                index,
                force=force,
                known=file.known,
                contents=contents,
                prepared=prepared,
                shown=shown,
                savepoint=False,
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
    contents: dict[str, str] | None = None,
    prepared: Prepared | None = None,
    shown: changes.Found | None = None,
    savepoint: bool = True,
) -> ImportResult:
    """Import one file's content; ``known=False`` when the run knows it has no article yet.

    ``contents`` maps the content hashes of the run's known articles to their
    files, so that only a likely twin costs a query. ``prepared`` is what
    :func:`prepare_article` made of ``data``, when a worker process did it
    already. Given ``shown``, the records the file changed for API mirrors
    are added to it once the file is written, for the caller to touch;
    otherwise they are touched here. ``savepoint=False`` when the caller
    holds a savepoint for the file already (a run's batch): its writes then
    join that one instead of opening another.
    """
    article = Article.objects.filter(source_file=path.name).first() if known else None
    if article is not None and article.content_hash == content_hash and not force:
        return ImportResult(path, ImportStatus.UNCHANGED, article=article)
    if article is not None and article.curated:
        return ImportResult(path, ImportStatus.CURATED, article=article)
    if article is None and index.deleted([_article_tombstone(path.name)]):
        return ImportResult(path, ImportStatus.DELETED)
    if article is None and (contents is None or content_hash in contents):
        # One text is one article, whatever its files are called: a second copy
        # would double every mention and metric on the site. The query confirms
        # the run's guess (an editor may have deleted the twin meanwhile).
        twin = (
            Article.objects.filter(content_hash=content_hash)
            .exclude(source_file=path.name)
            .values_list("source_file", flat=True)
            .first()
        )
        if twin is not None:
            note = f"skipped: same content as {twin}, which is already imported"
            return ImportResult(path, ImportStatus.DUPLICATE, notes=[note])
    # Extraction is pure and the slowest step: keep it out of the transaction.
    if prepared is None:
        prepared = prepare_article(data)
    if isinstance(prepared, ArticleParseError):
        return ImportResult(path, ImportStatus.FAILED, error=str(prepared))
    parsed, extraction = prepared

    file_shown: changes.Found = {}
    try:
        with transaction.atomic(savepoint=savepoint):
            article, settled = _recheck_under_lock(path, article, content_hash, force=force)
            if settled is not None:
                return settled
            status = ImportStatus.CREATED if article is None else ImportStatus.UPDATED
            article = _save_article(article, path.name, content_hash, parsed)
            counts = extraction_persist(
                article=article,
                extraction=extraction,
                index=index,
                replace=status is ImportStatus.UPDATED,
                shown=file_shown if shown is not None else None,
            )
    except BaseException:
        index.rollback()
        raise
    index.commit()
    if shown is not None:
        changes.merge(shown, file_shown)
    if status is ImportStatus.CREATED:
        counts.created["articles"] += 1
    else:
        counts.updated["articles"] += 1
    logger.info("%s %s (%s)", status, path, article.slug)
    return ImportResult(path, status, article=article, counts=counts, notes=parsed.notes)


def _recheck_under_lock(
    path: Path, article: Article | None, content_hash: str, *, force: bool
) -> tuple[Article | None, ImportResult | None]:
    """The article as it is now, locked for this file's write, or the result that settles the file.

    Extraction ran outside the transaction, for seconds: an editor may have
    changed, curated or deleted the article meanwhile (or created it through
    the API). Called inside the file's transaction, this waits for any
    editor's write to the article to commit, then reads the article afresh,
    so the import never writes over an editor's change.
    """
    if article is not None:
        lock_article(article.pk)
    current = Article.objects.filter(source_file=path.name).first()
    if current is None and article is not None:
        return None, ImportResult(path, ImportStatus.DELETED)
    if current is None:
        return None, None
    if article is None:
        # Created meanwhile (an editor, through the API): wait for that write too.
        lock_article(current.pk)
        current.refresh_from_db()
    if current.curated:
        return current, ImportResult(path, ImportStatus.CURATED, article=current)
    if current.content_hash == content_hash and not force:
        return current, ImportResult(path, ImportStatus.UNCHANGED, article=current)
    return current, None


def _save_article(
    article: Article | None, source_file: str, content_hash: str, parsed: ParsedArticle
) -> Article:
    """Create the article, or update an existing one in place (its slug and status stay)."""
    if article is None:
        article = Article(
            source_file=source_file,
            slug=unique_slugs(model=Article, names=[parsed.title])[0],
        )
    retitled = article.pk is not None and article.title != parsed.title[:500]
    article.title = parsed.title[:500]
    article.published_on = parsed.published_on
    article.source = parsed.source[:255]
    article.body = parsed.body
    article.content_hash = content_hash
    article.save()
    if retitled:
        # Its metrics and its people's positions show the title (API mirrors).
        changes.touch_dependents(Article, [article.pk])
    return article


def _article_tombstone(source_file: str) -> tuple[str, str]:
    return Article._meta.label_lower, article_tombstone_key(source_file)
