"""A saved HTML page as text: its article's headline and paragraphs, and its date.

trafilatura finds the article; a page where it finds nothing is read block by
block with the standard library's HTMLParser.
"""

import datetime
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import trafilatura

logger = logging.getLogger(__name__)


# A whole HTML page, possibly after comments: a doctype, <html>, <head> or <body> first.
HTML_PAGE = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)


@dataclass
class HTMLPage:
    """What a saved HTML page gives: its text (headline first) and its publication date."""

    text: str
    published_on: datetime.date | None = None


def html_to_text(html: str) -> str:
    """The readable text of an HTML page: the headline, then one paragraph per block.

    See ``read_html_page``.
    """
    return read_html_page(html).text


def read_html_page(html: str) -> HTMLPage:
    """The article of an HTML page: headline and paragraphs as text, and its date.

    trafilatura finds the article among the page's menus, sidebars, teasers,
    share buttons and comments, and its headline (the ``<h1>``, the page's
    title without the site's name, or its Open Graph title). Scripts, styles,
    navigation, header, footer, sidebars and forms are dropped before it looks.
    A page where it finds nothing is read block by block instead (the headline
    is then the ``<h1>`` or the page title).

    The date is the publication date the page's markup states (meta tags,
    ``<time>``), never one guessed from a year in the text. Nothing is fetched:
    trafilatura works on the given text only.
    """
    document = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_images=False,
        include_links=False,
        with_metadata=True,
        prune_xpath=_PRUNED_ELEMENTS,
        # Only dates the markup states; the extensive search guesses "2014-01-01" from a year.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    blocks = _trafilatura_blocks(document.body) if document is not None else []
    if not blocks:
        parser = _HTMLText()
        parser.feed(html)
        parser.close()
        return HTMLPage(text=parser.text())
    title = " ".join((document.title or "").split())
    if title and blocks[0].casefold() != title.casefold():
        blocks.insert(0, title)
    published_on = None
    if document.date:
        try:
            published_on = datetime.date.fromisoformat(document.date[:10])
        except ValueError:
            logger.debug("unreadable page date %r", document.date)
    return HTMLPage(text="\n\n".join(blocks), published_on=published_on)


# Parts of a page that are never the article, dropped before trafilatura reads it.
_PRUNED_ELEMENTS = ["//nav", "//header", "//footer", "//aside", "//form", "//noscript"]


def _trafilatura_blocks(body) -> list[str]:
    """The paragraphs of trafilatura's article tree: one per paragraph, heading, item, row."""
    if body is None:
        return []
    blocks = []
    for element in body:
        if element.tag == "list":
            texts = [_element_text(item) for item in element if item.tag == "item"]
        elif element.tag == "table":
            texts = [
                " | ".join(filter(None, (_element_text(cell) for cell in row)))
                for row in element.iter("row")
            ]
        else:
            texts = [_element_text(element)]
        blocks.extend(text for text in texts if text)
    return blocks


def _element_text(element) -> str:
    """An element's text with its line breaks (``<lb/>``), spaces collapsed within lines."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _element_text(child))
        parts.append(child.tail or "")
    lines = "".join(parts).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


class _HTMLText(HTMLParser):
    """Collects the text of an HTML page block by block (see ``html_to_text``)."""

    # Elements whose content is never article text.
    SKIP = frozenset(
        {
            "script", "style", "noscript", "template", "head", "nav", "header", "footer",
            "aside", "form", "button", "select", "svg", "iframe", "object", "canvas",
        }
    )  # fmt: skip
    # Elements that start a new paragraph.
    BLOCKS = frozenset(
        {
            "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
            "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "blockquote", "pre",
            "figure", "figcaption", "hr", "address", "body", "html",
        }
    )  # fmt: skip
    # Elements without a closing tag, which must not open a skipped section.
    VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "source", "wbr"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skipping: list[str] = []
        self.page_title: list[str] = []
        self.in_title = False
        self.has_h1 = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        elif self.skipping or tag in self.SKIP:
            if tag not in self.VOID:
                self.skipping.append(tag)
        elif tag == "br":
            self.current.append("\n")
        elif tag in self.BLOCKS:
            self.has_h1 |= tag == "h1"
            self._end_block()

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif self.skipping:
            # Browsers forgive unclosed elements; close up to the matching one.
            if tag in self.skipping:
                while self.skipping.pop() != tag:
                    pass
        elif tag in self.BLOCKS:
            self._end_block()

    def handle_data(self, data):
        if self.in_title:
            self.page_title.append(data)
        elif not self.skipping:
            self.current.append(data)

    def _end_block(self):
        lines = "".join(self.current).split("\n")
        text = "\n".join(" ".join(line.split()) for line in lines).strip()
        if text:
            self.blocks.append(text)
        self.current = []

    def text(self) -> str:
        """The collected paragraphs, separated by blank lines."""
        self._end_block()
        title = " ".join("".join(self.page_title).split())
        blocks = self.blocks if self.has_h1 or not title else [title, *self.blocks]
        return "\n\n".join(blocks)
