"""People and the positions the article gives them.

A capitalised pair of words is only taken for a person in a context that says
so: a job title beside it ("Marta Lindqvist, the Executive Director of ..."),
a title before it ("its Director General, Oleg Varga"), a reporting verb
("Pavel Kim said"), "according to", or initials ("P.K.Orlov").
"""

import re

from entities.extraction.lexicon import is_given_name, is_nationality, is_place
from entities.extraction.organisations import (
    classify_chunk,
    find_chunk,
    is_place_or_people,
    looks_like_person,
)
from entities.extraction.registry import Registry
from entities.extraction.text import Sentence, tokenize
from entities.extraction.types import PersonCandidate, PositionCandidate
from entities.extraction.vocabulary import (
    FUNCTION_WORDS,
    GENERIC_NAME_WORDS,
    HONORIFICS,
    LEGAL_FORMS,
    MONTHS,
    ORGANISATION_HEADS,
    PLACE_NOUNS,
    PROGRAM_HEADS,
    SPEECH_VERBS,
    STRONG_HEADS,
    TITLE_CORES,
    TITLE_MODIFIERS,
    UNIT_HEADS,
    WEEKDAYS,
)

_NAME_WORD = r"[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)?"
_SURNAME = rf"(?:{_NAME_WORD}|[A-Z]{{2,}}(?:-[A-Z]{{2,}})?)"
# "Ivan Sokolov", "Anna Maria Berg", "Ivan P. Sokolov".
_FULL_NAME = rf"{_NAME_WORD}(?:\s[A-Z]\.)?(?:\s{_NAME_WORD})?\s{_SURNAME}(?![\w’'])"
_INITIALS_NAME = rf"(?:[A-Z]\.\s?){{1,3}}{_NAME_WORD}(?![\w’'])"
_PERSON = rf"(?:{_INITIALS_NAME}|{_FULL_NAME})"
_CORES = "|".join(re.escape(core) for core in sorted(TITLE_CORES, key=len, reverse=True))
_MODIFIERS = "|".join(TITLE_MODIFIERS)
# Any "Chief <Something> Officer" (Medical, Scientific, Commercial ...).
_CHIEF_OFFICER = r"Chief\s+[A-Za-z]+\s+Officer"
_ONE_TITLE = rf"(?:(?:{_MODIFIERS})\s+)*(?:{_CHIEF_OFFICER}|{_CORES})(?:\s+General)?"
# Two titles held together: "founder and CEO", "Chairman and Managing Director".
_TITLE = rf"\b(?i:{_ONE_TITLE}(?:\s+and\s+{_ONE_TITLE}\b)?)"
# Cheap test run first: most sentences name no job title and no reporting verb.
_WORD = re.compile(r"[a-z]+")
_TITLE_HINTS = frozenset(
    {"officer", *(word.lower() for core in TITLE_CORES for word in core.split())}
) - {"of", "the"}
_MODIFIER_WORDS = frozenset(modifier.lower() for modifier in TITLE_MODIFIERS)
_SPEECH_HINTS = frozenset(verb.split()[0] for verb in SPEECH_VERBS)
# A sub-unit after the title belongs to it: "Director of the ... Department".
_TITLE_UNIT = re.compile(
    r"^\s+of\s+the\s+((?:[\w-]+\s+){0,5}?(?:Department|Division|Directorate|Unit))\b"
    # ... but only a unit *of* a named body; otherwise the department is the employer.
    r"(?=\s+(?:of|at)\s+(?:the\s+)?(?:"
    + "|".join(head.capitalize() for head in sorted(STRONG_HEADS))
    + r")\b)"
)

