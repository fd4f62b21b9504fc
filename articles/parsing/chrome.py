"""Page chrome: what web pages wrap around an article, blanked out line by line.

Subscription forms, buttons and labels, metadata, bylines, breadcrumbs,
adverts and phone numbers, icon names, share buttons, lists of related
stories and the footer. The vocabulary is generic web-page wording, not facts
from any particular article.
"""

import re

from articles.parsing.text import ELLIPSIS, MAX_TITLE_LENGTH, is_prose, looks_like_headline

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
BREADCRUMB = re.compile(
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


def is_chrome(line: str) -> bool:
    """A line that is page chrome wherever it stands (buttons, labels, metadata, icons)."""
    key = line.casefold().rstrip(" :")
    return (
        key in _CHROME_LINES
        or _is_related_label(line)
        or bool(_METADATA_LINE.match(line) or BREADCRUMB.match(line))
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


def _is_link_text(line: str) -> bool:
    """A linked headline or teaser ("Plant opens in Tver", "Scientists in Tver have...")."""
    return looks_like_headline(line) or (
        len(line) <= MAX_TITLE_LENGTH and bool(ELLIPSIS.search(line))
    )


def _share_buttons(lines: list[str]) -> set[int]:
    """Indexes of runs of share buttons, one per line ("Publish in Twitter", "Share MK")."""
    found: set[int] = set()
    run: list[int] = []
    for index, line in enumerate([*lines, ""]):
        words = line.split()
        if line and len(words) <= _SHARE_BUTTON_WORDS and looks_like_headline(line):
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


def strip_chrome(lines: list[str]) -> list[str]:
    """Blank out chrome lines, forms, share buttons, related-story links and the footer.

    Positions are kept, so blank lines still separate what they separated.
    """
    kept = []
    in_form = in_related = in_footer = False
    share_buttons = _share_buttons(lines)
    crumbs = breadcrumb_lists(lines)
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
        elif in_footer and is_prose(line):
            in_footer = False
        chrome = in_form or in_related or in_footer or index in share_buttons or index in crumbs
        kept.append("" if chrome or is_chrome(line) else _IMAGE_PREFIX.sub("", line))
    return kept


def breadcrumb_lists(lines: list[str]) -> set[int]:
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
