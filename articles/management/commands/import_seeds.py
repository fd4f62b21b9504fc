"""``manage.py import_seeds [PATH ...]``: import news article text files."""

import signal
import threading
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.services import (
    ImportResult,
    ImportStatus,
    ImportSummary,
    articles_import,
    display_path,
)

# The order kinds are listed in the summary.
KINDS = ("articles", "organisations", "people", "programs", "positions", "metrics", "mentions")


class ProgressBar:
    """A one-line progress bar redrawn in place with a carriage return."""

    width = 30

    def __init__(self, out):
        self.out = out
        self.drawn = 0

    def update(self, done: int, total: int, result: ImportResult) -> None:
        """Redraw the bar after ``done`` of ``total`` files."""
        filled = self.width * done // total
        name = display_path(result.path.name)
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} {name}"
        self.out.write(f"\r{line:<{self.drawn}}", ending="")
        self.out.flush()
        self.drawn = len(line)

    def clear(self) -> None:
        """Erase the bar so the summary starts on a clean line."""
        self.out.write(f"\r{' ' * self.drawn}\r", ending="")
        self.out.flush()


class StopRequest:
    """Ctrl-C (SIGINT) and SIGTERM, turned into a clean stop of the import.

    The first signal asks the import to stop after the file it is writing;
    a second one stops at once (KeyboardInterrupt), rolling that file back.
    Either way the command says what is left and exits 128 + the signal's
    number (130 for Ctrl-C, 143 for SIGTERM), as shells expect.
    """

    signals = (signal.SIGINT, signal.SIGTERM)

    def __init__(self):
        self.signal_number: int | None = None

    def __call__(self) -> bool:
        """Whether a stop was asked for (the import polls this between files)."""
        return self.signal_number is not None

    @property
    def exit_code(self) -> int:
        """128 + the signal's number, or 130 when the stop came from elsewhere."""
        return 128 + (self.signal_number or signal.SIGINT)

    @contextmanager
    def installed(self):
        """Handle the signals while the block runs, then restore the previous handlers."""
        if threading.current_thread() is not threading.main_thread():
            yield self  # only the main thread receives signals (call_command from a thread)
            return
        previous = {number: signal.signal(number, self._handle) for number in self.signals}
        try:
            yield self
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def _handle(self, number, frame):
        if self.signal_number is not None:
            raise KeyboardInterrupt
        self.signal_number = number


class Command(BaseCommand):
    help = (
        "Import news articles from .txt files and directories of .txt files (default: seeds/). "
        "Unchanged files are skipped; changed files are re-extracted without touching what "
        "editors curated, deleted or rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="*",
            type=Path,
            metavar="PATH",
            help="A .txt article file, or a directory whose .txt files are imported "
            "(not its subdirectories).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Re-extract unchanged files too, e.g. after the extractor improved. "
            "Curated and deleted articles are still left alone.",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes that parse and extract ahead of the writes when many files are "
            "imported (default: one per CPU but one, at most 4; 0: none).",
        )

    def handle(
        self, *args, paths: list[Path], force: bool, workers: int | None, verbosity: int, **options
    ):
        files = self._article_files(paths or [self._default_directory()])
        bar = ProgressBar(self.stdout) if verbosity > 0 and self.stdout.isatty() else None
        if workers is not None and workers < 0:
            raise CommandError("--workers must not be negative")
        stop = StopRequest()
        with stop.installed():
            summary = articles_import(
                paths=files,
                force=force,
                workers=workers,
                on_progress=bar.update if bar else None,
                should_stop=stop,
                on_wait=self._say_waiting,
            )
        if bar:
            bar.clear()
        self._report(summary, verbosity)
        if summary.interrupted:
            self.stderr.write(
                f"interrupted: {summary.imported} imported, {summary.left} left; "
                "run again to continue"
            )
            raise SystemExit(stop.exit_code)
        failed = len(summary.failures)
        if failed:
            raise CommandError(f"{failed} of {len(files)} files could not be imported")

    def _say_waiting(self) -> None:
        self.stderr.write(
            "waiting: another import of this database is running; this one continues "
            "with what is left when it ends (Ctrl-C to give up)"
        )

    def _default_directory(self) -> Path:
        """The project's seeds/ directory, shown relative to where the command runs."""
        seeds = Path(settings.BASE_DIR) / "seeds"
        try:
            return seeds.relative_to(Path.cwd())
        except ValueError:
            return seeds

    def _article_files(self, paths: list[Path]) -> list[Path]:
        """The .txt files the arguments name; CommandError lists every unusable argument.

        Every ``*.txt`` entry of a directory is taken, so that one which is not
        a readable file (a broken link, a pipe, a directory) fails with its
        reason instead of being silently left out.
        """
        files, problems = [], []
        for path in paths:
            shown = display_path(path)
            try:
                if path.is_dir():
                    found = sorted(
                        child for child in path.iterdir() if child.suffix.lower() == ".txt"
                    )
                    files += found
                    if not found:
                        problems.append(f"{shown}: directory has no .txt files")
                elif path.exists() or path.is_symlink():
                    if path.suffix.lower() == ".txt":
                        files.append(path)
                    else:
                        problems.append(f"{shown}: not a .txt file")
                else:
                    problems.append(f"{shown}: no such file or directory")
            except OSError as error:
                problems.append(f"{shown}: cannot list ({error.strerror})")
        if problems:
            raise CommandError("; ".join(problems))
        return list(dict.fromkeys(files))

    def _report(self, summary: ImportSummary, verbosity: int) -> None:
        """Errors always (one line per file), then the summary unless --verbosity 0."""
        for result in summary.failures:
            self.stderr.write(result.describe(result.error), self.style.ERROR)
        if verbosity == 0:
            return
        statuses = summary.statuses
        skipped = (
            statuses[ImportStatus.CURATED]
            + statuses[ImportStatus.DELETED]
            + statuses[ImportStatus.DUPLICATE]
        )
        imported = statuses[ImportStatus.CREATED] + statuses[ImportStatus.UPDATED]
        self.stdout.write(
            f"Files: {len(summary.results)} seen, {imported} imported "
            f"({statuses[ImportStatus.CREATED]} new, {statuses[ImportStatus.UPDATED]} updated), "
            f"{statuses[ImportStatus.UNCHANGED]} unchanged, {skipped} skipped, "
            f"{len(summary.failures)} failed."
        )
        counts = summary.counts
        self.stdout.write(f"Created: {self._kinds(counts.created)}")
        self.stdout.write(f"Updated: {self._kinds(counts.updated)}")
        # Only re-extraction removes anything: say so only when it happened.
        if counts.removed.total():
            self.stdout.write(f"Removed (re-extracted): {self._kinds(counts.removed)}")
        for result in summary.results:
            if result.status in (ImportStatus.CURATED, ImportStatus.DELETED):
                self.stdout.write(result.describe(result.status), self.style.WARNING)
            for note in result.notes:
                self.stdout.write(result.describe(note), self.style.WARNING)
        rate = summary.files_per_second
        self.stdout.write(
            f"Time: {summary.seconds:.2f} s ({rate:.0f} files/s).",
            self.style.SUCCESS if not summary.failures else None,
        )

    @staticmethod
    def _kinds(counter) -> str:
        """ "3 articles, 0 organisations, ..." for every kind, in a fixed order."""
        return ", ".join(f"{counter[kind]} {kind}" for kind in KINDS)