# "<name>, [the] <title> [of <organisation> | , <organisation>]", "<name> – <title> ...",
# "<name> (<title> ...)", "<name> is the <title> ..."
_NAME_THEN_TITLE = re.compile(
    rf"(?P<name>{_PERSON})(?:\s*,\s*(?:who\s+is\s+|is\s+)?|\s+[–—]\s+|\s*\(\s*"
    r"|\s+(?:is|was|has\s+been|became)\s+)"
    rf"(?:the\s+|its\s+|our\s+|a\s+)?(?P<title>{_TITLE})\b"
)
# A remit after the title belongs to it: "Deputy Director for Production",
# "Vice-Rector for Research and Innovation" (capitalised words, no body's name).
_TITLE_REMIT = re.compile(r"^\s+for\s+([A-Z][a-z]+(?:(?:\s+|\s+and\s+|\s*&\s*)[A-Z][a-z]+){0,3})\b")
# "Minister of Industry and Trade of X": the portfolio belongs to the title.
_MINISTER_PORTFOLIO = re.compile(r"^\s+of\s+((?:[A-Z][\w-]*|and|&)(?:\s+(?:[A-Z][\w-]*|and|&))*)")
# "the minister of economic development and investment": a portfolio in lower case.
_LOWER_PORTFOLIO = re.compile(
    r"^\s+of\s+((?:(?!the\b|of\b|said\b|says\b)[a-z]+)(?:\s+(?:and\s+)?(?!the\b|of\b|said\b|says\b)[a-z]+){0,5})\b"
)
_LOWER_MINISTER_THEN_NAME = re.compile(
    rf"\b(?P<title>(?:(?:{_MODIFIERS})\s+)*(?i:minister))\s+of\s+"
    rf"(?P<portfolio>[a-z]+(?:\s+(?:and\s+)?[a-z]+){{0,5}}?)\s+(?P<name>{_FULL_NAME})"
)
# "of the region": which region is left to the reader.
_REGION_ANAPHORA = re.compile(r"\s+of\s+the\s+(?:region|republic|oblast|province|krai|city)\b")
# "<name>, <organisation> <title>"
_NAME_ORG_TITLE = re.compile(
    rf"(?P<name>{_PERSON})\s*,\s+(?P<org>(?:[A-Z][\w’'&/.-]*\s+){{1,5}}?)(?P<title>{_TITLE})\b"
)
# "[its] <title> [of <organisation>], <name>"
_TITLE_THEN_NAME = re.compile(
    rf"(?:\b(?P<its>its|their)\s+)?(?P<title>{_TITLE})\b(?P<tail>[^,.;:!?“”\"]{{0,140}}?)"
    rf"\s*,\s+(?P<name>{_PERSON})"
)
# "CEO Olga Markova", "Governor of Penza Region Nikolai Sergeev": no comma.
_TITLE_RUN = re.compile(
    rf"(?P<title>{_TITLE})\b(?P<rest>(?:\s+(?:of|the|and|board|directors|supervisory|factory|plant"
    rf"|\([A-Z]{{2,8}}\)|[«“\"]?[A-Z][\w’'.-]*[»”\"]?|ООО|ОАО|ЗАО|ПАО|АО))+)"
)
# "Biocad CEO": a company's name before a corporate title, but neither a
# nationality nor a place before a public office ("Russian President").
_NAME_BEFORE_TITLE = re.compile(r"(?<![\w’'])((?:[A-Z][\w’'&.-]*(?<!ian|ese|ish)\s+){1,4})$")
_PUBLIC_OFFICE = re.compile(r"(?i)governor|mayor|minister|president|ambassador")
# "Ivan Sokolov, Zentova LLC " before a title: the title is Ivan Sokolov's.
_APPOSITION_BEFORE = re.compile(rf"{_PERSON}\s*,\s+(?:the\s+)?(?:[A-Z][\w’'&/.-]*\s+){{0,6}}$")
# A title (and its organisation) right before ", <name>".
_TITLE_ENDS_HERE = re.compile(rf"{_TITLE}\b[^,;:.]*,\s*$")
# "the company’s Executive Director": the title of the company named before.
_COMPANY_POSSESSIVE = re.compile(r"\b(?:the\s+)?company[’']s\s+$", re.IGNORECASE)
# "of “Idea” Technopark": a quoted name and the head noun after it.
_QUOTED_BODY = re.compile(
    r"^\s*(?:of|at)\s+(?:the\s+)?(?P<quoted>[“«\"](?P<name>[A-Z][^”»\"]{1,40})[”»\"]\s+"
    r"(?P<head>[A-Z][a-z]+))\b"
)
# "First Deputy Economy Minister": the portfolio written before "Minister".
_PORTFOLIO_BEFORE = re.compile(
    rf"(?:\b(?P<modifier>(?:(?:{_MODIFIERS})\s+)*(?:{_MODIFIERS}))\s+)?(?P<portfolio>[A-Z][a-z]+)\s+$"
)
# How far before a title the apposition checks look (characters).
_WINDOW = 160
_FULL_NAME_ONLY = re.compile(rf"^(?:{_PERSON})$")
# Russian patronymics make a name three words long: "Ivan Petrovich Sidorov".
_PATRONYMIC = re.compile(r"(?:vich|vna|ich|ichna)$")
_SPEAKER = re.compile(rf"(?P<name>{_PERSON})\s+(?:{'|'.join(SPEECH_VERBS)})\b")
# "according to Ivan Petrenko", "”, said Ivan Petrov.", "is headed by Igor Drozdov"
_ACCORDING_TO = re.compile(
    r"\b(?:[Aa]ccording\s+to|said|says|noted|added|stressed|explained"
    rf"|headed\s+by|led\s+by|chaired\s+by)\s+(?P<name>{_PERSON})"
)
_GIVEN_NAME_FIRST = re.compile(
    rf"(?<![\w’'.-])(?P<name>{_NAME_WORD}(?:\s[A-Z]\.)?(?:\s{_NAME_WORD}){{0,1}}\s{_SURNAME})(?![\w’'])"
)
_CAPITALISED_NEXT = re.compile(r"\s+[A-Z][\w-]")
_INITIALS_ALONE = re.compile(rf"(?<![\w.])(?P<name>{_INITIALS_NAME})")
_HONORIFIC = re.compile(rf"\b(?:{'|'.join(HONORIFICS)})\.?\s+(?P<surname>{_NAME_WORD})\b")
# ", Mayor of ..." right after "Mr. Orlov".
_HONORIFIC_TITLE = re.compile(rf"\s*,\s+(?:the\s+)?(?P<title>{_TITLE})\b")
# Words of company names, never of a person's: "Lumiere Pharma".
_COMPANY_WORD = re.compile(
    r"pharm|^farma|^bio(?:tech|pharm|med|gen)?$|^med(?:tech|pharm)?$|tech$|^labs?$|^gen$"
)
_NOT_NAME_WORDS = (
    FUNCTION_WORDS
    | MONTHS
    | WEEKDAYS
    | PLACE_NOUNS
    | GENERIC_NAME_WORDS
    | frozenset(ORGANISATION_HEADS)
    | frozenset(PROGRAM_HEADS)
    | frozenset(word.lower() for core in TITLE_CORES for word in core.split())
    | frozenset(form.lower() for form in LEGAL_FORMS)
)


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
        has_title = not words.isdisjoint(_TITLE_HINTS)
        for match in _TITLE_THEN_NAME.finditer(text) if has_title else ():
            tail = match.group("tail")
            if tail.strip() and not re.match(r"\s+(?:of|at)\s", tail):
                continue
            # "A, Governor of X, B, CEO of Y": a title after "<name>, [employer]" is
            # that name's, not the next one's.
            if not match.group("its") and _titles_follow_names(text, match.start("title")):
                continue
            person = _person(match.group("name"), common, registry, text)
            if person is None:
                continue
            claimed_titles.add(match.start("title"))
            title, tail_start = _title_with_unit(match.group("title"), text, match.end("title"))
            if match.group("its"):
                organisation = registry.organisation_named_last(text, match.start())
            else:
                organisation = _organisation_after(
                    body, sentence, tail_start, common, registry, title
                )
            # "Zentova CEO, Ivan Sokolov": the employer stands before the title.
            before = _NAME_BEFORE_TITLE.search(text, 0, match.start("title"))
            if organisation is None and before and not _PUBLIC_OFFICE.search(title):
                organisation = _organisation_named(before.group(1).strip(), common, registry, text)
            _add_position(person, title, organisation, text)
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
            person = _person(match.group("name"), common, registry, text)
            if person is not None:
                claimed_titles.add(match.start("title"))
                title = f"{match.group('title')[:1].upper()}{match.group('title')[1:]} of "
                title += " ".join(match.group("portfolio").split())
                _add_position(person, title, _ministry(title, "", registry, text), text)
        for match in _NAME_THEN_TITLE.finditer(text) if has_title else ():
            if match.start("title") in claimed_titles:
                continue
            person = _person(match.group("name"), common, registry, text)
            if person is None:
                continue
            named.add(match.start("name"))
            title, tail_start = _title_with_unit(match.group("title"), text, match.end("title"))
            organisation = _organisation_after(body, sentence, tail_start, common, registry, title)
            _add_position(person, title, organisation, text)
        for match in _NAME_ORG_TITLE.finditer(text) if has_title else ():
            organisation_words = {word.lower() for word in match.group("org").split()}
            if (
                match.start("name") in named
                or match.start("title") in claimed_titles
                or match.start("org") in claimed_titles
                or not organisation_words.isdisjoint(_TITLE_HINTS | _MODIFIER_WORDS)
            ):
                continue
            person = _person(match.group("name"), common, registry, text)
            if person is None:
                continue
            organisation = _organisation_named(match.group("org").strip(), common, registry, text)
            title, _ = _title_with_unit(match.group("title"), text, match.end("title"))
            _add_position(person, title, organisation, text)
        speakers = []
        if not words.isdisjoint(_SPEECH_HINTS):
            speakers += _SPEAKER.finditer(text)
            speakers += _ACCORDING_TO.finditer(text)
        elif not words.isdisjoint({"according", "headed", "led", "chaired"}):
            speakers += _ACCORDING_TO.finditer(text)
        for match in speakers:
            _person(match.group("name"), common, registry, text)
        for match in _INITIALS_ALONE.finditer(text):
            # "University named after P.K. Orlov" names the university, not a person here.
            if not text[: match.start()].rstrip().endswith("named after"):
                _person(match.group("name"), common, registry, text)
        # A known first name makes a name a person's without any other context.
        for match in _GIVEN_NAME_FIRST.finditer(text):
            # "Ivan Sokolov Medical Centre": the name of something named after a person.
            named_after = _CAPITALISED_NEXT.match(text, match.end())
            if looks_like_person(match.group("name").split()) and not named_after:
                _person(match.group("name"), common, registry, text)
    for sentence in sentences:
        for match in _HONORIFIC.finditer(sentence.text):
            known = [p for p in registry.people if p.name.split()[-1] == match.group("surname")]
            for person in known:
                _add_alias(person, match.group(0))
            titled = _HONORIFIC_TITLE.match(sentence.text, match.end())
            if titled and len(known) <= 1 and _valid_name(match.group("surname"), common, registry):
                # "Mr. Orlov, Mayor of Tula": a person the text names only by surname.
                person = (
                    known[0]
                    if known
                    else registry.add_person(
                        match.group("surname"), aliases=[match.group(0)], quote=sentence.text
                    )
                )
                title, end = _title_with_unit(titled.group("title"), sentence.text, titled.end())
                organisation = _organisation_after(body, sentence, end, common, registry, title)
                _add_position(person, title, organisation, sentence.text)


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
        if named and _valid_name(raw, common, registry):
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
        and _valid_name(f"{phrase[0]} {raw}", common, registry)
    ):
        raw, phrase = f"{phrase[0]} {raw}", []
    person = _person(raw, common, registry, sentence.text)
    if person is None:
        return False
    while phrase and phrase[0] in {"of", "the"}:
        phrase = phrase[1:]
    # "Chairman of Zentova board of directors", "CEO of the Zentova factory": the
    # board and the factory are the company's.
    for word in ("board", "factory", "plant"):
        if word in phrase:
            phrase = phrase[: phrase.index(word)]
    title, title_end = _title_with_unit(match.group("title"), sentence.text, match.end("title"))
    organisation = None
    name_at = sentence.text.rfind(raw.split()[0], title_end, match.end())
    if "Minister of " in title:
        between = sentence.text[title_end : name_at if name_at != -1 else match.end()]
        organisation = _ministry(title, between, registry, sentence.text)
    elif phrase and phrase[-1] not in {"of", "the"}:
        organisation = _organisation_in(body, " ".join(phrase), sentence, common, registry)
    # "Biocad CEO Dmitry Morozov": the employer's name stands before the title.
    before = _NAME_BEFORE_TITLE.search(sentence.text, 0, match.start("title"))
    corporate = not _PUBLIC_OFFICE.search(match.group("title"))
    if organisation is None and before and not phrase and corporate:
        organisation = _organisation_named(before.group(1).strip(), common, registry, sentence.text)
    if title == "Minister" and organisation is None:
        title, organisation = _portfolio_minister(sentence.text, match.start("title"), registry)
    _add_position(person, title, organisation, sentence.text)
    # "the company’s Executive Director X": the company the text named last, once
    # every company is known (settled by the registry at the end).
    if organisation is None and _COMPANY_POSSESSIVE.search(sentence.text, 0, match.start("title")):
        registry.point_at_last_company(person.positions[-1], sentence.start + match.start("title"))
    return True


