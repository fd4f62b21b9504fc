"""Sentences and word tokens with their offsets in the article body.

``split_sentences`` is the project's one sentence splitter: article parsing
(``articles.parsing``) uses it too, for headlines, derived titles and lead dates.
``alternation`` writes a list of words into a regular expression, as every
extractor's patterns do.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from entities.extraction.vocabulary import FUNCTION_WORDS, LEGAL_FORMS


def alternation(phrases: Iterable[str]) -> str:
    """The phrases as a regular-expression alternation ``a|b|c``: escaped, longest first.

    A pattern tries its alternatives in order, so "Chief Executive Officer"
    must stand before "Chief Executive" to be matched whole.
    """
    return "|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True))


# A sentence ends at . ! ? (and a closing quote) followed by space and a capital,
# digit or quote; in a body also at a line break: headings and list items stand alone.
_PROSE_SENTENCE_END = r"[.!?…]+[\"”’»)]*(?=\s+[\"“«(]?[A-ZА-Я0-9])"
_SENTENCE_END = {
    True: re.compile(rf"{_PROSE_SENTENCE_END}|\s*\n\s*"),
    False: re.compile(_PROSE_SENTENCE_END),
}
# Abbreviations and initials that end in a full stop without ending a sentence.
_NO_BREAK_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|No|Nos|vs|etc|approx|e\.g|i\.e|Inc|Ltd|Co|Corp|Jr|Sr)"
    r"|(?:^|[\s.(])[A-Z])\.$"
)
# Words, numbers and single punctuation marks. A word keeps inner hyphens,
# apostrophes, dots and ampersands ("Vel-Pharm", "R&D", "Governor’s").
# "St." before a capital ("St. Petersburg") is one token, so names run through it.
# Legal forms written with inner dots or a slash ("A/S", "S.p.A.") and dotted
# acronyms ("NVB.RF") and site names ("Okta.ru") are one token too.
_DOTTED_FORMS = alternation(form for form in LEGAL_FORMS if re.search(r"\w[./]\w", form))
_TOKEN = re.compile(
    rf"(?<!\w)(?:{_DOTTED_FORMS})(?!\w)|St\.(?=\s[A-Z])|[A-Z]{{2,}}(?:\.[A-Z]{{2,}})+"
    r"|[A-Z][\w-]+\.(?:ru|com|kz|uz|by|ua|net|org|info|am|az|kg)\b"
    r"|[^\W_]+(?:[’'\-&][^\W_]+)*[’']?|\S",
    re.UNICODE,
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of the body and where it is."""

    start: int
    end: int
    text: str


class Token:
    """One word or punctuation mark and where it is in the body.

    ``lower``, ``is_capitalised`` and ``is_word`` are read hundreds of
    thousands of times per thousand articles, so they are computed once; a
    plain class with slots builds faster than a frozen dataclass.
    """

    __slots__ = ("end", "is_capitalised", "is_word", "lower", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.lower = text.lower().rstrip("’'")
        self.is_capitalised = text[:1].isupper()
        self.is_word = text[:1].isalnum()

    def __eq__(self, other) -> bool:
        return isinstance(other, Token) and (self.text, self.start, self.end) == (
            other.text,
            other.start,
            other.end,
        )

    def __hash__(self) -> int:
        return hash((self.text, self.start, self.end))

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end})"


def split_sentences(body: str, *, line_breaks: bool = True) -> list[Sentence]:
    """Split ``body`` into sentences, keeping their offsets.

    With ``line_breaks`` (an article body) every line break ends a sentence,
    so that headings and list items stand alone; without it (a paragraph, whose
    lines may be wrapped mid-sentence) a line break is a space. Abbreviations
    and initials ("Dr.", "St. Petersburg", "A. Lind") do not end a sentence.

    Article parsing had a splitter of its own, with a longer abbreviation list
    ("Gen.", "Jan.", "L.Ya.") but closing quotes cut off and "e.g."/"i.e."
    ending sentences; this one was kept (issue 15). Both gave the same sentences
    on the seeds (same scores), the test suite and 439 more articles (test data
    and a generated corpus), and this one keeps extraction's results the same
    on any text.
    """
    sentences = []
    start = 0
    for match in _SENTENCE_END[line_breaks].finditer(body):
        end = match.end() if match.group().strip() else match.start()
        if match.group().strip() and _NO_BREAK_BEFORE.search(body[max(0, end - 8) : end]):
            continue
        _append(sentences, body, start, end)
        start = match.end()
    _append(sentences, body, start, len(body))
    return sentences


def _append(sentences: list[Sentence], body: str, start: int, end: int) -> None:
    text = body[start:end]
    stripped = text.strip()
    if not stripped:
        return
    lead = len(text) - len(text.lstrip())
    begin = start + lead
    sentences.append(Sentence(begin, begin + len(stripped), stripped))


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Return the tokens of ``text``; offsets are shifted by ``offset``.

    Each extractor reads the same sentences, so the tokens of recent ones are
    cached (tokens are immutable; callers get a list of their own).
    """
    return list(_tokenize(text, offset))


@lru_cache(maxsize=1024)
def _tokenize(text: str, offset: int) -> tuple[Token, ...]:
    return tuple(
        Token(match.group(), match.start() + offset, match.end() + offset)
        for match in _TOKEN.finditer(text)
    )


def common_words(body: str) -> frozenset[str]:
    """Words the article writes in lower case: a capitalised form of one is not a name.

    Used to tell "Currently" or "Programs" at a sentence start from a proper name.
    """
    lowered = set(re.findall(r"\b[a-z][a-z’'-]*\b", body))
    return frozenset(lowered | FUNCTION_WORDS)
