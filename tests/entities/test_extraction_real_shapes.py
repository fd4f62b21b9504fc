"""Extraction of the shapes real articles take, each in our own words with invented names.

Every test here stands for a class of failure seen on the development set of
real articles (docs/evaluation/): the names, figures and sentences are
invented, only the shape of the writing is kept.
"""

from decimal import Decimal

import pytest

from entities.extraction import extract
from tests.entities.extraction_helpers import metric, organisation, person, positions, program


def names(records) -> set[str]:
    return {record.name for record in records}


# --- Companies without a legal form or an institutional noun -------------------


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("Zentova opened a new plant near Tula last year.", "Zentova"),
        ("Last year Zentova’s plant doubled its output.", "Zentova"),
        ("A new Zentova plant will produce tablets.", "Zentova"),
        ("The region signed an agreement with Zentova on Monday.", "Zentova"),
        ("The medicines are made by Zentova and sold abroad.", "Zentova"),
        ("NOVAGEN will build a vaccine facility.", "NOVAGEN"),
        ("BioLumix intends to localise three drugs.", "BioLumix"),
        ("Kerva-Farma has an old factory that it upgraded.", "Kerva-Farma"),
        ("Orvel, a member of the cluster, received a grant.", "Orvel"),
        ("The German Stellmark holding group bought the site.", "Stellmark"),
        ("Two residents, Zentova and Orvel, were approved.", "Orvel"),
        ("The company «Zentova» is developing DNA tests.", "Zentova"),
    ],
)
def test_a_company_is_known_by_what_it_does(text, company):
    """Opening plants, owning them, signing, being listed or described makes a company."""
    assert organisation(extract(text), company).kind == "company"


def test_names_listed_with_a_company_are_companies_too():
    """ "Zentova, Orvel, Kerva Synthesis and Lumo LLC are building": one list, four companies."""
    extraction = extract("Zentova, Orvel, Kerva Synthesis and Lumo LLC are building plants here.")
    assert {"Zentova", "Orvel", "Kerva Synthesis", "Lumo LLC"} <= names(extraction.organisations)


@pytest.mark.parametrize(
    "text",
    [
        "Domestic manufacturing of medicines is growing fast.",
        "The GMP-tailored lines opened in 2020.",
        "The facility in Orvelsk currently produces ten million packs.",
        "Flu and TB vaccines will be made in the region.",
    ],
)
def test_ordinary_words_places_and_diseases_are_not_companies(text):
    """A capitalised sentence opener, a compound adjective, a place, a disease: no company."""
    assert extract(text).organisations == []


def test_a_first_name_company_with_company_context_is_not_a_person():
    """ "Lena Pharmtech"-like names: a first name, but the text says it produces."""
    extraction = extract(
        "Marta Kroon produces insulin at its plant in Tula. Marta Kroon employs 300."
    )
    assert "Marta Kroon" in names(extraction.organisations)
    assert extraction.people == []


def test_two_names_joined_by_a_slash_are_one_company():
    """ "Berlin Kraft / Solenne" (a joint brand) is one company known by both names."""
    extraction = extract(
        "The centre was equipped as recommended by Berlin Kraft / Solenne. "
        "Main / Company's news. Flights Tula / Moscow."
    )
    company = organisation(extraction, "Berlin Kraft / Solenne")
    assert {"Berlin Kraft", "Solenne"} <= set(company.aliases)
    assert len(extraction.organisations) == 1


def test_news_media_cited_as_sources():
    """ "told Vestnik", "Source: X", "the X information agency reported", "X.ru reports"."""
    extraction = extract(
        "The plant will open in May, the director told Vestnik. "
        "The Okta information agency reported the same. "
        "Farmnovosti.ru reports that the price fell."
    )
    assert organisation(extraction, "Vestnik").kind == "media"
    assert organisation(extraction, "Okta information agency").kind == "media"
    assert organisation(extraction, "Farmnovosti.ru").kind == "media"


def test_lists_after_a_plural_noun_and_a_dash():
    """ "The five clusters - A, B and C - signed": each a cluster."""
    extraction = extract("The three clusters - Nordvale, Ostbio-Santé and Lumen Valley - signed.")
    for name in ("Nordvale", "Ostbio-Santé", "Lumen Valley"):
        assert organisation(extraction, name).kind == "cluster"


# --- Boundaries of names ------------------------------------------------------------


