"""Companies named without a legal form or an institutional noun, found by what they do.

Brand names ("Zentova", "BioLumix", "NOVAGEN", "Kerva-Farma") carry no
"LLC" or "Ministry" that would mark them, but the sentence around them does:
they open plants and invest ("Zentova opened ..."), own things ("Zentova’s
plant", "the Zentova plant"), sign with others ("an agreement with
Zentova"), and are listed as companies ("two residents, Zentova and Orvel").
A capitalised run of words is taken for a company when such a context sits
right beside it, or when it is listed together with one that has it. Places,
nationalities, people already found and names already known are never taken.
"""

import re

from entities.extraction.lexicon import is_nationality, is_place
from entities.extraction.organisations import (
    is_name_word,
    is_place_or_people,
    looks_like_person,
)
from entities.extraction.registry import Registry
from entities.extraction.text import Sentence, Token, tokenize
from entities.extraction.vocabulary import (
    LEGAL_FORMS,
    ORGANISATION_HEADS,
    PLACE_NOUNS,
    PROGRAM_HEADS,
    TITLE_CORES,
)

# Nouns that say the name before them is a company's: "the Zentova plant",
# "Orvel pharmaceutical company", "Zentova’s plant".
_COMPANY_THINGS = frozenset(
    [
        "company",
        "companies",
        "group",
        "holding",
        "plant",
        "plants",
        "factory",
        "factories",
        "facility",
        "facilities",
        "site",
        "manufacturer",
        "producer",
        "corporation",
        "concern",
        "enterprise",
        "subsidiary",
        "subsidiaries",
        "brand",
        "brands",
        "products",
        "product",
        "drugs",
        "drug",
        "portfolio",
        "shareholders",
        "shareholder",
        "production",
        "capacity",
        "capacities",
        "investment",
        "investments",
        "project",
        "projects",
        "management",
        "ceo",
        "headquarters",
        "office",
        "offices",
        "laboratory",
        "laboratories",
        "line",
        "lines",
        "warehouse",
        "medicines",
        "vaccine",
        "vaccines",
    ]
)
# Lower-case words that may stand between the name and such a noun.
_DESCRIPTORS = frozenset(
    [
        "pharmaceutical",
        "pharmaceuticals",
        "biopharmaceutical",
        "biotech",
        "biotechnology",
        "medical",
        "international",
        "investment",
        "chemical",
        "new",
        "own",
        "production",
        "manufacturing",
        "insulin",
        "vaccine",
        "russian",
        "foreign",
        "global",
        "local",
        "joint",
        "venture",
    ]
)
# Verbs (and their forms) that companies are the subject of.
_COMPANY_VERBS = re.compile(
    r"^(?:open|launch|commission|build|built|construct|produc|manufactur|invest|co-invest"
    r"|acquir|registe|suppl|export|employ|operat|own|develop|select|chose|sign|start|began"
    r"|begin|intend|plan|aim|continu|proceed|expand|locali[sz]|make|made|sell|sold|establish"
    r"|creat|complet|receiv|enter|join|announc|implement|modernis|moderniz|releas|ship"
    r"|manag)",
)
# Auxiliaries that may come before such a verb: "will build", "is to build", "has started".
_AUXILIARIES = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "has",
        "have",
        "had",
        "plans",
        "intends",
        "is",
        "to",
        "are",
        "to",
        "also",
        "already",
        "now",
        "currently",
        "recently",
        "just",
        "still",
        "further",
    ]
)
# Phrases whose object is a company: "an agreement with X", "the factory of X".
_BEFORE = re.compile(
    r"(?:(?:agreement|contract|partnership|cooperation|collaboration|deal|memorandum|jointly)"
    r"\s+with|(?:factory|plant|facility|site|subsidiary|division|shareholder|owner|products?"
    r"|brand|investor|resident|residents)\s+of|acquired\s+by|owned\s+by|produced\s+by"
    r"|manufactured\s+by|developed\s+by|(?<=-)based|companies\s+such\s+as|companies"
    r"|company|manufacturers?|producers?|enterprises|residents?|investors?|group"
    r"|partners?|brands?|holding)\s*[:,]?\s*(?:the\s+)?$",
    re.IGNORECASE,
)
# ", a member of ...", ", an international investment company".
_APPOSITION = re.compile(
    r"^\s*(?:\([^)]{0,40}\)\s*)?,\s+(?:[A-Z][\w-]*,\s+)?(?:the|a|an|one\s+of\s+the)\s+"
    r"(?:[\w-]+\s+){0,4}?(?:company|companies|manufacturer|producer|developer|subsidiary"
    r"|member|resident|investor|holding|group|distributor|supplier|leader|maker)\b",
)
_TITLE_WORDS = frozenset(word.lower() for core in TITLE_CORES for word in core.split())
_MAX_NAME_WORDS = 4


