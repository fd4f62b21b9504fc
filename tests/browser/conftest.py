"""A real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

The browser is the system one: Playwright never downloads its own build. When
it is missing the browser tests are skipped with the reason and the fix
(``make browser`` installs it); in CI (``CI`` set) they fail instead.
"""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest

from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
    PositionFactory,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI; {reason}")
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # calls made by the tests themselves are still synchronous and safe.
    with pytest.MonkeyPatch.context() as patch, sync_api.sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Reports every Content-Security-Policy violation of a page to the test. An
# init script is added by the browser itself, so the policy does not block it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber} (${event.sample})`
  );
});
"""


@pytest.fixture
def page(browser, live_server):
    """A fresh tab; a JavaScript dialog (alert, confirm) or a Content-Security-Policy
    violation fails the test that caused it."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    violations = []
    context.expose_function("reportCspViolation", lambda text: violations.append(text))
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    tab = context.new_page()
    dialogs = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # Chromium also logs each violation (and one it cannot attribute to an
    # element, such as an inline style set by a parser) to the console.
    tab.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield tab
    context.close()
    assert dialogs == [], f"the page opened a dialog: {dialogs}"
    assert violations == [], f"the page broke the Content-Security-Policy: {violations}"


ARTICLE_BODY = (
    "The regional vaccine plant of Northwind Pharma opened in March.\n\n"
    "Northwind Pharma will invest RUR 93.3 Million in training."
)


@pytest.fixture
def article():
    """A published article mentioning an organisation, with its money metric and a position."""
    article = ArticleFactory(
        title="Vaccine plant opens", body=ARTICLE_BODY, published_on=datetime.date(2014, 3, 4)
    )
    organisation = OrganisationFactory(name="Northwind Pharma")
    start = ARTICLE_BODY.index("Northwind Pharma")
    OrganisationMentionFactory(
        article=article, organisation=organisation, spans=[[start, start + 16]]
    )
    raw = "RUR 93.3 Million"
    MetricFactory(
        article=article,
        raw_text=raw,
        start=ARTICLE_BODY.index(raw),
        end=ARTICLE_BODY.index(raw) + len(raw),
        value=Decimal("93300000"),
        year=2014,
        organisation=organisation,
        quote="Northwind Pharma will invest RUR 93.3 Million in training.",
    )
    PositionFactory(organisation=organisation, article=article)
    return article
