"""Generic English vocabulary the extractors recognise in names, titles and dates.

Only generic words live here (legal forms, institutional nouns, job titles,
reporting verbs, month names, function words): never a name taken from an
article. The words of quantities (currencies, scales, number words,
qualifiers, units) are in ``quantity_words``.
"""

from entities import normalise

# Legal forms: the one list lives with name normalisation, which drops them.
LEGAL_FORMS = normalise.LEGAL_FORMS

# Institutional head nouns and the organisation kind each one implies.
ORGANISATION_HEADS = {
    "ministry": "government",
    "ministries": "government",
    "department": "government",
    "administration": "government",
    "government": "government",
    "agency": "government",
    "office": "government",
    "committee": "government",
    "commission": "government",
    "organisation": "other",
    "organization": "other",
    "council": "other",
    "duma": "government",
    "directorate": "government",
    "inspectorate": "government",
    "service": "government",
    "chamber": "association",
    "association": "association",
    "union": "association",
    "alliance": "association",
    "partnership": "association",
    "society": "association",
    "consortium": "association",
    "cluster": "cluster",
    "university": "education",
    "college": "education",
    "institute": "education",
    "academy": "education",
    "school": "education",
    "laboratory": "education",
    "lyceum": "education",
    "foundation": "fund",
    "fund": "fund",
    "bank": "fund",
    "capital": "fund",
    "ventures": "fund",
    "news": "media",
    "press": "media",
    "media": "media",
    "magazine": "media",
    "journal": "media",
    "gazette": "media",
    "herald": "media",
    "tribune": "media",
    "corporation": "company",
    "company": "company",
    "holding": "company",
    "group": "company",
    "plant": "company",
    "factory": "company",
    "pharmaceuticals": "company",
    "laboratories": "company",
    "center": "other",
    "centre": "other",
    "secretariat": "other",
    "park": "other",
    "technopark": "other",
    "sez": "other",
    "zone": "other",
    "hospital": "other",
    "clinic": "other",
}

# Heads after which "of the <X>" names a sub-unit of <X>, not a new body.
UNIT_HEADS = frozenset(
    {"department", "division", "directorate", "office", "board", "unit", "branch"}
)

# A head followed by "of/for" whose phrase must stop before another of these:
# "Department of the Ministry ..." is two bodies, not one.
STRONG_HEADS = frozenset(
    {
        "ministry",
        "department",
        "agency",
        "administration",
        "government",
        "university",
        "association",
        "secretariat",
        "committee",
        "institute",
        "college",
    }
)

# Words that make a council, committee or office a government body.
GOVERNMENT_WORDS = ("govern", "minist", "administrat", "state", "federal")

# Words in a name that make a center an education or research body ("Centre for Cell
# Technologies", "Training Center").
EDUCATION_WORDS = frozenset(
    {"training", "education", "educational", "research", "science", "technologies", "technology"}
)

# Heads that end the name of a program or an initiative, with its kind.
PROGRAM_HEADS = {
    "initiative": "initiative",
    "program": "initiative",
    "programme": "initiative",
    "strategy": "initiative",
    "certification": "initiative",
    "award": "initiative",
    "contest": "event",
    "competition": "event",
    "forum": "event",
    "conference": "event",
    "congress": "event",
    "summit": "event",
    "exhibition": "event",
    "expo": "event",
    "fair": "event",
    "festival": "event",
    "week": "event",
    "olympiad": "event",
}

# Generic nouns before a quoted event name: a seminar “Name”.
EVENT_NOUNS = (
    "brainstorming",
    "brainstorming session",
    "seminar",
    "workshop",
    "conference",
    "round table",
    "roundtable",
    "forum",
    "session",
    "webinar",
    "contest",
    "competition",
    "exhibition",
    "festival",
    "hackathon",
    "strategic session",
)

# Generic nouns before company names: "Russian companies X and Y".
COMPANY_NOUNS = ("company", "companies", "manufacturer", "manufacturers", "producer", "producers")

