"""How two names compare: the rules of duplicate candidates, and their scores.

Pure functions over spellings (a record's name or alias, split into words,
its legal form, acronym, initials); :mod:`entities.services.duplicates` runs
them over blocks of records and stores the pairs. See that module's docstring
for the rules and their scores.
"""

import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz import fuzz

from entities.models import DuplicateCandidate
from entities.normalise import LEGAL_FORMS, acronym_of, is_acronym, normalise_name

Kind = DuplicateCandidate.Kind

#: Similarity (rapidfuzz ratio, 0-100) from which two names count as "similar".
SIMILARITY_THRESHOLD = 85

SCORES = {
    "same name": 0.97,
    "legal form": 0.95,
    "acronym": 0.90,
    "initials": 0.88,
    "initials (several people fit)": 0.65,
    "abbreviated": 0.8,
}

# Words that are not one body's name on their own: a name contained in another
# counts only when it has a word outside these (and outside the legal forms).
GENERIC_WORDS = frozenset(
    {
        "academy",
        "administration",
        "agency",
        "alliance",
        "association",
        "authority",
        "bank",
        "biotech",
        "biotechnology",
        "board",
        "bureau",
        "center",
        "centre",
        "chamber",
        "city",
        "clinic",
        "cluster",
        "college",
        "commission",
        "committee",
        "company",
        "conference",
        "corporation",
        "council",
        "department",
        "development",
        "district",
        "economic",
        "economy",
        "education",
        "export",
        "factory",
        "faculty",
        "federal",
        "federation",
        "forum",
        "foundation",
        "fund",
        "government",
        "group",
        "health",
        "holding",
        "hospital",
        "industrial",
        "industry",
        "initiative",
        "innovation",
        "innovative",
        "institute",
        "international",
        "investment",
        "lab",
        "laboratories",
        "laboratory",
        "labs",
        "management",
        "media",
        "medical",
        "ministry",
        "municipal",
        "national",
        "network",
        "news",
        "oblast",
        "office",
        "park",
        "partnership",
        "pharm",
        "pharma",
        "pharmaceutical",
        "pharmaceuticals",
        "pharmaceutics",
        "plant",
        "program",
        "programme",
        "project",
        "region",
        "regional",
        "republic",
        "research",
        "russia",
        "russian",
        "school",
        "science",
        "scientific",
        "service",
        "services",
        "society",
        "special",
        "standard",
        "state",
        "system",
        "technologies",
        "technology",
        "technopark",
        "trade",
        "training",
        "union",
        "university",
        "zone",
    }
)
# Long legal forms, written out: "Zentova Joint Stock Company" is "Zentova JSC".
_LONG_LEGAL_FORMS = re.compile(
    r"\b(?:(?:public|closed|open|non[- ]?public)\s+)?joint[- ]stock\s+company\b"
    r"|\blimited\s+liability\s+(?:company|partnership)\b"
    r"|\b(?:incorporated|corporation|company|limited)\b",
    re.IGNORECASE,
)
_LEGAL_WORDS = frozenset(form.strip(".").casefold() for form in LEGAL_FORMS)
_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")
_INITIAL = re.compile(r"^(?:[A-Z]\.?)+$|^(?:[A-Z]\.)+[A-Z]?$")


@dataclass(frozen=True)
class Named:
    """A record as duplicate finding sees it: id, display name and aliases."""

    pk: int
    name: str
    aliases: tuple[str, ...] = ()


@dataclass
class Match:
    """Why two records look like one: the score and the rules that fired."""

    score: float
    reasons: list[str]


# --- names -----------------------------------------------------------------


@dataclass(frozen=True)
class Spelling:
    """One spelling of a record (its name or an alias) with what the rules compare."""

    text: str
    key: str  # normalise_name
    words: tuple[str, ...]  # casefolded ASCII words, in order, legal forms kept
    core: tuple[str, ...]  # words without legal forms and glue words
    numbers: frozenset[str]
    acronym: str  # written as an acronym: its letters, else ""
    initials: str  # the initials of its words (three or more), else ""
    distinctive: str  # its words that are not generic, sorted and joined (see _distinctive)


