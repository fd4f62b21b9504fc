"""Dates written in text: month names, date patterns, and the dates they give.

Full dates are read in English, Russian, Italian, French, German and Spanish;
a day and month without a year only in English and Russian, and only at the
start of a lead whose title names the year.
"""

import datetime
import re

from entities.extraction.text import split_sentences
from entities.extraction.vocabulary import MONTH_NUMBERS

_MONTHS = {
    **MONTH_NUMBERS,
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
FULL_DATES = [
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
# The time of day around a dateline's date: "10:45, 17 April 2022", "17.04.2022 at 10:45
# MSK", "17 October 2012 (09:30)".
_TIME = r"\(?\d{1,2}:\d{2}(?:\s*(?:[ap]\.?m\.?|msk|utc|gmt)\b)?\)?"
TIME_BEFORE = re.compile(rf"^{_TIME}\s*[,|]?\s*", re.IGNORECASE)
TIME_AFTER = re.compile(rf"^\s*[,|]?\s*(?:at\s+)?{_TIME}", re.IGNORECASE)
_SOURCE_DATE_SEPARATOR = re.compile(r"\s*[,|·•–—-]\s*$")
# "On February 4 ..." opens many leads; a day and month without a year must sit at the start.
_LEAD_DATE_WINDOW = 40
# The year of a title such as "... in 2014" dates a lead that gives only day and month.
_TITLE_YEAR = re.compile(r"\bin\s+((?:19|20)\d{2})\b", re.IGNORECASE)


def find_full_date(text: str) -> datetime.date | None:
    """The first valid day-month-year date written in ``text``."""
    found = []
    for pattern in FULL_DATES:
        for match in pattern.finditer(text):
            date = to_date(match)
            if date is not None:
                found.append((match.start(), date))
                break
    return min(found)[1] if found else None


def split_trailing_date(text: str) -> tuple[str, datetime.date | None]:
    """``text`` without the full date (and time) that ends it, and that date.

    "Plant opens 16.09.2013" and "Plant opens 16 сентября 2013, 10:49" end with one.
    """
    for pattern in FULL_DATES:
        for match in pattern.finditer(text):
            tail = TIME_AFTER.sub("", text[match.end() :], count=1)
            if match.start() == 0 or tail.strip(" )"):
                continue
            date = to_date(match)
            if date is not None:
                return _SOURCE_DATE_SEPARATOR.sub("", text[: match.start()]).strip(), date
    return text, None


def lead_date(lead: str, title: str) -> datetime.date | None:
    """The date that opens the lead ("On December 12, 2013 ..."), if any.

    A full date in the lead's first sentence is the date of the event it reports
    ("... was held in Tver on December 12, 2019."). A lead that gives only day
    and month at its start ("On February 4, ...") is dated with the year of a
    title such as "... in 2014". A date further on, or a year mentioned in
    passing, is never taken for a publication date.
    """
    head = lead[:_LEAD_DATE_WINDOW]
    full = find_full_date(head) or find_full_date(split_sentences(lead, line_breaks=False)[0].text)
    if full is not None:
        return full
    years = set(_TITLE_YEAR.findall(title))
    if len(years) != 1:
        return None
    year = int(years.pop())
    for pattern in _DAY_MONTH_DATES:
        match = pattern.search(head)
        if match is not None:
            return to_date(match, year=year)
    return None


def to_date(match: re.Match, *, year: int | None = None) -> datetime.date | None:
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
