"""Reading the environment: flags and lists.

One place for these rules, shared by the settings and ``gunicorn.conf.py``,
so that a flag such as BEHIND_TLS_PROXY means the same to Django and to the
server in front of it. Nothing here needs Django's settings: gunicorn reads
it before any app is loaded.
"""

import os

from django.core.exceptions import ImproperlyConfigured

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