_GLUE = frozenset({"the", "of", "for", "and", "a", "an", "&", "in", "on"})


def spelling_of(text: str, kind: str) -> Spelling:
    ascii_text = anyascii(unicodedata.normalize("NFKC", text))
    words = tuple(word.casefold() for word in _WORD.findall(ascii_text))
    core = tuple(w for w in words if w not in _GLUE and w not in _LEGAL_WORDS)
    without_long_forms = _LONG_LEGAL_FORMS.sub(" ", ascii_text)
    core_short = tuple(
        w.casefold()
        for w in _WORD.findall(without_long_forms)
        if w.casefold() not in _GLUE and w.casefold() not in _LEGAL_WORDS
    )
    acronym = re.sub(r"[^A-Za-z]", "", text).upper() if is_acronym(text) else ""
    key = normalise_name(text)
    core = core_short or core
    return Spelling(
        text=text,
        key=key,
        words=words,
        core=core,
        numbers=frozenset(_DIGITS.findall(ascii_text)),
        acronym=acronym,
        initials="" if acronym else acronym_of(text),
        distinctive=_distinctive(kind, key, core),
    )


def record_spellings(record: Named, kind: str) -> list[Spelling]:
    texts = [record.name, *record.aliases]
    if kind == Kind.PERSON:
        # A person's aliases are mostly a surname, bare or after "Mr."/"Dr.", which
        # other people share: only an alias with a given name or initials counts.
        texts = [record.name, *(a for a in record.aliases if _has_given_name(a))]
    seen, result = set(), []
    for text in texts:
        if text and text not in seen:
            seen.add(text)
            result.append(spelling_of(text, kind))
    return result


_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "madam"})


def _has_given_name(text: str) -> bool:
    """Whether a person's spelling has more than a surname ("Mr. Orbelt" has not)."""
    words = [w.strip(".").casefold() for w in text.split()]
    return len([w for w in words if w and w not in _HONORIFICS]) > 1


@dataclass(frozen=True)
class PersonName:
    surname: str
    given: tuple[str, ...]  # casefolded given names or initials, in order
    initials_only: bool


def person_name(spelling: Spelling) -> PersonName | None:
    """Given names and surname of "John A. Smith", "J.A. Smith", "J. A. Smith"; None otherwise."""
    tokens = anyascii(spelling.text).replace(".", ". ").split()
    if len(tokens) < 2:
        return None
    surname = tokens[-1]
    if not surname[:1].isupper() or _INITIAL.match(surname):
        return None
    given = []
    initials_only = True
    for token in tokens[:-1]:
        if _INITIAL.match(token):
            given.extend(letter.casefold() for letter in token if letter.isalpha())
        elif token[:1].isupper() and token.strip(".").isalpha():
            given.append(token.casefold())
            initials_only = False
        else:
            return None
    return PersonName(normalise_name(surname), tuple(given), initials_only)


def initials_agree(short: PersonName, full: PersonName) -> bool:
    """Whether initials ("J.A.") fit the given names of a full name ("John", "John Alan")."""
    if short.surname != full.surname or not short.given or not full.given:
        return False
    if short.given[0][0] != full.given[0][0]:
        return False
    # Middle initials must agree where both names state them.
    return all(a[0] == b[0] for a, b in zip(short.given[1:], full.given[1:], strict=False))


def _first_names_alike(a: Spelling, b: Spelling) -> bool:
    """Whether two people's first names are alike too ("Taras" is not "Tamara")."""
    first, second = person_name(a), person_name(b)
    if first is None or second is None or not first.given or not second.given:
        return False
    if first.given[0][0] != second.given[0][0]:
        return False
    if len(first.given[0]) == 1 or len(second.given[0]) == 1:
        return True  # initials: the initials rule's business
    return fuzz.ratio(first.given[0], second.given[0]) >= 80


# --- rules -----------------------------------------------------------------


