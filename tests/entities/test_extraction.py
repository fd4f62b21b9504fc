"""Extraction behaviour on short texts: each rule a reader relies on, and bad input."""

from decimal import Decimal

import pytest

from entities.extraction import Extraction, extract
from tests.entities.extraction_helpers import metric, organisation, person, positions, program


def test_empty_text_gives_an_empty_extraction():
    """No text, no facts, no error."""
    assert extract("") == Extraction()
    assert extract("   \n\n  ", title="") == Extraction()


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01\x02 binary \ufffd\ufffd junk",
        "(" * 500 + "Ministry of" + ")" * 500,
        "A " * 5000,
        "“unclosed quote Agency for " * 50,
        "1" * 300 + " companies",
        "Director of the " * 3000,
        "Ivan Petrov, " * 3000,
        "Бюджет выделит 93,3 млн рублей",
    ],
)
def test_odd_input_never_raises(text):
    """Garbage, unbalanced quotes and very long runs are handled quietly."""
    extraction = extract(text, title=text[:80])
    for found in extraction.metrics:
        if found.start is not None:
            assert text[found.start : found.end] == found.raw_text


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("The company invested over EUR 1 billion in the plant.", "1000000000", "EUR", "over"),
        ("Members have invested 50 billion rubles.", "50000000000", "RUB", "exactly"),
        ("The fund allocated RUR 93.3 Million to the project.", "93300000", "RUB", "exactly"),
        ("It raised $35 million from investors.", "35000000", "USD", "exactly"),
        ("Exports reached USD 4.7 mln last year.", "4700000", "USD", "exactly"),
        ("Taxes paid exceeded 3.5 bn roubles.", "3500000000", "RUB", "exactly"),
        ("The grant is about €200 thousand.", "200000", "EUR", "about"),
        ("Sales rose to two billion rubles.", "2000000000", "RUB", "exactly"),
        ("More than 70% of indicators were exceeded.", "70", "%", "over"),
        ("The share may grow up to 15 per cent.", "15", "%", "up_to"),
        ("Output grew by nearly 20 percent.", "20", "%", "about"),
        ("It accounts for less than 2% of the market.", "2", "%", "up_to"),
        ("The cluster unites over 50 companies.", "50", "companies", "over"),
        ("The portfolio includes about 70 projects.", "70", "projects", "about"),
        ("The plant created approximately 1,250 jobs.", "1250", "jobs", "about"),
        ("The partner sent 16 of its employees to study.", "16", "employees", "exactly"),
        ("The company brought seven new products to market.", "7", "products", "exactly"),
        ("Two new plants will be opened this year.", "2", "plants", "exactly"),
        ("The company will hire 120 more employees.", "120", "employees", "exactly"),
        ("The line will produce up to 40 million packages.", "40000000", "packages", "up_to"),
        ("The Tomsk team gained 825 points.", "825", "points", "exactly"),
        ("The third team came next (723 points).", "723", "points", "exactly"),
        ("The maximum amount of points - 825.", "825", "points", "exactly"),
        ("The warehouse covers 12,000 square metres.", "12000", "square metres", "exactly"),
        ("Number of residents of the park: 87.", "87", "residents", "exactly"),
        ("The number of jobs in the park reached 5,600.", "5600", "jobs", "exactly"),
        ("The number of visitors exceeded 1.2 million.", "1200000", "visitors", "over"),
        ("The number of residents amounted to almost 40.", "40", "residents", "about"),
    ],
)
def test_metric_forms(text, value, unit, qualifier):
    """Money, percentages, counts, scores and areas become a number, a unit and a qualifier."""
    found = metric(extract(text), value, unit)
    assert found.qualifier == qualifier
    assert found.quote == text
    assert text[found.start : found.end] == found.raw_text


@pytest.mark.parametrize(
    "text",
    [
        "On February 4, the council held a meeting.",
        "In the period of October 24 – 26, 2017, the audit took place.",
        "The event took place on 23 November 2017 in Moscow.",
        "The cluster took the 2nd place and the 3d place went to Zelenograd.",
        "The certificate is the ninth in Europe and the first in Russia.",
        "Support is a priority of the new Pharma-2030 program.",
        "The cluster was founded in 2012.",
        "Call +7 (4842) 55-12-34 for details.",
        "KURSK, 12.02.2021. The news came late.",
        "The plant was built 5 years ago.",
        "The number of companies is growing every year.",
        "The number of graduates was higher than in 2018.",
    ],
)
def test_not_metrics(text):
    """Dates, ranks, years, numbers inside names, phone numbers and durations are not claims."""
    assert extract(text).metrics == []