def _portfolio_minister(text: str, title_start: int, registry: Registry):
    """ "Deputy Economy Minister X": the title with its portfolio, and the ministry if named.

    The ministry is the one the article names ("the Economy Ministry",
    "the Ministry of Economy"); none is inferred, as the country is not said.
    """
    before = _PORTFOLIO_BEFORE.search(text, max(0, title_start - 60), title_start)
    if before is None or is_nationality(before.group("portfolio")):
        return "Minister", None
    portfolio = before.group("portfolio")
    title = " ".join(filter(None, [before.group("modifier"), portfolio, "Minister"]))
    for name in (f"{portfolio} Ministry", f"Ministry of {portfolio}"):
        known = registry.organisation(name)
        if known is not None:
            return title, known.name
    return title, None


def _organisation_in(body, phrase: str, sentence, common, registry) -> str | None:
    """The organisation a phrase after a title names: "of the X Department of the Ministry"."""
    at = sentence.text.find(phrase)
    if at != -1:
        tokens = tokenize(phrase, sentence.start + at)
        chunk = find_chunk(tokens, common)
        found = classify_chunk(body, chunk) if chunk else None
        if found is not None and found.kind != "program":
            return registry.add_organisation(
                found.name, found.kind, aliases=found.aliases, quote=sentence.text
            ).name
    # "«Zentova» OAO", "(UPM)": quotes and brackets are not part of the name.
    phrase = " ".join(re.sub(r"[«»“”\"()]", " ", phrase).split())
    return _organisation_named(phrase, common, registry, sentence.text)


