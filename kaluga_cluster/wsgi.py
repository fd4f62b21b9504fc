"""WSGI entry point (for example `gunicorn kaluga_cluster.wsgi`)."""

import os

from django.core.wsgi import get_wsgi_application

from kaluga_cluster.startup import freeze_startup_heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaluga_cluster.settings")

application = get_wsgi_application()

freeze_startup_heap()
