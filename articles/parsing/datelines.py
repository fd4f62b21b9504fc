"""Datelines and "Source:" lines: when, and in which publication, an article appeared.

A dateline is a line that is only a date, perhaps labelled ("Published:"),
after a weekday or a time, and followed by the publication ("| GMP News") or
with it on the next line. A "Source: ..." line names the publication and may
give the date.
"""

import datetime
import re

from articles.parsing.chrome import is_chrome
from articles.parsing.dates import (
    FULL_DATES,
    TIME_AFTER,
    TIME_BEFORE,
    find_full_date,
    split_trailing_date,
    to_date,
)

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
_DATELINE_SOURCE_SEPARATOR = re.compile(r"^\s*[|,·•–—-]\s*")
# "Source: Okta, 28.02.2017": the publication, and perhaps its date.
_SOURCE_LINE = re.compile(r"^source\s*:\s*(?P<source>\S.*)$", re.IGNORECASE)
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")


def parse_dateline(line: str) -> tuple[datetime.date, str] | None:
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
    rest = TIME_BEFORE.sub("", line[label.end() :], count=1)
    for pattern in FULL_DATES:
        match = pattern.match(rest)
        if match is None or (date := to_date(match)) is None:
            continue
        tail = TIME_AFTER.sub("", rest[match.end() :], count=1)
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


def read_source(line: str) -> tuple[str, datetime.date | None] | None:
    """The publication of a "Source: ..." line, and the date it gives after it."""
    match = _SOURCE_LINE.match(line)
    if match is None:
        return None
    source, date = split_trailing_date(match.group("source").strip())
    return source, date


def _looks_like_source(line: str) -> bool:
    """A short name on its own line ("GMP News"), not a sentence or a date."""
    words = line.split()
    return (
        0 < len(words) <= 8
        and len(line) <= 80
        and not line.endswith((".", ":", ";", ","))
        and line[0].isupper()
        and find_full_date(line) is None
        and not is_chrome(line)
    )


def read_dateline(lines: list[str], index: int) -> tuple[datetime.date, str, int] | None:
    """Read the dateline at ``lines[index]``: (date, source, index of the next line).

    A labelled dateline may have the publication on the next line
    ("Print 23 November 2017" then "GMP News").
    """
    dateline = parse_dateline(lines[index])
    if dateline is None:
        return None
    published_on, source = dateline
    index += 1
    labelled = _DATELINE_LABEL.match(lines[index - 1]).group("label")
    if not source and labelled and index < len(lines) and _looks_like_source(lines[index]):
        source = lines[index]
        index += 1
    return published_on, source, index


def drop_bylines(lines: list[str]) -> tuple[list[str], datetime.date | None, str]:
    """Remove datelines (one repeated below a teaser) and "Source: ..." lines.

    Returns the remaining lines and the first date and publication they gave.
    """
    kept = []
    published_on = None
    source = ""
    index = 0
    while index < len(lines):
        source_line = read_source(lines[index])
        if source_line:
            source = source or source_line[0]
            published_on = published_on or source_line[1]
            index += 1
            continue
        dateline = read_dateline(lines, index) if lines[index] else None
        if dateline is None:
            kept.append(lines[index])
            index += 1
            continue
        if published_on is None:
            published_on, source = dateline[0], source or dateline[1]
        index = dateline[2]
    return kept, published_on, source