def _person(raw: str, common: frozenset[str], registry: Registry, quote: str):
    """The record for a name found in a person context, or None when it is not a name."""
    raw = _valid_name(raw, common, registry)
    if raw is None:
        return None
    name = _display_name(raw)
    aliases = [raw] if raw != name else []
    surname = name.split()[-1]
    if surname != name:
        aliases.append(surname)
    return registry.add_person(name, aliases=aliases, quote=quote)


def _next_and(words: list[str], start: int) -> int:
    """Index of the next "and" from ``start`` (or the end)."""
    for index in range(start, len(words)):
        if words[index] == "and":
            return index
    return len(words)


def _valid_name(raw: str, common: frozenset[str], registry: Registry) -> str | None:
    """The name as written if it can be a person's, else None."""
    raw = re.sub(r"\s+", " ", raw).strip()
    # A sentence opener caught before a two-word name: "Later Olga Sidorova".
    first, _, rest = raw.partition(" ")
    if rest.count(" ") >= 1 and (first.lower() in _NOT_NAME_WORDS or first.lower() in common):
        raw = rest
    if is_place(raw, major=True):
        return None
    # "Health Ivan Sokolov" (after "Minister of"): a word before a first name is not the name's.
    words = raw.split()
    if len(words) == 3 and is_given_name(words[1]) and not is_given_name(words[0]):
        raw = " ".join(words[1:])
    # "Belarus Ivan Sokolov", "Danish Anna Berg": a place or nationality before the name.
    first, _, rest = raw.partition(" ")
    if rest.count(" ") >= 1 and (is_place(first, major=True) or is_nationality(first)):
        raw = rest
    words = [word for word in re.split(r"[\s.]+", raw) if len(word) > 1]
    if not words:
        return None
    for word in words:
        lower = word.lower().rstrip("’'")
        if (
            lower in _NOT_NAME_WORDS
            or lower in common
            or is_nationality(lower)
            or is_place(word, major=True)
            or _COMPANY_WORD.search(lower)
        ):
            return None
    if registry.known_name(raw) or registry.in_organisation_name(raw):
        return None
    return raw


