"""What an import run reports: the outcome of each file and of the whole run."""

import enum
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from articles.import_files import display_path
from articles.models import Article
from entities.services import ChangeCounts


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


@dataclass
class ImportSummary:
    """The outcome of importing many files."""

    results: list[ImportResult]
    seconds: float
    #: How many files the run was given; fewer have results when it was stopped.
    total: int = 0
    interrupted: bool = False

    @property
    def imported(self) -> int:
        """Files whose article was created or updated."""
        statuses = self.statuses
        return statuses[ImportStatus.CREATED] + statuses[ImportStatus.UPDATED]

    @property
    def left(self) -> int:
        """Files a stopped run did not get to (a new run picks them up)."""
        return max(self.total - len(self.results), 0)

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
