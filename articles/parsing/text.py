"""Text helpers the other steps share: cleaning a line, sentences, a line's shape.

Whether a line reads as prose or as a headline decides chrome, the headline
and the body alike.
"""

import re

# A longer line is never a headline.
MAX_TITLE_LENGTH = 200
# Only a paragraph of prose this long ends a list of links or a footer.
_PROSE_WORDS = 12
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
WORD_CHARACTER = re.compile(r"[^\W_]")
ELLIPSIS = re.compile(r"(?:\.{3}|…)$")
# Initials ("A.", "L.Ya.") end in a full stop without ending the sentence.
_INITIALS = re.compile(r"(?:[A-ZА-ЯЁ][a-zа-яё]?\.)+")


def split_sentences(text: str) -> list[str]:
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


def clean_line(line: str) -> str:
    """Collapse runs of spaces (including no-break spaces), drop invisible characters, trim."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def is_prose(line: str) -> bool:
    """A line of running text: enough words, ending a sentence."""
    return len(line.split()) >= _PROSE_WORDS and line.rstrip('"”»’)').endswith((".", "!", "?"))


def looks_like_headline(line: str) -> bool:
    """One short line, not a sentence of prose ending in a full stop."""
    return (
        len(line) <= MAX_TITLE_LENGTH
        and not line.endswith((".", ",", ";", ":"))
        and len(split_sentences(line)) == 1
    )
