"""Extraction on the five seed articles, read the way the import reads them."""

from decimal import Decimal
from itertools import pairwise

import pytest

from articles.parsing import parse_article
from entities.normalise import normalise_name
from tests.entities.extraction_gold import (
    GOLD,
    SEED_FILES,
    SEEDS,
    article_path,
    extract_file,
    score_files,
)
from tests.entities.extraction_helpers import (
    all_names,
    metric,
    organisation,
    person,
    positions,
    program,
)

S000, S001, S002, S003, S004 = SEED_FILES


@pytest.fixture(scope="module")
def seeds():
    """Extraction of every seed, by file name."""
    return {name: extract_file(SEEDS / name) for name in SEED_FILES}


def test_every_seed_has_gold():
    """The gold covers all five seeds, so the quality numbers below mean something."""
    assert sorted(path.name for path in SEEDS.glob("*.txt")) == SEED_FILES
    assert len(SEED_FILES) == 5


def test_seed_000_training_and_programs(seeds):
    """Education bodies, the company and the three named educational programs of seed 000."""
    extraction = seeds[S000]
    assert organisation(extraction, "Calibrix Rus LLC").kind == "company"
    assert len(organisation(extraction, "Calibrix Rus").spans) == 3
    college = "Kaluga College of Information Technologies and Management"
    assert organisation(extraction, college).kind == "education"
    centre = "Training Center for Specialists of the Pharmaceutical Industry"
    assert organisation(extraction, centre).kind == "education"
    assert organisation(extraction, "ECOPolygon LLC").kind == "company"
    assert program(extraction, "Early Diagnostics of Cervical Cancer").kind == "education"
    assert program(extraction, "Innovative Platforms for Modern Diagnostics").kind == "regional"
    assert person(extraction, "Vladimir Domozhir").positions == []
    places = {"Kaluga Region", "Goteborg", "Sweden"}
    assert not places & {o.name for o in extraction.organisations}


def test_seed_000_title_metric_has_no_offsets(seeds):
    """The RUR 93.3 Million allocation is stated only in the headline."""
    allocation = metric(seeds[S000], "93300000", "RUB")
    assert (allocation.start, allocation.end) == (None, None)
    assert allocation.year == 2014
    assert allocation.label == "federal budget allocation"
    assert allocation.quote.startswith("Federal Budget to Allocate RUR 93.3 Million")
    employees = metric(seeds[S000], 16, "employees")
    assert employees.raw_text == "16 of its employees"


def test_seed_001_people_and_their_companies(seeds):
    """A title after the name, before or after the organisation, links the two."""
    extraction = seeds[S001]
    assert positions(extraction, "Veroljub Ljubinkobic") == {("Director General", "Hemofarm")}
    assert organisation(extraction, "Hemofarm").kind == "company"
    assert positions(extraction, "Rakhimdzhan Roziev") == {("Director", "Active Molecules’ Park")}
    assert person(extraction, "Vladimir Popov").positions == []
    # The alliance named after the park is the park: one record.
    alliance = organisation(extraction, "Active Molecules’ Park Competence Alliance")
    assert alliance is organisation(extraction, "Active Molecules’ Park")
    assert alliance.kind == "other"


def test_seed_001_metrics(seeds):
    """Investment, share of output and counts, with qualifiers, years and subjects."""
    extraction = seeds[S001]
    investment = metric(extraction, "1000000000", "EUR")
    assert (investment.qualifier, investment.raw_text) == ("over", "over EUR 1 billion")
    assert investment.organisation == "Hemofarm"
    assert investment.label == "investment"
    share = metric(extraction, 14, "%")
    assert (share.year, share.label) == (2020, "share of total production output")
    assert metric(extraction, 50, "companies").qualifier == "over"
    projects = metric(extraction, 70, "projects")
    assert (projects.qualifier, projects.organisation) == ("about", "Active Molecules’ Park")
    assert metric(extraction, 14, "clusters").year == 2012


def test_seed_002_association_people(seeds):
    """Both officials of the association get title and organisation; 70% is "over"."""
    extraction = seeds[S002]
    association = organisation(extraction, "Association of Kaluga Pharmaceutical Cluster")
    assert association.kind == "cluster"
    # The cluster and the association that runs it are one record.
    assert organisation(extraction, "Kaluga Pharmaceutical Cluster") is association
    assert positions(extraction, "Irina Novikova") == {("Executive Director", association.name)}
    assert positions(extraction, "Ivan Glushkov") == {("Chairman of the Board", association.name)}
    assert program(extraction, "European Cluster Excellence Initiative").kind == "initiative"
    share = metric(extraction, 70, "%")
    assert (share.qualifier, share.organisation) == ("over", association.name)


def test_seed_002_dates_and_ranks_are_not_metrics(seeds):
    """ "October 24 – 26, 2017" and "the ninth in Europe" are no quantities."""
    values = {m.value for m in seeds[S002].metrics}
    assert values == {Decimal(30), Decimal(70)}


def test_seed_003_interview(seeds):
    """Upper-case surname, companies named in apposition, programs with years."""
    extraction = seeds[S003]
    assert person(extraction, "Irina Novikova").name == "Irina Novikova"
    assert positions(extraction, "Irina Novikova") == {
        ("Executive Director", "Kaluga Pharmaceutical Cluster association")
    }
    bion = organisation(extraction, "BION LLC")
    assert "BION" in bion.aliases and len(bion.spans) == 2
    for company in ("Mir-Pharm", "Pharm-Sintez", "Sphere-Pharm", "Hemofarm"):
        assert organisation(extraction, company).kind == "company"
    assert organisation(extraction, "Ministry of Industry and Trade").kind == "government"
    assert program(extraction, "Pharma-2020").kind == "federal"
    assert len(program(extraction, "Pharma-2030").spans) == 2
    assert "Pharma-2030" not in {o.name for o in extraction.organisations}


