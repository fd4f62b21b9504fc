"""Reading the environment: flags, lists and the development ``.env`` file.

One place for these rules, shared by the settings, ``manage.py`` and
``gunicorn.conf.py``, so that a flag such as BEHIND_TLS_PROXY means the same
to Django and to the server in front of it. Nothing here needs Django's
settings: gunicorn reads it before any app is loaded.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean flag such as DEBUG=true / DEBUG=0 from the environment."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    normalised = value.strip().lower()
    if normalised in TRUE_WORDS:
        return True
    if normalised in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true or false).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """Read a whole number such as CACHE_VERSION=2 from the environment."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={value!r} is less than {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list such as ALLOWED_HOSTS=a.example,b.example."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def load_env_file(*, default: Path) -> Path | None:
    """Add the variables of a development ``.env`` file to the environment; return its path.

    The file is ENV_FILE when that is set (empty: read no file), else
    ``default`` when it exists. Variables already in the environment win over
    the file. Only development commands call this (``manage.py``): the
    production server's entry points never read a file, so a stray ``.env``
    cannot switch DEBUG on in production.
    """
    chosen = os.environ.get("ENV_FILE")
    if chosen is None:
        path = default
        if not path.is_file():
            return None
    elif chosen.strip() == "":
        return None
    else:
        path = Path(chosen)
        if not path.is_file():
            raise ImproperlyConfigured(f"ENV_FILE={chosen!r} is not a file.")
    load_dotenv(path, override=False)
    return path


#: The schemes CACHE_URL accepts, with the Django cache backend of each.
CACHE_BACKENDS = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "redis": "django.core.cache.backends.redis.RedisCache",
    "rediss": "django.core.cache.backends.redis.RedisCache",
}


def cache_from_url(url: str, *, key_prefix: str = "", version: int = 1) -> dict:
    """Django's CACHES["default"] for CACHE_URL, e.g. ``redis://127.0.0.1:6379/1``.

    ``locmem://`` (or ``locmem://NAME``) is the per-process local-memory cache;
    ``redis://HOST:PORT/DB`` and ``rediss://`` (TLS) Django's built-in Redis
    cache, shared by every worker and host. ``key_prefix`` and ``version``
    keep several deployments apart in one Redis. Anything else is an
    ImproperlyConfigured naming CACHE_URL.
    """

    def invalid(reason: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(f"CACHE_URL={url!r} is not a cache URL: {reason}.")

    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (reading it checks it: a bad port fails now, not per request)
    except ValueError as error:
        raise invalid(str(error)) from None
    if parts.scheme not in CACHE_BACKENDS:
        raise invalid("use redis://HOST:PORT/DB, rediss://... or locmem://")
    config = {
        "BACKEND": CACHE_BACKENDS[parts.scheme],
        "KEY_PREFIX": key_prefix,
        "VERSION": version,
    }
    if parts.scheme == "locmem":
        config["LOCATION"] = parts.netloc
        return config
    if not parts.hostname:
        raise invalid("no host")
    database = parts.path.strip("/") or "0"
    if not database.isdigit():
        raise invalid(f"the database {database!r} is not a number")
    if parts.query or parts.fragment:
        raise invalid("no query string or fragment is accepted")
    # The URL goes to redis-py as written (a password included); only its
    # shape is checked here.
    config["LOCATION"] = parts._replace(path=f"/{database}").geturl()
    # A Redis that hangs must not hang the requests: they go on without it
    # (kaluga_cluster.cache, kaluga_cluster.api's throttle).
    config["OPTIONS"] = {"socket_connect_timeout": 1, "socket_timeout": 1}
    return config
