"""Turn the raw bytes of a saved news page into a clean article.

Pure functions, no ORM: decode the file, drop the page chrome that web pages
wrap around an article (subscription forms, "Share on:", navigation links),
find the headline, the publication date and the publication, and return the
clean body that extraction and search work on.

The chrome vocabulary below is generic web-page wording, not facts from any
particular article.
"""

import datetime
import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import ftfy
import trafilatura

logger = logging.getLogger(__name__)

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
        "subscribe to news",
        "subscribe to our newsletter",
        "investment digest",
        "printed products",
        "share on",
        "share",
        "share this",
        "share this article",
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
        "menu",
        "search",
        "close",
        "logo",
        "follow us",
        "exit mobile version",
        "mobile version",
        "full version",
        "version for the visually impaired",
        # An accessibility panel ("View settings", "Font size: A A A", "Site colours:").
        "view settings",
        "font size",
        "site colours",
        "site colors",
        "colour scheme",
        "color scheme",
        "line spacing",
        "letter spacing",
        # A tag list's label without its colon, its tags linked below it.
        "tags",
        "keywords",
        # An advertising slot's label.
        "advertisement",
        "advertising",
        "sponsored",
        "реклама",
    }
)
# Labelled page metadata ("Views: 1245", "Tags: vaccines, GMP", "Photo: press
# service", "Author: ...", "Locations: Tver"), a byline ("By Anna Lind", "| By |
# Industry, Plants") and a site logo's text ("logo example.com").
_METADATA_LINE = re.compile(
    r"^(?:(?:views?|tags?|keywords|photo|photos|image|author|authors|comments?|rating"
    r"|reading\s+time|categor(?:y|ies)|topics?|locations?|rubrics?|filed\s+under)\s*:"
    r"|photo\s+(?:by|courtesy\s+of)\s|\d[\d\s,]*\s+views?$|\|?\s*by\s*(?:\||$)|logo(?:\s+\S+)?$)",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^[Bb]y\s+(?:[A-ZА-ЯЁ][\w.'’-]*\s*){1,4}(?:[,|]\s*[^.!?]{0,60})?$",
)
# Breadcrumbs ("Home / News / Industry", "Main » News » <the headline>"), or the last
# crumbs alone, ending in a separator ("Documents /": the page's own crumb is left out).
_HOME = r"(?:home|main|main\s+page|homepage|главная)"
_BREADCRUMB = re.compile(
    rf"^(?:{_HOME}\s*[/>»›|]\s*\S.{{0,300}}|(?:[^\W\d_][\w'’-]*\s+){{1,4}}[/>»›])$",
    re.IGNORECASE,
)
# A breadcrumb as a numbered or bulleted list, one crumb a line ("1. Main", "2. News").
_LIST_ITEM = re.compile(r"^(?:\d{1,2}[.)]|[-•·*])\s+(?P<item>\S.*)$")
_HOME_ITEM = re.compile(rf"^{_HOME}$", re.IGNORECASE)
_CRUMB_WORDS = 4
# An advert's label with the advertiser's phone number ("Реклама +7(700) 555 12 34"), or
# a phone number alone ("Tel.: +7 (812) 555-01-23").
_PHONE = r"(?:\+\d{1,3}\s*|8\s*)?\(?\d{2,5}\)?[\s-]*\d{2,4}(?:[\s-]*\d{2,4}){1,3}"
_ADVERT_OR_PHONE = re.compile(
    r"^(?:(?:advertisement|advertising|ad|sponsored|реклама)\s*:?\s*"
    r"|(?:tel|phone|telephone|тел|телефон)\.?\s*:?\s*)"
    rf"{_PHONE}$"
    # Only a number that shows it is a phone's: a country code or an area code in brackets.
    r"|^(?=\+|\(|8\s*\()" + _PHONE + "$",
    re.IGNORECASE,
)
# A site's description of itself above the headline ("Official website of the ... Council").
_SITE_DESCRIPTION = re.compile(
    r"^(?:the\s+)?official\s+(?:web\s*site|site|portal|internet\s+portal|web\s+portal)"
    r"\s+of\s+[^.!?]{1,100}$",
    re.IGNORECASE,
)
# Links to other stories: the label ("Read also", "Latest news: Tver", "Most read
# stories from last week", "Similar publications") and the headlines listed below it.
_RELATED_LABEL = re.compile(
    r"^(?:(?:read|see)\s+(?:also|more|next)|related|more\s+on|find\s+related\s+content"
    r"|you\s+(?:may|might)\s+also\s+like|most\s+(?:read|popular|viewed|commented)\b.{0,40}"
    r"|(?:more|other|latest|recent|related|similar|popular|top|featured?|recommended|last)"
    r"(?:\s+\w+)?\s+(?:news|stories|articles|publications|posts|materials|reports|content))"
    r"(?:\s*:.{0,40})?$",
    re.IGNORECASE,
)
# A line of icon names that a page's SVG sprites leave in its text ("search arrow
# rss twitter facebook"), or the title Sketch gives exported icons.
_ICON_WORDS = frozenset(
    {
        "icon", "icons", "search", "arrow", "arrows", "rss", "twitter", "facebook", "vk",
        "telegram", "youtube", "instagram", "linkedin", "whatsapp", "viber", "map", "menu",
        "close", "burger", "logo", "mail", "email", "phone", "print", "share", "apply", "play",
        "pause", "left", "right", "up", "down", "prev", "next", "previous", "chevron", "caret",
        "plus", "minus", "home", "user", "account", "login", "cart", "calendar", "clock", "eye",
        "download", "upload", "star", "heart", "bell", "settings", "dropdown", "open", "toggle",
    }
)  # fmt: skip
_SKETCH_ICON = "created with sketch"
# Share buttons, one per line ("Publish in Twitter", "Write to Facebook", "Share MK").
_SHARE_WORDS = frozenset(
    {
        "share", "publish", "post", "tweet", "send", "twitter", "facebook", "vk", "vkontakte",
        "telegram", "whatsapp", "viber", "linkedin", "livejournal", "odnoklassniki",
        "pinterest", "reddit", "google", "buzz", "email", "e-mail", "mail", "rss",
    }
)  # fmt: skip
_SHARE_BUTTON_WORDS = 4
# The page footer starts at its copyright notice; nothing after it is article text.
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)\s*\d{4}|copyright\b\s*(?:©|\(c\)|\d{4}))|\ball\s+rights\s+reserved\b",
    re.IGNORECASE,
)
_FOOTER_NOTICE_WORDS = 20
# Only a paragraph of prose this long ends a list of links or a footer.
_PROSE_WORDS = 12
# An image's file name glued to the paragraph below it ("head-of-guild.gifThe guild ...").
_IMAGE_PREFIX = re.compile(
    r"^[\w-]+(?:\.[\w-]+)*\.(?i:png|jpe?g|gif|webp|bmp|tiff?)\s*(?=[\"“«(]?[A-ZА-ЯЁ])"
)
# An image's file name or a caption ending with a photo credit ("... [Photo/agency]").
_IMAGE_LINE = re.compile(
    r"^[\w\-. ()]+\.(?:png|jpe?g|gif|webp|svg|bmp|tiff?)$"
    r"|[\[(](?:photo|image|picture|pic|фото)\s*[/:|][^\])]*[\])]$",
    re.IGNORECASE,
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
# Month names of other European languages, read in full dates only ("30 marzo 2023",
# "1er mars 2021", "30. März 2023", "30 de marzo de 2023"): a day, a month's name and a
# year together are a date in any language, while a day and month alone ("4 mai") may be
# an ordinary word after a number.
_FOREIGN_MONTHS = {
    # Italian
    "gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6,
    "luglio": 7, "agosto": 8, "settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12,
    # French, with the spellings that drop the accents
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "décembre": 12,
    "decembre": 12,
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "juni": 6, "juli": 7,
    "oktober": 10, "dezember": 12,
    # Spanish
    "enero": 1, "febrero": 2, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}  # fmt: skip
_ALL_MONTHS = {**_FOREIGN_MONTHS, **_MONTHS}
# A month's name, not the start of a longer word ("4 mar" is no date in "4 marzo").
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")(?![^\W\d_])\.?"
_FOREIGN_MONTH = (
    "(?P<month>" + "|".join(sorted(_FOREIGN_MONTHS, key=len, reverse=True)) + r")(?![^\W\d_])"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
# A year cut to two digits after an apostrophe, as news sites print it: "3 Oct '13".
_SHORT_YEAR = r"(?P<year>['’]\d{2})"
_SHORT_YEAR_PIVOT = 70  # '69 is 2069 and '70 is 1970
_FULL_DATES = [
    re.compile(rf"\b{_MONTH},?\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),  # December 12, 2013
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),  # 23 November 2017
    re.compile(rf"\b{_DAY}\.(?P<month>\d{{1,2}})\.{_YEAR}\b"),  # 23.11.2017
    re.compile(rf"\b{_YEAR}-(?P<month>\d{{2}})-(?P<day>\d{{2}})\b"),  # 2017-11-23
    # A range of days dates by its first: "5–6 September 2019", "October 24 – 26, 2017".
    re.compile(rf"\b{_DAY}\s*[–—-]\s*\d{{1,2}}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY}\s*[–—-]\s*\d{{1,2}},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+{_MONTH}\s+{_SHORT_YEAR}\b", re.IGNORECASE),  # 3 Oct '13
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_SHORT_YEAR}\b", re.IGNORECASE),  # Oct 3, '13
    # 30 marzo 2023, 1er mars 2021, 30. März 2023, 30 de marzo de 2023
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:er|º|°|\.)?\s+(?:de\s+)?{_FOREIGN_MONTH}\s+(?:del?\s+)?{_YEAR}\b",
        re.IGNORECASE,
    ),
]
_DAY_MONTH_DATES = [
    re.compile(rf"\b{_MONTH},?\s+{_DAY}\b(?!,?\s*\d)", re.IGNORECASE),  # February 4 / February, 27
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?![\w.]*,?\s*\d)", re.IGNORECASE),  # 4 February
]
# A line that is only a date, optionally after a label and a weekday and followed by
# the publication ("Print 23 November 2017", "Published: 2017-11-23 | GMP News",
# "Updated on Monday, 12 January 2026").
_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun"
    # The weekdays of the languages whose month names full dates are read in, and their
    # usual short forms ("gio 30 marzo 2023", "jeudi 30 mars 2023", "Do., 30. März 2023").
    r"|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|пн|вт|ср|чт|пт|сб|вс"
    r"|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|lun|mar|mer|gio|ven|sab|dom"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|mo|di|mi|do|fr|sa|so"
    r"|lunes|martes|miércoles|miercoles|jueves|viernes|sábado|domingo)(?![^\W\d_])\.?,?\s+"
)
_DATELINE_LABEL = re.compile(
    r"^(?P<label>(?:print(?:ed)?|published|posted|date|dated|updated|last\s+updated|created)"
    rf"(?:\s+on)?\b:?)?\s*(?:{_WEEKDAY})?",
    re.IGNORECASE,
)
# The time of day around a dateline's date: "10:45, 17 April 2022", "17.04.2022 at 10:45
# MSK", "17 October 2012 (09:30)".
_TIME = r"\(?\d{1,2}:\d{2}(?:\s*(?:[ap]\.?m\.?|msk|utc|gmt)\b)?\)?"
_TIME_BEFORE = re.compile(rf"^{_TIME}\s*[,|]?\s*", re.IGNORECASE)
_TIME_AFTER = re.compile(rf"^\s*[,|]?\s*(?:at\s+)?{_TIME}", re.IGNORECASE)
_DATELINE_SOURCE_SEPARATOR = re.compile(r"^\s*[|,·•–—-]\s*")
# "Source: Okta, 28.02.2017": the publication, and perhaps its date.
_SOURCE_LINE = re.compile(r"^source\s*:\s*(?P<source>\S.*)$", re.IGNORECASE)
_SOURCE_DATE_SEPARATOR = re.compile(r"\s*[,|·•–—-]\s*$")
# "On February 4 ..." opens many leads; a day and month without a year must sit at the start.
_LEAD_DATE_WINDOW = 40
# A standalone line of at most this many words above another headline is a section label;
# one of a few more words above a headline that ends with its date is a link or a label too.
_SECTION_LABEL_WORDS = 2
_LABEL_ABOVE_DATED_HEADLINE_WORDS = 4
# A standalone line of at most this many words between the headline and the text is a
# label or a button ("Apply online", "Production site"), not the article's first paragraph.
_LABEL_BELOW_TITLE_WORDS = 4
# The year of a title such as "... in 2014" dates a lead that gives only day and month.
_TITLE_YEAR = re.compile(r"\bin\s+((?:19|20)\d{2})\b", re.IGNORECASE)
# Page furniture above the headline: a language switcher or an issue line ("Rus Eng",
# "Mon 12 May / No 4 2023"): words of at most this many letters, and no sentence.
_FURNITURE_WORD_LENGTH = 3
# A section line of short parts ("Siberia | Finance, business").
_RUBRIC_PART_WORDS = 3
# A button's words run into the headline below it ("subscribe to news 13th Forum opens").
_BUTTON_PREFIX = re.compile(
    r"^(?:subscribe(?:\s+to\s+(?:news|newsletter|digest|updates))?|share|print|search|menu)\s+"
    r"(?=[A-ZА-ЯЁ0-9\"“«])"
)
# A headline runs into the lead on the next line; the line above the lead ends like a
# headline, not halfway through a sentence.
_CONTINUING_WORDS = frozenset(
    {
        "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for",
        "with", "by", "from", "as", "into", "than", "that", "which", "who", "whose", "its",
        "their", "his", "her", "our", "is", "are", "was", "were", "be", "has", "have", "had",
        "will", "would", "this", "these", "those", "not",
    }
)  # fmt: skip
# Words that end in a full stop without ending the sentence ("St. Petersburg", "Dr. Lind").
_ABBREVIATIONS = frozenset(
    {
        "st", "dr", "mr", "mrs", "ms", "prof", "no", "nos", "co", "inc", "ltd", "corp", "jr",
        "sr", "mt", "vs", "gen", "gov", "sen", "rep", "dept", "est", "approx", "fig", "vol",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    }
)  # fmt: skip

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»’)]?\s+(?=[\"“«(]?[A-ZА-ЯЁ0-9])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Zero-width spaces, soft hyphens and stray byte-order marks that web pages carry.
_INVISIBLE = re.compile(r"[\u200b\u00ad\ufeff]")
_WORD_CHARACTER = re.compile(r"[^\W_]")
_ELLIPSIS = re.compile(r"(?:\.{3}|…)$")
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")
_LETTERS = re.compile(r"[^\W\d_]+")
# Initials ("A.", "L.Ya.") end in a full stop without ending the sentence.
_INITIALS = re.compile(r"(?:[A-ZА-ЯЁ][a-zа-яё]?\.)+")
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
# ftfy repairs mojibake only (UTF-8 read as Windows-1252 or Latin-1: "â€™" for "’"); every
# fixer that would rewrite legitimate text (curly quotes, ligatures, full-width letters, Unicode
# normalisation, HTML entities in a page) is off, and line breaks and control characters are
# handled below.
# UTF-8 read as Windows-1252 or Latin-1 turns each multi-byte character into a
# lead letter (Â-ô) followed by a continuation character (\x80-\xbf in Latin-1,
# or the Windows-1252 punctuation and letters that stand at those bytes).
_MOJIBAKE_PAIR = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039"
    "\u203a\u20ac\u2122]"
)
_MOJIBAKE_ONLY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def decode_article(data: bytes) -> str:
    """Decode a file's bytes as text with Unix line ends and no control characters.

    UTF-8 (with or without a byte-order mark) is expected; UTF-16 and UTF-32
    are accepted when a byte-order mark says so. Text that was mis-decoded
    before it was saved (UTF-8 read as Windows-1252: "â€™" for "’") is
    repaired with ftfy, which leaves correct text alone. Windows (CRLF), old Mac (CR)
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
    # Before line breaks and control characters: mojibake of "…" and "’" carries C1 characters.
    # ftfy reads every character; only text that has a mojibake pair needs it.
    if _MOJIBAKE_PAIR.search(text):
        text = ftfy.fix_text(text, _MOJIBAKE_ONLY)
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
    page_date = None
    if _HTML_PAGE.match(text):
        page = read_html_page(text)
        text, page_date = page.text, page.published_on
        notes.append("HTML page: converted to text (tags, scripts and navigation dropped)")
    cleaned = [_clean_line(line) for line in text.split("\n")]
    lines = _strip_chrome(cleaned)
    if not any(lines):
        raise ArticleParseError("no article text (only page chrome)")

    head = _read_head(lines, header_end=_header_end(cleaned, lines))
    title, source = head.title, head.source
    body_lines, body_date, body_source = _drop_bylines(lines[head.body_start :])
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
    # The article's own dateline first; a date above the headline may be the site's
    # calendar widget, so the lead's date (the event reported) beats it.
    published_on = (
        head.published_on
        or body_date
        or page_date
        or _lead_date(paragraphs[0], title)
        or head.date_above_title
    )
    return ParsedArticle(
        title=title,
        body="\n\n".join(paragraphs),
        published_on=published_on,
        source=source,
        notes=notes,
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


def derive_title(paragraph: str) -> str:
    """A title for an article without a headline: its first sentence, shortened."""
    sentence = " ".join(_sentences(paragraph)[0].split()).rstrip(" .")
    if not _WORD_CHARACTER.search(sentence):
        # A lead that opens with a stray "." or "…" : use the paragraph itself.
        sentence = " ".join(paragraph.split()).strip(" .…")
    if len(sentence) <= DERIVED_TITLE_LENGTH:
        return sentence
    cut = sentence[: DERIVED_TITLE_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return f"{cut}…"


def _sentences(text: str) -> list[str]:
    """``text`` split into sentences; "St. Petersburg" or "A. Lind" does not end one."""
    sentences: list[str] = []
    for piece in _SENTENCE_END.split(text):
        if sentences and _ends_with_abbreviation(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def _ends_with_abbreviation(text: str) -> bool:
    words = text.split()
    if not words or not words[-1].endswith("."):
        return False
    word = words[-1].strip('"“«(')
    return word[:-1].casefold() in _ABBREVIATIONS or bool(_INITIALS.fullmatch(word))


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


def _split_trailing_date(text: str) -> tuple[str, datetime.date | None]:
    """``text`` without the full date (and time) that ends it, and that date.

    "Plant opens 16.09.2013" and "Plant opens 16 сентября 2013, 10:49" end with one.
    """
    for pattern in _FULL_DATES:
        for match in pattern.finditer(text):
            tail = _TIME_AFTER.sub("", text[match.end() :], count=1)
            if match.start() == 0 or tail.strip(" )"):
                continue
            date = _to_date(match)
            if date is not None:
                return _SOURCE_DATE_SEPARATOR.sub("", text[: match.start()]).strip(), date
    return text, None


def _clean_line(line: str) -> str:
    """Collapse runs of spaces (including no-break spaces), drop invisible characters, trim."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def _is_chrome(line: str) -> bool:
    """A line that is page chrome wherever it stands (buttons, labels, metadata, icons)."""
    key = line.casefold().rstrip(" :")
    return (
        key in _CHROME_LINES
        or _is_related_label(line)
        or bool(_METADATA_LINE.match(line) or _BREADCRUMB.match(line))
        or bool(_BYLINE.match(line) or _IMAGE_LINE.search(line))
        or bool(_ADVERT_OR_PHONE.match(line))
        or _is_icon_row(line)
    )


def _is_related_label(line: str) -> bool:
    return bool(_RELATED_LABEL.match(line.rstrip(" :")))


def _is_icon_row(line: str) -> bool:
    """Icon names run together ("map search arrow rss twitter"), or Sketch's icon titles."""
    if _SKETCH_ICON in line.casefold():
        return True
    words = line.split()
    if len(words) < 3 or line != line.lower():
        return False
    icons = sum(word.strip("_-") in _ICON_WORDS or "_" in word for word in words)
    return 2 * icons >= len(words)


def _is_prose(line: str) -> bool:
    """A line of running text: enough words, ending a sentence."""
    return len(line.split()) >= _PROSE_WORDS and line.rstrip('"”»’)').endswith((".", "!", "?"))


def _is_link_text(line: str) -> bool:
    """A linked headline or teaser ("Plant opens in Tver", "Scientists in Tver have...")."""
    return _looks_like_headline(line) or (
        len(line) <= MAX_TITLE_LENGTH and bool(_ELLIPSIS.search(line))
    )


def _share_buttons(lines: list[str]) -> set[int]:
    """Indexes of runs of share buttons, one per line ("Publish in Twitter", "Share MK")."""
    found: set[int] = set()
    run: list[int] = []
    for index, line in enumerate([*lines, ""]):
        words = line.split()
        if line and len(words) <= _SHARE_BUTTON_WORDS and _looks_like_headline(line):
            run.append(index)
            continue
        buttons = [
            i
            for i in run
            if any(word.casefold().strip(".:") in _SHARE_WORDS for word in lines[i].split())
        ]
        if len(run) >= 2 and 2 * len(buttons) >= len(run):
            found.update(run)
        run = []
    return found


def _strip_chrome(lines: list[str]) -> list[str]:
    """Blank out chrome lines, forms, share buttons, related-story links and the footer.

    Positions are kept, so blank lines still separate what they separated.
    """
    kept = []
    in_form = in_related = in_footer = False
    share_buttons = _share_buttons(lines)
    crumbs = _breadcrumb_lists(lines)
    for index, line in enumerate(lines):
        key = line.casefold().rstrip(" :")
        if key == _SUBSCRIBE_START:
            in_form = True
        elif in_form and (not line or _SUBSCRIBE_FORM_LINE.match(line)):
            pass
        else:
            in_form = False
        # Below "Read also:" come other stories' headlines and teasers, up to the next prose.
        if _is_related_label(line):
            in_related = True
        elif in_related and line and not _is_link_text(line):
            in_related = False
        # The footer runs from the copyright notice to the end (unless prose follows).
        if _COPYRIGHT.search(line) and len(line.split()) <= _FOOTER_NOTICE_WORDS:
            in_footer = True
        elif in_footer and _is_prose(line):
            in_footer = False
        chrome = in_form or in_related or in_footer or index in share_buttons or index in crumbs
        kept.append("" if chrome or _is_chrome(line) else _IMAGE_PREFIX.sub("", line))
    return kept


def _breadcrumb_lists(lines: list[str]) -> set[int]:
    """Indexes of breadcrumbs written as a list that starts at the home page.

    "1. Main", "2. News", "3. Industry, Energy": short items on consecutive lines.
    """
    found: set[int] = set()
    index = 0
    while index < len(lines):
        first = _LIST_ITEM.match(lines[index])
        if first is None or not _HOME_ITEM.match(first.group("item")):
            index += 1
            continue
        end = index + 1
        while end < len(lines) and (item := _LIST_ITEM.match(lines[end])):
            if len(item.group("item").split()) > _CRUMB_WORDS:
                break
            end += 1
        if end > index + 1:
            found.update(range(index, end))
        index = end
    return found


def _header_end(lines: list[str], stripped: list[str]) -> int:
    """Where the page's header ends: below a breadcrumb over the headline, else 0.

    A breadcrumb ("Home / News", "1. Main" "2. News", "Documents /") sits between
    the site's header (its name, slogans, blurbs of its journals, an advert) and the
    article; above it nothing is the title. It counts only before any prose and when
    a line that stands alone as a headline follows it. ``lines`` are the page's
    lines, ``stripped`` the same lines with the chrome blanked.
    """
    crumbs = _breadcrumb_lists(lines)
    end = 0
    for index, line in enumerate(lines):
        if _is_prose(line):
            break
        if not (index in crumbs or _BREADCRUMB.match(line)):
            continue
        following = next((i for i in range(index + 1, len(stripped)) if stripped[i]), None)
        if following is None:
            break
        after = stripped[following + 1] if following + 1 < len(stripped) else ""
        candidate = stripped[following]
        if _looks_like_headline(candidate) and (not after or _parse_dateline(after)):
            end = index + 1
    return end


def _parse_dateline(line: str) -> tuple[datetime.date, str] | None:
    """The date and inline publication of a line that is only a (labelled) date.

    A line of parts separated by "|" is a dateline when one part is and the others
    are short (the author, the place or the site: "A. Lind, Tver | Updated on
    February 9, 2011", "news.example.org|Updated: April 10, 2023").
    """
    dateline = _parse_plain_dateline(line)
    if dateline is not None or "|" not in line:
        return dateline
    parts = [part.strip() for part in line.split("|") if part.strip()]
    datelines = [_parse_plain_dateline(part) for part in parts]
    others = [part for part, dateline in zip(parts, datelines, strict=True) if dateline is None]
    found = next((dateline for dateline in datelines if dateline is not None), None)
    if found is None or not all(
        _looks_like_source(part) or _is_byline(part) or _DOMAIN.fullmatch(part) for part in others
    ):
        return None
    return found[0], ""


def _parse_plain_dateline(line: str) -> tuple[datetime.date, str] | None:
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


def _is_byline(text: str) -> bool:
    """An author's name, perhaps with initials and a place ("G. Lind Tver")."""
    words = text.split()
    return 0 < len(words) <= 6 and all(word[0].isupper() for word in words)


def _read_source(line: str) -> tuple[str, datetime.date | None] | None:
    """The publication of a "Source: ..." line, and the date it gives after it."""
    match = _SOURCE_LINE.match(line)
    if match is None:
        return None
    source, date = _split_trailing_date(match.group("source").strip())
    return source, date


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
        and len(_sentences(line)) == 1
    )


