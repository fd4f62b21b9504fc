"""Request checks, response headers and outage answers for every page, the API and the admin.

Besides the checks and headers, two pieces keep failures answerable by clients
and load balancers: ``HealthCheckMiddleware`` answers ``/healthz`` and
``/readyz`` before the Host header is validated, and
``DatabaseUnavailableMiddleware`` turns "cannot reach the database" into a 503
with ``Retry-After`` (JSON under /api/, the site's 503 page elsewhere).
"""

import logging
import sqlite3

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

from kaluga_cluster import health

logger = logging.getLogger(__name__)

# How long clients are asked to wait before retrying while the database is
# unreachable. A PostgreSQL restart takes well under a second; a failover takes
# longer, and clients that honour Retry-After then retry every few seconds
# instead of hammering a server that cannot answer.
RETRY_AFTER_SECONDS = 5

# PostgreSQL errors (SQLSTATE) that mean the database cannot be reached or
# will not take the connection: class 08 (connection exception), a server
# shutting down or terminating its sessions (57P01 admin_shutdown, 57P02
# crash_shutdown), a server starting up or going down (57P03
# cannot_connect_now) and too many connections (53300). Lock timeouts (55P03),
# statement timeouts (57014), deadlocks (40P01) and serialization failures
# (40001) are OperationalErrors too, but the database is there: they are the
# application's own contention, stay 500s and get investigated.
POSTGRES_UNAVAILABLE_STATES = {"57P01", "57P02", "57P03", "53300"}


def database_unreachable(exception: BaseException | None) -> bool:
    """Whether ``exception`` means the database cannot be reached (rather than a query failing).

    Django wraps the driver's error and keeps it as ``__cause__``. psycopg
    errors without a SQLSTATE come from the client side (connection refused,
    timed out, closed, lost mid-query); with one, the server said why. SQLite
    is a file: it is unreachable only when it cannot be opened; "database is
    locked" is a lock timeout like PostgreSQL's and stays a 500.
    """
    if isinstance(exception, InterfaceError):
        # Django and psycopg raise it for a connection that is already closed.
        return True
    if not isinstance(exception, OperationalError):
        return False
    cause = exception.__cause__
    if isinstance(cause, sqlite3.Error):
        return getattr(cause, "sqlite_errorname", None) == "SQLITE_CANTOPEN"
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in POSTGRES_UNAVAILABLE_STATES


def is_api_request(request) -> bool:
    """Whether the request is for the REST API, whose errors are JSON with a ``detail``."""
    return request.path.startswith("/api/")


def service_unavailable(request) -> HttpResponse:
    """The 503 answered while the database is unreachable: JSON under /api/, a page elsewhere.

    The page is rendered without the request's context, so that nothing on it
    (the signed-in user, messages) can touch the database again.
    """
    if is_api_request(request):
        response = JsonResponse(
            {
                "detail": (
                    "The service is temporarily unavailable: its database cannot be reached. "
                    f"Retry in {RETRY_AFTER_SECONDS} seconds."
                )
            },
            status=503,
        )
    else:
        page = loader.render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # An outage must not be cached by a proxy or a browser in place of the page.
    response["Cache-Control"] = "no-store"
    return response


class RejectNullCharactersMiddleware:
    """Answer 400 to a request whose address or query string holds a NUL character.

    No link, form or client ever sends one on purpose, and PostgreSQL refuses
    NUL in text, so such a value must never reach a query (it would be a 500).
    The API answers JSON with a ``detail``; pages answer the site's 400 page.
    """

    message = "The address or its query parameters contain a NUL character (%00)."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in name or any("\x00" in value for value in values)
            for name, values in request.GET.lists()
        ):
            return self.bad_request(request)
        return self.get_response(request)

    def bad_request(self, request):
        """The 400 response, as JSON under /api/ and as a page elsewhere."""
        if is_api_request(request):
            return JsonResponse({"detail": self.message}, status=400)
        return render(request, "400.html", {"message": self.message}, status=400)


class PermissionsPolicyMiddleware:
    """Add ``Permissions-Policy`` (settings.PERMISSIONS_POLICY) to every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class HealthCheckMiddleware:
    """Answer ``/healthz`` and ``/readyz`` (``kaluga_cluster.health``) for load balancers.

    It sits before anything that validates the Host header (CommonMiddleware,
    CSRF), because load balancers probe an instance by its own address, which
    is not in ALLOWED_HOSTS; the answers depend on nothing in the request, so
    no forged Host can poison them. SecurityMiddleware runs first and lets the
    plain-HTTP probes through because SECURE_REDIRECT_EXEMPT names these paths.
    """

    endpoints = {"/healthz": health.healthz, "/readyz": health.readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        view = self.endpoints.get(path[:-1] if path.endswith("/") else path)
        if view is not None:
            return view(request)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Answer 503 with ``Retry-After`` when a view finds the database unreachable.

    ``process_exception`` sees what views raise (sessions and the user are
    loaded lazily, so it is usually a view or its template that touches the
    database first). A middleware that touches it (a session saved on the way
    out) fails outside any view: ``handler500`` (``kaluga_cluster.views``)
    answers the same 503 for those. A request is never retried here: while
    the database restarts an immediate retry fails again, and waiting would
    hold a worker that other requests need; the client retries after the
    delay it was given.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        """The 503 for an unreachable database; None lets anything else take its course."""
        if not database_unreachable(exception):
            return None
        logger.warning("Database unreachable, answering 503 to %s: %s", request.path, exception)
        return service_unavailable(request)
