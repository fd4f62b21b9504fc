"""Reading the environment: flags, lists and the development ``.env`` file.

One place for these rules, shared by the settings, ``manage.py`` and
``gunicorn.conf.py``, so that a flag such as BEHIND_TLS_PROXY means the same
to Django and to the server in front of it. Nothing here needs Django's
settings: gunicorn reads it before any app is loaded.
"""

import os
from pathlib import Path

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
