"""Organisations: capitalised names built around institutional nouns or legal forms.

A *chunk* is a run of capitalised words that may continue through "of/for/and"
phrases ("Ministry for economic development of Russia"), a dash to a second
institutional noun ("Agency for ... – Center for ..."), a trailing lower-case
"association", a quoted name ("Cluster “BIOTEKA”") and an acronym in brackets.
A chunk is an organisation when its head noun says so or it carries a legal
form; the head noun also gives the kind.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from entities.extraction.lexicon import is_given_name, is_nationality, is_place
from entities.extraction.registry import Registry
from entities.extraction.text import Sentence, Token, tokenize
from entities.extraction.vocabulary import (
    COMPANY_NOUNS,
    CURRENCIES,
    EDUCATION_WORDS,
    FUNCTION_WORDS,
    GENERIC_NAME_WORDS,
    GOVERNMENT_WORDS,
    LEGAL_FORMS,
    MONTHS,
    ORGANISATION_HEADS,
    PLACE_NOUNS,
    PROGRAM_HEADS,
    STRONG_HEADS,
    TITLE_CORES,
    UNIT_HEADS,
    WEEKDAYS,
)

DASHES = frozenset({"-", "–", "—"})
OPEN_QUOTES = frozenset({"“", "«", '"', "„"})
CLOSE_QUOTES = frozenset({"”", "»", '"', "“"})
# Lower-case institutional nouns that may follow a capitalised name.
_TRAILING_HEADS = frozenset(
    {"association", "alliance", "union", "foundation", "fund", "consortium", "partnership"}
)
TITLE_WORDS = frozenset(
    word.lower() for title in TITLE_CORES for word in title.split() if word not in {"of", "the"}
) - {"board", "directors", "officer"}
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&-]{1,9}$")
# A company-like single word: built on "pharm" (not "pharmacy"/"pharmaceutical").
_PHARM_WORD = re.compile(r"^(?=[A-Z])[\w-]*?(?:[Pp]harm|farm)(?!ac)[\w-]*$")
# Legal form before a quoted name: OOO “Name”.
_LEGAL_FORM_FIRST = re.compile(
    r"\b(?P<form>"
    + "|".join(re.escape(form) for form in sorted(LEGAL_FORMS, key=len, reverse=True))
    + r")\s+[“«\"](?P<name>[^”»\"\n]{2,60})[”»\"]"
)
# Quoted name before a legal form: “Name” LLC.
_LEGAL_FORM_AFTER = re.compile(
    r"[“«\"](?P<name>[^”»\"\n]{2,60})[”»\"]\s+(?P<form>"
    + "|".join(re.escape(form) for form in sorted(LEGAL_FORMS, key=len, reverse=True))
    + r")\b"
)
# Generic noun before a quoted company name: the company “Name”.
_NOUN_QUOTED = re.compile(
    r"\b(?:company|manufacturer|holding|group|plant|firm)\s+[“«\"](?P<name>[^”»\"\n]{2,60})[”»\"]",
    re.IGNORECASE,
)


# "... named after P.K. Orlov": the name of a body that honours a person.
_NAMED_AFTER = re.compile(
    r"\s+(?P<rest>named\s+after\s+(?:[A-Z][a-z]?\.\s?){0,3}[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)?)"
)
# "Orlov cluster", "Orlov Region biotech cluster": a place and a lower-case "cluster".
_PLACE_CLUSTER = re.compile(
    r"(?<![\w’'-])(?P<name>(?P<place>[A-Z][\w-]+(?:\s[A-Z][\w-]+)?(?:\s[Rr]egion)?)"
    r"(?:\s(?:pharmaceutical|pharma|biotech|biotechnology|biomedical|medical|innovation"
    r"|innovative|territorial|industrial))*\s(?P<head>cluster|government|administration))\b"
    r"(?![’'-])"
)
_CLUSTER_FIELD_WORDS = (
    r"pharmaceutical|pharma|biotech|biotechnology|biomedical|medical|innovation|innovative"
)
_CLUSTER_OF_PLACE = re.compile(
    rf"\b(?:(?!the\b|(?:{_CLUSTER_FIELD_WORDS})\b)[a-z]+\s)?(?P<fields>(?:(?:{_CLUSTER_FIELD_WORDS})\s)*)"
    r"cluster\s+of\s+(?:the\s+)?(?P<place>[A-Z][\w-]+)(?![\w-])"
)
# Lower-case words that may follow such a name: verbs and function words.
_AFTER_CLUSTER = FUNCTION_WORDS | frozenset(
    [
        "will",
        "has",
        "had",
        "is",
        "was",
        "includes",
        "unites",
        "brings",
        "consists",
        "combines",
        "received",
        "took",
        "became",
        "comprises",
        "produces",
        "plans",
    ]
)


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
# Words that continue a legal form: "Limited Liability Company", "Co. Ltd".
_LEGAL_FORM_WORDS = frozenset({"liability", "partnership", "company", "ltd", "ltd."})
# Plural nouns after which a dash or a colon opens a list of names, with their kind.
_LISTING_NOUNS = {
    "clusters": "cluster",
    "companies": "company",
    "manufacturers": "company",
    "producers": "company",
    "enterprises": "company",
    "residents": "company",
    "members": "company",
    "participants": "company",
    "investors": "company",
    "partners": "company",
}


@dataclass
class Found:
    """One organisation name found at one place."""

    name: str
    kind: str
    aliases: list[str]
    start: int
    end: int
    program_kind: str = ""  # for a program chunk: the kind its head noun implies


def find_organisations(
    body: str, sentences: list[Sentence], common: frozenset[str], registry: Registry
) -> list[tuple[Found, Sentence]]:
    """Add every organisation the body names to ``registry``.

    Returns the chunks that turned out to name programs or events (their head
    is "Initiative", "Forum" ...), for the program extractor.
    """
    programs = []
    for sentence in sentences:
        tokens = tokenize(sentence.text, sentence.start)
        for chunk in _chunks(tokens, common):
            found = classify_chunk(body, chunk)
            if found is None:
                continue
            if found.kind == "program":
                programs.append((found, sentence))
            else:
                registry.add_organisation(
                    found.name, found.kind, aliases=found.aliases, quote=sentence.text
                )
        _companies_after_nouns(tokens, sentence, registry)
        _pharm_companies(tokens, common, sentence, registry)
        _quoted_companies(sentence, registry)
        _place_clusters(sentence, registry)
        _named_after(body, tokens, sentence, registry)
    return programs


def _strip_leading_noun(tokens: list[Token]) -> list[Token]:
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


def _named_after(body: str, tokens: list[Token], sentence: Sentence, registry: Registry) -> None:
    """ "TSU named after P.K. Orlov", "Institute of Physics named after Ivan Sokolov"."""
    for match in _NAMED_AFTER.finditer(sentence.text):
        at = sentence.start + match.start()
        before = [token for token in tokens if token.end <= at]
        start = len(before)
        while start > 0 and (
            is_name_word(before[start - 1]) or before[start - 1].lower in {"of", "for", "the"}
        ):
            start -= 1
        while start < len(before) and not is_name_word(before[start]):
            start += 1
        run = _strip_leading_noun(before[start:])
        if not run or len(run) > 8 or not any(_is_proper(t) or t.text.isupper() for t in run):
            continue
        head = _primary_head(run)
        kind = ORGANISATION_HEADS[head.lower] if head is not None else "education"
        short = _text(body, run)
        name = f"{short} {match.group('rest')}"
        registry.add_organisation(name, kind, aliases=[short], quote=sentence.text)


def _place_clusters(sentence: Sentence, registry: Registry) -> None:
    """ "the Orlov cluster", "the Tula Region government": a place's body, head in lower case."""
    for match in _PLACE_CLUSTER.finditer(sentence.text):
        place = match.group("place").strip()
        if not is_place(place.removesuffix(" Region").removesuffix(" region")):
            continue
        after = sentence.text[match.end() :].lstrip()
        following = re.match(r"[a-z]+", after)
        # "Orlov cluster development" uses the cluster as a modifier, not as a name.
        if following and following.group() not in _AFTER_CLUSTER:
            continue
        kind = "cluster" if match.group("head") == "cluster" else "government"
        registry.add_organisation(match.group("name"), kind, quote=sentence.text)
    # "the territory cluster of Orlov" is the Orlov cluster.
    for match in _CLUSTER_OF_PLACE.finditer(sentence.text):
        place = match.group("place")
        if is_place(place):
            fields = " ".join(match.group("fields").split())
            name = " ".join(filter(None, [place, fields, "cluster"]))
            registry.add_organisation(
                name, "cluster", aliases=[match.group(0)], quote=sentence.text
            )


