"""The invented vocabulary of the benchmark corpus: names, places, phrases, page chrome.

Data only, kept apart from the code that draws on it (:mod:`articles.corpus_world`
builds a population of names from these lists, :mod:`articles.corpus` writes the
articles) so that the generator's logic reads without a hundred lines of word
lists in between. Every name here is invented: none is the name of a real
article's person, place or company (``tests/articles/test_corpus.py``).

Changing, adding or reordering an entry changes every corpus generated with a
given seed.
"""

from entities.normalise import LEGAL_FORMS

# Regions and towns of an imaginary country.
REGIONS = [
    "Verkhnedolsk", "Zarechye", "Belozersk", "Krasnogorye", "Ozyorsk", "Lesnogorsk",
    "Pribrezhny", "Sosnovka", "Kamenogorsk", "Ryabinovsk", "Svetlodar", "Dubravny",
    "Morozovo", "Zlatopol", "Serebryansk", "Vetlugino", "Polyanka", "Krutoyar",
]  # fmt: skip
TOWNS = [
    "Novolesye", "Gornozavodsk", "Tikhoretsk-on-Dol", "Bystrinsk", "Yasenevo-Dolnoye",
    "Medvezhye", "Kedrovy", "Luchegorsk", "Starodolsk", "Zhuravlino", "Orekhovka",
    "Rassvet", "Pesochny", "Klyuchevsk", "Ivolgino", "Yagodnoye",
]  # fmt: skip

# Company names: a stem made of two parts and a line of business.
STEM_STARTS = [
    "Ald", "Bel", "Cor", "Dar", "Eto", "Fin", "Gal", "Hel", "Ist", "Jor", "Kel", "Lum",
    "Mer", "Nor", "Orv", "Pal", "Quin", "Ros", "Sel", "Tor", "Ulm", "Var", "Wes", "Xel",
    "Yar", "Zel", "Abr", "Bry", "Cen", "Dov", "Evr", "Fal",
]  # fmt: skip
STEM_ENDS = [
    "anta", "ivex", "omed", "afarm", "ibio", "olen", "arix", "eston", "ovia", "imar",
    "edra", "ylon", "asta", "orium", "ekta", "inor", "ulis", "avin", "otek", "emia",
]  # fmt: skip
BUSINESSES = [
    "Pharm", "Biologics", "Laboratories", "Medical", "Biotech", "Chemicals", "Pharma",
    "Diagnostics", "Bioprocess", "Generics", "Vaccines", "Medtech",
]  # fmt: skip
# The legal forms companies carry, from the one list of legal forms
# (entities.normalise.LEGAL_FORMS), weighted as in the articles: LLC most, then JSC.
_LEGAL_FORM_WEIGHTS = {"LLC": 3, "JSC": 2, "CJSC": 1, "PJSC": 1, "OJSC": 1}
COMPANY_LEGAL_FORMS = [
    form
    for form, weight in _LEGAL_FORM_WEIGHTS.items()
    if form in LEGAL_FORMS  # never a form extraction does not know
    for _ in range(weight)
]

FIRST_NAMES = [
    "Arkady", "Boris", "Daria", "Elena", "Fyodor", "Galina", "Gleb", "Inna", "Kira",
    "Lev", "Marina", "Nikita", "Oksana", "Pavla", "Roman", "Svetlana", "Taras", "Ulyana",
    "Vera", "Yakov", "Zoya", "Artem", "Milena", "Stepan", "Alla", "Denis", "Polina",
    "Ruslan", "Tamara", "Yegor",
]  # fmt: skip
# Surnames as (male, female) forms.
SURNAMES = [
    ("Belyakov", "Belyakova"), ("Gorshkov", "Gorshkova"), ("Zimin", "Zimina"),
    ("Kornilov", "Kornilova"), ("Lapshin", "Lapshina"), ("Mukhin", "Mukhina"),
    ("Ryazantsev", "Ryazantseva"), ("Shubin", "Shubina"), ("Tolmachev", "Tolmacheva"),
    ("Ustinov", "Ustinova"), ("Filatov", "Filatova"), ("Kharitonov", "Kharitonova"),
    ("Tsvetkov", "Tsvetkova"), ("Chernyshev", "Chernysheva"), ("Yudin", "Yudina"),
    ("Vlasenko", "Vlasenko"), ("Borodin", "Borodina"), ("Danilin", "Danilina"),
    ("Yeremin", "Yeremina"), ("Zhdanov", "Zhdanova"), ("Krasnov", "Krasnova"),
    ("Losev", "Loseva"), ("Nesterov", "Nesterova"), ("Pakhomov", "Pakhomova"),
    ("Rodionov", "Rodionova"), ("Savelyev", "Savelyeva"), ("Trofimov", "Trofimova"),
    ("Fomichev", "Fomicheva"), ("Sheremet", "Sheremet"), ("Baranov", "Baranova"),
    ("Kulikov", "Kulikova"), ("Voronin", "Voronina"), ("Gusev", "Guseva"),
    ("Zakharchenko", "Zakharchenko"), ("Lukin", "Lukina"), ("Orekhov", "Orekhova"),
]  # fmt: skip
FEMALE_FIRST_NAMES = {
    "Daria", "Elena", "Galina", "Inna", "Kira", "Marina", "Oksana", "Pavla", "Svetlana",
    "Ulyana", "Vera", "Zoya", "Milena", "Alla", "Polina", "Tamara",
}  # fmt: skip

