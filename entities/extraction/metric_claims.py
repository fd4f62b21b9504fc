"""The kinds of quantitative claim: the pattern of each and how a match becomes a metric.

Money (currency codes, symbols and words, a range's lower end, a misspelt
currency word), percentages, points, measures and counts of things ("over 50
companies", "the number of residents ... reached 87", "43 of which"). Each
pattern in ``PATTERNS`` has a handler ``(match, sentence, common, earlier)``
that gives the value in base units, the unit and a label of what is measured
("investment", "share of ...", "growth"), or rejects the match.
"""

import re
from decimal import Decimal
from difflib import get_close_matches

from entities.extraction.numbers import (
    MAX_VALUE,
    NUMBER_PATTERN,
    NUMBER_WORD_PATTERN,
    SCALE_PATTERN,
    normalise_decimal,
    parse_number,
    scale_factor,
)
from entities.extraction.quantity_words import (
    CURRENCIES,
    MEASURE_UNITS,
    MONEY_LABELS,
    QUALIFIERS,
    TIME_NOUNS,
)
from entities.extraction.text import alternation
from entities.extraction.types import MetricCandidate
from entities.extraction.vocabulary import FUNCTION_WORDS, MONTHS

# A number is not glued to a word, a hyphenated name ("Pharma-2030") or a decimal.
_START = r"(?<![\w.,/\-])"
_CURRENCY_BEFORE = r"(?:RUR|RUB|USD|EUR|GBP|CNY|CHF|JPY|US\$|\$|€|£|₽)"
_CURRENCY_AFTER = (
    r"(?:(?i:rubles|roubles|ruble|rouble|euros|euro|US\s+dollars|dollars|yuan|pounds)"
    r"|RUR|RUB|rub\.|EUR|USD|GBP|CNY|CHF|€|\$|₽)"
)
_SCALE = rf"(?i:{SCALE_PATTERN})"
# "21 bln. roubles": an abbreviated scale's full stop, not the sentence's.
_SCALE_DOT = r"(?:\.(?=\s*[a-z]))?"
_ANY_NUMBER = rf"(?:{NUMBER_PATTERN}|{NUMBER_WORD_PATTERN})"
# Verbs that state a total, and the qualifier each implies.
_TOTAL_VERBS = {
    "reached": "exactly",
    "amounted to": "exactly",
    "totalled": "exactly",
    "totaled": "exactly",
    "stood at": "exactly",
    "came to": "exactly",
    "grew to": "exactly",
    "rose to": "exactly",
    "increased to": "exactly",
    "was": "exactly",
    "is": "exactly",
    "exceeded": "over",
    "surpassed": "over",
}
_TOTAL_VERBS_PATTERN = "|".join(verb.replace(" ", r"\s+") for verb in _TOTAL_VERBS)
# The qualifiers, with any white space between the words of a phrase.
_QUALIFIER_WORDS = alternation(QUALIFIERS).replace(r"\ ", r"\s+")