def _display_name(raw: str) -> str:
    """Display form: "Marta LINDQVIST" -> "Marta Lindqvist"; "P.K.Orlov" -> "P.K. Orlov"."""
    words = [
        word.capitalize() if word.isupper() and word.isalpha() else word for word in raw.split()
    ]
    # Initials glued to the surname get a space before it.
    return re.sub(r"(?<=\.)(?=[A-Z][a-z])", " ", " ".join(words))


def _title_with_unit(title: str, text: str, end: int) -> tuple[str, int]:
    """Extend a title by its sub-unit or portfolio; return it and where it ends.

    "Director of the ... Department of X" and "Minister of Industry and Trade
    of X" keep the department or portfolio in the title; X is the organisation.
    """
    title = re.sub(r"\s+", " ", title).strip()
    title = title[0].upper() + title[1:]
    remit = _TITLE_REMIT.match(text[end:])
    if remit and _is_remit(remit.group(1)):
        return f"{title} for {remit.group(1)}", end + remit.end()
    unit = _TITLE_UNIT.match(text[end:])
    if unit:
        return f"{title} of the {unit.group(1)}", end + unit.end()
    if title.lower().endswith("minister"):
        portfolio = _MINISTER_PORTFOLIO.match(text[end:]) or _LOWER_PORTFOLIO.match(text[end:])
        if portfolio:
            words = portfolio.group(1).split(" of ")[0].strip().split()
            # "Minister of Health Ivan Sokolov": the name is not part of the portfolio.
            for cut in range(1, len(words)):
                if looks_like_person(words[cut:]):
                    words = words[:cut]
                    break
            portfolio_text = " ".join(words)
            return f"{title} of {portfolio_text}", end + portfolio.start(1) + len(portfolio_text)
    return title, end