def _is_furniture(line: str) -> bool:
    """Page furniture above the headline: a language switcher, an issue line, a rubric.

    "Rus Eng" or "Mon 12 May / No 4 2023" (no word longer than three letters) and
    "Siberia | Finance, business" (short parts between bars) are no headlines.
    """
    if line.endswith((".", "!", "?")):
        return False
    words = _LETTERS.findall(line)
    if len(words) >= 2 and all(len(word) <= _FURNITURE_WORD_LENGTH for word in words):
        return True
    parts = [part.strip() for part in line.split("|") if part.strip()]
    return len(parts) >= 2 and all(len(part.split()) <= _RUBRIC_PART_WORDS for part in parts)


@dataclass
class _Head:
    """What the lines above the body give (see ``_read_head``)."""

    title: str = ""
    # A dateline at or below the headline, and one above it (perhaps a calendar widget).
    published_on: datetime.date | None = None
    date_above_title: datetime.date | None = None
    source: str = ""
    body_start: int = 0


def _read_head(lines: list[str], *, header_end: int = 0) -> _Head:
    """Read the headline, the datelines and the publication above the body.

    Skipped on the way: the page's header above ``header_end`` (only its
    datelines count), page furniture (and the site's name above it), a site's
    description of itself, section labels above the headline and short labels
    or buttons below it.
    """
    head = _Head()
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line:
            index += 1
            continue
        dateline = _read_dateline(lines, index)
        if dateline is not None:
            date, dateline_source, index = dateline
            _note_date(head, date)
            head.source = head.source or dateline_source
            continue
        source_line = _read_source(line)
        if source_line is not None and not head.source:
            head.source = source_line[0]
            if source_line[1] is not None:
                _note_date(head, source_line[1])
            index += 1
            continue
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        # The site's header, furniture, and a site's name or slogan right above it.
        if (
            index < header_end
            or _is_furniture(line)
            or (not head.title and (_is_furniture(next_line) or _SITE_DESCRIPTION.match(line)))
        ):
            index += 1
            continue
        if not head.title:
            line = _BUTTON_PREFIX.sub("", line, count=1)
        stands_alone = not next_line or _parse_dateline(next_line) is not None
        is_headline = stands_alone and _looks_like_headline(line) and _has_text_after(lines, index)
        if not head.title and is_headline:
            if not _is_section_label(line, lines, index):
                head.title, date = _split_headline_date(line)
                if date is not None:
                    _note_date(head, date)
            index += 1
            continue
        if head.title and is_headline and len(line.split()) <= _LABEL_BELOW_TITLE_WORDS:
            index += 1
            continue
        if not head.title and _runs_into_lead(line, next_line):
            head.title = line
            index += 1
        break
    head.body_start = index
    return head