def _contained(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether ``short`` is a run of whole words of ``long`` (and shorter)."""
    n = len(short)
    if not n or n >= len(long):
        return False
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _in_order(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether ``short``'s words all appear in ``long`` in order, with words between."""
    if not short or len(short) >= len(long):
        return False
    remaining = iter(long)
    return all(word in remaining for word in short)


def _abbreviated(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Word by word the same name, some words cut short: "Pharma Park" ~ "Pharmaceutical Park".

    A word abbreviates another when it is its first three or more letters
    (a plural "s" aside: "Labs" ~ "Laboratories").
    """
    if len(a) != len(b) or a == b:
        return False

    def same_or_cut(x: str, y: str) -> bool:
        if x == y:
            return True
        short, long = sorted((x.removesuffix("s"), y.removesuffix("s")), key=len)
        return len(short) >= 3 and long.startswith(short)

    return all(same_or_cut(x, y) for x, y in zip(a, b, strict=True))


def compare_spellings(kind: str, a: Spelling, b: Spelling) -> list[tuple[str, float]]:
    """The rules two spellings satisfy, with their scores."""
    found = []
    if kind == Kind.ORGANISATION and a.core and a.core == b.core and a.words != b.words:
        found.append(("legal form", SCORES["legal form"]))
    elif a.key and a.key == b.key:
        found.append(("same name", SCORES["same name"]))
    if kind != Kind.PERSON:
        if (a.acronym and a.acronym == b.initials) or (b.acronym and b.acronym == a.initials):
            found.append(("acronym", SCORES["acronym"]))
        short, long = sorted((a.core, b.core), key=len)
        if _contained(short, long) and (
            kind != Kind.ORGANISATION or any(w not in GENERIC_WORDS for w in short)
        ):
            # Longer shared runs are stronger evidence: 0.60 for a word of four, up to 0.85.
            found.append(("contained", round(0.6 + 0.25 * len(short) / len(long), 3)))
        elif _in_order(short, long) and any(w not in GENERIC_WORDS for w in short):
            # "Tarsk Medical Institute" in "Tarsk Medical Research Institute": weaker
            # than a run of words, a word between may name another body.
            found.append(("words in order", round(0.55 + 0.2 * len(short) / len(long), 3)))
        if _abbreviated(a.core, b.core) and any(
            x == y and x not in GENERIC_WORDS for x, y in zip(a.core, b.core, strict=True)
        ):
            found.append(("abbreviated", SCORES["abbreviated"]))
    elif len(a.core) > 1 and len(b.core) > 1:
        short, long = sorted((a.core, b.core), key=len)
        if _contained(short, long) and short[-1] == long[-1]:
            # "John Smith" in "John Alan Smith": the same surname, a name more.
            found.append(("contained", 0.75))
    left, right = a.distinctive, b.distinctive
    if a.numbers == b.numbers and left and right and left != right:
        # Only the words that tell bodies apart: "X Generics of Y Region" and
        # "Z Generics of Y Region" share most letters but not the name.
        ratio = fuzz.ratio(left, right)
        if ratio >= SIMILARITY_THRESHOLD and (kind != Kind.PERSON or _first_names_alike(a, b)):
            score = 0.5 + 0.35 * (ratio - SIMILARITY_THRESHOLD) / (100 - SIMILARITY_THRESHOLD)
            found.append(("similar", round(score, 3)))
    return found


def _distinctive(kind: str, key: str, core: tuple[str, ...]) -> str:
    """A spelling's words that are not generic, sorted and joined ("" when too short)."""
    if kind == Kind.PERSON:
        return key
    words = sorted(w for w in core if w not in GENERIC_WORDS)
    text = " ".join(words)
    return text if len(text) >= 5 else ""


def combine(found: list[tuple[str, float]]) -> Match | None:
    """One score for a pair: the best rule's, plus 0.02 for each other rule (at most 0.99)."""
    if not found:
        return None
    best: dict[str, float] = {}
    for reason, score in found:
        best[reason] = max(best.get(reason, 0.0), score)
    ordered = sorted(best.items(), key=lambda item: -item[1])
    score = min(0.99, ordered[0][1] + 0.02 * (len(ordered) - 1))
    return Match(score=round(score, 3), reasons=[reason for reason, _ in ordered])
