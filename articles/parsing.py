"""Turn the raw bytes of a saved news page into a clean article.

Pure functions, no ORM: decode the file, drop the page chrome that web pages
wrap around an article (subscription forms, "Share on:", navigation links),
find the headline, the publication date and the publication, and return the
clean body that extraction and search work on.

The chrome vocabulary below is generic web-page wording, not facts from any
particular article.
"""

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

MAX_TITLE_LENGTH = 200
DERIVED_TITLE_LENGTH = 100


class ArticleParseError(ValueError):
    """The file cannot become an article; the message says why, in one line."""


@dataclass
class ParsedArticle:
    """A clean article: headline, date and publication when stated, body text."""

    title: str
    body: str
    published_on: datetime.date | None = None
    source: str = ""
    # Remarks worth telling the person who runs the import, e.g. a derived title.
    notes: list[str] = field(default_factory=list)


# --- Page chrome -------------------------------------------------------------

# Whole lines that are navigation, sharing or section labels, never article text
# (compared case-insensitively, without a trailing colon).
_CHROME_LINES = frozenset(
    {
        "subscribe to digest",
        "subscribe",
        "investment digest",
        "printed products",
        "share on",
        "share",
        "return",
        "back",
        "back to news",
        "all portfolio",
        "all news",
        "media center",
        "media centre",
        "source",
        "print",
        "print version",
        "successfully sent",
        "contact for investors",
        "in addition",
    }
)
# Labelled page metadata ("Views: 1245", "Tags: vaccines, GMP", "Photo: press
# service", "Author: ...") and breadcrumbs ("Home / News / Industry").
_METADATA_LINE = re.compile(
    r"^(?:(?:views?|tags?|keywords|photo|photos|image|author|comments?|rating|reading\s+time)"
    r"\s*:|photo\s+by\s|\d[\d\s,]*\s+views?$)",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(
    r"^(?:home|main|main\s+page|homepage|главная)(?:\s*[/>»›|]\s*[^/>»›|]{1,40}){1,5}$",
    re.IGNORECASE,
)
# Links to other stories: the label and the headlines listed below it.
_RELATED_LABELS = frozenset(
    {"read also", "see also", "read more", "related news", "related", "more news", "more on"}
)
# A subscription form starts with this line and runs over the lines below.
_SUBSCRIBE_START = "subscribe to digest"
_SUBSCRIBE_FORM_LINE = re.compile(
    r"^(?:you can subscribe|once a month|[-•·]\s|successfully sent|contact for investors"
    r"|by clicking|нажимая кнопку|subscribe)",
    re.IGNORECASE,
)

# --- Dates -------------------------------------------------------------------

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    # Russian month names as they appear in dates ("23 ноября 2017").
    "января": 1,
    "февраля": 2,
    "марта": 3,
    "апреля": 4,
    "мая": 5,
    "июня": 6,
    "июля": 7,
    "августа": 8,
    "сентября": 9,
    "октября": 10,
    "ноября": 11,
    "декабря": 12,
}
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_FULL_DATES = [
    re.compile(rf"\b{_MONTH},?\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),  # December 12, 2013
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),  # 23 November 2017
    re.compile(rf"\b{_DAY}\.(?P<month>\d{{1,2}})\.{_YEAR}\b"),  # 23.11.2017
    re.compile(rf"\b{_YEAR}-(?P<month>\d{{2}})-(?P<day>\d{{2}})\b"),  # 2017-11-23
]
_DAY_MONTH_DATES = [
    re.compile(rf"\b{_MONTH},?\s+{_DAY}\b(?!,?\s*\d)", re.IGNORECASE),  # February 4 / February, 27
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?![\w.]*,?\s*\d)", re.IGNORECASE),  # 4 February
]
# A line that is only a date, optionally after a "Print"/"Published" label and
# followed by the publication ("Print 23 November 2017", "Published: 2017-11-23 | GMP News").
_DATELINE_LABEL = re.compile(
    r"^(?P<label>(?:print(?:ed)?|published|posted|date|dated|updated)\b:?)?\s*",
    re.IGNORECASE,
)
# The time of day around a dateline's date: "10:45, 17 April 2022", "17.04.2022 at 10:45 MSK".
_TIME = r"\d{1,2}:\d{2}(?:\s*(?:[ap]\.?m\.?|msk|utc|gmt)\b)?"
_TIME_BEFORE = re.compile(rf"^{_TIME}\s*[,|]?\s*", re.IGNORECASE)
_TIME_AFTER = re.compile(rf"^\s*[,|]?\s*(?:at\s+)?{_TIME}", re.IGNORECASE)
_DATELINE_SOURCE_SEPARATOR = re.compile(r"^\s*[|,·•–—-]\s*")
_SOURCE_LINE = re.compile(r"^source\s*:\s*(?P<source>\S.*)$", re.IGNORECASE)
# "On February 4 ..." opens many leads; the date must sit at the very start.
_LEAD_DATE_WINDOW = 40
# A standalone line of at most this many words above another headline is a section label.
_SECTION_LABEL_WORDS = 2
# The year of a title such as "... in 2014" dates a lead that gives only day and month.
_TITLE_YEAR = re.compile(r"\bin\s+((?:19|20)\d{2})\b", re.IGNORECASE)

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»’)]?\s+(?=[\"“«(]?[A-ZА-ЯЁ0-9])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Zero-width spaces, soft hyphens and stray byte-order marks that web pages carry.
_INVISIBLE = re.compile(r"[\u200b\u00ad\ufeff]")
_WORD_CHARACTER = re.compile(r"[^\W_]")
_ELLIPSIS = re.compile(r"(?:\.{3}|…)$")
# A duplicated teaser paragraph must be long enough that equality is no accident.
_MIN_TEASER_LENGTH = 40

# --- Decoding ----------------------------------------------------------------

# A whole HTML page, possibly after comments: a doctype, <html>, <head> or <body> first.
_HTML_PAGE = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)

# Files that are plainly not text, by their first bytes: named in the error.
_BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Word file"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Microsoft Office document"),
)
# Byte-order marks of the wide encodings; UTF-32 first, its LE mark starts like UTF-16's.
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Every way text files end a line: CRLF, CR, vertical tab, form feed, NEL, LINE SEPARATOR.
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028]")
# Terminal colour and cursor codes ("\x1b[1m") from text captured in a console.
_ESCAPE_SEQUENCES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
# Control characters other than line feed and tab (C0, DEL and C1).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def decode_article(data: bytes) -> str:
    """Decode a file's bytes as text with Unix line ends and no control characters.

    UTF-8 (with or without a byte-order mark) is expected; UTF-16 and UTF-32
    are accepted when a byte-order mark says so. Windows (CRLF), old Mac (CR)
    and Unicode line and page breaks become "\\n"; other control characters
    (terminal escape codes, bells, DEL) are dropped: no article contains them.

    Raises ArticleParseError for an empty file, a binary file (naming the
    format when it is a well-known one) and text that is not UTF-8, naming the
    offending byte and its offset.
    """
    if not data.strip():
        raise ArticleParseError("empty file")
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise ArticleParseError(f"binary file ({kind}), not article text")
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise ArticleParseError(
                    f"not {encoding.upper()} despite its byte-order mark "
                    f"(invalid data at offset {error.start + len(bom)})"
                ) from None
            break
    else:
        nul = data.find(b"\x00")
        if nul != -1:
            raise ArticleParseError(f"binary file (NUL byte at offset {nul})")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            bad = data[error.start]
            raise ArticleParseError(
                f"not UTF-8 (invalid byte 0x{bad:02x} at offset {error.start})"
            ) from None
    text = _LINE_BREAKS.sub("\n", text.replace("\u2029", "\n\n"))
    text = _CONTROL_CHARACTERS.sub("", _ESCAPE_SEQUENCES.sub("", text))
    if not text.strip():
        raise ArticleParseError("empty file")
    return text


