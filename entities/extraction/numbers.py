"""Numbers as articles write them: digits with separators, number words, scales.

Compound number words ("ninety nine", "two hundred and fifty") are read by
the ``text2num`` library on the matched span only, so offsets stay those of
the text; "half a million" and "one and a half billion" are our own rule.
"""

import re
from decimal import Decimal, InvalidOperation

from entities.extraction.quantity_words import NUMBER_WORDS, SCALES

# "1,000", "1 000", "93.3", "1,5" (decimal comma) and plain integers.
NUMBER_PATTERN = r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"


def _words(words) -> str:
    """Number words, capitalised or not; spelled out case by case because a
    case-sensitive list is much faster to scan than an IGNORECASE one."""
    return "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in sorted(words, key=len, reverse=True))


_UNITS = _words(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
_TENS = _words(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])
_BELOW_HUNDRED = rf"(?:(?:{_TENS})(?:[\s-](?:{_UNITS}))?\b|{_words(NUMBER_WORDS)}\b|(?:{_UNITS})\b)"
# "ninety nine", "twenty-five", "two hundred and fifty": compounds, read by text2num.
_COMPOUND = (
    rf"(?:(?:{_UNITS}|[Aa])\s+hundred(?:\s+(?:and\s+)?{_BELOW_HUNDRED})?"
    rf"|(?:{_TENS})[\s-](?:{_UNITS})\b)"
)
# "half a million", "one and a half billion": a fraction of the scale that follows.
_HALF = rf"(?:[Hh]alf\s+a|(?:{_UNITS})\s+and\s+a\s+half)(?=\s+(?i:thousand|million|billion))"
NUMBER_WORD_PATTERN = rf"(?:{_HALF}|{_COMPOUND}|(?:{_words(NUMBER_WORDS)})\b)"
_COMPOUND_WORDS = re.compile(rf"^(?:{_COMPOUND})$")
_HALF_WORDS = re.compile(r"^(?:(?P<whole>\w+)\s+and\s+a\s+half|half\s+a)$", re.IGNORECASE)
_DIGITS = re.compile(r"^[\d.,\u00a0\u202f ]+$")
SCALE_PATTERN = r"(?:" + "|".join(sorted(SCALES, key=len, reverse=True)) + r")"

_GROUPED = re.compile(r"^\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?$")


def parse_number(text: str) -> Decimal | None:
    """Return the value of a number written in digits or as an English word.

    A comma followed by exactly three digits groups thousands ("1,000"); any
    other comma is a decimal comma ("1,5").
    """
    text = " ".join(text.split())
    word = NUMBER_WORDS.get(text.lower())
    if word is not None:
        return Decimal(word)
    half = _HALF_WORDS.match(text)
    if half:
        whole = half.group("whole")
        return Decimal(_word_value(whole) if whole else 0) + Decimal("0.5")
    if _COMPOUND_WORDS.match(text):
        return Decimal(_word_value(text))
    if not _DIGITS.match(text):
        return None
    grouped = _GROUPED.match(text)
    text = re.sub(r"[,\u00a0\u202f ]", "", text) if grouped else text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    # A run of digits no metric can hold is not a quantity (an ID, a code, noise).
    return value if value < MAX_VALUE else None


def _word_value(text: str) -> int:
    """The value of number words; text2num reads compounds ("two hundred and fifty")."""
    from text_to_num import text2num

    text = re.sub(r"^[Aa]\s+hundred", "one hundred", text.lower())
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    return text2num(text.replace("-", " "), "en")


def scale_factor(word: str | None) -> int:
    """The multiplier of a scale word ("million" -> 1000000); 1 when there is none."""
    if not word:
        return 1
    return SCALES.get(word.lower().rstrip("."), 1)


# What a stored metric can hold (24 digits, 6 of them after the point).
MAX_VALUE = Decimal(10) ** 18
_MICRO = Decimal("0.000001")


def normalise_decimal(value: Decimal) -> Decimal:
    """Drop a meaningless fractional part (93300000.0 -> 93300000); keep six decimals at most."""
    if value == value.to_integral_value():
        return value.to_integral_value()
    return value.quantize(_MICRO).normalize()
