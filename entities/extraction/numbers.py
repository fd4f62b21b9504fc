"""Numbers as articles write them: digits with separators, number words, scales."""

import re
from decimal import Decimal, InvalidOperation

from entities.extraction.vocabulary import NUMBER_WORDS, SCALES

# "1,000", "1 000", "93.3", "1,5" (decimal comma) and plain integers.
NUMBER_PATTERN = r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"
# Number words, capitalised or not; spelled out case by case because a
# case-sensitive list is much faster to scan than an IGNORECASE one.
NUMBER_WORD_PATTERN = (
    r"(?:"
    + "|".join(
        f"[{word[0].upper()}{word[0]}]{word[1:]}"
        for word in sorted(NUMBER_WORDS, key=len, reverse=True)
    )
    + r")\b"
)
_DIGITS = re.compile(r"^[\d.,\u00a0\u202f ]+$")
SCALE_PATTERN = r"(?:" + "|".join(sorted(SCALES, key=len, reverse=True)) + r")"

_GROUPED = re.compile(r"^\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?$")


def parse_number(text: str) -> Decimal | None:
    """Return the value of a number written in digits or as an English word.

    A comma followed by exactly three digits groups thousands ("1,000"); any
    other comma is a decimal comma ("1,5").
    """
    text = text.strip()
    word = NUMBER_WORDS.get(text.lower())
    if word is not None:
        return Decimal(word)
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
