"""Request checks and response headers for every page, the API and the admin alike."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render


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
        if request.path.startswith("/api/"):
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
