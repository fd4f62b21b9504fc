"""People and the positions the article gives them: the scanner.

A capitalised pair of words is only taken for a person in a context that says
so: a job title beside it ("Marta Lindqvist, the Executive Director of ..."),
a title before it ("its Director General, Oleg Varga"), a reporting verb
("Pavel Kim said"), "according to", or initials ("P.K.Orlov"). The name
patterns and checks are in ``person_names``, titles and the organisation a
title is held at in ``positions``.
"""

import re

from entities.extraction.organisation_kinds import is_place_or_people, looks_like_person
from entities.extraction.person_names import (
    FULL_NAME,
    INITIALS_NAME,
    NAME_WORD,
    PERSON,
    SURNAME,
    add_alias,
    record_person,
    valid_person_name,
)
from entities.extraction.positions import (
    MODIFIER_WORDS,
    MODIFIERS,
    TITLE,
    TITLE_HINTS,
    add_position,
    organisation_after,
    organisation_in,
    organisation_named,
    portfolio_minister,
    title_ministry,
    title_with_unit,
)
from entities.extraction.registry import Registry
from entities.extraction.text import Sentence
from entities.extraction.vocabulary import HONORIFICS, SPEECH_VERBS

# Cheap test run first: most sentences name no job title (``TITLE_HINTS``) and no
# reporting verb.
_WORD = re.compile(r"[a-z]+")
_SPEECH_HINTS = frozenset(verb.split()[0] for verb in SPEECH_VERBS)

# "<name>, [the] <title> [of <organisation> | , <organisation>]", "<name> – <title> ...",
# "<name> (<title> ...)", "<name> is the <title> ..."
_NAME_THEN_TITLE = re.compile(
    rf"(?P<name>{PERSON})(?:\s*,\s*(?:who\s+is\s+|is\s+)?|\s+[–—]\s+|\s*\(\s*"
    r"|\s+(?:is|was|has\s+been|became)\s+)"
    rf"(?:the\s+|its\s+|our\s+|a\s+)?(?P<title>{TITLE})\b"
)
# "the minister of economic development Pavel Lind": a lower-case portfolio, then the name.
_LOWER_MINISTER_THEN_NAME = re.compile(
    rf"\b(?P<title>(?:(?:{MODIFIERS})\s+)*(?i:minister))\s+of\s+"
    rf"(?P<portfolio>[a-z]+(?:\s+(?:and\s+)?[a-z]+){{0,5}}?)\s+(?P<name>{FULL_NAME})"
)
# "<name>, <organisation> <title>"
_NAME_ORG_TITLE = re.compile(
    rf"(?P<name>{PERSON})\s*,\s+(?P<org>(?:[A-Z][\w’'&/.-]*\s+){{1,5}}?)(?P<title>{TITLE})\b"
)
# "[its] <title> [of <organisation>], <name>"
_TITLE_THEN_NAME = re.compile(
    rf"(?:\b(?P<its>its|their)\s+)?(?P<title>{TITLE})\b(?P<tail>[^,.;:!?“”\"]{{0,140}}?)"
    rf"\s*,\s+(?P<name>{PERSON})"
)
# "CEO Olga Markova", "Governor of Penza Region Nikolai Sergeev": no comma.
_TITLE_RUN = re.compile(
    rf"(?P<title>{TITLE})\b(?P<rest>(?:\s+(?:of|the|and|board|directors|supervisory|factory|plant"
    rf"|\([A-Z]{{2,8}}\)|[«“\"]?[A-Z][\w’'.-]*[»”\"]?|ООО|ОАО|ЗАО|ПАО|АО))+)"
)
# "Biocad CEO": a company's name before a corporate title, but neither a
# nationality nor a place before a public office ("Russian President").
_NAME_BEFORE_TITLE = re.compile(r"(?<![\w’'])((?:[A-Z][\w’'&.-]*(?<!ian|ese|ish)\s+){1,4})$")
_PUBLIC_OFFICE = re.compile(r"(?i)governor|mayor|minister|president|ambassador")
# "Ivan Sokolov, Zentova LLC " before a title: the title is Ivan Sokolov's.
_APPOSITION_BEFORE = re.compile(rf"{PERSON}\s*,\s+(?:the\s+)?(?:[A-Z][\w’'&/.-]*\s+){{0,6}}$")
# A title (and its organisation) right before ", <name>".
_TITLE_ENDS_HERE = re.compile(rf"{TITLE}\b[^,;:.]*,\s*$")
# "the company’s Executive Director": the title of the company named before.
_COMPANY_POSSESSIVE = re.compile(r"\b(?:the\s+)?company[’']s\s+$", re.IGNORECASE)
# How far before a title the apposition checks look (characters).
_WINDOW = 160
_FULL_NAME_ONLY = re.compile(rf"^(?:{PERSON})$")
# Russian patronymics make a name three words long: "Ivan Petrovich Sidorov".
_PATRONYMIC = re.compile(r"(?:vich|vna|ich|ichna)$")
_SPEAKER = re.compile(rf"(?P<name>{PERSON})\s+(?:{'|'.join(SPEECH_VERBS)})\b")
# "according to Ivan Petrenko", "”, said Ivan Petrov.", "is headed by Igor Drozdov"
_ACCORDING_TO = re.compile(
    r"\b(?:[Aa]ccording\s+to|said|says|noted|added|stressed|explained"
    rf"|headed\s+by|led\s+by|chaired\s+by)\s+(?P<name>{PERSON})"
)
_GIVEN_NAME_FIRST = re.compile(
    rf"(?<![\w’'.-])(?P<name>{NAME_WORD}(?:\s[A-Z]\.)?(?:\s{NAME_WORD}){{0,1}}\s{SURNAME})(?![\w’'])"
)
_CAPITALISED_NEXT = re.compile(r"\s+[A-Z][\w-]")
_INITIALS_ALONE = re.compile(rf"(?<![\w.])(?P<name>{INITIALS_NAME})")
_HONORIFIC = re.compile(rf"\b(?:{'|'.join(HONORIFICS)})\.?\s+(?P<surname>{NAME_WORD})\b")
# ", Mayor of ..." right after "Mr. Orlov".
_HONORIFIC_TITLE = re.compile(rf"\s*,\s+(?:the\s+)?(?P<title>{TITLE})\b")