def test_seed_003_metrics(seeds):
    """Number words, years "In 2016 alone", periods "Since 2007"; "220 kV" is a name."""
    extraction = seeds[S003]
    products = metric(extraction, 7, "products")
    assert (products.year, products.organisation, products.raw_text) == (
        2016,
        "BION LLC",
        "seven new products",
    )
    investment = metric(extraction, "50000000000", "RUB")
    assert investment.qualifier == "over"
    assert (investment.period, investment.year) == ("since 2007", None)
    assert metric(extraction, 6, "drugs").year == 2017
    assert metric(extraction, 30, "substances").qualifier == "over"
    assert not [m for m in extraction.metrics if m.value in (Decimal(220), Decimal(2030))]


def test_seed_004_acronyms_initials_and_its(seeds):
    """AIRR joins its long form; initials without a space; "its Director General"."""
    extraction = seeds[S004]
    airr = organisation(extraction, "AIRR")
    assert airr.name == "Association of innovative regions of Russia"
    assert len(airr.spans) == 5
    ministry = organisation(extraction, "Ministry for economic development of Russia")
    assert positions(extraction, "A.E. Shadrin") == {
        ("Director of the innovative development Department", ministry.name)
    }
    assert positions(extraction, "I.M. Bortnik") == {("Executive Director", airr.name)}
    centre = organisation(extraction, "Cluster Development Centre of Kaluga Region")
    assert positions(extraction, "Anatoly Sotnikov") == {("Director General", centre.name)}
    assert normalise_name("Agency for innovative development") in {
        normalise_name(alias) for alias in centre.aliases
    }
    assert program(extraction, "ECEI").name == "European Cluster Excellence Initiative"
    # A forum the article does not mark as one of a series is no program.
    assert "Krasnoyarsk Economic Forum" not in {p.name for p in extraction.programs}
    assert program(extraction, "Cluster management system standard").kind == "event"
    assert organisation(extraction, "INNOKAM").kind == "cluster"


def test_seed_004_scores(seeds):
    """Points in every form; "the 2nd place" is a rank, not a metric."""
    extraction = seeds[S004]
    assert metric(extraction, 825, "points").organisation == "Tomsk Cluster"
    cluster = organisation(extraction, "Kaluga Pharmaceutical Cluster")
    assert metric(extraction, 781, "points").organisation == cluster.name
    assert metric(extraction, 723, "points").raw_text == "723 points"
    assert not [m for m in extraction.metrics if m.value in (Decimal(2), Decimal(3))]


def test_same_organisation_across_seeds_shares_a_key(seeds):
    """What the import merges: one association, one agency, one Hemofarm across articles."""

    def keys(record):
        return {normalise_name(n) for n in (record.name, *record.aliases)}

    association_002 = organisation(seeds[S002], "Association of Kaluga Pharmaceutical Cluster")
    association_003 = organisation(seeds[S003], "Kaluga Pharmaceutical Cluster association")
    assert normalise_name(association_002.name) == normalise_name(association_003.name)
    agency = "Agency for Innovative Development"
    agency_000, agency_001, agency_004 = (
        organisation(seeds[name], agency) for name in (S000, S001, S004)
    )
    assert keys(agency_000) & keys(agency_001)
    assert normalise_name(agency_001.name) == normalise_name(agency_004.name)
    hemofarm_001 = organisation(seeds[S001], "Hemofarm")
    hemofarm_003 = organisation(seeds[S003], "Hemofarm")
    assert normalise_name(hemofarm_001.name) == normalise_name(hemofarm_003.name)


@pytest.mark.parametrize("name", SEED_FILES)
def test_offsets_point_at_the_text(name, seeds):
    """Spans and metric offsets select the very text they stand for, never overlapping."""
    extraction = seeds[name]
    body = parse_article(article_path(name).read_text(encoding="utf-8")).body
    spans = []
    lowered = {n.casefold() for n in all_names(extraction)}
    for record in [*extraction.organisations, *extraction.people, *extraction.programs]:
        assert record.spans == sorted(record.spans)
        for start, end in record.spans:
            assert " ".join(body[start:end].split()).casefold() in lowered
            spans.append((start, end))
    spans.sort()
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in pairwise(spans))
    for found in extraction.metrics:
        if found.start is not None:
            assert body[found.start : found.end] == found.raw_text
            assert found.raw_text in found.quote


def test_seed_quality_meets_targets():
    """Recall and precision per kind on the seeds reach the product targets."""
    totals = score_files(SEED_FILES)
    assert totals["organisations"].recall >= 0.9
    assert totals["organisations"].precision >= 0.9
    assert totals["people"].recall == 1.0
    assert totals["people"].precision >= 0.8
    assert totals["programs"].recall >= 0.8
    assert totals["programs"].precision >= 0.8
    assert totals["metrics"].recall >= 0.85
    assert totals["metrics"].precision >= 0.85
    assert sum(len(GOLD[name]["metrics"]) for name in SEED_FILES) == totals["metrics"].gold
