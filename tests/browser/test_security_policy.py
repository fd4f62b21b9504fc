"""The site, the admin and the API explorer work in a real browser under the
Content-Security-Policy, and break none of it (the ``page`` fixture fails a
test on any violation the browser reports)."""

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin_user():
    """A superuser with a known password."""
    return User.objects.create_superuser("olga", "olga@example.org", PASSWORD)


def test_site_pages_render_styled_under_the_policy(page, article):
    """Every kind of site page loads its stylesheet and chart with no violation."""
    organisation = article.organisations.first()
    paths = [
        "/",
        "/articles/?q=vaccine",
        article.get_absolute_url(),
        "/organisations/",
        organisation.get_absolute_url(),
        "/people/",
        "/programs/",
        "/metrics/",
    ]
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        assert "default-src 'none'" in response.headers["content-security-policy"]
        # The site's stylesheet applied: the skip link is moved off screen.
        assert page.locator(".skip-link").bounding_box()["y"] < 0, path
    assert page.locator("figure.chart svg rect.chart__bar").count() > 0


def test_admin_login_changelist_and_forms_work_under_the_policy(page, article, admin_user):
    """An editor logs in, filters a changelist and uses a change form's autocomplete."""
    page.goto("/admin/")
    page.wait_for_url("**/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("olga")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    assert page.get_by_role("link", name="Organisations").first.is_visible()

    page.goto("/admin/entities/organisation/")
    assert page.get_by_role("link", name="Northwind Pharma").is_visible()
    # The changelist's JavaScript: "select all" ticks every row's checkbox.
    page.locator("#action-toggle").check()
    assert page.locator("input.action-select").first.is_checked()
    assert "1 of 1 selected" in page.locator(".action-counter").inner_text()

    # A change form with autocomplete (select2) and the related-object widgets.
    page.goto("/admin/entities/position/")
    page.locator("#result_list tbody a").first.click()
    page.locator(".field-organisation .select2-selection").click()
    page.locator(".select2-search__field").fill("North")
    # The options come from the admin's autocomplete view, fetched by select2.
    option = page.locator(".select2-results__option", has_text="Northwind Pharma")
    option.wait_for()
    assert option.is_visible()
    page.keyboard.press("Escape")

    # Prepopulated slug and the date picker on the article form.
    page.goto("/admin/articles/article/add/")
    page.get_by_label("Title").press_sequentially("New plant")
    assert page.locator("#id_slug").input_value() == "new-plant"


def test_swagger_ui_renders_operations_and_tries_one_out(page, article):
    """/api/docs/ lists the API's operations and a "Try it out" request gets its answer."""
    response = page.goto("/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    operations = page.locator(".opblock")
    operations.first.wait_for()
    assert operations.count() >= 10
    listing = page.locator("#operations-organisations-organisations_list")
    listing.locator(".opblock-summary").click()
    listing.get_by_role("button", name="Try it out").click()
    listing.get_by_role("button", name="Execute").click()
    status = listing.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert "Northwind Pharma" in listing.locator(".live-responses-table").inner_text()


def test_admin_lockout_page_under_the_policy(page, admin_user, settings):
    """After too many wrong passwords the browser shows the styled lockout page."""
    settings.AXES_FAILURE_LIMIT = 2
    page.goto("/admin/login/")
    for _ in range(2):
        page.get_by_label("Username").fill("olga")
        page.get_by_label("Password").fill("guess")
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Log in").click()
        response = navigation.value
    assert response.status == 429
    assert "Too many failed logins" in page.locator(".errornote").inner_text()
    page.get_by_role("link", name="Back to the login page").click()
    page.wait_for_url("**/admin/login/")


def test_browsable_api_renders_under_the_policy(page, article):
    """DRF's HTML view of an API list shows the records, its inline styles allowed by hash."""
    response = page.goto("/api/organisations/")
    assert "'unsafe-hashes'" in response.headers["content-security-policy"]
    assert "Northwind Pharma" in page.locator(".response-info").inner_text()
