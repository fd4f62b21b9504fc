"""Login throttling (django-axes) hooks: the client's address and the lockout page."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def client_ip_address(request: HttpRequest) -> str | None:
    """The address of the client that sent the request.

    Without a proxy it is the socket's peer (REMOTE_ADDR); a client-sent
    X-Forwarded-For is ignored, or anyone could dodge the throttle by making
    one up. Behind the one TLS-terminating proxy (BEHIND_TLS_PROXY), it is the
    last X-Forwarded-For entry: the one the proxy appended, which the client
    cannot forge (entries before it can be).
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The admin-styled page a locked-out login gets, with status 429 Too Many Requests."""
    cooloff_minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": cooloff_minutes,
    }
    response = TemplateResponse(request, "admin/locked_out.html", context, status=429)
    response["Retry-After"] = str(cooloff_minutes * 60)
    return response.render()