def _is_remit(words: str) -> bool:
    """Whether the words after "for" name a field of work rather than a body or place."""
    lowered = {word.lower() for word in re.findall(r"[A-Za-z]+", words)}
    return lowered.isdisjoint(ORGANISATION_HEADS.keys() | PLACE_NOUNS)


def _organisation_after(body, sentence, position, common, registry, title="") -> str | None:
    """The organisation named right after a title: "of/at [the] X" or ", X".

    A minister's organisation is the ministry of the portfolio, when the
    article names it: "Minister of Trade of X" works at "X Ministry of Trade".
    """
    rest = sentence.text[position:]
    if "Minister of " in title:
        return _ministry(title, rest, registry, sentence.text)
    quoted = _QUOTED_BODY.match(rest)
    if quoted and quoted.group("head").lower() in ORGANISATION_HEADS:
        # "the Director of “Idea” Technopark": a quoted name before its head noun.
        name = f"{quoted.group('name')} {quoted.group('head')}"
        kind = ORGANISATION_HEADS[quoted.group("head").lower()]
        alias = " ".join(rest[quoted.start("quoted") : quoted.end()].split())
        return registry.add_organisation(name, kind, aliases=[alias], quote=sentence.text).name
    lead = re.match(
        r"\s*(?:(?:of|at|in|for)\s+(?:the\s+)?|,\s+(?:the\s+)?)(?:(?:regional|federal|national)\s+)?",
        rest,
    )
    if not lead:
        return None
    offset = sentence.start + position + lead.end()
    tokens = tokenize(sentence.text[position + lead.end() :], offset)
    chunk = find_chunk(tokens, common)
    if chunk is None:
        return None
    found = classify_chunk(body, chunk)
    if found is not None and found.kind != "program":
        record = registry.add_organisation(
            found.name, found.kind, aliases=found.aliases, quote=sentence.text
        )
        return record.name
    name = re.sub(r"\s+", " ", body[chunk[0].start : chunk[-1].end])
    return _organisation_named(name, common, registry, sentence.text)