def _pharm_companies(
    tokens: list[Token], common: frozenset[str], sentence: Sentence, registry: Registry
) -> None:
    """Single words built on "pharm" ("Vel-Pharm’s success") name companies."""
    for position, token in enumerate(tokens):
        word = token.text.rstrip("’'").removesuffix("’s").removesuffix("'s")
        if (
            _PHARM_WORD.match(word)
            and not _inside_longer_name(tokens, position)
            and not any(char.isdigit() for char in word)
            and word.lower() not in common
            and word.lower() != "pharma"
        ):
            registry.add_organisation(word, "company", quote=sentence.text)


def _quoted_companies(sentence: Sentence, registry: Registry) -> None:
    """Quoted names next to a legal form or a generic noun: OOO “Name”, the company “Name”."""
    for pattern in (_LEGAL_FORM_FIRST, _LEGAL_FORM_AFTER, _NOUN_QUOTED):
        for match in pattern.finditer(sentence.text):
            name = match.group("name").strip()
            if name[:1].isupper():
                aliases = [match.group(0)] if "form" in match.groupdict() else []
                registry.add_organisation(name, "company", aliases=aliases, quote=sentence.text)


def _inside_longer_name(tokens: list[Token], position: int) -> bool:
    """Whether a word is quoted or joined to other capitalised words ("“BioPharma Days”")."""
    before = tokens[position - 1] if position else None
    after = tokens[position + 1] if position + 1 < len(tokens) else None
    return bool(
        (before is not None and before.text in OPEN_QUOTES)
        or (after is not None and after.is_word and after.is_capitalised)
    )


