"""Organisations: the scanner that finds them sentence by sentence.

Each sentence's name chunks (``organisation_chunks``) are classified
(``organisation_kinds``); a chunk with an institutional head noun or a legal
form is an organisation, one headed by "Initiative", "Forum" ... is handed to
the program extractor. Beside the chunks, the scanner reads names that a
context marks: quoted names with a legal form or a generic noun ("OOO “Name”",
"the company “Name”"), single "pharm" words, a place's lower-case cluster or
government ("the Orlov cluster"), bodies "named after" a person and lists
after "companies" or "the clusters -".
"""

import re

from entities.extraction.lexicon import is_place
from entities.extraction.organisation_chunks import (
    DASHES,
    OPEN_QUOTES,
    is_name_word,
    name_chunks,
    span_text,
)
from entities.extraction.organisation_kinds import (
    PHARM_WORD,
    Found,
    classify_chunk,
    is_place_or_people,
    is_proper,
    looks_like_person,
    primary_head,
    strip_leading_noun,
)
from entities.extraction.registry import Registry
from entities.extraction.text import Sentence, Token, alternation, tokenize
from entities.extraction.vocabulary import (
    COMPANY_NOUNS,
    FUNCTION_WORDS,
    LEGAL_FORMS,
    ORGANISATION_HEADS,
)

# Legal form before a quoted name: OOO “Name”.
_LEGAL_FORM_FIRST = re.compile(
    r"\b(?P<form>" + alternation(LEGAL_FORMS) + r")\s+[“«\"](?P<name>[^”»\"\n]{2,60})[”»\"]"
)
# Quoted name before a legal form: “Name” LLC.
_LEGAL_FORM_AFTER = re.compile(
    r"[“«\"](?P<name>[^”»\"\n]{2,60})[”»\"]\s+(?P<form>" + alternation(LEGAL_FORMS) + r")\b"
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
        for chunk in name_chunks(tokens, common):
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
        run = strip_leading_noun(before[start:])
        if not run or len(run) > 8 or not any(is_proper(t) or t.text.isupper() for t in run):
            continue
        head = primary_head(run)
        kind = ORGANISATION_HEADS[head.lower] if head is not None else "education"
        short = span_text(body, run)
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
            PHARM_WORD.match(word)
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
