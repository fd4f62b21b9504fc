"""Programs, initiatives, certifications and events.

Signals: a name with a year ("Pharma-2030"), a name after "regional program"
or "educational programs –", a capitalised name ending in "Initiative" or
"Forum", a quoted name before "program"/"project" ("the federal “...”
project") and a quoted name after an event noun ("a seminar “...”").
"""

import re

from entities.extraction.organisation_chunks import CLOSE_QUOTES, OPEN_QUOTES
from entities.extraction.organisation_kinds import Found
from entities.extraction.registry import Registry
from entities.extraction.text import Sentence, Token, alternation, tokenize
from entities.extraction.vocabulary import (
    EVENT_NOUNS,
    FUNCTION_WORDS,
    GENERIC_NAME_WORDS,
    PROGRAM_HEADS,
)

# "Pharma-2030": a capitalised name joined to a year.
_YEAR_NAME = re.compile(
    r"(?<![\w-])(?!(?:The|A|An|This|That|Our|Its|Their|New)\b)"
    r"[A-Z][A-Za-z]+(?:[ -][A-Z][A-Za-z]+)?(?:-|\s[-–]\s)(?:19|20)\d{2}\b"
)
# What marks an event as one of a series: an ordinal or "annual" before its name,
# a year, "Days", "Week" or an ordinal in it.
_SERIES_BEFORE = re.compile(
    r"(?:\b(?:annual|yearly|\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh"
    r"|eighth|ninth|tenth|eleventh|twelfth|[IVXL]{1,6})|\b(?i:annual))[\s-]+$"
)
_SERIES_IN_NAME = re.compile(
    r"\b(?:Days|Week|Annual|(?:19|20)\d{2}|\d+(?:st|nd|rd|th)|[IVXL]{2,6})\b"
)
# "Pharma 2030", "Strategy 2030" (see find_programs for which words qualify).
_SPACED_YEAR_NAME = re.compile(r"(?<![\w-])(?P<word>[A-Z][A-Za-z]+) (?:20)\d{2}\b(?![-–/])")
_PHARMA_STEM = re.compile(r"(?i)pharm|farm|med|bio")
# "... until 2035" after a strategy's name.
_HORIZON = re.compile(r"\s+(?:until|till|through|up\s+to)\s+(?:19|20)\d{2}\b")
# "regional program X", "educational programs – X and Y", "the federal program “X”".
_PROGRAM_INTRO = re.compile(
    r"\b(?P<modifier>federal|state|national|regional|municipal|educational|education|training"
    r"|master[’']s|bachelor[’']s|master|bachelor|postgraduate|degree|retraining)"
    r"\s+(?:[\w-]+\s+){0,2}?(?:program(?:me)?|project)(?P<plural>s)?\b"
    r"(?:\s*[–—-]\s*|\s*:\s*|\s+(?:named|called|entitled)\s+|\s+)",
    re.IGNORECASE,
)
_EVENT_QUOTED = re.compile(
    r"\b(?:" + alternation(EVENT_NOUNS) + r")\s+[“«\"](?P<name>[^”»\"\n]{3,80})[”»\"]",
    re.IGNORECASE,
)
# "the federal “Export of Medical Products” project", "the “Lean Clinic” initiative",
# "the “Pharmacy of the Future” educational program".
_QUOTED_BEFORE_HEAD = re.compile(
    r"(?:\b(?P<modifier>federal|state|national|regional|municipal)\s+)?"
    r"[“«\"](?P<name>[A-Z][^”»\"\n]{2,80})[”»\"]\s+"
    r"(?:(?P<after>federal|state|national|regional|municipal|educational|education|training)\s+)?"
    r"(?P<head>program(?:me)?|project|initiative|strategy)\b"
)
# Words that may join the capitalised words of a program name.
_PHRASE_CONNECTORS = frozenset({"of", "for", "and", "in", "through", "on", "the", "to", "with"})
_YEAR_TOKEN = re.compile(r"^(?:19|20)\d{2}$")
_ADJECTIVE = re.compile(r"(?:al|ic|ive|ary|ous|ian|ish)$")
_KIND_BY_MODIFIER = {
    "federal": "federal",
    "state": "federal",
    "national": "federal",
    "regional": "regional",
    "municipal": "regional",
    "educational": "education",
    "education": "education",
    "training": "education",
    "master’s": "education",
    "master's": "education",
    "bachelor’s": "education",
    "bachelor's": "education",
    "master": "education",
    "bachelor": "education",
    "postgraduate": "education",
    "degree": "education",
    "retraining": "education",
}