def test_a_legal_form_ends_a_name():
    """ "Fund OAO Sergei Volkov": the body ends at its legal form, the person follows."""
    extraction = extract("The Regional Development Fund OAO Sergei Volkov signed the deal.")
    assert organisation(extraction, "Regional Development Fund OAO").kind == "fund"
    assert person(extraction, "Sergei Volkov")


def test_a_person_named_after_a_body_is_split_from_it():
    """ "... Cluster Ivan Sorokin" and "... Fund Aidar Ualiyev": two names, not one."""
    extraction = extract(
        "Founder of the Volga Biomedical Cluster Ivan Sorokin spoke. "
        "Chairman of the Steppe Science Fund Aidar Ualiyev agreed."
    )
    assert {"Volga Biomedical Cluster", "Steppe Science Fund"} <= names(extraction.organisations)
    assert person(extraction, "Ivan Sorokin")
    assert person(extraction, "Aidar Ualiyev")


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        (
            "It is run by Lumo (Taizhou) Biotechnology Co Ltd.",
            "Lumo (Taizhou) Biotechnology Co Ltd",
            "company",
        ),
        (
            "The Federal Service for Surveillance in Healthcare agreed.",
            "Federal Service for Surveillance in Healthcare",
            "government",
        ),
        ("Companies of the Tomsk cluster will make drugs.", "Tomsk cluster", "cluster"),
        (
            "The firm signed an agreement with the Tula Region government.",
            "Tula Region government",
            "government",
        ),
        (
            "Students of TGU named after P.K. Sorokin won.",
            "TGU named after P.K. Sorokin",
            "education",
        ),
        (
            "The Military Industrial Commission of Russia met.",
            "Military Industrial Commission of Russia",
            "government",
        ),
    ],
)
def test_names_with_brackets_fields_lower_case_heads_and_dedications(text, name, kind):
    """A place in brackets, "in <field>", a lower-case head after a place, "named after"."""
    assert organisation(extract(text), name).kind == kind


def test_a_short_name_in_brackets_is_the_body_s_alias():
    """ "the Federal Service for Drug Control (Rosfarmkontrol)": one body, two names."""
    extraction = extract(
        "The Federal Service for Drug Control (Rosfarmkontrol) agreed. Rosfarmkontrol will check."
    )
    service = organisation(extraction, "Rosfarmkontrol")
    assert service.name == "Federal Service for Drug Control"


def test_a_text_cut_off_mid_word_yields_no_name_from_the_cut():
    """An excerpt ending "... and Governor Anatoly Sok" names no "Anatoly Sok"."""
    extraction = extract("The plant was opened by Ivan Sorokin, CEO of Orvel LLC, and Anatoly Sok")
    assert [p.name for p in extraction.people] == ["Ivan Sorokin"]


def test_a_cluster_of_a_place_is_that_place_s_cluster():
    """ "the pharmaceutical cluster of Tula" and "the Tula pharmaceutical cluster": one record."""
    extraction = extract(
        "The pharmaceutical cluster of Tula grew. Firms of the Tula pharmaceutical cluster met."
    )
    assert len(extraction.organisations) == 1
    assert organisation(extraction, "pharmaceutical cluster of Tula").kind == "cluster"


def test_places_and_nationalities_are_not_organisations():
    """ "Denmark’s Norvik Pharma" is Norvik Pharma; "Danish", "Belarus", "Tomsk" are places."""
    extraction = extract(
        "Denmark’s Norvik Pharma opened an office. The Danish Ambassador visited. "
        "Belarus plans to invest more."
    )
    assert names(extraction.organisations) == {"Norvik Pharma"}


def test_generic_zones_and_offices_are_not_named_bodies():
    """ "the Special Economic Zone" and "the Project Office" name nothing in particular."""
    extraction = extract("The Special Economic Zone grew. The Project Office was set up.")
    assert extraction.organisations == []


# --- People -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ivan P. Sorokin, the general director of Orvel LLC, agreed.", "Ivan P. Sorokin"),
        ("Anna Maria Lindgren, CEO of Norvik Pharma AB, spoke.", "Anna Maria Lindgren"),
        ("Jean-Luc Moreau, CEO of Lumiere Pharma SE, attended.", "Jean-Luc Moreau"),
        ("The guests included Henrik Dalgaard and others.", "Henrik Dalgaard"),
        ("President Aidar Bek Sultanov spoke at the opening.", "Aidar Bek Sultanov"),
        ("Mikhail Orlov,Chairman of the Council of Tula Region, spoke.", "Mikhail Orlov"),
    ],
)
def test_names_in_the_forms_real_articles_write_them(text, name):
    """Middle initials, three-part and hyphenated names, a known first name alone."""
    assert person(extract(text), name).name == name


