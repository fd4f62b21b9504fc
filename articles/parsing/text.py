"""Text helpers the other steps share: cleaning a line and a line's shape.

Whether a line reads as prose or as a headline decides chrome, the headline
and the body alike. Sentences are split by extraction's splitter
(``entities.extraction.text.split_sentences``), the project's only one.
"""

import re

from entities.extraction.text import split_sentences

# A longer line is never a headline.
MAX_TITLE_LENGTH = 200
# Only a paragraph of prose this long ends a list of links or a footer.
_PROSE_WORDS = 12
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Zero-width spaces, soft hyphens and stray byte-order marks that web pages carry.
_INVISIBLE = re.compile(r"[\u200b\u00ad\ufeff]")
WORD_CHARACTER = re.compile(r"[^\W_]")
ELLIPSIS = re.compile(r"(?:\.{3}|…)$")


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
        # At most one: a blank line has none.
        and len(split_sentences(line, line_breaks=False)) <= 1
    )