# "RUR 93.3 Million", "RUR8.3 billion" (the code may be glued to the number).
_MONEY_CURRENCY_FIRST = re.compile(
    rf"(?<![\w$€£₽])(?P<currency>{_CURRENCY_BEFORE})\s?(?<![\d.,])(?P<number>{NUMBER_PATTERN})"
    rf"(?:\s?(?P<scale>{_SCALE}){_SCALE_DOT})?(?![\w%])"
)
_MONEY_NUMBER_FIRST = re.compile(
    rf"{_START}(?P<number>{_ANY_NUMBER})\s?(?:(?P<scale>{_SCALE}){_SCALE_DOT}\s?)?"
    rf"(?P<currency>{_CURRENCY_AFTER})(?!\w)"
)
# "9 billion – 10 billion rubles", "from 3 billion to 800 million rubles": the first
# amount of a range takes the currency written after the second.
_MONEY_RANGE_START = re.compile(
    rf"{_START}(?P<number>{NUMBER_PATTERN})\s?(?P<scale>{_SCALE})(?=\s*(?:[-–—]|to)\s*"
    rf"(?:{NUMBER_PATTERN})\s?(?:{_SCALE})\.?\s?(?P<currency>{_CURRENCY_AFTER})(?!\w))"
)
# "35 billion rubies": a currency word misspelt after a scale word.
_MONEY_MISSPELT = re.compile(
    rf"{_START}(?P<number>{NUMBER_PATTERN})\s?(?P<scale>{_SCALE}){_SCALE_DOT}\s(?P<word>[a-z]{{4,9}})\b"
)
_CURRENCY_WORDS = {"rubles": "RUB", "roubles": "RUB", "dollars": "USD", "euros": "EUR"}
_PERCENT = re.compile(rf"{_START}(?P<number>{_ANY_NUMBER})\s?(?:%|(?i:percent|per\s+cent)\b)")
_POINTS = re.compile(rf"{_START}(?P<number>{NUMBER_PATTERN})\s+points?\b")
_POINTS_AFTER = re.compile(rf"\bpoints?\s*[-–—:]\s*(?P<number>{NUMBER_PATTERN})(?!\w|\.\d)")
_MEASURE = re.compile(
    rf"{_START}(?P<number>{NUMBER_PATTERN})\s?(?:(?P<scale>thousand)\s)?"
    r"(?P<measure>" + alternation(MEASURE_UNITS) + r")(?!\w)"
)
# "Number of residents of the SEZ: 87.", "the number of jobs in the cluster
# reached 5,600", "the number of visitors exceeded 1.2 million".
_NUMBER_OF = re.compile(
    rf"\b[Nn]umber\s+of\s+(?P<noun>[a-z][a-z-]*s)\b"
    rf"(?:[^:\n]{{0,60}}:\s*|[^:;,\n]{{0,60}}?\s(?P<verb>{_TOTAL_VERBS_PATTERN})\s+"
    rf"(?:(?P<qualifier>{_QUALIFIER_WORDS})\s+)?)"
    rf"{_START}(?P<number>{NUMBER_PATTERN})(?:\s(?P<scale>(?i:thousand|million|billion|mln)))?"
    r"(?![\w%])"
)
# "over 50 companies", "16 of its employees", "seven new products".
_COUNT = re.compile(
    rf"{_START}(?P<number>{_ANY_NUMBER})\s+"
    r"(?:of\s+(?:its|their|his|her|the|our|these|those)\s+)?"
    r"(?:(?P<scale>(?i:thousand|million|billion|mln|bn|m))\s+)?"
    r"(?:more\s+|additional\s+)?"  # "hire 120 more employees"
    r"(?P<modifiers>(?:[a-z][\w’'-]*\s+){0,3}?)"
    r"(?P<noun>[a-z][a-z-]*[a-hj-rt-z]s|people|staff|personnel|children|criteria)\b"
)
# "246 companies, 43 of which are residents": the count goes on with the same noun.
_OF_WHICH = re.compile(rf"{_START}(?P<number>{NUMBER_PATTERN})\s+of\s+(?:which|whom|them)\b")
_ANOTHER = re.compile(rf"\banother\s+{_START}(?P<number>{_ANY_NUMBER})(?=\s*(?:[.,;:)–—]|$))")
# Units that "another N" cannot continue: only counts of things go on.
_NOT_COUNTED = frozenset({"%", "points", *CURRENCIES.values(), *MEASURE_UNITS.values()})
# "8.5% more than a year earlier", "3% less than in 2019".
_MORE_AFTER = re.compile(r"\s+(?:more|higher|up)\b", re.IGNORECASE)
_LESS_AFTER = re.compile(r"\s+(?:less|lower|down)\b", re.IGNORECASE)
# Words that end a noun phrase: past forms and the verbs of amounts.
_VERB = re.compile(
    r"^(?:\w+ed|reach(?:es)?|amounts?|makes?|stands?|accounts?|grows?|rises?|falls?"
    r"|exceeds?|equals?|comprises?)$"
)
_GROWTH = re.compile(r"\b(?:grow|grew|growth|increas|rise|rose)", re.IGNORECASE)
_DECLINE = re.compile(r"\b(?:declin|decreas|fell|fall|drop|reduc)", re.IGNORECASE)
_MEASURE_LABELS = {
    "hectares": "area",
    "square metres": "area",
    "tonnes": "volume",
    "MW": "capacity",
}