def test_short_forms_join_the_full_name():
    """ "I. Sorokin" and "Ivan Sorokin", "Lars R. Berg" and "Lars Rune Berg": one person each."""
    extraction = extract(
        "Ivan Sorokin, CEO of Orvel LLC, opened the plant. I. Sorokin thanked the team. "
        "Lars R. Berg, President of Norvik Pharma AB, came. Lars Rune Berg spoke later."
    )
    assert len(extraction.people) == 2
    assert "I. Sorokin" in person(extraction, "Ivan Sorokin").aliases
    assert "Lars R. Berg" in person(extraction, "Lars Rune Berg").aliases


def test_words_before_a_name_are_not_part_of_it():
    """ "Belarus Ivan Sorokin", "Minister of Health Olga Berg", "Lumo Pharma SE": no such names."""
    extraction = extract(
        "Prime Minister of Belarus Ivan Sorokin spoke. "
        "The Minister of Health Olga Berg came. Jean Moreau, CEO of Lumo Pharma SE, agreed."
    )
    assert names(extraction.people) == {"Ivan Sorokin", "Olga Berg", "Jean Moreau"}


def test_surnames_that_start_like_company_words_are_names():
    """ "Olga Mednikova" and "Pavel Biotrov" are people, though "Med" and "Bio" open brand names."""
    extraction = extract("Orvel CEO Olga Mednikova and Pavel Biotrov, its founder, spoke.")
    assert {"Olga Mednikova", "Pavel Biotrov"} <= names(extraction.people)


# --- Positions ----------------------------------------------------------------------


def test_a_list_of_names_each_followed_by_its_title():
    """ "attended by A, Governor of X, B, CEO of Y, C, Zentova Director General": each their own."""
    extraction = extract(
        "The ceremony was attended by Oleg Sokol, Governor of the Tula Region, "
        "Lars Berg, Norvik Pharma AB President and CEO, "
        "Henrik Dalgaard, Norvik Pharma OOO Director General, and others."
    )
    assert positions(extraction, "Oleg Sokol") == {("Governor", None)}
    assert positions(extraction, "Lars Berg") == {("President and CEO", "Norvik Pharma AB")}
    assert positions(extraction, "Henrik Dalgaard") == {("Director General", "Norvik Pharma AB")}


def test_a_minister_works_at_the_ministry_the_title_names():
    """ "First Deputy Minister of Health of the Russian Federation": that ministry, inferred."""
    extraction = extract(
        "Olga Berg, First Deputy Minister of Health of the Russian Federation, spoke."
    )
    ministry = organisation(extraction, "Ministry of Health of the Russian Federation")
    assert ministry.kind == "government"
    assert positions(extraction, "Olga Berg") == {
        ("First Deputy Minister of Health", ministry.name)
    }


def test_ministers_with_a_portfolio_in_lower_case():
    """ "the minister of economic development and investment X" works at that ministry;
    "the minister of health of the region" names no ministry the text would identify."""
    extraction = extract(
        "The minister of economic development and investment Pavel Lind attended. "
        "The plant was opened by Oleg Sokol, the minister of health of the region."
    )
    assert positions(extraction, "Pavel Lind") == {
        (
            "Minister of economic development and investment",
            "Ministry of Economic Development and Investment",
        )
    }
    assert positions(extraction, "Oleg Sokol") == {("Minister of health", None)}


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        (
            "“We grow”, Orvel CEO, Pavel Sokol said.",
            "Pavel Sokol",
            {("CEO", "Orvel")},
        ),
        (
            "The press service cited Chairman of Zentova board of directors Ilya Grom. "
            "Zentova LLC opened a plant.",
            "Ilya Grom",
            {("Chairman", "Zentova LLC")},
        ),
        (
            "Zentova LLC grew. Lena Dahl, Executive Vice President, Zentova International "
            "Division, spoke.",
            "Lena Dahl",
            {("Executive Vice President", "Zentova LLC")},
        ),
        (
            "Pavel Sokol, Director of the regional Innovation Agency, said so.",
            "Pavel Sokol",
            {("Director", "regional Innovation Agency")},
        ),
        (
            "An agreement was signed by Mr. Sokol, Mayor of the city of Tula.",
            "Sokol",
            {("Mayor", None)},
        ),
        (
            "The Zentova company opened a plant. It is a good time, said the company’s "
            "Executive Director and founder Pavel Sokol.",
            "Pavel Sokol",
            {("Executive Director and founder", "Zentova")},
        ),
        (
            "The results were summed up by Pavel Sokol, the Director of “Sever” Technopark.",
            "Pavel Sokol",
            {("Director", "Sever Technopark")},
        ),
        (
            "According to Pavel Sokol, chief executive of Orvel, sales grew.",
            "Pavel Sokol",
            {("Chief executive", "Orvel")},
        ),
        (
            "CEO of the Orvel Group factory Pavel Sokol said the plant will grow.",
            "Pavel Sokol",
            {("CEO", "Orvel Group")},
        ),
        (
            "Executive Director of the Union of Pharmaceutical Makers (UPM) Pavel Sokol said so.",
            "Pavel Sokol",
            {("Executive Director", "Union of Pharmaceutical Makers")},
        ),
    ],
)
def test_titles_find_their_organisation(text, name, expected):
    """Employer before a title, a board, a unit of a company, an honorific, an acronym."""
    assert positions(extract(text), name) == expected


