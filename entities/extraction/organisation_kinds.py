"""Whether a name chunk names an organisation (or a program), with its name, aliases and kind.

``classify_chunk`` strips what is not the body's name (a job title, a unit, a
place's possessive, a person's name after it), then reads the kind from the
head noun ("Ministry" is government, "University" education) or a legal form
(a company). The name-shape tests the other extractors share live here too:
whether words read as a person's name, a place or a nationality.
"""

import re
from dataclasses import dataclass
from itertools import pairwise

from entities.extraction.lexicon import is_given_name, is_nationality, is_place
from entities.extraction.organisation_chunks import (
    ACRONYM,
    CLOSE_QUOTES,
    DASHES,
    OPEN_QUOTES,
    has_head,
    span_text,
)
from entities.extraction.text import Token
from entities.extraction.vocabulary import (
    EDUCATION_WORDS,
    FUNCTION_WORDS,
    GENERIC_NAME_WORDS,
    GOVERNMENT_WORDS,
    LEGAL_FORMS,
    ORGANISATION_HEADS,
    PLACE_NOUNS,
    PROGRAM_HEADS,
    STRONG_HEADS,
    TITLE_CORES,
    UNIT_HEADS,
)

# Words of job titles, which are not part of a body's name.
TITLE_WORDS = frozenset(
    word.lower() for title in TITLE_CORES for word in title.split() if word not in {"of", "the"}
) - {"board", "directors", "officer"}
# A company-like single word: built on "pharm" (not "pharmacy"/"pharmaceutical").
PHARM_WORD = re.compile(r"^(?=[A-Z])[\w-]*?(?:[Pp]harm|farm)(?!ac)[\w-]*$")
# Surname endings of the region's languages ("-ov", "-yeva", "-enko", "-shvili").
_SURNAME_ENDING = re.compile(
    r"[a-z](?:ov|ova|ev|eva|yev|yeva|iev|sky|skiy|skaya|enko|chuk|vich|ovich|evich|shvili|dze|yan)$"
)
# The fields a cluster's name gives, by stem, and the adjective its usual name uses.
_CLUSTER_FIELDS = (
    ("pharm", "Pharmaceutical"),
    ("biotech", "Biotechnology"),
    ("biomed", "Biomedical"),
    ("medic", "Medical"),
)


@dataclass
class Found:
    """One organisation name found at one place."""

    name: str
    kind: str
    aliases: list[str]
    start: int
    end: int
    program_kind: str = ""  # for a program chunk: the kind its head noun implies


def strip_leading_noun(tokens: list[Token]) -> list[Token]:
    """ "Scientists of the Center ...": a plain noun before "of" is not part of the name."""
    while (
        len(tokens) > 2
        and tokens[1].lower in {"of", "for"}
        and tokens[0].lower not in ORGANISATION_HEADS
        and tokens[0].lower not in PROGRAM_HEADS
        and tokens[0].lower not in PLACE_NOUNS
    ):
        tokens = tokens[2:]
        while tokens and tokens[0].lower == "the":
            tokens = tokens[1:]
    return tokens


def _strip_title(tokens: list[Token]) -> list[Token]:
    """Drop job titles from a chunk: keep the body after "of/at", or what precedes a title."""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.lower not in TITLE_WORDS or token.text.endswith(("’s", "'s")):
            index += 1
            continue
        end = index
        while end < len(tokens) and (
            tokens[end].lower in TITLE_WORDS or tokens[end].lower in {"general"}
        ):
            end += 1
        # "Chairman of the Board": the board is part of the title.
        if (
            end + 2 < len(tokens)
            and tokens[end].lower == "of"
            and tokens[end + 1].lower == "the"
            and tokens[end + 2].lower == "board"
        ):
            end += 3
        if end < len(tokens) and tokens[end].lower in {"of", "at"}:
            # "Director of the X": X is the organisation; look for further titles in it.
            tokens = tokens[end + 1 :]
            while tokens and tokens[0].lower == "the":
                tokens = tokens[1:]
            index = 0
            continue
        return tokens[:index]
    return tokens


def is_place_or_people(name: str) -> bool:
    """Whether a name only names a place or a nationality ("Tula", "Russian Federation")."""
    words = name.split()
    return is_place(name) or (len(words) == 1 and is_nationality(words[0]))


