"""Companies and media named without a legal form or an institutional noun.

Brand names ("Zentova", "BioLumix", "NOVAGEN", "Kerva-Farma") carry no
"LLC" or "Ministry" that would mark them, but the sentence around them does:
they open plants and invest ("Zentova opened ..."), own things ("Zentova’s
plant", "the Zentova plant"), sign with others ("an agreement with
Zentova"), are listed as companies ("two residents, Zentova and Orvel") or
described ("Zentova, a member of the cluster"). News agencies are cited
("told Okta", "Source: Okta"). A capitalised run of words is taken when
such a context sits right beside it (``company_contexts``), or when it is
listed together with one that has it. Places, nationalities, people already
found and words inside names already known are never taken; a run that reads
as a person's name ("Ivan Sokolov") needs a context people do not have
("Ivan Sokolov’s plant", "Ivan Sokolov produces").
"""

import re

from entities.extraction.company_contexts import MEDIA_AFTER, context_kind, only_a_company
from entities.extraction.lexicon import is_common_english, is_nationality, is_place
from entities.extraction.mentions import locate
from entities.extraction.organisation_chunks import is_name_word
from entities.extraction.organisation_kinds import is_place_or_people, looks_like_person
from entities.extraction.quantity_words import NUMBER_WORDS
from entities.extraction.registry import Registry
from entities.extraction.text import Sentence, Token, tokenize
from entities.extraction.types import PersonCandidate
from entities.extraction.vocabulary import (
    LEGAL_FORMS,
    ORGANISATION_HEADS,
    PLACE_NOUNS,
    PROGRAM_HEADS,
    TITLE_CORES,
)

# "Nordkraft / Solenne": two capitalised names around a slash.
_SLASH_PAIR = re.compile(
    r"(?<![\w/.-])(?P<a>[A-Z][\w-]+(?:\s[A-Z][\w-]+)?)\s?/\s?(?P<b>[A-Z][\w-]+(?:\s[A-Z][\w-]+)?)"
    r"(?![\w/])"
)
# Words before a place, not a company: "in Novgorod", "near Orlov".
_LOCATIVE = frozenset({"in", "at", "near", "from", "to", "around", "across", "outside"})
_TITLE_WORDS = frozenset(word.lower() for core in TITLE_CORES for word in core.split())
_MAX_NAME_WORDS = 4
# The kind of a run that is the name of an organisation or program already found.
_KNOWN = "known"


def find_companies(
    body: str, sentences: list[Sentence], common: frozenset[str], registry: Registry
) -> None:
    """Add the companies and media that only their context names to ``registry``."""
    capitalised_inside = _capitalised_inside(body, sentences)
    # Names found so far, located once in the whole body (a search per sentence costs more).
    hits = [
        (start, end)
        for start, end, record in locate(body, registry)
        if not isinstance(record, PersonCandidate)
    ]
    people = _people_spellings(registry)
    for sentence in sentences:
        if "/" in sentence.text:
            _slash_pairs(sentence, registry, common)
        tokens = tokenize(sentence.text, sentence.start)
        known = _known_names(sentence, tokens, hits)
        covered = {index for start, end in known for index in range(start, end)}
        runs = [
            run
            for run in _runs(tokens, common, registry, people, capitalised_inside)
            if covered.isdisjoint(range(*run))
        ]
        kinds = [context_kind(sentence, tokens, run) for run in runs]
        # Names already known take part in lists ("Zentova, Orvel LLC and ..."), as companies.
        for run in known:
            runs.append(run)
            kinds.append(_KNOWN)
        order = sorted(range(len(runs)), key=lambda index: runs[index])
        runs, kinds = [runs[i] for i in order], [kinds[i] for i in order]
        # A name listed with a company ("Zentova, Orvel and Kerva-Farma signed") is one too.
        changed = True
        while changed:
            changed = False
            for index in range(len(runs)):
                if kinds[index] is None:
                    listed = _listed_with(tokens, runs, kinds, index)
                    kinds[index] = "company" if listed == _KNOWN else listed
                    changed = changed or kinds[index] is not None
        for (start, end), kind in zip(runs, kinds, strict=True):
            if kind is None or kind == _KNOWN:
                continue
            words = [token.text for token in tokens[start:end]]
            if looks_like_person(words) and not only_a_company(sentence, tokens, end):
                continue
            last = tokens[end - 1]
            # "MedTrek's plant": the possessive ending is not part of the name.
            stop = last.end - 2 if last.text.endswith(("’s", "'s")) else last.end
            name = re.sub(r"\s+", " ", body[tokens[start].start : stop])
            descriptor = MEDIA_AFTER.match(body, stop) if kind == "media" else None
            # "the Okta information agency": the agency's name, with and without it.
            aliases = [f"{name} {descriptor.group('descriptor')}"] if descriptor else []
            registry.add_organisation(name, kind, aliases=aliases, quote=sentence.text)
            _drop_person_named(registry, name)


def _slash_pairs(sentence: Sentence, registry: Registry, common: frozenset[str]) -> None:
    """ "Nordkraft / Solenne": two names joined by a slash name one company (a joint brand)."""
    for match in _SLASH_PAIR.finditer(sentence.text):
        sides = [match.group("a"), match.group("b")]
        if all(_slash_side(side, common) for side in sides):
            name = " ".join(match.group().split())
            registry.add_organisation(name, "company", aliases=sides, quote=sentence.text)


def _slash_side(side: str, common: frozenset[str]) -> bool:
    words = side.split()
    return not (
        is_place_or_people(side)
        or looks_like_person(words)
        or any(word.lower() in common or word.lower() in ORGANISATION_HEADS for word in words)
        or (len(words) == 1 and is_common_english(side))
    )