# --- One body, one record -----------------------------------------------------------


def test_an_acronym_written_apart_joins_its_expansion():
    """ "the ARPM" later in the text is the Association of Russian Pharmaceutical Makers."""
    extraction = extract(
        "The Association of Russian Pharmaceutical Makers met in May. "
        "Orvel and Zentova are members of the ARPM."
    )
    association = organisation(extraction, "ARPM")
    assert association.name == "Association of Russian Pharmaceutical Makers"


def test_an_alliance_named_after_a_park_is_the_park():
    """ "X Park Competence Alliance" and "X Park": one body, called by its short name."""
    extraction = extract(
        "The Sever Park Competence Alliance was set up in May. Sever Park offers expertise."
    )
    park = organisation(extraction, "Sever Park")
    assert park is organisation(extraction, "Sever Park Competence Alliance")
    assert park.name == "Sever Park"


# --- Programs -----------------------------------------------------------------------


def test_programs_named_with_a_year_or_a_horizon():
    """ "Pharma 2030", "Strategy 2030", "... until 2035"; "The" and "Moscow 2030" are not names."""
    extraction = extract(
        "The Pharma-2030 strategy was adopted. Officials discussed Pharma 2030 and the "
        "Strategy 2030. The Strategy for the Development of the Medical Industry until 2035 "
        "was signed. Tula 2030 is a slogan."
    )
    assert names(extraction.programs) == {
        "Pharma 2030",
        "Strategy 2030",
        "Strategy for the Development of the Medical Industry until 2035",
    }
    assert "Pharma-2030" in program(extraction, "Pharma 2030").aliases


# --- Metrics ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Ninety nine new jobs will be created.", 99, "jobs"),
        ("The plant will hire two hundred and fifty people.", 250, "people"),
        ("Half a million patients were treated.", 500000, "patients"),
        ("The fund holds one and a half billion rubles.", 1500000000, "RUB"),
        ("The residents will invest RUR8.3 billion.", 8300000000, "RUB"),
        ("Output reached 21 bln. roubles in 2016.", 21000000000, "RUB"),
        ("Orvel plans to invest 9 billion – 10 billion rubles.", 9000000000, "RUB"),
        ("The threshold fell from 3 billion to 800 million rubles.", 3000000000, "RUB"),
        ("Output of the cluster was 35 billion rubies.", 35000000000, "RUB"),
        ("The cluster has 200 companies, 40 of which are residents.", 40, "companies"),
        ("The region opened 22 food and pharmaceutical enterprises.", 22, "enterprises"),
        ("The group runs 12 other plants in Europe.", 12, "plants"),
        ("Zentova made 2.5 m packages last year.", 2500000, "packages"),
        ("About ninety percent of the drugs are local.", 90, "%"),
    ],
)
def test_figures_in_the_forms_real_articles_write_them(text, value, unit):
    """Number words, glued and abbreviated currencies, ranges, misspellings, parts of counts."""
    assert metric(extract(text), Decimal(value), unit)


@pytest.mark.parametrize(
    "text",
    [
        "The top ten medicines sold well.",
        "The plant is 170km from Moscow.",
        "The park lies 36 km south of the city.",
    ],
)
def test_ranks_and_distances_are_not_metrics(text):
    """A rank and a distance measure nothing about a body."""
    assert extract(text).metrics == []