def find_programs(
    body: str,
    sentences: list[Sentence],
    program_chunks: list[tuple[Found, Sentence]],
    registry: Registry,
) -> None:
    """Add every program, initiative and event the body names to ``registry``."""
    for found, sentence in program_chunks:
        words = " ".join([found.name, *found.aliases]).split()
        if not any(_is_proper(word) for word in words):
            continue
        kind = _kind_from_words(words, found.program_kind)
        if kind == "event" and not _is_series(body, found):
            # A one-off forum or conference is an occasion, not a program (the
            # annotation convention); the article still names it in its text.
            continue
        name, aliases = found.name, found.aliases
        # "Strategy for the Development of X until 2035": the horizon is part of the name.
        horizon = _HORIZON.match(body, found.end)
        if horizon and found.program_kind != "event":
            name, aliases = name + horizon.group(), [name, *aliases]
        registry.add_program(name, kind, aliases=aliases, quote=sentence.text)
    for sentence in sentences:
        text = sentence.text
        for match in _SPACED_YEAR_NAME.finditer(text):
            # "Pharma 2030", "Strategy 2030": a year after a space makes a name only
            # after a program noun, a pharma word or capitals; "Moscow 2030" is not one.
            word = match.group("word")
            if word.lower() in PROGRAM_HEADS or _PHARMA_STEM.search(word) or word.isupper():
                registry.add_program(match.group(), "federal", quote=text)
        for match in _YEAR_NAME.finditer(text):
            # National strategies carry a year ("Pharma-2030"); a regional one says so.
            # A standard's acronym with a year ("GMP-2021") is a certification.
            lead = text[max(0, match.start() - 30) : match.start()].lower()
            if match.group().split("-")[0].isupper():
                kind = "initiative"
            else:
                kind = "regional" if "regional" in lead else "federal"
            registry.add_program(match.group(), kind, quote=text)
        for match in _PROGRAM_INTRO.finditer(text):
            kind = _KIND_BY_MODIFIER[match.group("modifier").lower()]
            tokens = tokenize(text[match.end() :], sentence.start + match.end())
            for name in _named_list(body, tokens, plural=bool(match.group("plural"))):
                registry.add_program(name, kind, quote=text)
        for match in _QUOTED_BEFORE_HEAD.finditer(text):
            modifier = match.group("modifier") or match.group("after")
            kind = _KIND_BY_MODIFIER[modifier.lower()] if modifier else "initiative"
            registry.add_program(match.group("name").strip(), kind, quote=text)
        for match in _EVENT_QUOTED.finditer(text):
            registry.add_program(match.group("name").strip(), "event", quote=text)


def _is_series(body: str, found: Found) -> bool:
    """Whether a named event recurs: "the third X Forum", "Annual X", "X Week 2024", quoted."""
    before = body[max(0, found.start - 30) : found.start]
    return bool(
        _SERIES_BEFORE.search(before)
        or _SERIES_IN_NAME.search(found.name)
        or any(quote in body[found.start : found.end] for quote in '“«"')
    )


def _kind_from_words(words: list[str], default: str) -> str:
    for word in words:
        kind = _KIND_BY_MODIFIER.get(word.lower())
        if kind:
            return kind
    return default


def _is_proper(word: str) -> bool:
    lower = word.lower()
    return (
        word[:1].isupper()
        and lower not in PROGRAM_HEADS
        and lower not in GENERIC_NAME_WORDS
        and lower not in FUNCTION_WORDS
    )


def _named_list(body: str, tokens: list[Token], *, plural: bool) -> list[str]:
    """Title-case names at the start of ``tokens``: one, or a list after "programs"."""
    names = []
    index = 0
    while index < len(tokens):
        end = _phrase_end(tokens, index, split_and=plural)
        if end is None:
            break
        names.append(_phrase_text(body, tokens[index:end]))
        if not plural:
            break
        index = end
        # Skip a bracketed remark, then continue after "," or "and".
        if index < len(tokens) and tokens[index].text == "(":
            depth = 0
            while index < len(tokens):
                depth += {"(": 1, ")": -1}.get(tokens[index].text, 0)
                index += 1
                if depth == 0:
                    break
        if index < len(tokens) and tokens[index].text in {",", "and"}:
            index += 1
        else:
            break
    # A quoted name is stored without its quotes: “Clinical Trials Manager”.
    return [
        name[1:-1] if name[:1] in OPEN_QUOTES else name
        for name in names
        if len(name.split()) >= 2 or name[:1] in OPEN_QUOTES
    ]


def _phrase_end(tokens: list[Token], start: int, *, split_and: bool = False) -> int | None:
    """End of a title-case phrase (with connectors and quoted parts) from ``start``.

    In a list (``split_and``) "and" ends the phrase unless it joins two
    adjectives: "Medical and Scientific Institutions" is one name,
    "GMP Inspection and Clinical Research" two.
    """
    index = start
    last_good = None
    if index < len(tokens) and tokens[index].text in OPEN_QUOTES:
        for end in range(index + 1, min(index + 16, len(tokens))):
            if tokens[end].text in CLOSE_QUOTES:
                return end + 1 if end > index + 1 else None
        return None
    while index < len(tokens):
        token = tokens[index]
        if token.is_word and token.is_capitalised:
            index += 1
            last_good = index
        elif last_good == index and _YEAR_TOKEN.match(token.text):
            # "Pharma Yaroslavl 2025": a year closes the name.
            index += 1
            last_good = index
            break
        elif token.lower in _PHRASE_CONNECTORS and last_good is not None:
            joins_adjectives = _ADJECTIVE.search(tokens[index - 1].lower)
            if split_and and token.lower == "and" and not joins_adjectives:
                break
            index += 1
        elif token.text in OPEN_QUOTES and last_good is not None:
            close = next(
                (
                    end
                    for end in range(index + 1, min(index + 12, len(tokens)))
                    if tokens[end].text in CLOSE_QUOTES
                ),
                None,
            )
            if close is None:
                break
            index = close + 1
            last_good = index
        else:
            break
    return last_good


def _phrase_text(body: str, tokens: list[Token]) -> str:
    return re.sub(r"\s+", " ", body[tokens[0].start : tokens[-1].end])