@pytest.mark.parametrize(
    ("text", "year", "period"),
    [
        ("In 2016 alone, the company brought seven new products to the market.", 2016, ""),
        ("Since 2007, participants have invested over 50 billion rubles.", None, "since 2007"),
        ("The fund will invest RUB 500 million during 2020–2023.", None, "2020–2023"),
        ("The cluster is to account for 14% of output by 2020.", 2020, ""),
        ("It grew to 15% by 2024; today it is 12 companies.", None, ""),
    ],
)
def test_year_or_period_of_the_same_clause(text, year, period):
    """The year a metric refers to is the one its own clause states."""
    found = extract(text).metrics[-1]
    assert (found.year, found.period) == (year, period)


def test_title_metric_kept_only_when_the_body_does_not_repeat_it():
    """A headline figure has no offsets; the same figure in the body wins."""
    body = "The federal budget will allocate RUR 93.3 Million to the cluster."
    title = "Federal Budget to Allocate RUR 93.3 Million in 2014 and 5% More Later"
    extraction = extract(body, title=title)
    allocation = metric(extraction, "93300000", "RUB")
    assert allocation.start is not None
    share = metric(extraction, 5, "%")
    assert (share.start, share.end, share.quote) == (None, None, title)


def test_metric_subject_is_the_acting_organisation():
    """The organisation that does the measured thing, not one that merely organised it."""
    text = (
        "Veroljub Ljubinkobic, Hemofarm Director General, said that it invested over "
        "EUR 1 billion. A contest organized by the Ministry of Industry of the Russian "
        "Federation selected 14 pilot clusters."
    )
    extraction = extract(text)
    assert metric(extraction, "1000000000", "EUR").organisation == "Hemofarm"
    assert metric(extraction, 14, "clusters").organisation is None


def test_organisations_and_their_kinds():
    """Institutional nouns, legal forms and apposition decide; places are never organisations."""
    text = (
        "The Ministry for Economic Development of Kaluga Region, the Kaluga State University, "
        "the Regional Investment Fund and Orbita Pharm LLC met in Goteborg (Sweden). "
        "Russian companies Alfa-Med and Beta Bio signed an agreement with the "
        "Association of Innovative Regions of Russia (AIRR). Later the AIRR published results."
    )
    extraction = extract(text)
    assert organisation(extraction, "Ministry for Economic Development of Kaluga Region").kind == (
        "government"
    )
    assert organisation(extraction, "Kaluga State University").kind == "education"
    assert organisation(extraction, "Regional Investment Fund").kind == "fund"
    assert organisation(extraction, "Orbita Pharm").kind == "company"
    assert organisation(extraction, "Alfa-Med").kind == "company"
    assert organisation(extraction, "Beta Bio").kind == "company"
    airr = organisation(extraction, "AIRR")
    assert airr.name == "Association of Innovative Regions of Russia"
    assert [text[start:end] for start, end in airr.spans] == [
        "Association of Innovative Regions of Russia",
        "AIRR",
        "AIRR",
    ]
    names = {o.name for o in extraction.organisations}
    assert not names & {"Kaluga Region", "Goteborg", "Sweden", "Russia", "Later"}


def test_spellings_in_one_article_are_one_record():
    """Centre/Center, "the", quotes and legal forms never split an organisation."""
    text = (
        "The Centre for Cell Technologies opened a laboratory. "
        "Scientists of the Center for Cell Technologies presented results. "
        "Vektor LLC supplied equipment; Vektor will also train staff."
    )
    extraction = extract(text)
    centre = organisation(extraction, "Centre for Cell Technologies")
    assert len(centre.spans) == 2
    assert len(organisation(extraction, "Vektor LLC").spans) == 2
    assert len(extraction.organisations) == 2


def test_sentence_start_words_are_not_names():
    """Capitals that only open a sentence do not make organisations or people."""
    text = (
        "Programs offered by the college are popular. Currently the cluster grows. "
        "Summing up the results Ivan Petrov said the plan works."
    )
    extraction = extract(text)
    assert extraction.organisations == []
    assert [p.name for p in extraction.people] == ["Ivan Petrov"]