def _metric(label: str, value: Decimal, unit: str) -> MetricCandidate | None:
    if value >= MAX_VALUE:
        return None
    return MetricCandidate(
        label=label, value=normalise_decimal(value), unit=unit, raw_text="", start=None,
        end=None, quote="",
    )  # fmt: skip


def _money(match, sentence, common, earlier) -> MetricCandidate | None:
    number = parse_number(match.group("number"))
    if number is None:
        return None
    currency = CURRENCIES.get(re.sub(r"\s+", " ", match.group("currency")).lower().split()[-1])
    currency = currency or CURRENCIES.get(match.group("currency").lower())
    if currency is None:
        return None
    value = number * scale_factor(match.group("scale"))
    return _metric(_money_label(sentence.text, match.start()), value, currency)


def _money_label(text: str, position: int) -> str:
    """The money word nearest the amount: "invested" -> "investment"."""
    lowered = text.lower()
    best, distance = "amount", len(text)
    for stem, label in MONEY_LABELS:
        for found in re.finditer(rf"\b{stem}", lowered):
            if abs(found.start() - position) < distance:
                best, distance = label, abs(found.start() - position)
    if best == "budget allocation":
        for level in ("federal", "regional", "municipal"):
            if f"{level} budget" in lowered:
                return f"{level} budget allocation"
    return best


def _percent(match, sentence, common, earlier) -> MetricCandidate | None:
    number = parse_number(match.group("number"))
    if number is None or _looks_like_year(match.group("number")):
        return None
    return _metric(_percent_label(sentence.text, match, common), number, "%")


def _percent_label(text: str, match, common) -> str:
    """What a percentage is a share of.

    "14% of the total production output" and "the share of cluster products
    in the market is 15%" give "share of total production output" and "share
    of cluster products"; otherwise growth, decline or a plain share.
    """
    before = text[: match.start()]
    following = text[match.end() :]
    share = list(re.finditer(r"\bshare\s+(?:of|in)\s+", before, re.IGNORECASE))
    if share and (words := _noun_phrase(before[share[-1].end() :], common)):
        return "share of " + " ".join(words)
    if _GROWTH.search(before[-30:]) or _MORE_AFTER.match(following) or before.endswith("+"):
        return "growth"
    if _DECLINE.search(before[-30:]) or _LESS_AFTER.match(following):
        return "decline"
    # "of" (and the seed's typo "if") introduces what the whole is.
    of = re.match(r"\s*(?:of|if)\s+", following)
    if of and (words := _noun_phrase(following[of.end() :], common)):
        return "share of " + " ".join(words)
    return "share"


def _noun_phrase(text: str, common: frozenset[str]) -> list[str]:
    """The common (lower-case) words of the noun phrase that opens ``text``."""
    words = []
    for word in re.findall(r"[\w’'-]+|[^\w\s]", text):
        lower = word.lower()
        if not words and lower in {"the", "these", "those", "its", "their", "all", "our"}:
            continue
        if lower in FUNCTION_WORDS or not word[:1].isalnum() or _VERB.match(lower):
            break
        if word.islower() or lower in common:
            words.append(lower.removesuffix("’s").removesuffix("'s"))
        if len(words) == 5:
            break
    return words


def _points(match, sentence, common, earlier) -> MetricCandidate | None:
    number = parse_number(match.group("number"))
    return None if number is None else _metric("score", number, "points")


def _measure(match, sentence, common, earlier) -> MetricCandidate | None:
    number = parse_number(match.group("number"))
    if number is None:
        return None
    unit = MEASURE_UNITS[match.group("measure")]
    value = number * scale_factor(match.group("scale"))
    return _metric(_MEASURE_LABELS.get(unit, unit), value, unit)


