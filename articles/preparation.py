"""Parsing and extraction of article files, in this process or in worker processes.

Both steps are pure (no database, no settings), so an import can run them in
worker processes a few files ahead of the process that writes. The workers
must never outlive their import nor touch its database connection:

- they are *spawned* (a fresh interpreter), not forked, so they inherit no
  open database connection: a forked worker kept the parent's PostgreSQL
  socket open after the parent was killed, and the server kept its
  transaction "idle in transaction", holding locks the next import waited on;
- the kernel kills them when the importing process dies, even by ``kill -9``
  (``PR_SET_PDEATHSIG`` on Linux);
- they ignore Ctrl-C, which the terminal sends to the whole process group:
  the importing process decides what an interruption means and shuts them down.

This module imports nothing that needs Django's app registry, so a spawned
worker can load it without ``django.setup()``.
"""

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from articles.parsing import ArticleParseError, ParsedArticle, decode_article, parse_article
from entities.extraction import extract
from entities.extraction.types import Extraction

# prctl(2) option: the signal this process gets when its parent dies.
_PR_SET_PDEATHSIG = 1

Prepared = tuple[ParsedArticle, Extraction] | ArticleParseError


def prepare_article(data: bytes) -> Prepared:
    """Parse and extract one file's bytes (pure: runs in worker processes too)."""
    try:
        parsed = parse_article(decode_article(data))
    except ArticleParseError as error:
        return error
    return parsed, extract(parsed.body, title=parsed.title)


@contextmanager
def preparation_pool(workers: int):
    """Worker processes for :func:`prepare_article`, or None when ``workers`` is 0.

    Leaving the block on any path (the end, an exception, Ctrl-C) cancels what
    was not started and waits for the workers to exit.
    """
    if workers <= 0:
        yield None
        return
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(parent_pid: int) -> None:
    """Tie a worker's life to the importing process's; leave Ctrl-C to that process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # The parent may have died before prctl took effect.
    if os.getppid() != parent_pid:
        os._exit(1)
