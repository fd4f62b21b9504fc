"""One import per database at a time.

Two imports of the same files at once both did every file's work, collided on
the unique keys and blamed files for it ("duplicate key"), and could leave
files out. So an import holds a lock for its whole run; a second one waits
for it, then reads what is left and imports that.

- PostgreSQL: a session advisory lock, which lives as long as the import's
  connection and so vanishes with a killed import.
- SQLite: an exclusive ``flock`` on a file beside the database
  (``<database>-import.lock``), released by the kernel when the process
  dies. Holding SQLite's own write lock for the run would not do: every
  batch of files commits in its own transaction, and editors must be able
  to write between batches. (``flock`` on the database file itself is avoided: closing
  any descriptor of it would drop SQLite's own POSIX locks.)

The lock only orders imports; editors never wait for it.
"""

import fcntl
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

#: The advisory lock key: the same for every import of one database.
ADVISORY_LOCK_KEY = zlib.crc32(b"kaluga_cluster.import_seeds")
#: How often a waiting import looks again whether the lock is free.
POLL_SECONDS = 0.25


class ImportCancelled(Exception):
    """The import was asked to stop while it waited for another one."""


@contextmanager
def exclusive_import(
    *,
    on_wait: Callable[[], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Iterator[None]:
    """Hold the database's import lock for the block, waiting for it if taken.

    ``on_wait()`` is called once when another import holds the lock;
    ``should_stop()`` is polled while waiting, and True raises ImportCancelled.
    """
    lock = _lock_for_connection()
    if not lock.try_acquire():
        if on_wait is not None:
            on_wait()
        while not lock.try_acquire():
            if should_stop is not None and should_stop():
                raise ImportCancelled("stopped while waiting for another import")
            time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        lock.release()


def _lock_for_connection():
    if connection.vendor == "postgresql":
        return _AdvisoryLock()
    database = _sqlite_file(connection.settings_dict["NAME"])
    return _FileLock(Path(f"{database}-import.lock")) if database else _NoLock()


def _sqlite_file(name) -> str | None:
    """The database's file, or None for an in-memory database (one process only)."""
    name = str(name)
    if name == ":memory:" or "mode=memory" in name:
        return None
    return name.removeprefix("file:").split("?", 1)[0]


class _AdvisoryLock:
    def try_acquire(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
            return cursor.fetchone()[0]

    def release(self) -> None:
        if connection.connection is None:
            return  # the connection was lost, and the lock with it
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])


class _FileLock:
    def __init__(self, path: Path):
        self.path = path
        self.file = None

    def try_acquire(self) -> bool:
        file = open(self.path, "a")  # noqa: SIM115 - held open for the run
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.close()
            return False
        self.file = file
        return True

    def release(self) -> None:
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()


class _NoLock:
    def try_acquire(self) -> bool:
        return True

    def release(self) -> None:
        pass