def is_name_word(token: Token) -> bool:
    """Whether a token can be part of a proper name: capitalised, not a function word or date."""
    return _is_name_text(token.text)


@lru_cache(maxsize=65536)
def _is_name_text(text: str) -> bool:
    if not (text[:1].isalnum() and text[:1].isupper()) or text.isdigit():
        return False
    lower = text.lower().rstrip("’'")
    # A currency code ("worth EUR 45 million") starts an amount, never a name.
    if text.isupper() and lower in CURRENCIES:
        return False
    return not (lower in FUNCTION_WORDS or lower in MONTHS or lower in WEEKDAYS)


def _chunks(tokens: list[Token], common: frozenset[str]):
    """Yield the runs of tokens that may form a name, as lists of tokens."""
    count = len(tokens)
    index = 0
    while index < count:
        if not is_name_word(tokens[index]):
            index += 1
            continue
        # A common word that only opens the sentence ("Scientists of the Center
        # ...", "Programs offered by ...") is not part of a name.
        # An institutional noun still opens a name ("Association of X" where the text
        # also writes "our association").
        if (
            index == 0
            and tokens[0].lower in common
            and tokens[0].lower not in ORGANISATION_HEADS
            and not (count > 1 and is_name_word(tokens[1]))
        ):
            index += 1
            continue
        end = index + 1
        in_phrase = False
        while end < count:
            token = tokens[end]
            lower = token.lower
            following = tokens[end + 1].lower if end + 1 < len(tokens) else ""
            if token.text in LEGAL_FORMS and end > index and following not in _LEGAL_FORM_WORDS:
                # A legal form closes a name: "Fund OAO Oleg Varga" is a body and a person
                # ("Limited Liability Company" is one legal form).
                end += 1
                break
            if is_name_word(token):
                end += 1
            elif _bracketed_place(tokens, end):
                # "Lumo (Sanhe) Biotechnology Co Ltd": a place in brackets inside.
                end += 3
            elif lower == "in" and in_phrase and _in_field(tokens, end):
                # "Federal Service for Surveillance in Healthcare".
                end += 2
            elif lower in {"of", "for", "on"} or (
                lower in {"and", "&"}
                and in_phrase
                and not _starts_new_name(tokens, end)
                and _capitalised_after(tokens, end)
            ):
                phrase_end = _phrase_end(tokens, end)
                if phrase_end is None:
                    break
                in_phrase = in_phrase or lower not in {"and", "&"}
                end = phrase_end
            elif token.text in DASHES:
                dash_end = _dash_end(tokens, end)
                if dash_end is None:
                    break
                end = dash_end
            elif (lower in _TRAILING_HEADS and not token.is_capitalised) or (
                lower in PLACE_NOUNS and in_phrase
            ):
                # "Tula Pharmaceutical Cluster association", "of Tula region".
                end += 1
            elif token.text in OPEN_QUOTES and _has_head(tokens[index:end], with_programs=True):
                quote_end = _quote_end(tokens, end)
                if quote_end is None:
                    break
                end = quote_end
            else:
                break
        chunk = tokens[index:end]
        # An acronym or a short name in brackets right after the name belongs to it:
        # "... for Drug Control (Rosfarmkontrol)".
        if (
            end + 2 < count
            and tokens[end].text == "("
            and tokens[end + 2].text == ")"
            and _is_short_name(tokens[end + 1], tokens[index:end])
        ):
            chunk = tokens[index : end + 3]
            end += 3
        yield chunk
        index = end