def looks_like_person(words: list[str]) -> bool:
    """Whether capitalised words read as a person's name: a first name and a surname.

    "Henrik Lund", "Anna Maria Berg", "Ivan P. Sokolov"; never a word that
    makes a name institutional ("Alexander Fleming Institute").
    """
    if not 2 <= len(words) <= 4 or not is_given_name(words[0]):
        return False
    for word in words[1:]:
        lower = word.lower().rstrip("’'s")
        if (
            not word[:1].isupper()
            or word in LEGAL_FORMS
            or word.lower() in ORGANISATION_HEADS
            or word.lower() in PROGRAM_HEADS
            or PHARM_WORD.match(word)
            or lower in GENERIC_NAME_WORDS
            or lower in PLACE_NOUNS
            or lower in FUNCTION_WORDS
            or lower in TITLE_WORDS
            or is_place(word, major=True)
        ):
            return False
    return not re.fullmatch(r"[A-Z]\.?", words[-1])


def _strip_place_prefix(tokens: list[Token]) -> list[Token]:
    """ "Russia’s Vitalis Company" names "Vitalis Company": drop a possessive place."""
    for index, token in enumerate(tokens[:3]):
        if token.text.endswith(("’s", "'s")) and index + 1 < len(tokens):
            owner = " ".join(t.text for t in tokens[: index + 1])
            if is_place(owner):
                return tokens[index + 1 :]
    return tokens


def _surname_pair(words: list[str]) -> bool:
    """Two capitalised words ending in a Slavic or Caucasian surname: "Aidar Sultanov"."""
    return (
        len(words) == 2
        and words[0][:1].isupper()
        and words[0].lower() not in ORGANISATION_HEADS
        and words[0].lower() not in GENERIC_NAME_WORDS
        and not is_place(words[0])
        and bool(_SURNAME_ENDING.search(words[1]))
    )


def _strip_trailing_person(tokens: list[Token]) -> list[Token]:
    """ "Ural Biomedical Cluster Ivan Sokolov": a person's name after a head is not the body's."""
    for index in range(1, len(tokens) - 1):
        before = tokens[:index]
        if not (has_head(before) or any(t.text in LEGAL_FORMS for t in before)):
            continue
        rest = [t.text for t in tokens[index:]]
        if all(t.is_word for t in tokens[index:]) and (
            looks_like_person(rest) or _surname_pair(rest)
        ):
            return before
    return tokens


def _strip_unit(tokens: list[Token]) -> list[Token]:
    """ "<unit> of the <body>" names the body: keep what follows the unit."""
    for index, token in enumerate(tokens[:-2]):
        if token.lower in UNIT_HEADS and tokens[index + 1].lower in {"of", "at"}:
            rest = tokens[index + 2 :]
            while rest and rest[0].lower == "the":
                rest = rest[1:]
            if rest and rest[0].lower in STRONG_HEADS:
                return rest
    return tokens


def classify_chunk(body: str, tokens: list[Token]) -> Found | None:
    """Decide whether a chunk names an organisation (or a program) and of what kind."""
    acronym = None
    if len(tokens) >= 4 and tokens[-1].text == ")" and tokens[-3].text == "(":
        acronym = tokens[-2].text
        tokens = tokens[:-3]
    tokens = _strip_trailing_person(_strip_place_prefix(_strip_unit(_strip_title(tokens))))
    while tokens and (tokens[0].lower in FUNCTION_WORDS or not tokens[0].is_word):
        tokens = tokens[1:]
    tokens = strip_leading_noun(tokens)
    while tokens and (
        tokens[-1].lower in {"of", "for", "and", "the", "on", "&"} or tokens[-1].text in DASHES
    ):
        tokens = tokens[:-1]
    if not tokens:
        return None
    words = [token for token in tokens if token.is_word]
    legal = [token for token in words if token.text in LEGAL_FORMS]
    core = [token for token in words if token.text not in LEGAL_FORMS]
    if not core or is_place_or_people(" ".join(token.text for token in core)):
        return None
    name = span_text(body, tokens)
    aliases = [acronym] if acronym else []
    last = _last_unquoted_word(tokens)
    # "International Conference on Biotechnology": an event head before "on/of".
    event_head = next(
        (
            token
            for token, following in pairwise(tokens)
            if token.lower in PROGRAM_HEADS and following.lower in {"on", "of", "for"}
        ),
        None,
    )
    if event_head is not None and not has_head(tokens[: tokens.index(event_head)]):
        last = event_head
    if last is not None and last.lower in PROGRAM_HEADS:
        # An event's own name is the quoted one: Congress “BioPharma Days”.
        quoted = _quoted_parts(body, tokens)
        if quoted:
            generic = span_text(body, [t for t in tokens if t.end <= last.end])
            name, aliases = quoted[0], [generic, *aliases]
        head_kind = PROGRAM_HEADS[last.lower]
        return Found(name, "program", aliases, tokens[0].start, tokens[-1].end, head_kind)
    head = primary_head(tokens)
    if head is None and not legal:
        return None
    # Shouted headers ("MEDIA CENTER") are page furniture, not names.
    if not legal and len(core) > 1 and all(token.text.isupper() for token in core):
        return None
    if not any(is_proper(token) for token in core):
        return None
    kind = "company" if head is None else ORGANISATION_HEADS[head.lower]
    if kind == "other" and any(token.lower in EDUCATION_WORDS for token in core):
        kind = "education"
    # A council is a government body only when its name says so.
    council = head is not None and head.lower == "council"
    if council and any(token.lower.startswith(GOVERNMENT_WORDS) for token in core):
        kind = "government"
    if legal:
        aliases.append(span_text(body, [t for t in tokens if t.text not in LEGAL_FORMS]))
    aliases.extend(_dash_parts(body, tokens))
    aliases.extend(_quoted_parts(body, tokens))
    # A short form after the head ("University TGPU") is an alias.
    tail = core[-1]
    if (
        head is not None
        and head is not tail
        and ACRONYM.match(tail.text)
        and tail.lower not in ORGANISATION_HEADS
        and not tail.text.istitle()
    ):
        aliases.append(tail.text)
    if kind == "cluster":
        aliases.extend(_usual_cluster_name(words))
    return Found(name, kind, [alias for alias in aliases if alias], tokens[0].start, tokens[-1].end)


