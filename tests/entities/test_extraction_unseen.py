"""Extraction on our own articles: new names, layouts and ways of writing numbers."""

import pytest

from tests.entities.extraction_gold import UNSEEN, UNSEEN_FILES, extract_file, score_files
from tests.entities.extraction_helpers import metric, organisation, person, positions, program


@pytest.fixture(scope="module")
def articles():
    """Extraction of every unseen article, by file name."""
    return {name: extract_file(UNSEEN / name) for name in UNSEEN_FILES}


def test_at_least_six_unseen_articles_have_gold():
    """The unseen set is big enough to say something about generalisation."""
    assert len(UNSEEN_FILES) >= 6
    assert sorted(path.name for path in UNSEEN.glob("*.txt")) == sorted(UNSEEN_FILES)


def test_press_release(articles):
    """Legal forms, an association's director, a regional program and a title metric."""
    extraction = articles["01_press_release.txt"]
    association = organisation(extraction, "Novgorod Medical Devices Cluster association")
    assert positions(extraction, "Svetlana Morozova") == {("Managing Director", association.name)}
    assert organisation(extraction, "Medtekhnika").kind == "company"
    assert organisation(extraction, "Novgorod State University").kind == "education"
    assert "Government House" not in {o.name for o in extraction.organisations}
    assert program(extraction, "Industrial Modernisation of Novgorod Region").kind == "regional"
    allocation = metric(extraction, 120000000, "RUB")
    assert (allocation.start, allocation.year) == (None, 2019)
    assert allocation.label == "regional budget allocation"
    investment = metric(extraction, 2400000000, "RUB")
    assert (investment.organisation, investment.year) == ("Medtekhnika JSC", 2018)
    assert metric(extraction, 250, "engineers").organisation == "Medtekhnika JSC"
    assert metric(extraction, 9, "%").label == "share of regional manufacturing output"


def test_interview(articles):
    """Interview header with an upper-case surname, "Mr. Krylov" later, scaled counts."""
    extraction = articles["02_interview.txt"]
    krylov = person(extraction, "Pavel Krylov")
    assert "Mr. Krylov" in krylov.aliases
    assert len(krylov.spans) == 2
    assert positions(extraction, "Pavel Krylov") == {
        ("Director General", "Tver Cluster Development Center")
    }
    assert organisation(extraction, "Vektorfarm").kind == "company"
    assert organisation(extraction, "Industrial Development Fund").kind == "fund"
    packages = metric(extraction, 40000000, "packages")
    assert (packages.qualifier, packages.raw_text) == ("up_to", "up to 40 million packages")
    assert metric(extraction, 17, "%").label == "growth"
    assert metric(extraction, 8600000000, "RUB").raw_text == "RUR 8.6 billion"


def test_list_of_participants(articles):
    """Each line of a list is its own name; a minister's portfolio finds the ministry."""
    extraction = articles["03_participants.txt"]
    for name, kind in [
        ("Samara Region Ministry of Industry and Trade", "government"),
        ("Volga Biotech Alliance", "association"),
        ("Farmatek Holding", "company"),
        ("Samara State Medical University", "education"),
        ("Regional Development Fund of Samara Region", "fund"),
    ]:
        assert organisation(extraction, name).kind == kind
    assert positions(extraction, "Oleg Vasiliev") == {
        ("Minister of Industry and Trade", "Samara Region Ministry of Industry and Trade")
    }
    assert positions(extraction, "Dmitry Orlov") == {("CEO", "Farmatek Holding")}
    assert extraction.programs == []  # the forum reported is one occasion, not a program
    assert metric(extraction, 1200000000, "RUB").label == "investment"


def test_metrics_in_many_forms(articles):
    """$, USD, bn, per cent, square metres; phone numbers, ranks and datelines are not metrics."""
    extraction = articles["04_metrics.txt"]
    assert metric(extraction, 35000000, "USD").year == 2020
    assert metric(extraction, 4700000, "USD").label == "exports"
    taxes = metric(extraction, 3500000000, "RUB")
    assert (taxes.qualifier, taxes.period, taxes.label) == ("over", "since 2015", "taxes")
    assert metric(extraction, 15, "%").year == 2024
    small_share = metric(extraction, 2, "%")
    assert (small_share.qualifier, small_share.year) == ("up_to", None)
    assert metric(extraction, 12000, "square metres").organisation == "Kurskfarm Ltd"
    assert metric(extraction, 1250, "jobs").qualifier == "about"
    assert len(extraction.metrics) == 8


def test_certification(articles):
    """An initiative with its acronym, a quoted round table, "X is the Executive Director"."""
    extraction = articles["05_certification.txt"]
    initiative = program(extraction, "BCQI")
    assert (initiative.name, initiative.kind) == ("Baltic Cluster Quality Initiative", "initiative")
    assert len(initiative.spans) == 3
    assert program(extraction, "Export of Medical Products").kind == "event"
    assert positions(extraction, "Anna Lebedeva") == {("Rector", "Siberian Medical Academy")}
    assert positions(extraction, "Sergei Belov") == {
        ("Executive Director", "Association of Siberian Biomedical Cluster")
    }
    assert metric(extraction, 612, "points").label == "score"