def _count(match, sentence, common, earlier) -> MetricCandidate | None:
    raw_number = match.group("number")
    number = parse_number(raw_number)
    noun = match.group("noun")
    if number is None or noun in TIME_NOUNS or _looks_like_year(raw_number):
        return None
    # "2.5 m packages" is 2.5 million; "5 m" after a whole number is a length.
    if (match.group("scale") or "").lower() == "m" and not re.search(r"[.,]\d", raw_number):
        return None
    # "the top ten medicines" ranks; it does not count.
    if re.search(r"\btop\s+$", sentence.text[: match.start()], re.IGNORECASE):
        return None
    modifiers = match.group("modifiers").split()
    # "22 food and pharmaceutical enterprises", "12 other plants": still a count.
    inner = modifiers[1:-1] if len(modifiers) > 2 else []
    if any(
        (word in FUNCTION_WORDS and word != "other" and not (word == "and" and word in inner))
        or word in MONTHS
        for word in modifiers
    ):
        return None
    label = " ".join([*modifiers, noun])
    return _metric(label, number * scale_factor(match.group("scale")), noun)


def _number_of(match, sentence, common, earlier) -> MetricCandidate | None:
    """ "Number of residents of the SEZ: 87" or "... reached 87" counts residents."""
    number = parse_number(match.group("number"))
    if number is None or _looks_like_year(match.group("number")):
        return None
    noun = match.group("noun")
    metric = _metric(noun, number * scale_factor(match.group("scale")), noun)
    if metric is not None and match.group("verb"):
        qualifier = match.group("qualifier")
        verb = re.sub(r"\s+", " ", match.group("verb"))
        metric.qualifier = (
            QUALIFIERS[re.sub(r"\s+", " ", qualifier).lower()] if qualifier else _TOTAL_VERBS[verb]
        )
    return metric


def _money_range_start(match, sentence, common, earlier) -> MetricCandidate | None:
    """The lower end of "9 billion – 10 billion rubles", which shares the currency."""
    metric = _money(match, sentence, common, earlier)
    if metric is not None:
        metric.qualifier = "over"
    return metric


def _money_misspelt(match, sentence, common, earlier) -> MetricCandidate | None:
    """ "35 billion rubies": after a scale word, a near spelling of a currency word."""
    close = get_close_matches(match.group("word"), list(_CURRENCY_WORDS), n=1, cutoff=0.8)
    number = parse_number(match.group("number"))
    if not close or number is None:
        return None
    value = number * scale_factor(match.group("scale"))
    return _metric(_money_label(sentence.text, match.start()), value, _CURRENCY_WORDS[close[0]])


def _of_which(match, sentence, common, earlier) -> MetricCandidate | None:
    """ "246 companies, 43 of which ...": a part of the count before it."""
    number = parse_number(match.group("number"))
    counts = [m for m in earlier if m.unit not in _NOT_COUNTED]
    if number is None or not counts:
        return None
    return _metric(counts[-1].label, number, counts[-1].unit)


def _another(match, sentence, common, earlier) -> MetricCandidate | None:
    """ "6 drugs, and early this year – another three": the count goes on."""
    number = parse_number(match.group("number"))
    counts = [m for m in earlier if m.start is None or m.start < sentence.start + match.start()]
    counts = [m for m in counts if m.unit not in _NOT_COUNTED]
    if number is None or not counts:
        return None
    return _metric(counts[-1].label, number, counts[-1].unit)


PATTERNS = (
    (_MONEY_RANGE_START, _money_range_start),
    (_MONEY_CURRENCY_FIRST, _money),
    (_MONEY_NUMBER_FIRST, _money),
    (_MONEY_MISSPELT, _money_misspelt),
    (_PERCENT, _percent),
    (_POINTS, _points),
    (_POINTS_AFTER, _points),
    (_MEASURE, _measure),
    (_COUNT, _count),
    (_NUMBER_OF, _number_of),
    (_OF_WHICH, _of_which),
    (_ANOTHER, _another),
)


def _looks_like_year(number: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d{2}", number))
