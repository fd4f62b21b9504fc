"""Health endpoints for load balancers and orchestrators.

``/healthz`` says the process is alive and answers without touching the
database: a load balancer that restarts unhealthy instances must not restart
every one of them because the database is down. ``/readyz`` says whether this
instance can serve: the database is reachable and every migration is applied;
otherwise 503 with a body naming the check that failed, so that a load balancer
sends traffic elsewhere (or a deployment waits) until it is ready.

Both are answered by ``kaluga_cluster.middleware.HealthCheckMiddleware``,
before the Host header is validated. Their bodies say which check failed, never
why (an error message could name hosts or users); the reason is logged.
"""

import logging

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def _answer(body: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status)
    # A probe must see the instance as it is now, never a cached answer.
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def healthz(request):
    """200 while the process can answer requests; the database is not consulted."""
    return _answer({"status": "alive"})


def unapplied_migrations() -> int:
    """How many migrations on disk the database has not applied (Django's own plan).

    Raises DatabaseError when the database cannot be read.
    """
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@require_safe
def readyz(request):
    """200 when the database answers and has every migration applied, else 503 naming the check.

    Two or three cheap queries (``SELECT 1`` and the migration records); the
    migration plan is read from the code on disk, as ``migrate --check`` does.
    """
    checks = {"database": "ok", "migrations": "not checked"}
    detail = None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.warning("Readiness: no answer from the database: %s", error)
        checks["database"] = "unavailable"
        detail = "Not ready: the database cannot be reached or refuses the connection."
    else:
        try:
            pending = unapplied_migrations()
        except DatabaseError as error:
            logger.warning("Readiness: the applied migrations cannot be read: %s", error)
            checks["migrations"] = "unreadable"
            detail = "Not ready: the applied migrations cannot be read from the database."
        else:
            checks["migrations"] = "ok" if not pending else f"{pending} unapplied"
            if pending:
                detail = f"Not ready: {pending} migrations are not applied (run migrate)."
    if detail is None:
        return _answer({"status": "ready", "checks": checks})
    return _answer({"status": "not ready", "detail": detail, "checks": checks}, status=503)