def parse_article(text: str) -> ParsedArticle:
    """Split decoded page text into title, date, source and clean body.

    A whole HTML page (a browser's "Save page" of the article instead of its
    text) is converted to text first, and the result says so in its notes.

    Raises ArticleParseError when nothing but page chrome is left, or when the
    file has a headline but no article text.
    """
    notes = []
    if _HTML_PAGE.match(text):
        text = html_to_text(text)
        notes.append("HTML page: converted to text (tags, scripts and navigation dropped)")
    lines = _strip_chrome([_clean_line(line) for line in text.split("\n")])
    if not any(lines):
        raise ArticleParseError("no article text (only page chrome)")

    title, published_on, source, body_start = _read_head(lines)
    body_lines, body_date, body_source = _drop_bylines(lines[body_start:])
    published_on = published_on or body_date
    source = source or body_source
    paragraphs = _paragraphs(body_lines)
    if title:
        paragraphs = [p for p in paragraphs if p.casefold() != title.casefold()]
    paragraphs = _drop_teasers(paragraphs)
    # A lone headline-like line is a title without an article, whatever came first.
    if not paragraphs or (not title and len(paragraphs) == 1 and _is_headline_only(paragraphs[0])):
        raise ArticleParseError("no article text after the title")
    if not any(_WORD_CHARACTER.search(paragraph) for paragraph in paragraphs):
        raise ArticleParseError("no article text (no words, only punctuation)")
    if not title:
        title = derive_title(next(p for p in paragraphs if _WORD_CHARACTER.search(p)))
        notes.append("no headline line: title derived from the first sentence")
    if published_on is None:
        published_on = _lead_date(paragraphs[0], title)
    return ParsedArticle(
        title=title,
        body="\n\n".join(paragraphs),
        published_on=published_on,
        source=source,
        notes=notes,
    )


