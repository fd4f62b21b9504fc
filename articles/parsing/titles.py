"""The headline: found among the lines above the body, or derived from the lead.

Reading the head of a page also collects the datelines and the publication
stated there, and skips what stands around the headline: the site's header
above a breadcrumb, page furniture, section labels and buttons.
"""

import datetime
import re
from dataclasses import dataclass

from articles.parsing.chrome import BREADCRUMB, breadcrumb_lists
from articles.parsing.datelines import parse_dateline, read_dateline, read_source
from articles.parsing.dates import split_trailing_date
from articles.parsing.text import WORD_CHARACTER, is_prose, looks_like_headline
from entities.extraction.text import split_sentences

# A title derived from the first sentence is cut to this length.
DERIVED_TITLE_LENGTH = 100
# A site's description of itself above the headline ("Official website of the ... Council").
_SITE_DESCRIPTION = re.compile(
    r"^(?:the\s+)?official\s+(?:web\s*site|site|portal|internet\s+portal|web\s+portal)"
    r"\s+of\s+[^.!?]{1,100}$",
    re.IGNORECASE,
)
# A standalone line of at most this many words above another headline is a section label;
# one of a few more words above a headline that ends with its date is a link or a label too.
_SECTION_LABEL_WORDS = 2
_LABEL_ABOVE_DATED_HEADLINE_WORDS = 4
# A standalone line of at most this many words between the headline and the text is a
# label or a button ("Apply online", "Production site"), not the article's first paragraph.
_LABEL_BELOW_TITLE_WORDS = 4
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
_LETTERS = re.compile(r"[^\W\d_]+")


def derive_title(paragraph: str) -> str:
    """A title for an article without a headline: its first sentence, shortened."""
    sentence = " ".join(split_sentences(paragraph, line_breaks=False)[0].text.split()).rstrip(" .")
    if not WORD_CHARACTER.search(sentence):
        # A lead that opens with a stray "." or "…" : use the paragraph itself.
        sentence = " ".join(paragraph.split()).strip(" .…")
    if len(sentence) <= DERIVED_TITLE_LENGTH:
        return sentence
    cut = sentence[: DERIVED_TITLE_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return f"{cut}…"


def find_header_end(lines: list[str], stripped: list[str]) -> int:
    """Where the page's header ends: below a breadcrumb over the headline, else 0.

    A breadcrumb ("Home / News", "1. Main" "2. News", "Documents /") sits between
    the site's header (its name, slogans, blurbs of its journals, an advert) and the
    article; above it nothing is the title. It counts only before any prose and when
    a line that stands alone as a headline follows it. ``lines`` are the page's
    lines, ``stripped`` the same lines with the chrome blanked.
    """
    crumbs = breadcrumb_lists(lines)
    end = 0
    for index, line in enumerate(lines):
        if is_prose(line):
            break
        if not (index in crumbs or BREADCRUMB.match(line)):
            continue
        following = next((i for i in range(index + 1, len(stripped)) if stripped[i]), None)
        if following is None:
            break
        after = stripped[following + 1] if following + 1 < len(stripped) else ""
        candidate = stripped[following]
        if looks_like_headline(candidate) and (not after or parse_dateline(after)):
            end = index + 1
    return end


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
    """What the lines above the body give (see ``read_head``)."""

    title: str = ""
    # A dateline at or below the headline, and one above it (perhaps a calendar widget).
    published_on: datetime.date | None = None
    date_above_title: datetime.date | None = None
    source: str = ""
    body_start: int = 0


def read_head(lines: list[str], *, header_end: int = 0) -> _Head:
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
        dateline = read_dateline(lines, index)
        if dateline is not None:
            date, dateline_source, index = dateline
            _note_date(head, date)
            head.source = head.source or dateline_source
            continue
        source_line = read_source(line)
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
        stands_alone = not next_line or parse_dateline(next_line) is not None
        is_headline = stands_alone and looks_like_headline(line) and _has_text_after(lines, index)
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
    title, date = split_trailing_date(line)
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
        and looks_like_headline(line)
        and words[-1].casefold() not in _CONTINUING_WORDS
        and not line.endswith(("-", "–", "—", "/", "&"))
        and bool(next_line)
        and (next_line[0].isupper() or next_line[0].isdigit() or next_line[0] in '"“«')
        and is_prose(next_line)
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
        and looks_like_headline(candidate)
        and _has_text_after(lines, following)
    )


def _is_name(words: list[str]) -> bool:
    """Capitalised words only, no figures: a person's or a site's name, not a headline."""
    return all(word[0].isupper() and not any(c.isdigit() for c in word) for word in words)


def is_headline_only(paragraph: str) -> bool:
    """A paragraph of one line that reads as a headline, not as article text."""
    return "\n" not in paragraph and looks_like_headline(paragraph)


def _has_text_after(lines: list[str], index: int) -> bool:
    return any(line and parse_dateline(line) is None for line in lines[index + 1 :])
