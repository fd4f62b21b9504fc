"""Security headers on every kind of response: site, admin, API explorer and API."""

import base64
import hashlib
import re

import pytest
from django.contrib.auth.models import User

from tests.factories import ArticleFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def directives(header):
    """A Content-Security-Policy header as {directive: sources}."""
    pairs = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return dict(pairs)


@pytest.fixture
def staff_client(client):
    """A client logged in as a superuser."""
    client.force_login(User.objects.create_superuser("olga", "olga@example.org", "x"))
    return client


def assert_hardened(response):
    """The headers every response carries."""
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize(
    "path",
    ["/", "/articles/?q=plant", "/organisations/", "/metrics/", "/no-such-page/"],
)
def test_site_pages_carry_the_security_headers(client, path):
    """Site pages, found or not, are served under the strict policy."""
    ArticleFactory(title="Plant opens", body="A plant opens.")
    response = client.get(path)
    assert response.status_code in {200, 404}
    assert_hardened(response)


def test_admin_pages_carry_the_security_headers(client, staff_client):
    """The admin's login page, index and a changelist need no relaxation of the policy."""
    assert_hardened(client.get("/admin/login/"))
    for path in ["/admin/", "/admin/entities/organisation/", "/admin/articles/article/add/"]:
        response = staff_client.get(path)
        assert response.status_code == 200, path
        assert_hardened(response)


def test_api_explorer_serves_its_init_script_as_a_file(client):
    """/api/docs/ has no inline script or style: it loads its init script from
    /api/docs/?script=, which is JavaScript."""
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert_hardened(page)
    html = page.text
    assert '<script src="/api/docs/?script="></script>' in html
    assert "<script>" not in html and "<style>" not in html
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.text
    assert "/api/schema/" in script.text


def test_api_responses_carry_the_security_headers(client):
    """JSON from the API, and its 404s, are served with the same headers."""
    response = client.get("/api/organisations/")
    assert response.status_code == 200
    assert_hardened(response)
    assert_hardened(client.get("/api/no-such-endpoint/"))


def test_hsts_only_over_https(client, settings):
    """Strict-Transport-Security is sent on HTTPS responses only (a browser ignores it on
    plain HTTP, and it must never pin a development server)."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    secure = client.get("/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Strict-Transport-Security" not in client.get("/")


def test_browsable_api_allows_exactly_its_own_inline_styles(client):
    """The HTML view of the API may apply DRF's fixed inline styles, each by its hash, and
    nothing else: no 'unsafe-inline', scripts as strict as everywhere."""
    OrganisationFactory(name="Northwind Pharma")
    response = client.get("/api/organisations/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    policy = directives(response["Content-Security-Policy"])
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert policy["script-src"] == "'self'"
    allowed = set(policy["style-src"].split())
    assert {"'self'", "'unsafe-hashes'"} <= allowed
    html = response.text
    attributes = re.findall(r'\bstyle="([^"]*)"', html)
    blocks = re.findall(r"<style>(.*?)</style>", html, re.S)
    inline = attributes + blocks
    assert inline, "the page has inline styles to check"
    for style in inline:
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, style