def html_to_text(html: str) -> str:
    """The readable text of an HTML page: one paragraph per block, no markup.

    Scripts, styles and the page's navigation, header, footer, sidebars and
    forms are dropped; the page title opens the text when no ``<h1>`` does.
    """
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    return parser.text()


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


def derive_title(paragraph: str) -> str:
    """A title for an article without a headline: its first sentence, shortened."""
    sentence = " ".join(_SENTENCE_END.split(paragraph, maxsplit=1)[0].split()).rstrip(" .")
    if not _WORD_CHARACTER.search(sentence):
        # A lead that opens with a stray "." or "…" : use the paragraph itself.
        sentence = " ".join(paragraph.split()).strip(" .…")
    if len(sentence) <= DERIVED_TITLE_LENGTH:
        return sentence
    cut = sentence[: DERIVED_TITLE_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return f"{cut}…"


def _find_full_date(text: str) -> datetime.date | None:
    """The first valid day-month-year date written in ``text``."""
    found = []
    for pattern in _FULL_DATES:
        for match in pattern.finditer(text):
            date = _to_date(match)
            if date is not None:
                found.append((match.start(), date))
                break
    return min(found)[1] if found else None


def _clean_line(line: str) -> str:
    """Collapse runs of spaces (including no-break spaces), drop invisible characters, trim."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def _is_chrome(line: str) -> bool:
    key = line.casefold().rstrip(" :")
    return (
        key in _CHROME_LINES
        or key in _RELATED_LABELS
        or bool(_METADATA_LINE.match(line) or _BREADCRUMB.match(line))
    )


def _strip_chrome(lines: list[str]) -> list[str]:
    """Blank out chrome lines, subscription forms and related-story links, keeping positions."""
    kept = []
    in_form = False
    in_related = False
    for line in lines:
        key = line.casefold().rstrip(" :")
        if key == _SUBSCRIBE_START:
            in_form = True
        elif in_form and (not line or _SUBSCRIBE_FORM_LINE.match(line)):
            pass
        else:
            in_form = False
        # Below "Read also:" come other stories' headlines, up to the next prose.
        if key in _RELATED_LABELS:
            in_related = True
        elif in_related and line and not _looks_like_headline(line):
            in_related = False
        kept.append("" if in_form or in_related or _is_chrome(line) else line)
    return kept


def _parse_dateline(line: str) -> tuple[datetime.date, str] | None:
    """The date and inline publication of a line that is only a (labelled) date."""
    label = _DATELINE_LABEL.match(line)
    rest = _TIME_BEFORE.sub("", line[label.end() :], count=1)
    for pattern in _FULL_DATES:
        match = pattern.match(rest)
        if match is None or (date := _to_date(match)) is None:
            continue
        tail = _TIME_AFTER.sub("", rest[match.end() :], count=1)
        if not tail.strip():
            return date, ""
        separator = _DATELINE_SOURCE_SEPARATOR.match(tail)
        if separator and _looks_like_source(tail[separator.end() :]):
            return date, tail[separator.end() :].strip()
    return None


def _looks_like_source(line: str) -> bool:
    """A short name on its own line ("GMP News"), not a sentence or a date."""
    words = line.split()
    return (
        0 < len(words) <= 8
        and len(line) <= 80
        and not line.endswith((".", ":", ";", ","))
        and line[0].isupper()
        and _find_full_date(line) is None
        and not _is_chrome(line)
    )


def _looks_like_headline(line: str) -> bool:
    """One short line, not a sentence of prose ending in a full stop."""
    return (
        len(line) <= MAX_TITLE_LENGTH
        and not line.endswith((".", ",", ";", ":"))
        and len(_SENTENCE_END.split(line)) == 1
    )


def _read_head(lines: list[str]) -> tuple[str, datetime.date | None, str, int]:
    """Read the headline and the dateline above the body.

    Returns (title or "", date, source, index of the first body line).
    """
    title = ""
    published_on = None
    source = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line:
            index += 1
            continue
        dateline = _read_dateline(lines, index) if published_on is None else None
        if dateline is not None:
            published_on, dateline_source, index = dateline
            source = source or dateline_source
            continue
        source_line = _SOURCE_LINE.match(line)
        if source_line and not source:
            source = source_line.group("source").strip()
            index += 1
            continue
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        stands_alone = not next_line or _parse_dateline(next_line) is not None
        is_headline = stands_alone and _looks_like_headline(line) and _has_text_after(lines, index)
        if not title and is_headline:
            if _is_section_label(line, lines, index):
                index += 1
                continue
            title = line
            index += 1
            continue
        break
    return title, published_on, source, index


def _is_section_label(line: str, lines: list[str], index: int) -> bool:
    """A word or two ("News", "Press releases") above the real headline.

    Sites print the section's name over the article; it is a label, not the
    title, when the next line is itself a headline that stands alone.
    """
    if len(line.split()) > _SECTION_LABEL_WORDS:
        return False
    following = next((i for i in range(index + 1, len(lines)) if lines[i]), None)
    if following is None:
        return False
    candidate = lines[following]
    after = lines[following + 1] if following + 1 < len(lines) else ""
    return (
        len(candidate.split()) > _SECTION_LABEL_WORDS
        and not after
        and _looks_like_headline(candidate)
        and _has_text_after(lines, following)
    )


def _is_headline_only(paragraph: str) -> bool:
    return "\n" not in paragraph and _looks_like_headline(paragraph)


def _has_text_after(lines: list[str], index: int) -> bool:
    return any(line and _parse_dateline(line) is None for line in lines[index + 1 :])


def _read_dateline(lines: list[str], index: int) -> tuple[datetime.date, str, int] | None:
    """Read the dateline at ``lines[index]``: (date, source, index of the next line).

    A labelled dateline may have the publication on the next line
    ("Print 23 November 2017" then "GMP News").
    """
    dateline = _parse_dateline(lines[index])
    if dateline is None:
        return None
    published_on, source = dateline
    index += 1
    labelled = _DATELINE_LABEL.match(lines[index - 1]).group("label")
    if not source and labelled and index < len(lines) and _looks_like_source(lines[index]):
        source = lines[index]
        index += 1
    return published_on, source, index


def _drop_bylines(lines: list[str]) -> tuple[list[str], datetime.date | None, str]:
    """Remove datelines (one repeated below a teaser) and "Source: ..." lines.

    Returns the remaining lines and the first date and publication they gave.
    """
    kept = []
    published_on = None
    source = ""
    index = 0
    while index < len(lines):
        source_line = _SOURCE_LINE.match(lines[index])
        if source_line:
            source = source or source_line.group("source").strip()
            index += 1
            continue
        dateline = _read_dateline(lines, index) if lines[index] else None
        if dateline is None:
            kept.append(lines[index])
            index += 1
            continue
        if published_on is None:
            published_on, source = dateline[0], source or dateline[1]
        index = dateline[2]
    return kept, published_on, source


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
        stem = _ELLIPSIS.sub("", paragraph).rstrip()
        repeated = len(stem) >= _MIN_TEASER_LENGTH and any(
            later.startswith(stem) for later in paragraphs[position + 1 :]
        )
        if not repeated:
            kept.append(paragraph)
    return kept


def _lead_date(lead: str, title: str) -> datetime.date | None:
    """The date that opens the lead ("On December 12, 2013 ..."), if any.

    A lead that gives only day and month ("On February 4, ...") is dated with the
    year of a title such as "... in 2014". A year mentioned anywhere else in
    passing is never taken for a publication date.
    """
    head = lead[:_LEAD_DATE_WINDOW]
    full = _find_full_date(head)
    if full is not None:
        return full
    years = set(_TITLE_YEAR.findall(title))
    if len(years) != 1:
        return None
    year = int(years.pop())
    for pattern in _DAY_MONTH_DATES:
        match = pattern.search(head)
        if match is not None:
            return _to_date(match, year=year)
    return None


def _to_date(match: re.Match, *, year: int | None = None) -> datetime.date | None:
    """Build a date from a match's day/month(/year) groups; None when impossible."""
    month = match.group("month")
    month_number = int(month) if month.isdigit() else _MONTHS[month.casefold()]
    try:
        year = year or int(match.group("year"))
        return datetime.date(year, month_number, int(match.group("day")))
    except ValueError:
        return None
