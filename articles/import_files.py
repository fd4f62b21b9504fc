"""Reading article files for the import: safely, with a one-line reason when it cannot be done."""

import hashlib
import os
import stat
from pathlib import Path

from django.conf import settings


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


def hash_bytes(data: bytes) -> str:
    """The SHA-256 of a file's bytes: an unchanged file is recognised by it."""
    return hashlib.sha256(data).hexdigest()
