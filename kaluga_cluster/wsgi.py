"""WSGI entry point (for example `gunicorn kaluga_cluster.wsgi`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaluga_cluster.settings")

application = get_wsgi_application()
