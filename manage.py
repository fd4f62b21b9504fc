#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

On a development checkout it first reads ``.env`` beside it (written by
``make``; variables already set win), so commands typed in a new shell work
as the README writes them. A missing or invalid setting is one line on
stderr and exit status 1, not a traceback.
"""

import os
import sys
from pathlib import Path


def main():
    """Load the development settings file, check the settings, run the command."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaluga_cluster.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from kaluga_cluster.environment import load_env_file

    try:
        load_env_file(default=Path(__file__).resolve().parent / ".env")
        # Importing the settings module is where a missing secret or a
        # malformed flag is found: report it here, before Django's machinery.
        settings.INSTALLED_APPS  # noqa: B018
    except ImproperlyConfigured as error:
        sys.exit(f"error: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