def test_people_titles_and_organisations():
    """Titles before and after names, initials, upper-case surnames and "its"."""
    text = (
        "Irina NOVIKOVA, Executive Director of the Tula Cluster association, opened the day. "
        "According to Ivan Glushkov, the Chairman of the Board at the Tula Cluster association, "
        "the plan works. The Director of the investment Department of the Ministry of Health "
        "of Russia, A.E.Shadrin, spoke next. The Tula Development Centre was presented by its "
        "Director General, Anatoly Sotnikov. Later Mr. Sotnikov answered questions; Sotnikov "
        "thanked the guests. Vladimir Domozhir noted the results."
    )
    extraction = extract(text)
    association = organisation(extraction, "Tula Cluster association").name
    assert positions(extraction, "Irina Novikova") == {("Executive Director", association)}
    assert positions(extraction, "Ivan Glushkov") == {("Chairman of the Board", association)}
    ministry = organisation(extraction, "Ministry of Health of Russia").name
    assert positions(extraction, "A.E. Shadrin") == {
        ("Director of the investment Department", ministry)
    }
    centre = organisation(extraction, "Tula Development Centre").name
    assert positions(extraction, "Anatoly Sotnikov") == {("Director General", centre)}
    sotnikov = person(extraction, "Anatoly Sotnikov")
    assert [text[start:end] for start, end in sotnikov.spans] == [
        "Anatoly Sotnikov",
        "Mr. Sotnikov",
        "Sotnikov",
    ]
    assert person(extraction, "Vladimir Domozhir").positions == []
    assert len(extraction.people) == 5


def test_a_remit_after_the_title_belongs_to_it():
    """A remit ("Deputy Director for Production") is part of the title; a place is not."""
    text = (
        "Olga Vetrova, Northwind Biologics Deputy Director for Production, showed the line. "
        "Pavel Orlov, Vice-Rector for Research and Innovation of the Tver State University, "
        "spoke next. Anna Sokolova, Director for Tver Region of the Tver Export Agency, agreed."
    )
    extraction = extract(text)
    assert positions(extraction, "Olga Vetrova") == {
        ("Deputy Director for Production", organisation(extraction, "Northwind Biologics").name)
    }
    university = organisation(extraction, "Tver State University").name
    assert positions(extraction, "Pavel Orlov") == {
        ("Vice-Rector for Research and Innovation", university)
    }
    assert all("for Tver" not in title for title, _ in positions(extraction, "Anna Sokolova"))


def test_the_body_after_head_of_is_the_employer_not_a_person():
    """A title "of" a capitalised name: the name is the employer, not a second person."""
    extraction = extract(
        "Governor Pavel Sidorov and Nikolai Orlov, the head of Vostok Biopharm opened the hub."
    )
    assert [p.name for p in extraction.people] == ["Pavel Sidorov", "Nikolai Orlov"]
    employer = organisation(extraction, "Vostok Biopharm")
    assert employer.kind == "company"
    assert positions(extraction, "Nikolai Orlov") == {("Head", employer.name)}


def test_a_currency_code_never_ends_an_organisation_name():
    """ "Members of the cluster exported products worth EUR 45 million" names no body."""
    extraction = extract("Members of the cluster exported products worth EUR 45 million in 2019.")
    assert extraction.organisations == []
    assert metric(extraction, 45000000, "EUR").year == 2019


def test_a_dash_joins_a_name_to_its_legal_form():
    """ "Tver Biofactory – Firm Vector JSC" is one company, not a fragment."""
    extraction = extract("The new plant of Tver Biofactory – Firm Vector JSC has opened.")
    assert [o.name for o in extraction.organisations] == ["Tver Biofactory – Firm Vector JSC"]
    assert extraction.organisations[0].kind == "company"


@pytest.mark.parametrize(
    ("text", "name", "title", "employer"),
    [
        (
            "The deal was signed by Ivan Petrov (General Director of Northwind Pharma LLC).",
            "Ivan Petrov",
            "General Director",
            "Northwind Pharma LLC",
        ),
        (
            "Pavel Kim, founder and CEO of GeneLab LLC, presented the drug.",
            "Pavel Kim",
            "Founder and CEO",
            "GeneLab LLC",
        ),
        (
            "Dr. Elena Frolova, Chief Medical Officer at Medika LLC, explained the results.",
            "Elena Frolova",
            "Chief Medical Officer",
            "Medika LLC",
        ),
    ],
)
def test_more_ways_to_give_a_position(text, name, title, employer):
    """A title in brackets, two titles joined by "and", any "Chief ... Officer"."""
    extraction = extract(text)
    assert positions(extraction, name) == {(title, organisation(extraction, employer).name)}


def test_two_people_with_one_surname_stay_two():
    """A shared surname is an alias, never a reason to merge two people."""
    text = "Ivan Petrov said the plant opens. Olga Petrov noted the delay."
    extraction = extract(text)
    assert sorted(p.name for p in extraction.people) == ["Ivan Petrov", "Olga Petrov"]