def test_digest(articles):
    """Centre/Center spellings are one record; a bare surname is a mention of the person."""
    extraction = articles["06_digest.txt"]
    centre = organisation(extraction, "Center for Biomedical Technologies")
    assert len(centre.spans) == 2
    assert positions(extraction, "Viktor Antonov") == {("Head", centre.name)}
    assert len(person(extraction, "Viktor Antonov").spans) == 2
    fund = organisation(extraction, "RVF")
    assert (fund.name, fund.kind) == ("Russian Venture Fund", "fund")
    investment = metric(extraction, 500000000, "RUB")
    assert (investment.qualifier, investment.period) == ("up_to", "2020–2023")
    assert investment.organisation == "Russian Venture Fund"
    assert program(extraction, "Clinical Trials Manager").kind == "education"
    assert metric(extraction, 60, "specialists").program == "Clinical Trials Manager"


def test_titles_without_commas(articles):
    """ "Governor of Penza Region Nikolai Sergeev", "CEO Olga Markova": a place is no employer."""
    penza = articles["07_company_news.txt"]
    assert positions(penza, "Nikolai Sergeev") == {("Governor", None)}
    assert positions(penza, "Maxim Volkov") == {("Chief Executive Officer", "Penza Biologics LLC")}
    assert positions(articles["08_event.txt"], "Roman Gafurov") == {("Deputy Prime Minister", None)}
    digest = articles["09_digest.txt"]
    assert positions(digest, "Ivan Petrovich Sidorov") == {
        ("Chairman", "Kaliningrad Medical Cluster Council")
    }
    assert organisation(digest, "Kaliningrad Medical Cluster Council").kind == "other"


def test_quoted_event_name(articles):
    """Congress “BioPharma Days” is an event called BioPharma Days, not a company."""
    extraction = articles["08_event.txt"]
    congress = program(extraction, "BioPharma Days")
    assert congress.kind == "event"
    assert "BioPharma" not in {o.name for o in extraction.organisations}
    assert metric(extraction, 5000, "square metres").raw_text == "5,000 sq m"
    assert metric(extraction, 250, "EUR").qualifier == "exactly"


def test_unseen_quality_close_to_targets():
    """Recall and precision per kind on our own articles stay close to the targets."""
    totals = score_files(UNSEEN_FILES)
    assert totals["organisations"].recall >= 0.9
    assert totals["organisations"].precision >= 0.85
    assert totals["people"].recall >= 0.9
    assert totals["people"].precision >= 0.8
    assert totals["programs"].recall >= 0.8
    assert totals["programs"].precision >= 0.8
    assert totals["metrics"].recall >= 0.85
    assert totals["metrics"].precision >= 0.85


def test_department_is_the_employer_unless_it_belongs_to_a_ministry(articles):
    """ "Director of the Department of Industrial Policy of X": the department is the body."""
    extraction = articles["10_region_report.txt"]
    department = organisation(extraction, "Department of Industrial Policy of Yaroslavl Region")
    assert department.kind == "government"
    assert len(department.spans) == 2  # "the regional Department of Industrial Policy" too
    assert positions(extraction, "Alexei Kuznetsov") == {("Director", department.name)}
    assert program(extraction, "Pharma Yaroslavl 2025").kind == "regional"
    assert program(extraction, "Industrial Pharmacy").kind == "education"
    assert metric(extraction, 20000000000, "RUB").period == "since 2012"
    assert metric(extraction, "8.5", "%").year == 2019


def test_question_and_answer_interview(articles):
    """Q/A layout: the header names the CEO; "Last year" gives no year."""
    extraction = articles["11_qa_interview.txt"]
    assert positions(extraction, "Marina Egorova") == {("CEO", "BioLine Technologies LLC")}
    branch = "Kaluga Branch of the Bauman Moscow State Technical University"
    assert organisation(extraction, branch).kind == "education"
    revenue = metric(extraction, 3000000000, "RUB")
    assert (revenue.qualifier, revenue.year, revenue.label) == ("about", None, "revenue")
    assert metric(extraction, 12, "products").year == 2021


def test_list_of_officials_with_titles_before_names(articles):
    """Officials listed as "Title of X Name, Title of Y Name and Name": each their own title."""
    extraction = articles["12_officials.txt"]
    assert positions(extraction, "Alexander Avdeev") == {("Governor", None)}
    # The title names the federal ministry, which the text never writes as "Ministry".
    assert positions(extraction, "Viktor Yevtukhov") == {
        (
            "Deputy Minister of Industry and Trade",
            "Ministry of Industry and Trade of the Russian Federation",
        )
    }
    assert "Mr. Yevtukhov" in person(extraction, "Viktor Yevtukhov").aliases
    assert positions(extraction, "Olga Kuzina") == {
        ("General Director", "Vladimir Region Development Corporation")
    }
    assert program(extraction, "Industrial Parks of Russia").kind == "federal"
    assert metric(extraction, "4.5", "hectares").label == "area"
    assert len(extraction.organisations) == 5


def test_financial_results(articles):
    """Acronyms in brackets, revenue and profit labels, a board chairman at the company."""
    extraction = articles["13_financials.txt"]
    company = organisation(extraction, "OCPC")
    assert company.name == "Obninsk Chemical Pharmaceutical Company JSC"
    assert len(company.spans) == 4
    assert organisation(extraction, "ARPM").kind == "association"
    assert positions(extraction, "Yuri Sorokin") == {
        ("Chairman of the Board of Directors", company.name)
    }
    assert metric(extraction, 610000000, "RUB").label == "profit"
    assert metric(extraction, 11, "%").label == "share of revenue"
    investment = metric(extraction, 18000000, "EUR")
    assert (investment.year, investment.organisation) == (2021, company.name)
