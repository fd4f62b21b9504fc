"""Page structure every visitor page keeps: landmarks, one h1, labelled inputs, current nav."""

from html.parser import HTMLParser
from itertools import pairwise

import pytest
from django.urls import reverse

from tests.factories import MetricFactory, OrganisationMentionFactory, PositionFactory

pytestmark = pytest.mark.django_db


class PageOutline(HTMLParser):
    """Collects the tags, labels, inputs and current navigation link of a page."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[int] = []
        self.label_targets: set[str] = set()
        self.inputs: list[dict] = []
        self.current_links: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        if tag in {"h1", "h2", "h3", "h4"}:
            self.headings.append(int(tag[1]))
        if tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"])
        if tag in {"input", "select", "textarea"} and attributes.get("type") != "hidden":
            self.inputs.append(attributes)
        if tag == "a" and attributes.get("aria-current") == "page":
            self.current_links.append(attributes.get("href", ""))
        for name in ("src", "href"):
            value = attributes.get(name) or ""
            if value.startswith(("http://", "https://", "//")):
                self.external.append(value)


def outline(client, url) -> PageOutline:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = PageOutline()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def site_urls():
    """One URL of every kind of visitor page, with data on it, and its nav link."""
    metric = MetricFactory()
    mention = OrganisationMentionFactory(article=metric.article)
    position = PositionFactory(organisation=mention.organisation, article=metric.article)
    return [
        (reverse("articles:home"), reverse("articles:home")),
        (reverse("articles:article-list") + "?q=budget", reverse("articles:article-list")),
        (metric.article.get_absolute_url(), None),
        (reverse("entities:organisation-list"), reverse("entities:organisation-list")),
        (mention.organisation.get_absolute_url(), None),
        (reverse("entities:person-list"), reverse("entities:person-list")),
        (position.person.get_absolute_url(), None),
        (reverse("entities:program-list"), reverse("entities:program-list")),
        (reverse("entities:metric-list"), reverse("entities:metric-list")),
    ]


def test_every_page_has_landmarks_a_skip_link_and_one_h1(client, site_urls):
    """header, nav, main and footer landmarks, a skip link first, exactly one h1, no skipped
    heading level."""
    for url, _ in site_urls:
        page = outline(client, url)
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in page.tags, (url, landmark)
        assert page.headings.count(1) == 1, url
        assert all(b - a <= 1 for a, b in pairwise(page.headings)), (
            url,
            page.headings,
        )
        assert client.get(url).content.decode().index('class="skip-link" href="#main"') > 0


def test_every_input_has_a_label(client, site_urls):
    """Each visible form control is named by a <label for=...>."""
    for url, _ in site_urls:
        page = outline(client, url)
        for control in page.inputs:
            assert control.get("id") in page.label_targets, (url, control)


def test_navigation_marks_the_current_page(client, site_urls):
    """The nav link of the current list page carries aria-current="page"."""
    for url, nav_link in site_urls:
        if nav_link:
            assert nav_link in outline(client, url).current_links, url


def test_pages_load_nothing_from_other_sites(client, site_urls):
    """No script, stylesheet, font or image comes from another host (no CDN)."""
    for url, _ in site_urls:
        assert outline(client, url).external == [], url