def find_people(
    body: str, sentences: list[Sentence], common: frozenset[str], registry: Registry
) -> None:
    """Add every person the body names, with their positions, to ``registry``."""
    for sentence in sentences:
        text = sentence.text
        # A title between two names belongs to the one after it: "A, the
        # Director of X, B" makes B the director. So titles-then-names go first.
        claimed_titles: set[int] = set()
        named: set[int] = set()
        words = set(_WORD.findall(text.lower()))
        has_title = not words.isdisjoint(TITLE_HINTS)
        for match in _TITLE_THEN_NAME.finditer(text) if has_title else ():
            tail = match.group("tail")
            if tail.strip() and not re.match(r"\s+(?:of|at)\s", tail):
                continue
            # "A, Governor of X, B, CEO of Y": a title after "<name>, [employer]" is
            # that name's, not the next one's.
            if not match.group("its") and _titles_follow_names(text, match.start("title")):
                continue
            person = record_person(match.group("name"), common, registry, text)
            if person is None:
                continue
            claimed_titles.add(match.start("title"))
            title, tail_start = title_with_unit(match.group("title"), text, match.end("title"))
            if match.group("its"):
                organisation = registry.organisation_named_last(text, match.start())
            else:
                organisation = organisation_after(
                    body, sentence, tail_start, common, registry, title
                )
            # "Zentova CEO, Ivan Sokolov": the employer stands before the title.
            before = _NAME_BEFORE_TITLE.search(text, 0, match.start("title"))
            if organisation is None and before and not _PUBLIC_OFFICE.search(title):
                organisation = organisation_named(before.group(1).strip(), common, registry, text)
            add_position(person, title, organisation, text)
        # "A, Deputy Minister of X B and C": a title followed by a name is B's, not A's.
        # Runs may hold further titles ("... Dyumin and Russian President Ivan Sidorov"),
        # so each search resumes right after the previous title.
        position = 0
        while has_title and (match := _TITLE_RUN.search(text, position)) is not None:
            position = match.end("title")
            if match.start("title") not in claimed_titles and _title_before_name(
                match, body, sentence, common, registry
            ):
                claimed_titles.add(match.start("title"))
        # "the minister of economic development Pavel Lind": a lower-case portfolio.
        for match in _LOWER_MINISTER_THEN_NAME.finditer(text) if has_title else ():
            if match.start("title") in claimed_titles:
                continue
            person = record_person(match.group("name"), common, registry, text)
            if person is not None:
                claimed_titles.add(match.start("title"))
                title = f"{match.group('title')[:1].upper()}{match.group('title')[1:]} of "
                title += " ".join(match.group("portfolio").split())
                add_position(person, title, title_ministry(title, "", registry, text), text)
        for match in _NAME_THEN_TITLE.finditer(text) if has_title else ():
            if match.start("title") in claimed_titles:
                continue
            person = record_person(match.group("name"), common, registry, text)
            if person is None:
                continue
            named.add(match.start("name"))
            title, tail_start = title_with_unit(match.group("title"), text, match.end("title"))
            organisation = organisation_after(body, sentence, tail_start, common, registry, title)
            add_position(person, title, organisation, text)
        for match in _NAME_ORG_TITLE.finditer(text) if has_title else ():
            organisation_words = {word.lower() for word in match.group("org").split()}
            if (
                match.start("name") in named
                or match.start("title") in claimed_titles
                or match.start("org") in claimed_titles
                or not organisation_words.isdisjoint(TITLE_HINTS | MODIFIER_WORDS)
            ):
                continue
            person = record_person(match.group("name"), common, registry, text)
            if person is None:
                continue
            organisation = organisation_named(match.group("org").strip(), common, registry, text)
            title, _ = title_with_unit(match.group("title"), text, match.end("title"))
            add_position(person, title, organisation, text)
        speakers = []
        if not words.isdisjoint(_SPEECH_HINTS):
            speakers += _SPEAKER.finditer(text)
            speakers += _ACCORDING_TO.finditer(text)
        elif not words.isdisjoint({"according", "headed", "led", "chaired"}):
            speakers += _ACCORDING_TO.finditer(text)
        for match in speakers:
            record_person(match.group("name"), common, registry, text)
        for match in _INITIALS_ALONE.finditer(text):
            # "University named after P.K. Orlov" names the university, not a person here.
            if not text[: match.start()].rstrip().endswith("named after"):
                record_person(match.group("name"), common, registry, text)
        # A known first name makes a name a person's without any other context.
        for match in _GIVEN_NAME_FIRST.finditer(text):
            # "Ivan Sokolov Medical Centre": the name of something named after a person.
            named_after = _CAPITALISED_NEXT.match(text, match.end())
            if looks_like_person(match.group("name").split()) and not named_after:
                record_person(match.group("name"), common, registry, text)
    for sentence in sentences:
        for match in _HONORIFIC.finditer(sentence.text):
            known = [p for p in registry.people if p.name.split()[-1] == match.group("surname")]
            for person in known:
                add_alias(person, match.group(0))
            titled = _HONORIFIC_TITLE.match(sentence.text, match.end())
            if (
                titled
                and len(known) <= 1
                and valid_person_name(match.group("surname"), common, registry)
            ):
                # "Mr. Orlov, Mayor of Tula": a person the text names only by surname.
                person = (
                    known[0]
                    if known
                    else registry.add_person(
                        match.group("surname"), aliases=[match.group(0)], quote=sentence.text
                    )
                )
                title, end = title_with_unit(titled.group("title"), sentence.text, titled.end())
                organisation = organisation_after(body, sentence, end, common, registry, title)
                add_position(person, title, organisation, sentence.text)