def _is_short_name(token: Token, name: list[Token]) -> bool:
    """An acronym ("ANBR"), or one capitalised word after an institution's name."""
    if _ACRONYM.match(token.text) and token.text.isupper():
        return True
    return bool(
        re.fullmatch(r"[A-Z][a-z]{3,}", token.text)
        and _has_head(name)
        and not is_place(token.text)
        and token.lower not in ORGANISATION_HEADS
    )


def _capitalised_after(tokens: list[Token], conjunction: int) -> bool:
    """Whether "and" is followed by a capitalised word ("Industry and Trade"), not prose
    ("... of Russia and non-commercial partnership X" joins two names)."""
    following = [t for t in tokens[conjunction + 1 : conjunction + 3] if t.lower != "the"]
    return bool(following) and is_name_word(following[0])


def _bracketed_place(tokens: list[Token], start: int) -> bool:
    """ "(Sanhe)" between two words of a name."""
    return (
        start + 3 < len(tokens)
        and tokens[start].text == "("
        and tokens[start + 2].text == ")"
        and is_place(tokens[start + 1].text)
        and (is_name_word(tokens[start + 3]) or tokens[start + 3].text in LEGAL_FORMS)
    )


def _in_field(tokens: list[Token], start: int) -> bool:
    """ "in Healthcare" closing a name: one capitalised word that is not a place."""
    if start + 1 >= len(tokens):
        return False
    field = tokens[start + 1]
    following = tokens[start + 2] if start + 2 < len(tokens) else None
    return (
        is_name_word(field)
        and not is_place(field.text)
        and field.lower not in PLACE_NOUNS
        and (following is None or not is_name_word(following))
    )


def _starts_new_name(tokens: list[Token], conjunction: int) -> bool:
    """Whether "and" at ``conjunction`` joins two names rather than two words of one.

    "Ministry of Health of Tula Region and Southfield Pharma JSC" names two
    bodies: the first ends in a place, the second has its own legal form or
    institutional noun. "Ministry of Industry and Trade" is one.
    """
    if tokens[conjunction - 1].lower in PLACE_NOUNS:
        return True
    for token in tokens[conjunction + 1 : conjunction + 8]:
        if token.lower == "the":
            continue
        if not is_name_word(token):
            return False
        if token.text in LEGAL_FORMS or token.lower in ORGANISATION_HEADS:
            return True
    return False


def find_chunk(tokens: list[Token], common: frozenset[str]) -> list[Token] | None:
    """The name chunk that starts at the first token, if there is one."""
    if not tokens or not is_name_word(tokens[0]):
        return None
    return next(_chunks(tokens, common))


def _phrase_end(tokens: list[Token], start: int) -> int | None:
    """End of an "of/for ..." phrase that reaches a capitalised word, else None.

    Up to four lower-case content words may come before that capital
    ("for economic development of Russia"); a verb-like run ("plans to
    invest") never reaches one and ends the name.
    """
    index = start + 1
    lower_words = 0
    while index < len(tokens):
        token = tokens[index]
        lower = token.lower
        if is_name_word(token):
            return index + 1
        if token.text in DASHES and lower_words:
            return _dash_end(tokens, index)
        if lower in {"the", "of", "for", "and"}:
            index += 1
            continue
        if token.is_word and not token.is_capitalised and lower not in FUNCTION_WORDS:
            lower_words += 1
            if lower_words > 4 or token.text.isdigit():
                return None
            index += 1
            continue
        return None
    return None


def _dash_end(tokens: list[Token], dash: int) -> int | None:
    """End of "– <words> <institutional noun or legal form>" after a dash, else None.

    The last institutional noun before a function word wins, so that
    "– cluster development Centre" ends at "Centre", not at "cluster"; a legal
    form ends the name at once ("Kursk Biofactory – Firm BIOK JSC").
    """
    end = None
    for index in range(dash + 1, min(dash + 6, len(tokens))):
        token = tokens[index]
        if not token.is_word or token.lower in FUNCTION_WORDS:
            break
        if token.text in LEGAL_FORMS:
            return index + 1
        if token.lower in ORGANISATION_HEADS:
            end = index + 1
    return end