def find_companies(
    body: str, sentences: list[Sentence], common: frozenset[str], registry: Registry
) -> None:
    """Add the companies that only their context names to ``registry``."""
    for sentence in sentences:
        tokens = tokenize(sentence.text, sentence.start)
        runs = list(_runs(tokens, common, registry))
        accepted = [_has_company_context(sentence, tokens, run) for run in runs]
        # A name listed with a company ("Zentova, Orvel and Kerva-Farma signed") is one too.
        changed = True
        while changed:
            changed = False
            for index in range(len(runs)):
                if not accepted[index] and _listed_with(tokens, runs, accepted, index):
                    accepted[index] = changed = True
        for run, ok in zip(runs, accepted, strict=True):
            if ok:
                last = tokens[run[1] - 1]
                # "MedTrek's plant": the possessive ending is not part of the name.
                end = last.end - 2 if last.text.endswith(("’s", "'s")) else last.end
                name = re.sub(r"\s+", " ", body[tokens[run[0]].start : end])
                registry.add_organisation(name, "company", quote=sentence.text)
                _drop_person_named(registry, name)


def _runs(tokens: list[Token], common: frozenset[str], registry: Registry):
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
        stop = _person_inside(tokens, index, end, registry)
        if stop > index and _acceptable(tokens[index:stop], common, registry):
            yield index, stop
        index = end


def _person_inside(tokens: list[Token], start: int, end: int, registry: Registry) -> int:
    """Where a person's name begins inside the run ("Tatarstan Ivan Sokolov"), else ``end``."""
    people = {
        spelling
        for person in registry.people
        for spelling in (person.name, *person.aliases)
        if " " in spelling
    }
    for index in range(start, end - 1):
        words = [token.text for token in tokens[index:end]]
        if any(" ".join(words[:size]) in people for size in range(2, len(words) + 1)):
            return index
        if index > start and looks_like_person(words):
            return index
    return end


def _may_start(token: Token) -> bool:
    # "Novouralsk-based": a place, describing the name that follows.
    return (
        is_name_word(token)
        and token.text not in LEGAL_FORMS
        and not token.lower.endswith(("-based", "-owned"))
    )


def _may_continue(token: Token) -> bool:
    return _may_start(token) and not token.text.endswith(("’s", "'s"))


def _acceptable(run: list[Token], common: frozenset[str], registry: Registry) -> bool:
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
        for lower in lowers
    ):
        return False
    # A single ordinary word capitalised at a sentence start is not a name.
    if len(words) == 1 and lowers[0] in common and not _brand_shaped(words[0]):
        return False
    if all(lower in common for lower in lowers):
        return False
    if is_place_or_people(name) or is_place(words[0]) or looks_like_person(words):
        return False
    return not registry.program(name) and not _is_known_person(registry, name)


def _brand_shaped(word: str) -> bool:
    """CamelCase, capitals or a hyphenated word: "BioLumix", "NOVAGEN", "Kerva-Farma"."""
    return bool(re.search(r"[a-z][A-Z]", word)) or (word.isupper() and len(word) > 2) or "-" in word


def _is_known_person(registry: Registry, name: str) -> bool:
    for person in registry.people:
        if name == person.name or name in person.aliases:
            return bool(person.positions)
    return False


def _has_company_context(sentence: Sentence, tokens: list[Token], run: tuple[int, int]) -> bool:
    start, end = run
    after = [token.lower for token in tokens[end : end + 6]]
    last = tokens[end - 1].text
    # "Zentova’s plant"
    if last.endswith(("’s", "'s")) or (after[:1] == ["’"] or after[:1] == ["'"]):
        following = [word for word in after if word not in {"’", "'", "s", "new", "own"}]
        return bool(following) and following[0] in _COMPANY_THINGS
    # "the Zentova plant", "Orvel pharmaceutical company"
    words = [word for word in after[:3] if word not in _DESCRIPTORS]
    if words and words[0] in _COMPANY_THINGS and after[0] != "and":
        return True
    # "Zentova opened", "Zentova will build", "Zentova is to invest"
    for word in after[:4]:
        if word in _AUXILIARIES:
            continue
        if _COMPANY_VERBS.match(word):
            return True
        break
    # "an agreement with Zentova"
    before = sentence.text[: tokens[start].start - sentence.start]
    if _BEFORE.search(before):
        return True
    return bool(_APPOSITION.match(sentence.text[tokens[end - 1].end - sentence.start :]))


def _listed_with(tokens: list[Token], runs, accepted, index: int) -> bool:
    """Whether run ``index`` is joined by "," or "and" to an accepted neighbour."""
    for neighbour in (index - 1, index + 1):
        if not 0 <= neighbour < len(runs) or not accepted[neighbour]:
            continue
        left, right = sorted((runs[index], runs[neighbour]))
        between = [token.lower for token in tokens[left[1] : right[0]]]
        if between and set(between) <= {",", "and", "&"}:
            return True
    return False


def _drop_person_named(registry: Registry, name: str) -> None:
    """A "person" only guessed from a first name is a company when the text says so."""
    registry.drop_people(
        [person for person in registry.people if person.name == name and not person.positions]
    )
