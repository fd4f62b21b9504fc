"""In Chromium, under the site's Content-Security-Policy: the JSON-LD blocks of the pages
are read as data, break no rule of the policy (the ``page`` fixture fails a test on any
violation) and cannot be turned into a script by a hostile name; the dossier prints."""

import json

import pytest

from tests.factories import OrganisationFactory, OrganisationMentionFactory

pytestmark = pytest.mark.django_db(transaction=True)

READ_JSON_LD = """() => Array.from(
  document.querySelectorAll('script[type="application/ld+json"]'),
  (script) => script.textContent,
)"""


def test_pages_embed_json_ld_without_a_policy_violation(page, article):
    """The article page and its organisation's page each hold one JSON-LD block that parses."""
    organisation = article.organisations.get()
    for path, expected_type in (
        (article.get_absolute_url(), "NewsArticle"),
        (organisation.get_absolute_url(), "Organization"),
    ):
        response = page.goto(path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        (block,) = page.evaluate(READ_JSON_LD)
        assert json.loads(block)["@type"] == expected_type


def test_a_hostile_name_is_neither_run_nor_broken_out(page, article):
    """A name that tries to close the JSON-LD block and start a script is only text."""
    hostile = "Evil</script><script>window.pwned = true</script><!--"
    organisation = OrganisationFactory(name=hostile)
    OrganisationMentionFactory(article=article, organisation=organisation)

    for path in (organisation.get_absolute_url(), article.get_absolute_url()):
        page.goto(path)
        assert page.evaluate("() => window.pwned") is None
        (block,) = page.evaluate(READ_JSON_LD)
        text = json.dumps(json.loads(block), ensure_ascii=False)
        assert hostile in text


def test_the_dossier_page_prints_with_the_sentence_addresses(page, article):
    """Printed, the dossier drops the site's navigation and shows each citation's address."""
    organisation = article.organisations.get()
    page.goto(organisation.get_absolute_url())
    page.get_by_role("link", name="printable page").click()
    page.wait_for_url(f"**{organisation.get_absolute_url()}dossier/")
    address = page.locator(".citation__url").first
    assert not address.is_visible()

    page.emulate_media(media="print")

    assert address.is_visible()
    assert "#s-" in address.inner_text()
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".breadcrumbs").is_visible()