def _quote_end(tokens: list[Token], start: int) -> int | None:
    """End of a quoted name (at most twelve tokens), else None."""
    for index in range(start + 1, min(start + 14, len(tokens))):
        if tokens[index].text in CLOSE_QUOTES:
            return index + 1 if index > start + 1 else None
    return None


def _has_head(tokens: list[Token], *, with_programs: bool = False) -> bool:
    return any(
        token.lower in ORGANISATION_HEADS or (with_programs and token.lower in PROGRAM_HEADS)
        for token in tokens
    )


def _text(body: str, tokens: list[Token]) -> str:
    return re.sub(r"\s+", " ", body[tokens[0].start : tokens[-1].end])


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
            or _PHARM_WORD.match(word)
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
        if not (_has_head(before) or any(t.text in LEGAL_FORMS for t in before)):
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
    tokens = _strip_leading_noun(tokens)
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
    name = _text(body, tokens)
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
    if event_head is not None and not _has_head(tokens[: tokens.index(event_head)]):
        last = event_head
    if last is not None and last.lower in PROGRAM_HEADS:
        # An event's own name is the quoted one: Congress “BioPharma Days”.
        quoted = _quoted_parts(body, tokens)
        if quoted:
            generic = _text(body, [t for t in tokens if t.end <= last.end])
            name, aliases = quoted[0], [generic, *aliases]
        head_kind = PROGRAM_HEADS[last.lower]
        return Found(name, "program", aliases, tokens[0].start, tokens[-1].end, head_kind)
    head = _primary_head(tokens)
    if head is None and not legal:
        return None
    # Shouted headers ("MEDIA CENTER") are page furniture, not names.
    if not legal and len(core) > 1 and all(token.text.isupper() for token in core):
        return None
    if not any(_is_proper(token) for token in core):
        return None
    kind = "company" if head is None else ORGANISATION_HEADS[head.lower]
    if kind == "other" and any(token.lower in EDUCATION_WORDS for token in core):
        kind = "education"
    # A council is a government body only when its name says so.
    council = head is not None and head.lower == "council"
    if council and any(token.lower.startswith(GOVERNMENT_WORDS) for token in core):
        kind = "government"
    if legal:
        aliases.append(_text(body, [t for t in tokens if t.text not in LEGAL_FORMS]))
    aliases.extend(_dash_parts(body, tokens))
    aliases.extend(_quoted_parts(body, tokens))
    # A short form after the head ("University TGPU") is an alias.
    tail = core[-1]
    if (
        head is not None
        and head is not tail
        and _ACRONYM.match(tail.text)
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


def _primary_head(tokens: list[Token]) -> Token | None:
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


def _is_proper(token: Token) -> bool:
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
            return [_text(body, part) for part in (left, right) if _has_head(part)]
    return []


def _quoted_parts(body: str, tokens: list[Token]) -> list[str]:
    """A quoted name inside the chunk ("BIOTEKA") is a short form of it."""
    for index, token in enumerate(tokens):
        if token.text in OPEN_QUOTES:
            for end in range(index + 1, len(tokens)):
                if tokens[end].text in CLOSE_QUOTES and end > index + 1:
                    return [_text(body, tokens[index + 1 : end])]
    return []


def _companies_after_nouns(tokens: list[Token], sentence: Sentence, registry: Registry) -> None:
    """Names listed after "company"/"companies": "Russian companies X and Y".

    Also a list after a plural noun and a dash or colon: "the seven clusters -
    X, Y and Z - announce".
    """
    for index, token in enumerate(tokens):
        listed = _LISTING_NOUNS.get(token.lower)
        following = tokens[index + 1].text if index + 1 < len(tokens) else ""
        if token.lower in COMPANY_NOUNS:
            kind = "company"
            position = index + 1
        elif listed and following in {":", *DASHES}:
            kind = listed
            position = index + 2
        else:
            continue
        while position < len(tokens):
            start = position
            while position < len(tokens) and is_name_word(tokens[position]):
                position += 1
            if position == start:
                break
            words = [t.text for t in tokens[start:position]]
            name = " ".join(words)
            if not any(t.lower in ORGANISATION_HEADS for t in tokens[start:position]) and not (
                looks_like_person(words) or is_place_or_people(name)
            ):
                registry.add_organisation(name, kind, quote=sentence.text)
            if position < len(tokens) and tokens[position].text in {",", "and"}:
                position += 1
            else:
                break