def _titles_follow_names(text: str, title_start: int) -> bool:
    """Whether the title at ``title_start`` belongs to the name before it.

    "attended by A, Governor, B, CEO of Y": each title follows its name. In
    "the Director of X, A, the Head of Y, B" titles come first, and the
    title between two names is the next one's.
    """
    # Only the words just before matter; a bounded window keeps long lists linear.
    apposition = _APPOSITION_BEFORE.search(text, max(0, title_start - _WINDOW), title_start)
    if apposition is None:
        return False
    start = apposition.start()
    earlier = _TITLE_ENDS_HERE.search(text, max(0, start - _WINDOW), start)
    # A title before the name: still name-title pairs if that title follows a name too.
    if earlier is None:
        return True
    at = earlier.start()
    return _APPOSITION_BEFORE.search(text, max(0, at - _WINDOW), at) is not None


def _title_before_name(match, body, sentence, common, registry) -> bool:
    """A title directly followed by [of <organisation>] and a name, without a comma.

    Returns whether it named a person.
    """
    words = match.group("rest").split()
    if words:
        words[-1] = words[-1].rstrip(".")  # the full stop that ends the sentence
    # "Minister of Industry and Trade of X Viktor Yevtukhov and Olga Kuzina": the
    # name closes the first stretch between "and"s that ends in a name.
    end = 0
    while True:
        start, end = end, _next_and(words, end)
        size = 3 if end - start >= 3 and _PATRONYMIC.search(words[end - 2]) else 2
        raw = " ".join(words[end - size : end])
        named = end - start >= size and _FULL_NAME_ONLY.match(raw)
        if named and valid_person_name(raw, common, registry):
            break
        if end >= len(words):
            return False
        end += 1  # past the "and"
    # "(Bayer, Head of Market Access)": a bracket closes a department, not a name.
    closing = sentence.text[match.end() : match.end() + 1]
    if closing == ")" and end == len(words) and len(words) > size:
        return False
    phrase = words[: end - size]
    # "the head of Vostok Biopharm": right after "of" comes the employer, not a person.
    if phrase and set(phrase) <= {"of", "the"} and "of" in phrase:
        return False
    # "President Aidar Bek Sultanov": one capitalised word between title and name
    # that names nothing else is the name's first part.
    if (
        len(phrase) == 1
        and phrase[0][:1].isupper()
        and not registry.known_name(phrase[0])
        and not is_place_or_people(phrase[0])
        and valid_person_name(f"{phrase[0]} {raw}", common, registry)
    ):
        raw, phrase = f"{phrase[0]} {raw}", []
    person = record_person(raw, common, registry, sentence.text)
    if person is None:
        return False
    while phrase and phrase[0] in {"of", "the"}:
        phrase = phrase[1:]
    # "Chairman of Zentova board of directors", "CEO of the Zentova factory": the
    # board and the factory are the company's.
    for word in ("board", "factory", "plant"):
        if word in phrase:
            phrase = phrase[: phrase.index(word)]
    title, title_end = title_with_unit(match.group("title"), sentence.text, match.end("title"))
    organisation = None
    name_at = sentence.text.rfind(raw.split()[0], title_end, match.end())
    if "Minister of " in title:
        between = sentence.text[title_end : name_at if name_at != -1 else match.end()]
        organisation = title_ministry(title, between, registry, sentence.text)
    elif phrase and phrase[-1] not in {"of", "the"}:
        organisation = organisation_in(body, " ".join(phrase), sentence, common, registry)
    # "Biocad CEO Dmitry Morozov": the employer's name stands before the title.
    before = _NAME_BEFORE_TITLE.search(sentence.text, 0, match.start("title"))
    corporate = not _PUBLIC_OFFICE.search(match.group("title"))
    if organisation is None and before and not phrase and corporate:
        organisation = organisation_named(before.group(1).strip(), common, registry, sentence.text)
    if title == "Minister" and organisation is None:
        title, organisation = portfolio_minister(sentence.text, match.start("title"), registry)
    add_position(person, title, organisation, sentence.text)
    # "the company’s Executive Director X": the company the text named last, once
    # every company is known (settled by the registry at the end).
    if organisation is None and _COMPANY_POSSESSIVE.search(sentence.text, 0, match.start("title")):
        registry.point_at_last_company(person.positions[-1], sentence.start + match.start("title"))
    return True


def _next_and(words: list[str], start: int) -> int:
    """Index of the next "and" from ``start`` (or the end)."""
    for index in range(start, len(words)):
        if words[index] == "and":
            return index
    return len(words)