# Words that are capitalised in names but never make a name proper on their own.
GENERIC_NAME_WORDS = frozenset(
    {
        "regional",
        "federal",
        "national",
        "state",
        "main",
        "central",
        "general",
        "new",
        "city",
        "municipal",
        "local",
        "public",
        "joint",
        "stock",
        "open",
        "closed",
        "limited",
        "liability",
        "house",
        "building",
        "hall",
        "headquarters",
        "special",
        "economic",
        "free",
        "project",
    }
)

# Place nouns: a name built only from these and proper words is a place.
PLACE_NOUNS = frozenset(
    {
        "region",
        "oblast",
        "republic",
        "krai",
        "district",
        "city",
        "territory",
        "province",
        "federation",
    }
)

# Job titles: the core noun and the modifiers that may precede it.
TITLE_CORES = (
    "Chief Executive Officer",
    "Chief Executive",
    "Director General",
    "General Director",
    "Managing Director",
    "Executive Director",
    "Chairman of the Board of Directors",
    "Chairman of the Board",
    "Chairwoman of the Board",
    "Member of the Board",
    "Head of the Board",
    "Editor-in-Chief",
    "Vice-President",
    "Vice President",
    "Vice-Rector",
    "Vice-Governor",
    "Deputy Governor",
    "Deputy Prime Minister",
    "Prime Minister",
    "Deputy Minister",
    "Deputy Director",
    "Deputy Head",
    "Deputy Chairman",
    "Director",
    "Chairman",
    "Chairwoman",
    "Chairperson",
    "President",
    "Governor",
    "Minister",
    "Head",
    "CEO",
    "CFO",
    "COO",
    "CTO",
    "Rector",
    "Dean",
    "Founder",
    "Co-founder",
    "Mayor",
    "Ambassador",
    "Coordinator",
    "Manager",
    "Partner",
    "Secretary",
    "Spokesman",
    "Spokesperson",
    "Senator",
    "Academician",
    "Adviser",
    "Advisor",
)
TITLE_MODIFIERS = ("First", "Acting", "Senior", "Deputy", "Executive", "Honorary", "Commercial")

# Words that introduce reported speech after a person's name.
SPEECH_VERBS = (
    "said",
    "says",
    "noted",
    "notes",
    "stressed",
    "stresses",
    "added",
    "adds",
    "explained",
    "explains",
    "emphasized",
    "emphasised",
    "pointed out",
    "stated",
    "believes",
    "told",
    "commented",
    "announced",
    "remarked",
    "underlined",
    "highlighted",
    "reported",
    "recalled",
    "thinks",
    "presented",
    "welcomed",
    "opened",
    "spoke",
    "confirmed",
)
HONORIFICS = ("Mr", "Mrs", "Ms", "Dr", "Prof")

# Month names and their usual abbreviations, with the month's number. Article parsing
# reads dates with them (articles.parsing.dates).
MONTH_NUMBERS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
MONTHS = frozenset(MONTH_NUMBERS)
WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})

# Function words and sentence openers that are capitalised only by position.
_FUNCTION_WORDS_TEXT = """
    a an the and or but nor of for on in at by to from with within without into onto
    over under about above below between among amongst through during before after
    since until as than that this these those there here it its it's their his her our
    your my we you they he she i me us them who whom whose which what when where why how
    also thus however moreover furthermore besides meanwhile therefore hence still yet
    then now today currently recently already finally firstly secondly lastly again
    later earlier yesterday tomorrow soon
    according apart summing pursuant due owing regarding concerning following
    all some any each every most many much more less few several both either neither
    one another other such only just even not no yes so very well too
    is are was were be been being has have had do does did will would shall should
    can could may might must
    if while although though because unless whether
    mr mrs ms dr prof
    importantly virtually overall altogether likewise similarly instead otherwise
    upon amid amidst despite via per along across toward towards beyond throughout unlike
    like besides except whereas whilst thereby nevertheless nonetheless indeed notably
    particularly especially primarily mainly additionally subsequently consequently
    accordingly meanwhile initially eventually ultimately previously traditionally
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())

# Connectors allowed inside a multi-word name.
NAME_CONNECTORS = frozenset({"of", "for", "and", "&", "on", "de", "the"})