COMPANY_TITLES = [
    "General Director", "Executive Director", "Chairman of the Board", "Managing Director",
    "Director for Development", "Head of Research and Development", "Commercial Director",
    "Director General", "Production Director", "Deputy General Director",
]  # fmt: skip
TOPICS = [
    "Economic Development", "Industry and Trade", "Health", "Education and Science",
    "Investment Policy", "Innovation", "Digital Development", "Labour and Employment",
]  # fmt: skip
FIELDS = [
    "Biomedical", "Pharmaceutical", "Biotechnological", "Chemical", "Diagnostic",
    "Cell", "Molecular", "Laboratory",
]  # fmt: skip
INDUSTRIES = [
    "Pharmaceutical", "Biopharmaceutical", "Medical Devices", "Biotechnology",
    "Life Sciences", "Medical Technology",
]  # fmt: skip
FUND_WORDS = ["Horizon", "Meridian", "Aurora", "Summit", "Compass", "Keystone", "Beacon"]
MEDIA = [
    "Pharma Courier", "Regional Business Herald", "Industry Weekly", "Biotech Review",
    "Investment Bulletin", "Medical Market News", "Cluster Monitor",
]  # fmt: skip

PROGRAM_WORDS_A = [
    "Clean", "Healthy", "Smart", "Young", "Green", "Open", "Strong", "Modern", "Digital",
    "Safe", "Bright", "Local",
]  # fmt: skip
PROGRAM_WORDS_B = [
    "Production", "Generation", "Medicine", "Scientists", "Pharmacy", "Laboratory",
    "Industry", "Future", "Export", "Quality", "Engineering", "Start-ups",
]  # fmt: skip
EDUCATION_PROGRAMS = [
    "Quality Assurance Specialist", "Clinical Research Associate", "Bioprocess Engineer",
    "Validation Manager", "Regulatory Affairs Officer", "Good Laboratory Practice",
    "Aseptic Manufacturing Technician", "Pharmacovigilance Basics",
]  # fmt: skip

PRODUCTS = [
    "tablets", "injectable drugs", "vaccines", "ointments", "diagnostic kits",
    "biosimilars", "infusion solutions", "insulin pens", "antibiotics", "eye drops",
    "blood plasma products", "veterinary drugs", "dietary supplements", "syringes",
]  # fmt: skip
THERAPY_AREAS = [
    "oncology", "cardiology", "endocrinology", "neurology", "immunology", "pulmonology",
    "rheumatology", "dermatology", "haematology", "ophthalmology", "urology",
]  # fmt: skip
# Syllables of invented drug names: many distinct, rarely repeated words.
DRUG_SYLLABLES = ["za", "ve", "lo", "tri", "nex", "mo", "ra", "quil", "dor", "fen", "ti", "sar"]
DRUG_ENDINGS = ["mab", "stat", "vir", "pril", "zole", "cept", "tide", "parin"]

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]  # fmt: skip

# Page chrome the import strips: leading and trailing lines of web pages.
LEADING_CHROME = [
    "Subscribe to digest\n\nYou can subscribe to a monthly digest by filling out the form.\n"
    "Successfully sent\nContact for investors",
    "MEDIA CENTER\n\nAll news",
]
TRAILING_CHROME = [
    "Investment digest\n\nPrinted products",
    "Source\n\nReturn\n\nAll Portfolio\n\nMEDIA CENTER",
    "Share on:",
]
