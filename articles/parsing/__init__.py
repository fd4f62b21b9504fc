"""Turn the raw bytes of a saved news page into a clean article.

Pure functions, no ORM: decode the file, drop the page chrome that web pages
wrap around an article (subscription forms, "Share on:", navigation links),
find the headline, the publication date and the publication, and return the
clean body that extraction and search work on.

``decode_article`` and ``parse_article`` are the entry points; the steps live
in one module each:

- ``decoding``: a file's bytes as text (encodings, mojibake repair with ftfy);
- ``html``: a saved HTML page as text, and the date its markup states;
- ``chrome``: page chrome blanked out line by line;
- ``titles``: the headline and what stands above the body, or a derived title;
- ``datelines``: datelines and "Source:" lines (the date and the publication);
- ``dates``: dates written in text, in several languages;
- ``text``: line cleaning and the shapes of lines the others share;
- ``types``: ParsedArticle and ArticleParseError.

Sentences come from extraction's splitter (``entities.extraction.text``), the
project's only one. Nothing here imports Django's models or settings (nor does
extraction): import workers are spawned and load it without ``django.setup()``
(see ``articles.preparation``).
"""

from articles.parsing.chrome import strip_chrome
from articles.parsing.datelines import drop_bylines
from articles.parsing.dates import lead_date
from articles.parsing.decoding import decode_article
from articles.parsing.html import HTML_PAGE, HTMLPage, html_to_text, read_html_page
from articles.parsing.text import (
    ELLIPSIS,
    MAX_TITLE_LENGTH,
    WORD_CHARACTER,
    clean_line,
)
from articles.parsing.titles import (
    DERIVED_TITLE_LENGTH,
    derive_title,
    find_header_end,
    is_headline_only,
    read_head,
)
from articles.parsing.types import ArticleParseError, ParsedArticle

__all__ = [
    "DERIVED_TITLE_LENGTH",
    "MAX_TITLE_LENGTH",
    "ArticleParseError",
    "HTMLPage",
    "ParsedArticle",
    "decode_article",
    "derive_title",
    "html_to_text",
    "parse_article",
    "read_html_page",
]


# A duplicated teaser paragraph must be long enough that equality is no accident.
_MIN_TEASER_LENGTH = 40


def parse_article(text: str) -> ParsedArticle:
    """Split decoded page text into title, date, source and clean body.

    A whole HTML page (a browser's "Save page" of the article instead of its
    text) is converted to text first, and the result says so in its notes.

    Raises ArticleParseError when nothing but page chrome is left, or when the
    file has a headline but no article text.
    """
    notes = []
    page_date = None
    if HTML_PAGE.match(text):
        page = read_html_page(text)
        text, page_date = page.text, page.published_on
        notes.append("HTML page: converted to text (tags, scripts and navigation dropped)")
    cleaned = [clean_line(line) for line in text.split("\n")]
    lines = strip_chrome(cleaned)
    if not any(lines):
        raise ArticleParseError("no article text (only page chrome)")

    head = read_head(lines, header_end=find_header_end(cleaned, lines))
    title, source = head.title, head.source
    body_lines, body_date, body_source = drop_bylines(lines[head.body_start :])
    source = source or body_source
    paragraphs = _paragraphs(body_lines)
    if title:
        paragraphs = [p for p in paragraphs if p.casefold() != title.casefold()]
    paragraphs = _drop_teasers(paragraphs)
    # A lone headline-like line is a title without an article, whatever came first.
    if not paragraphs or (not title and len(paragraphs) == 1 and is_headline_only(paragraphs[0])):
        raise ArticleParseError("no article text after the title")
    if not any(WORD_CHARACTER.search(paragraph) for paragraph in paragraphs):
        raise ArticleParseError("no article text (no words, only punctuation)")
    if not title:
        title = derive_title(next(p for p in paragraphs if WORD_CHARACTER.search(p)))
        notes.append("no headline line: title derived from the first sentence")
    # The article's own dateline first; a date above the headline may be the site's
    # calendar widget, so the lead's date (the event reported) beats it.
    published_on = (
        head.published_on
        or body_date
        or page_date
        or lead_date(paragraphs[0], title)
        or head.date_above_title
    )
    return ParsedArticle(
        title=title,
        body="\n\n".join(paragraphs),
        published_on=published_on,
        source=source,
        notes=notes,
    )


def _paragraphs(lines: list[str]) -> list[str]:
    """Group lines into paragraphs separated by blank lines."""
    paragraphs, current = [], []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    return paragraphs


def _drop_teasers(paragraphs: list[str]) -> list[str]:
    """Drop a paragraph repeated further down (a teaser of the lead), keeping the last copy.

    A teaser may be cut short with an ellipsis; it still counts as a repeat.
    """
    kept = []
    for position, paragraph in enumerate(paragraphs):
        stem = ELLIPSIS.sub("", paragraph).rstrip()
        repeated = len(stem) >= _MIN_TEASER_LENGTH and any(
            later.startswith(stem) for later in paragraphs[position + 1 :]
        )
        if not repeated:
            kept.append(paragraph)
    return kept
