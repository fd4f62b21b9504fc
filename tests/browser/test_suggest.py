"""The search box's suggestions in a real Chromium: typing, choosing with keys or the mouse.

The ``page`` fixture fails any test that breaks the Content-Security-Policy,
so the script is also proven to run with no inline code.
"""

import pytest

from tests.factories import ArticleFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def records():
    """An organisation, a person with a like name, and an article about the organisation."""
    OrganisationFactory(name="Vertex Pharmaceuticals")
    PersonFactory(name="Vera Texova")
    ArticleFactory(title="Vertex Pharmaceuticals opens a plant", slug="vertex-plant")


def test_a_misspelt_name_is_suggested_and_chosen_with_the_keyboard(page, records):
    """Type "Vertx Pharma" in the overview's box, arrow down to the company, Enter opens it."""
    page.goto("/")
    box = page.get_by_role("combobox", name="Search the articles")
    box.press_sequentially("Vertx Pharma", delay=30)
    listbox = page.get_by_role("listbox", name="Suggestions")
    listbox.wait_for()
    options = listbox.get_by_role("option")
    assert options.first.inner_text().startswith("Vertex Pharmaceuticals")
    assert "Organisation · Company" in options.first.inner_text()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    assert options.first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    box.press("Enter")
    page.wait_for_url("**/organisations/vertex-pharmaceuticals/")
    assert page.get_by_role("heading", level=1).inner_text() == "Vertex Pharmaceuticals"


def test_a_suggested_article_is_chosen_with_the_mouse_from_the_header(page, records):
    """On any page the header's box suggests too; a click on an article opens it."""
    page.goto("/organisations/")
    box = page.get_by_role("combobox", name="Search articles")
    box.press_sequentially("vertex pharmaceuticals", delay=30)
    article = page.get_by_role("option").filter(has_text="Vertex Pharmaceuticals opens a plant")
    article.click()
    page.wait_for_url("**/articles/vertex-plant/")


def test_escape_closes_and_enter_without_a_choice_searches(page, records):
    """Escape closes the list; Enter with nothing chosen submits the search as before."""
    page.goto("/")
    box = page.get_by_role("combobox", name="Search the articles")
    box.press_sequentially("Vertex", delay=30)
    listbox = page.get_by_role("listbox", name="Suggestions")
    listbox.wait_for()
    box.press("Escape")
    assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"
    box.press("Enter")
    page.wait_for_url("**/articles/?q=Vertex")


def test_without_javascript_the_search_box_still_searches(browser, live_server, records):
    """No script: a plain search form, no combobox, and the search works."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    box = page.get_by_label("Search the articles")
    assert box.get_attribute("role") is None
    box.fill("vertex")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/articles/?q=vertex")
    assert page.get_by_role("link", name="Vertex Pharmaceuticals opens a plant").is_visible()
    context.close()
