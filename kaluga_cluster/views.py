"""Error handlers (handler400/403/404/500): JSON with a ``detail`` under /api/, pages elsewhere.

Django calls them with DEBUG off; with DEBUG on it shows its technical pages
instead (a traceback for a 500, as plain text to clients that do not ask for
HTML), which is what a developer needs. The 503 of an unreachable database is
the same with DEBUG on or off when a view raises it
(``DatabaseUnavailableMiddleware``).
"""

import sys

from django.http import JsonResponse
from django.views import defaults

from kaluga_cluster.api import api_not_found
from kaluga_cluster.middleware import database_unreachable, is_api_request, service_unavailable


def bad_request(request, exception):
    """400 for a request Django refuses before any view (an unknown Host, a malformed body)."""
    if is_api_request(request):
        return JsonResponse({"detail": "Bad request: the server cannot accept it."}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    """403 raised outside the API's own views (which answer their own JSON 403)."""
    if is_api_request(request):
        return JsonResponse(
            {"detail": "You do not have permission to perform this action."}, status=403
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    """404: the API's JSON 404, or the site's page."""
    if is_api_request(request):
        return api_not_found(request)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """500, or 503 with ``Retry-After`` when the error is an unreachable database.

    Called while the exception is being handled, so ``sys.exc_info()`` names
    it. This is where a database outage met by a middleware (a session saved
    on the way out), outside any view, becomes a 503.
    """
    if database_unreachable(sys.exc_info()[1]):
        return service_unavailable(request)
    if is_api_request(request):
        return JsonResponse(
            {"detail": "Server error: the request failed on our side. The error has been logged."},
            status=500,
        )
    return defaults.server_error(request)