def _usual_cluster_name(words: list[Token]) -> list[str]:
    """ "Tula Region Cluster “Medicines, Devices ...”" is also the "Tula Pharmaceutical Cluster".

    A region's cluster is usually called "<place> <field> Cluster"; that
    spelling, made from the place and the first field the name gives, is an
    alias, so that articles naming the cluster either way find one record.
    """
    place = next((word.text for word in words if is_place(word.text)), None)
    field = next(
        (usual for word in words for stem, usual in _CLUSTER_FIELDS if word.lower.startswith(stem)),
        None,
    )
    return [f"{place} {field} Cluster"] if place and field else []


def _last_unquoted_word(tokens: list[Token]) -> Token | None:
    inside = False
    last = None
    for token in tokens:
        if token.text in OPEN_QUOTES | CLOSE_QUOTES:
            inside = not inside
        elif not inside and token.is_word and token.text not in LEGAL_FORMS:
            last = token
    return last


def primary_head(tokens: list[Token]) -> Token | None:
    """The institutional noun that governs the name.

    The first head followed by "of/for" ("Council for the Development of the
    ... Cluster" is a council), otherwise the last head before any quote.
    """
    last = None
    for index, token in enumerate(tokens):
        if token.text in OPEN_QUOTES:
            break
        if token.lower in ORGANISATION_HEADS and not token.text.endswith(("’s", "'s")):
            following = tokens[index + 1].lower if index + 1 < len(tokens) else ""
            if following in {"of", "for"}:
                return token
            last = token
    return last


def is_proper(token: Token) -> bool:
    lower = token.lower
    return (
        token.is_capitalised
        and lower not in ORGANISATION_HEADS
        and lower not in GENERIC_NAME_WORDS
        and lower not in PLACE_NOUNS
        and lower not in TITLE_WORDS
    )


def _dash_parts(body: str, tokens: list[Token]) -> list[str]:
    """Both halves of "<body> – <body>", each a name of the same organisation."""
    for index, token in enumerate(tokens):
        if token.text in DASHES and 0 < index < len(tokens) - 1:
            left = [t for t in tokens[:index] if t.text not in LEGAL_FORMS]
            right = [t for t in tokens[index + 1 :] if t.text not in LEGAL_FORMS]
            return [span_text(body, part) for part in (left, right) if has_head(part)]
    return []


def _quoted_parts(body: str, tokens: list[Token]) -> list[str]:
    """A quoted name inside the chunk ("BIOTEKA") is a short form of it."""
    for index, token in enumerate(tokens):
        if token.text in OPEN_QUOTES:
            for end in range(index + 1, len(tokens)):
                if tokens[end].text in CLOSE_QUOTES and end > index + 1:
                    return [span_text(body, tokens[index + 1 : end])]
    return []
