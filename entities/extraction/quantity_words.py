"""Generic English words of quantities: amounts, units and what they measure.

Currency words and codes, scale words, number words, the qualifiers before a
number, time nouns, measurement units and the words that label money. The
metric extractor reads them; the name extractors use a few to tell an amount
from a name ("EUR 45 million", "seven companies"). Like ``vocabulary`` (the
words of names, titles and dates), never a word taken from an article.
"""

# Currency words and codes, mapped to ISO 4217.
CURRENCIES = {
    "rur": "RUB",
    "rub": "RUB",
    "rub.": "RUB",
    "rouble": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
    "₽": "RUB",
    "usd": "USD",
    "$": "USD",
    "us$": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "eur": "EUR",
    "€": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "gbp": "GBP",
    "£": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "cny": "CNY",
    "yuan": "CNY",
    "rmb": "CNY",
    "chf": "CHF",
    "jpy": "JPY",
    "yen": "JPY",
}

# Scale words after a number.
SCALES = {
    "thousand": 10**3,
    "thousands": 10**3,
    "thou": 10**3,
    "k": 10**3,
    "million": 10**6,
    "millions": 10**6,
    "mln": 10**6,
    "mn": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "billions": 10**9,
    "bln": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
    "trln": 10**12,
    "tn": 10**12,
}

NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "dozens": 12,
}

# Phrases before a number and the qualifier they mean.
QUALIFIERS = {
    "over": "over",
    "more than": "over",
    "above": "over",
    "in excess of": "over",
    "exceeding": "over",
    "at least": "over",
    "no less than": "over",
    "not less than": "over",
    "upwards of": "over",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "approx.": "about",
    "nearly": "about",
    "almost": "about",
    "roughly": "about",
    "some": "about",
    "circa": "about",
    "up to": "up_to",
    "less than": "up_to",
    "under": "up_to",
    "below": "up_to",
    "fewer than": "up_to",
    "no more than": "up_to",
    "not more than": "up_to",
    "at most": "up_to",
}

# Nouns that measure time: "5 years" is a duration, not a count of things.
TIME_NOUNS = frozenset(
    {"years", "months", "weeks", "days", "hours", "minutes", "seconds", "decades", "times"}
)

# Measurement units written after a number, with the unit stored.
MEASURE_UNITS = {
    "hectares": "hectares",
    "ha": "hectares",
    "tons": "tonnes",
    "tonnes": "tonnes",
    "sq m": "square metres",
    "sq. m": "square metres",
    "square meters": "square metres",
    "square metres": "square metres",
    "m2": "square metres",
    "m²": "square metres",
    "MW": "MW",
}
# Distances ("170 km from Moscow", "36 km") say where a thing is, not what it
# measures: they are not metrics, and "km" is left out of the units above.

# Money verbs and nouns and the label they give a money metric.
MONEY_LABELS = (
    ("invest", "investment"),
    ("allocat", "budget allocation"),
    ("subsid", "subsidies"),
    ("grant", "grants"),
    ("revenue", "revenue"),
    ("turnover", "turnover"),
    ("sales", "sales"),
    ("sold", "sales"),
    ("export", "exports"),
    ("tax", "taxes"),
    ("profit", "profit"),
    ("loan", "loans"),
    ("financ", "financing"),
    ("fund", "funding"),
    ("budget", "budget"),
    ("cost", "cost"),
    ("price", "price"),
    ("salary", "salary"),
    ("spen", "spending"),
    ("produc", "output"),
    ("output", "output"),
)
