"""Name normalisation and the text rules shared by the models, the admin and extraction.

A normalised name is the natural key of an entity: two spellings that
normalise to the same string are the same record. The list of legal forms and
the test of a currency code live here too, each rule once. Pure functions, no ORM.
"""

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
from django.utils.text import slugify

# Quote characters that articles put around names («», “”, ‘’, "…").
_QUOTES = re.compile(r"[\"'`«»“”„‟‘’‚‛′″]")
_SPACES = re.compile(r"\s+")
# Legal forms written after (or before) a company name: the one list, used by
# extraction too (entities.extraction.vocabulary).
LEGAL_FORMS = frozenset(
    [
        "LLC",
        "LLP",
        "Ltd",
        "Ltd.",
        "Inc",
        "Inc.",
        "PLC",
        "Plc",
        "GmbH",
        "AG",
        "KG",
        "SE",
        "AB",
        "Oy",
        "ASA",
        "A/S",
        "S.A.",
        "SA",
        "S.p.A.",
        "SpA",
        "SRL",
        "S.r.l.",
        "B.V.",
        "BV",
        "N.V.",
        "NV",
        "Pvt",
        "Co.",
        "Co",
        "FE",
        "GC",
        "Limited",
        "ООО",
        "ОАО",
        "ЗАО",
        "ПАО",
        "АО",
        "Corp",
        "Corp.",
        "JSC",
        "OJSC",
        "CJSC",
        "PJSC",
        "NJSC",
        "OAO",
        "OOO",
        "ZAO",
        "PAO",
        "NAO",
        "AO",
        "AD",
        "DOO",
        "d.o.o.",
        "JV",
        "FSUE",
        "FGUP",
        "ANO",
        "NPO",
    ]
)
# A metric's unit is money when it is an ISO 4217 code: three capital letters ("RUB",
# "EUR"); anything else ("%", "points", "jobs") is not. A pattern, so that a database
# filter can say the same: unit__regex=rf"^{CURRENCY_CODE}$".
CURRENCY_CODE = "[A-Z]{3}"
_CURRENCY_CODE = re.compile(CURRENCY_CODE)
# Legal forms never distinguish two organisations. Two-letter forms ("AG",
# "SE", "AD") count only in capitals, so that ordinary words are kept.
_LEGAL_FORMS = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(
        re.escape(form) if len(form.strip(".")) <= 2 else "(?i:" + re.escape(form) + ")"
        for form in sorted(LEGAL_FORMS, key=len, reverse=True)
    )
    + r")(?![\w/])\.?"
)
# The country's long form is the same country as its short form.
_COUNTRY_LONG_FORMS = re.compile(r"\brussian federation\b")
# Spelling variants of one word in names of health bodies.
_HEALTH_CARE = re.compile(r"\bhealth\s*care\b")
# Heads of state bodies, whose names drop the home country: the knowledge base
# is about Russia, so "Ministry of Health" in its articles is Russia's.
_STATE_HEADS = frozenset({"ministry", "government", "duma"})
_HOME_COUNTRY = frozenset({"russia", "russian", "rf"})
_PLACE_NOUNS = frozenset({"region", "oblast", "krai", "republic", "district", "city"})
_CLUSTER_BODY_WORDS = frozenset({"association", "partnership", "non", "profit", "nonprofit"})
# Words after a company's name that do not make it another company.
_COMPANY_DESCRIPTORS = frozenset({"group", "industries", "holding", "corporation", "company"})
# Words that make a name an institution's or a place's, never a brand's.
_NOT_BRAND_WORDS = frozenset(
    [
        "group",
        "company",
        "holding",
        "plant",
        "factory",
        "cluster",
        "ministry",
        "agency",
        "university",
        "institute",
        "college",
        "association",
        "union",
        "alliance",
        "fund",
        "foundation",
        "bank",
        "center",
        "centre",
        "park",
        "technopark",
        "zone",
        "council",
        "committee",
        "government",
        "administration",
        "service",
        "region",
        "city",
        "republic",
        "news",
    ]
)
_MIN_SKELETON = 6
# Romanisation variants folded in name keys (see _fold_transliteration).
_TRANSLITERATION_VARIANTS = (("ph", "f"), ("th", "t"), ("kh", "h"), ("y", "i"))
_DOUBLED = re.compile(r"([a-z])\1")
# Words that only glue a name together: "Association of X" is "X Association".
_GLUE_WORDS = frozenset({"the", "of", "for", "a", "an", "and", "&", "-"})