def test_programs_and_their_kinds():
    """Year names, "regional program X", lists after "programs –", initiatives, events."""
    text = (
        "Export support is a priority of the Pharma-2030 program. The regional program "
        "Healthy Region of Tula was extended. Two educational programs – Basics of GMP "
        "Inspection and Clinical Research Management – started. The Nordic Cluster Label "
        "Initiative (NCLI) was applied. A seminar “Digital Pharma Plants” was held within "
        "the Tula Economic Forum."
    )
    extraction = extract(text)
    assert program(extraction, "Pharma-2030").kind == "federal"
    assert program(extraction, "Healthy Region of Tula").kind == "regional"
    assert program(extraction, "Basics of GMP Inspection").kind == "education"
    assert program(extraction, "Clinical Research Management").kind == "education"
    assert program(extraction, "NCLI").name == "Nordic Cluster Label Initiative"
    assert program(extraction, "Digital Pharma Plants").kind == "event"
    # A one-off forum is an occasion, not a program; a numbered one is a series.
    assert "Tula Economic Forum" not in {p.name for p in extraction.programs}
    series = extract("The third Tula Economic Forum opened. The Annual Biotech Week began.")
    assert program(series, "Tula Economic Forum").kind == "event"
    assert program(series, "Annual Biotech Week").kind == "event"
    assert extraction.organisations == []


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        (
            "Tula joined the federal “Export of Medical Products” project.",
            "Export of Medical Products",
            "federal",
        ),
        ("The plant is part of the national project “Healthcare”.", "Healthcare", "federal"),
        ("The university launched the “Lean Pharma” initiative.", "Lean Pharma", "initiative"),
        ("The regional “Clean Air” program was extended.", "Clean Air", "regional"),
        (
            "They study under the “Pharmacy of Tomorrow” educational program.",
            "Pharmacy of Tomorrow",
            "education",
        ),
    ],
)
def test_quoted_projects_and_programs(text, name, kind):
    """A quoted name next to "project", "program" or "initiative" is a program of that scope."""
    assert program(extract(text), name).kind == kind


def test_a_quoted_phrase_in_lower_case_is_no_program():
    """Only a capitalised quoted name counts: a “good start” project is just words."""
    assert extract("He called the plan a “good start” project.").programs == []


def test_mentions_do_not_overlap_and_the_longest_wins():
    """A short form inside a longer name is not a second mention."""
    text = "The Tula Technopark and the Tula Technopark Foundation met. The Tula Technopark grew."
    extraction = extract(text)
    park = organisation(extraction, "Tula Technopark")
    foundation = organisation(extraction, "Tula Technopark Foundation")
    assert park is not foundation
    assert len(park.spans) == 2
    assert len(foundation.spans) == 1
    assert park.kind == "other" and foundation.kind == "fund"


def test_a_cluster_and_the_association_that_runs_it_are_one_record():
    """ "Association of X Cluster" and "X Cluster" name one body: one record, every mention."""
    text = (
        "The Tula Pharmaceutical Cluster and the Association of Tula Pharmaceutical Cluster "
        "met. The Tula Pharmaceutical Cluster grew."
    )
    extraction = extract(text)
    cluster = organisation(extraction, "Tula Pharmaceutical Cluster")
    assert cluster is organisation(extraction, "Association of Tula Pharmaceutical Cluster")
    assert len(cluster.spans) == 3


def test_values_are_decimals_in_base_units():
    """Values are exact decimals without float noise."""
    found = extract("The budget is RUB 0.1 billion.").metrics[0]
    assert found.value == Decimal("100000000")
    assert isinstance(found.value, Decimal)


def test_reporting_verb_before_the_name():
    """“...”, said Ivan Petrov, CEO of Farmatek Holding: a person with a position."""
    text = (
        "“We will grow”, said Ivan Petrov, CEO of Farmatek Holding. "
        "Later Olga Sidorova added nothing."
    )
    extraction = extract(text)
    assert positions(extraction, "Ivan Petrov") == {("CEO", "Farmatek Holding")}
    assert person(extraction, "Olga Sidorova").positions == []


def test_another_continues_the_count_of_the_sentence():
    """ "6 drugs, and early this year – another three" is a second count of drugs."""
    text = "In 2017, the company registered 6 drugs, and early this year – another three."
    extraction = extract(text)
    assert metric(extraction, 6, "drugs").year == 2017
    more = metric(extraction, 3, "drugs")
    assert (more.raw_text, more.year) == ("another three", None)
    assert extract("The fund grew by 5%, and another three.").metrics[-1].unit == "%"