def _note_date(head: _Head, date: datetime.date) -> None:
    """Keep the first date above the headline and the first at or below it."""
    if head.title:
        head.published_on = head.published_on or date
    else:
        head.date_above_title = head.date_above_title or date


def _split_headline_date(line: str) -> tuple[str, datetime.date | None]:
    """A headline without the date it ends with, and that date."""
    title, date = _split_trailing_date(line)
    if date is None or len(title.split()) < _SECTION_LABEL_WORDS + 1:
        return line, None
    return title, date


def _runs_into_lead(line: str, next_line: str) -> bool:
    """A headline with the lead on the very next line, no blank line between them.

    The headline ends as headlines do (not on "of" or a comma, which a wrapped
    sentence would), and the next line starts a sentence and reads as prose.
    """
    words = line.split()
    return (
        len(words) > _SECTION_LABEL_WORDS
        and _looks_like_headline(line)
        and words[-1].casefold() not in _CONTINUING_WORDS
        and not line.endswith(("-", "–", "—", "/", "&"))
        and bool(next_line)
        and (next_line[0].isupper() or next_line[0].isdigit() or next_line[0] in '"“«')
        and _is_prose(next_line)
    )


def _is_section_label(line: str, lines: list[str], index: int) -> bool:
    """A word or two ("News", "Press releases") above the real headline.

    Sites print the section's name over the article; it is a label, not the
    title, when the next line is itself a longer headline that stands alone.
    A few more words are a label too when every one is capitalised, as in an
    author's byline or a site's name ("Dr. Helena Marsh", "Volga Industry
    Courier"), or above a headline that ends with its date (a link or a
    button over a list of dated news).
    """
    words = line.split()
    if len(words) > _LABEL_ABOVE_DATED_HEADLINE_WORDS:
        return False
    following = next((i for i in range(index + 1, len(lines)) if lines[i]), None)
    if following is None:
        return False
    candidate = lines[following]
    after = lines[following + 1] if following + 1 < len(lines) else ""
    if (
        len(words) > _SECTION_LABEL_WORDS
        and not _is_name(words)
        and _split_headline_date(candidate)[1] is None
    ):
        return False
    return (
        len(candidate.split()) > max(len(words), _SECTION_LABEL_WORDS)
        and not after
        and _looks_like_headline(candidate)
        and _has_text_after(lines, following)
    )


def _is_name(words: list[str]) -> bool:
    """Capitalised words only, no figures: a person's or a site's name, not a headline."""
    return all(word[0].isupper() and not any(c.isdigit() for c in word) for word in words)


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
        source_line = _read_source(lines[index])
        if source_line:
            source = source or source_line[0]
            published_on = published_on or source_line[1]
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

    A full date in the lead's first sentence is the date of the event it reports
    ("... was held in Tver on December 12, 2019."). A lead that gives only day
    and month at its start ("On February 4, ...") is dated with the year of a
    title such as "... in 2014". A date further on, or a year mentioned in
    passing, is never taken for a publication date.
    """
    head = lead[:_LEAD_DATE_WINDOW]
    full = _find_full_date(head) or _find_full_date(_sentences(lead)[0])
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
    month_number = int(month) if month.isdigit() else _ALL_MONTHS[month.casefold()]
    if year is None:
        written = match.group("year")
        year = int(written.lstrip("'’"))
        if len(written) == 3:  # '13
            year += 2000 if year < _SHORT_YEAR_PIVOT else 1900
    try:
        return datetime.date(year, month_number, int(match.group("day")))
    except ValueError:
        return None
