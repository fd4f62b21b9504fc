"""Visitor pages under hostile query strings and addresses: a clear 4xx or a page, never a 500.

Runs on SQLite and PostgreSQL alike (PostgreSQL refuses NUL characters in text,
so a NUL must never reach a query).
"""

import random

import pytest

from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db

LISTS = ["/articles/", "/organisations/", "/people/", "/programs/", "/metrics/"]


def _junk(length: int) -> str:
    """Search-box junk: operators, quotes, brackets, Cyrillic, emoji, wildcards, SQL."""
    pieces = [
        '"',
        "'",
        "-",
        "OR",
        "AND",
        "*",
        "%",
        "_",
        "(",
        ")",
        "«",
        "»",
        "ж",
        "😀",
        "\\\\",
        ";",
        "--",
        "NEAR",
        "^",
        ":",
        "~",
        "<script>",
        "' OR 1=1 --",
        " ",
        "\u00a0",
        "\u200b",
    ]
    rnd = random.Random(5000)
    text = ""
    while len(text) < length:
        text += rnd.choice(pieces)
    return text[:length]


@pytest.fixture
def content():
    """A published article mentioning an organisation, a person with a position, a metric."""
    article = ArticleFactory(title="Plant opens", body="Zephyr Pharma opened a plant.")
    OrganisationMentionFactory(article=article, spans=[[0, 13]])
    PositionFactory(article=article)
    MetricFactory(article=article)
    return article


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    "query", [_junk(5000), _junk(300), "😀" * 5000, "x" * 100_000, '"unclosed', "-", "*"]
)
def test_junk_searches_answer_a_page(client, content, path, query):
    """Thousands of characters of operators and symbols give a page (maybe empty), not an error."""
    response = client.get(path, {"q": query})
    assert response.status_code == 200


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("page", ["-1", "0", "abc", "999999", "9" * 40, "1e3", ""])
def test_impossible_page_numbers_answer_404_not_500(client, content, path, page):
    """A page that does not exist is the site's 404 page; an empty value is the first page."""
    response = client.get(path, {"page": page})
    assert response.status_code == (200 if page == "" else 404)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/articles/", {"q": "plant\x00"}),
        ("/articles/", {"q": "\x00" + "ж" * 5000}),
        ("/organisations/", {"kind": "\x00"}),
        ("/metrics/", {"unit": "RUB\x00"}),
        ("/metrics/", {"\x00": "1"}),
        ("/articles/plant\x00opens/", {}),
        ("/organisations/\x00/", {}),
        ("/people/a\x00/", {}),
        ("/static/\x00.css", {}),
        ("/admin/entities/organisation/", {"q": "\x00"}),
    ],
)
def test_nul_characters_answer_the_400_page(client, content, path, params):
    """A NUL in the address or the query string is refused before any lookup."""
    response = client.get(path, params)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_unicode_slugs_open_their_pages(client):
    """Cyrillic slugs are valid addresses of organisations and articles."""
    organisation = OrganisationFactory(name="Фармкластер", slug="фарм-кластер")
    article = ArticleFactory(title="Завод открыт", slug="завод-открыт")
    assert client.get(organisation.get_absolute_url()).status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/organisations/фарм-кластер-нет/").status_code == 404


def test_very_long_slug_is_a_404(client):
    """An address far longer than any slug is simply not found."""
    assert client.get("/people/" + "x" * 5000 + "/").status_code == 404