def _ministry(title: str, rest: str, registry: Registry, quote: str) -> str | None:
    """The ministry a "Minister of X [of <place>]" title names.

    "First Deputy Minister of Health of the Russian Federation" works at the
    ministry the title names, even where the text never writes "Ministry": the
    known record when the article names it, else one inferred from the title.
    """
    place = re.match(r"\s+of\s+(the\s+)?((?:[A-Z][\w-]*\s*)+)", rest)
    if _REGION_ANAPHORA.match(rest):
        # "the minister of health of the region": a regional ministry the text does not name.
        return None
    field = title[title.index("Minister of ") + len("Minister of ") :]
    portfolio = "Ministry of " + " ".join(
        word if word in {"and", "of"} else word[:1].upper() + word[1:] for word in field.split()
    )
    names = [f"{portfolio} of {place.group(1) or ''}{place.group(2).strip()}"] if place else []
    for name in [*names, portfolio]:
        known = registry.organisation(name)
        if known is not None:
            return known.name
    if place is None:
        return registry.infer_organisation(portfolio, "government", quote=quote).name
    where = place.group(2).strip()
    if is_place_or_people(where) or where.split()[-1].lower() in PLACE_NOUNS:
        return registry.infer_organisation(names[0], "government", quote=quote).name
    return None


def _organisation_named(name: str, common, registry: Registry, quote: str) -> str | None:
    """A capitalised name in an organisation's place; a new company when unknown."""
    known = registry.organisation(name)
    if known is not None:
        return known.name
    words = name.split()
    if len(words) > 1 and words[-1].lower() in UNIT_HEADS:
        # "Zentova International Division": a unit of a known company.
        for size in range(len(words) - 1, 0, -1):
            known = registry.organisation(" ".join(words[:size]))
            if known is not None:
                return known.name
        # The company may be found later in the article: settled at the end.
        return name
    if not words or registry.program(name) or looks_like_person(words) or is_place_or_people(name):
        return None
    for word in words:
        lower = word.lower().rstrip("’'")
        if lower in PLACE_NOUNS or lower in FUNCTION_WORDS or lower in common:
            return None
        if not word[:1].isupper():
            return None
    return registry.add_organisation(name, "company", quote=quote).name


def _add_position(person: PersonCandidate, title: str, organisation, quote: str) -> None:
    for position in person.positions:
        if position.title.lower() == title.lower() and position.organisation == organisation:
            return
    person.positions.append(PositionCandidate(title=title, organisation=organisation, quote=quote))


def _add_alias(person: PersonCandidate, alias: str) -> None:
    if alias not in person.aliases and alias != person.name:
        person.aliases.append(alias)