def _capitalised_inside(body: str, sentences: list[Sentence]) -> frozenset[str]:
    """Words the body capitalises somewhere other than at a sentence start."""
    starts = {sentence.start for sentence in sentences}
    return frozenset(
        match.group()
        for match in re.finditer(r"(?<![\w’'-])[A-Z][\w-]*", body)
        if match.start() not in starts
    )


def _known_names(sentence: Sentence, tokens: list[Token], hits: list[tuple[int, int]]):
    """Token ranges of the sentence covered by names already found (``hits`` in the body)."""
    ranges = []
    for start, end in hits:
        if start >= sentence.end or end <= sentence.start:
            continue
        inside = [i for i, token in enumerate(tokens) if start <= token.start < end]
        if inside:
            ranges.append((inside[0], inside[-1] + 1))
    return ranges


def _people_spellings(registry: Registry) -> set[str]:
    """Every spelling (of two words or more) of the people the text gives a title.

    A "person" found only by a first name may still turn out to be a company.
    """
    return {
        spelling
        for person in registry.people
        if person.positions
        for spelling in (person.name, *person.aliases)
        if " " in spelling
    }


def _runs(tokens, common, registry, people, capitalised_inside):
    """(start, end) token ranges of capitalised words that may be a company's name."""
    index = 0
    while index < len(tokens):
        if not _may_start(tokens[index]):
            index += 1
            continue
        end = index + 1
        while end < len(tokens) and end - index < _MAX_NAME_WORDS and _may_continue(tokens[end]):
            end += 1
        if end < len(tokens) and tokens[end].text in LEGAL_FORMS:
            end += 1
        # "the German Stellmark holding", "Denmark’s Norvik Pharma": a nationality or a
        # place's possessive before the name is not part of it.
        while index < end - 1 and (
            is_nationality(tokens[index].lower)
            or (tokens[index].text.endswith(("’s", "'s")) and is_place(tokens[index].text))
        ):
            index += 1
        stop = _person_inside(tokens, index, end, people)
        run = tokens[index:stop]
        if stop > index and _acceptable(run, common, registry, capitalised_inside):
            before = tokens[index - 1].lower if index else ""
            # "the facility in Orlov": one word after "in" is a place.
            if not (stop - index == 1 and before in _LOCATIVE):
                yield index, stop
        index = end


def _may_start(token: Token) -> bool:
    # "Orvelsk-based": a place, describing the name that follows.
    return (
        is_name_word(token)
        and token.text not in LEGAL_FORMS
        and not token.lower.endswith(("-based", "-owned"))
    )


def _may_continue(token: Token) -> bool:
    return _may_start(token) and not token.text.endswith(("’s", "'s"))


def _person_inside(tokens: list[Token], start: int, end: int, people: set[str]) -> int:
    """Where a person's name begins inside the run ("Orvelia Ivan Sokolov"), else ``end``."""
    for index in range(start, end - 1):
        words = [token.text for token in tokens[index:end]]
        if any(" ".join(words[:size]) in people for size in range(2, len(words) + 1)):
            return index
        if index > start and looks_like_person(words):
            return index
    return end


def _acceptable(run, common, registry, capitalised_inside: frozenset[str]) -> bool:
    """Whether the words can be a company's name at all."""
    words = [token.text.removesuffix("’s").removesuffix("'s") for token in run]
    name = " ".join(words)
    lowers = [word.lower() for word in words]
    if any(
        lower in ORGANISATION_HEADS
        or lower in PROGRAM_HEADS
        or lower in PLACE_NOUNS
        or lower in _TITLE_WORDS
        or is_nationality(lower)
        or lower in NUMBER_WORDS
        or lower == "one"
        for lower in lowers
    ):
        return False
    if all(lower in common for lower in lowers):
        return False
    if re.search(r"-[a-z]+$", words[-1]):
        # "GMP-tailored", "Orlov-made": a compound adjective, not a name.
        return False
    # A word capitalised only because it opens a sentence ("Domestic ...", "Plans to")
    # is no name: one the article writes in lower case, or a frequent English word
    # the article never capitalises inside a sentence.
    if (
        len(words) == 1
        and not _brand_shaped(words[0])
        and (
            lowers[0] in common
            or (is_common_english(words[0]) and words[0] not in capitalised_inside)
        )
    ):
        return False
    if is_place_or_people(name) or is_place(words[0]):
        return False
    return not registry.program(name) and not _is_known_person(registry, name)


def _brand_shaped(word: str) -> bool:
    """CamelCase, capitals or capitalised parts: "BioLumix", "NOVAGEN", "Kerva-Farma"."""
    return bool(
        re.search(r"[a-z][A-Z]", word)
        or (word.isupper() and len(word) > 2)
        or re.fullmatch(r"[A-Z][\w]*(?:-[A-Z][\w]*)+", word)
    )


def _is_known_person(registry: Registry, name: str) -> bool:
    for person in registry.people:
        if name == person.name or name in person.aliases:
            return bool(person.positions)
    return False


def _listed_with(tokens: list[Token], runs, kinds, index: int) -> str | None:
    """The kind of an accepted neighbour that run ``index`` is listed with by "," or "and"."""
    for neighbour in (index - 1, index + 1):
        if not 0 <= neighbour < len(runs) or kinds[neighbour] is None:
            continue
        left, right = sorted((runs[index], runs[neighbour]))
        between = [token.lower for token in tokens[left[1] : right[0]]]
        if between and set(between) <= {",", "and", "&"}:
            return kinds[neighbour]
    return None


def _drop_person_named(registry: Registry, name: str) -> None:
    """A "person" only guessed from a first name is a company when the text says so."""
    registry.drop_people(
        [person for person in registry.people if person.name == name and not person.positions]
    )