def test_quoted_company_names_with_legal_forms():
    """OOO “Name” and “Name” LLC are companies named Name."""
    text = "OOO “Vita Lab” and “Niarmedic Plus” LLC signed a contract."
    extraction = extract(text)
    assert organisation(extraction, "Vita Lab").kind == "company"
    assert organisation(extraction, "Niarmedic Plus").kind == "company"


def test_percentage_labels():
    """A percentage says what it is a share of, or that something grew or fell."""
    cases = {
        "Output was worth RUB 3 billion, 8.5% more than a year earlier.": "growth",
        "Sales fell by 4% in the quarter.": "decline",
        "The cluster’s share in regional exports reached 9%.": "share of regional exports",
        "Exports made up 18% of sales.": "share of sales",
    }
    for text, label in cases.items():
        assert extract(text).metrics[-1].label == label, text


def test_and_between_two_bodies_splits_them():
    """ "the Ministry of Health of Tula Region and Southfield Pharma JSC" are two organisations."""
    text = "The Ministry of Health of Tula Region and Southfield Pharma JSC signed an agreement."
    extraction = extract(text)
    assert organisation(extraction, "Ministry of Health of Tula Region").kind == "government"
    assert organisation(extraction, "Southfield Pharma JSC").kind == "company"
    assert len(extraction.organisations) == 2


def test_a_rejected_match_does_not_hide_the_next_one():
    """ "in 2009 with four researchers": the year is skipped, the count is kept."""
    found = extract("We opened in 2009 with four researchers.").metrics
    assert [(m.raw_text, m.value, m.unit, m.year) for m in found] == [
        ("four researchers", Decimal(4), "researchers", 2009)
    ]


def test_title_and_name_at_the_end_of_a_sentence():
    """ "..., said the plant's director Sergey Volkov." still names the director."""
    extraction = extract("The plan works, said the plant's director Sergey Volkov.")
    assert positions(extraction, "Sergey Volkov") == {("Director", None)}


def test_employer_named_before_a_corporate_title():
    """ "Biocad CEO Dmitry Morozov" works at Biocad; a region's governor works at no company."""
    extraction = extract(
        "Biocad CEO Dmitry Morozov met Tula Governor Alexei Dyumin and Russian President "
        "Ivan Sidorov. The Skolkovo Foundation is headed by Igor Drozdov."
    )
    assert positions(extraction, "Dmitry Morozov") == {("CEO", "Biocad")}
    assert organisation(extraction, "Biocad").kind == "company"
    assert positions(extraction, "Alexei Dyumin") == {("Governor", None)}
    assert positions(extraction, "Ivan Sidorov") == {("President", None)}
    assert person(extraction, "Igor Drozdov").positions == []
    assert {o.name for o in extraction.organisations} == {"Biocad", "Skolkovo Foundation"}


def test_ranges_and_names_with_st():
    """A range is not halved into a wrong number; "St. Petersburg" stays in the name."""
    extraction = extract(
        "The deal is estimated at $250-300 million. The St. Petersburg Government agreed. "
        "The International Conference on Biotechnology opens on 15-17 October."
    )
    assert extraction.metrics == []
    assert organisation(extraction, "St. Petersburg Government").kind == "government"
    assert extraction.programs == []  # a one-off conference is no program


def test_speaker_lists_and_key_figures():
    """Bulleted speakers with dashes, "Number of X: N" and "(+25%)" as growth."""
    text = (
        "Speakers:\n"
        "• Natalia Orlova – Deputy Minister of Health of Kaluga Region\n"
        "• Pavel Smirnov (Bayer, Head of Market Access)\n\n"
        "Exports in 2019: USD 120 million (+25%).\n"
        "Number of residents of the Kaluga SEZ: 87.\n"
        "The Government of Kaluga Region approved the Strategy of Socio-Economic Development."
    )
    extraction = extract(text)
    # The title names the regional ministry, although the text never writes "Ministry".
    assert positions(extraction, "Natalia Orlova") == {
        ("Deputy Minister of Health", "Ministry of Health of Kaluga Region")
    }
    assert "Market Access" not in {p.name for p in extraction.people}
    assert metric(extraction, 25, "%").label == "growth"
    assert metric(extraction, 87, "residents").label == "residents"
    assert program(extraction, "Strategy of Socio-Economic Development").kind == "initiative"