@lru_cache(maxsize=8192)
def normalise_name(name: str) -> str:
    """Return the comparison key of a name.

    Case, quotes, punctuation, legal forms, diacritics and script (keys are
    transliterated to ASCII), "the", the British/American
    "centre"/"center" spelling, the usual variants of romanised Russian
    ("Andrey"/"Andrei") and word order around "of"/"for" do not make a
    different name: "Association of Tula Pharmaceutical Cluster" and "Tula
    Pharmaceutical Cluster association" share one key. Some words never make
    another body: the home country in a state body's name ("Russian Ministry
    of Health"), "administration" for a region's "government", the
    association or partnership that runs a cluster, and a company's
    "Group"/"Industries"/"(State) Corporation" after its name. The key is the
    sorted set of the name's remaining words.
    """
    # "Sørensen" and "Sorensen", "Тула" and "Tula" are one spelling.
    text = anyascii(unicodedata.normalize("NFKC", name))
    text = _QUOTES.sub(" ", text)
    text = _LEGAL_FORMS.sub(" ", text)
    text = text.casefold()
    text = re.sub(r"\bcentre\b", "center", text)
    text = _COUNTRY_LONG_FORMS.sub("russia", text)
    text = _HEALTH_CARE.sub("health", text)
    # "Kerva-Farma" and "Kerva Farma", "Pharma-2030" and "Pharma 2030" are one name.
    text = re.sub(r"[^\w\s&+]", " ", text)
    words = set(_SPACES.split(text)) - _GLUE_WORDS - {""}
    return " ".join(sorted({_fold_transliteration(word) for word in _same_body(words)}))


def _fold_transliteration(word: str) -> str:
    """One spelling for the usual variants of romanised Russian (and Greek-rooted) words.

    "Andrey"/"Andrei", "Yury"/"Yuri", "Vostokpharm"/"Vostokfarm",
    "Sphera"/"Sfera": y and i, th and t, ph and f, kh and h are one letter
    here, and a doubled letter is one.
    """
    for written, folded in _TRANSLITERATION_VARIANTS:
        word = word.replace(written, folded)
    return _DOUBLED.sub(r"\1", word)


def acronym_of(name: str) -> str:
    """The initials of a name's words ("Association of Russian Pharmaceutical Manufacturers"
    -> "UPM"), or "" when they are fewer than three."""
    text = _LEGAL_FORMS.sub(" ", anyascii(unicodedata.normalize("NFKC", name)))
    words = [w for w in re.split(r"[\s\-–—/]+", _QUOTES.sub(" ", text)) if w]
    initials = "".join(
        word[0].upper()
        for word in words
        if word.casefold() not in _GLUE_WORDS and word[0].isalpha()
    )
    return initials if len(initials) >= 3 else ""


def brand_skeleton(name: str) -> str:
    """The consonants of a one- or two-word brand name, or "" for any other name.

    "Vostok-Pharm", "Vostokpharm" and "Vostokfarma" all give "vstkfrm": the
    same company romanised in different ways. Vowels, doubled letters and the
    usual variants (ph/f, th/t, kh/h, y/i) do not count. Only names of six
    consonants or more without an institutional word qualify, so that short
    or generic names never meet by chance.
    """
    text = _LEGAL_FORMS.sub(" ", anyascii(unicodedata.normalize("NFKC", name)))
    words = re.findall(r"[A-Za-z]+", text)
    if not 1 <= len(words) <= 2 or any(word.casefold() in _NOT_BRAND_WORDS for word in words):
        return ""
    letters = _fold_transliteration("".join(words).casefold())
    skeleton = _DOUBLED.sub(r"\1", re.sub(r"[aeiou]", "", letters))
    return skeleton if len(skeleton) >= _MIN_SKELETON else ""


def is_acronym(name: str) -> bool:
    """Whether a name is written as an acronym: "UPM", "NovGU" (2-8 letters, mostly capitals)."""
    letters = re.sub(r"[^A-Za-z]", "", name)
    return (
        " " not in name.strip()
        and 2 <= len(letters) <= 8
        and sum(char.isupper() for char in letters) >= max(2, len(letters) - 2)
    )


def _same_body(words: set[str]) -> set[str]:
    """Drop the words that do not make another body (see ``normalise_name``)."""
    if "administration" in words and words & _PLACE_NOUNS:
        # The regional "Administration" is the regional "Government".
        words = words - {"administration"} | {"government"}
    if words & _STATE_HEADS:
        # "Russian Ministry of Health" is the "Ministry of Health of the Russian Federation".
        words = words - _HOME_COUNTRY
    if "cluster" in words:
        # "Association of X Cluster" is the body that runs the cluster: one record.
        words = words - _CLUSTER_BODY_WORDS
    descriptors = words & _COMPANY_DESCRIPTORS
    if descriptors and words - descriptors - {"state"}:
        # "Zentova State Corporation" is "Zentova"; "X Group" is "X".
        words = words - descriptors
        if "corporation" in descriptors:
            words = words - {"state"}
    return words


def is_currency_code(unit: str | None) -> bool:
    """Whether a metric's ``unit`` is an ISO 4217 currency code such as RUB or EUR (money).

    The whole unit must be the code: "RUB\\n" is not one (``re.match`` with
    ``^...$`` would let the line break through).
    """
    return _CURRENCY_CODE.fullmatch(unit or "") is not None


def slug_for(name: str) -> str:
    """Return a URL slug for a name; falls back to "item" when nothing is left."""
    return slugify(name, allow_unicode=True)[:200] or "item"
