"""Aggregates from Django's cache, invalidated by one "data version".

The overview's counts and the article search's facets take most of those
pages' time and change only when the data does: after an import that changed
articles, or an editor's write. Every such aggregate is cached under a key
that includes the data version, an integer in the cache; a write bumps it, so
every aggregate computed before is never read again (it expires with its
timeout) and no list of keys to delete has to be kept.

- An import bumps it once at its end (``articles.services.articles_import``).
- An editor's write bumps it when its transaction commits
  (:func:`bump_data_version_on_commit`: ``entities.editing``, the admin's
  status actions, ``entities.services.review``), so no reader can cache the
  old data under the new version between the bump and the commit.

With ``CACHE_URL=redis://...`` the version and the aggregates are shared by
every worker and host, so a write seen by one worker is seen by all. The
cache only saves time: when Redis cannot be reached, aggregates are computed
as if nothing were cached (and a warning logged), never an error page.
"""

import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: What a cache that cannot be reached raises (the local-memory cache never does).
CACHE_ERRORS = (RedisError, OSError)

DATA_VERSION_KEY = "data-version"
#: Seconds an aggregate is kept. A write makes it unreachable at once; the
#: timeout only bounds how long the unreachable ones take room.
AGGREGATE_TIMEOUT = 60 * 60

_MISSING = object()


def data_version() -> int:
    """The current data version; starts one when the cache has none (empty or evicted).

    Raises one of CACHE_ERRORS when the cache cannot be reached.
    """
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        # The clock, not 1: a version evicted and started again must not
        # name aggregates cached under an earlier run of the same numbers.
        cache.add(DATA_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(DATA_VERSION_KEY)
    return version


def bump_data_version() -> None:
    """Make every aggregate cached so far stale: the data changed."""
    try:
        try:
            cache.incr(DATA_VERSION_KEY)
        except ValueError:
            # No version yet (or evicted): any new one is newer than all before.
            cache.add(DATA_VERSION_KEY, time.time_ns(), timeout=None)
    except CACHE_ERRORS:
        # The write is committed whatever happens here; aggregates cached
        # before it may show until they expire (AGGREGATE_TIMEOUT).
        logger.error("cache unreachable: the data version was not bumped", exc_info=True)
        return
    logger.debug("data version bumped")


def bump_data_version_on_commit() -> None:
    """Bump the data version when the current transaction commits (at once outside one)."""
    transaction.on_commit(bump_data_version)


def cached(key_parts: Sequence, compute: Callable[[], T], timeout: int = AGGREGATE_TIMEOUT) -> T:
    """``compute()``, or what it returned for the same ``key_parts`` at this data version.

    ``key_parts`` name the aggregate and its inputs (JSON-serialisable: the
    page, a normalised query, filter values); the value must pickle.
    """
    digest = hashlib.sha256(
        json.dumps(list(key_parts), sort_keys=True, default=str).encode()
    ).hexdigest()
    try:
        key = f"aggregate:{data_version()}:{digest}"
        value = cache.get(key, _MISSING)
    except CACHE_ERRORS:
        logger.warning("cache unreachable: computing %s uncached", key_parts[0], exc_info=True)
        return compute()
    if value is _MISSING:
        value = compute()
        try:
            cache.set(key, value, timeout)
        except CACHE_ERRORS:
            logger.warning("cache unreachable: %s not stored", key_parts[0], exc_info=True)
    return value
