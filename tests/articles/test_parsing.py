"""Turning saved news pages into clean articles: title, date, source, body."""

import datetime
from pathlib import Path

import pytest

from articles.parsing import ArticleParseError, decode_article, derive_title, parse_article

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
DATA = Path(__file__).resolve().parents[1] / "data" / "import"

# Words of page chrome that must never reach a title or a body.
CHROME = (
    "Investment digest",
    "Printed products",
    "Subscribe to digest",
    "You can subscribe",
    "Once a month you will receive",
    "Successfully sent",
    "Contact for investors",
    "Нажимая кнопку",
    "Share on:",
    "All Portfolio",
    "MEDIA CENTER",
    "Print 23 November",
)


def parse_file(path: Path):
    return parse_article(decode_article(path.read_bytes()))


def seed(prefix: str):
    return parse_file(next(SEEDS.glob(f"{prefix}_*.txt")))


def assert_no_chrome(article):
    for chrome in CHROME:
        assert chrome not in article.title
        assert chrome not in article.body
    for line in article.body.splitlines():
        assert line.strip() not in {"Source", "Return", "In addition:"}


@pytest.mark.parametrize(
    ("prefix", "title", "published_on", "source", "body_start", "body_end"),
    [
        (
            "000",
            "Federal Budget to Allocate RUR 93.3 Million for Development of the Kaluga "
            "Pharmaceutical Cluster in 2014",
            datetime.date(2014, 2, 4),
            "",
            "On February 4, Kaluga Region Governor’s Coordination Council",
            "medical and pharmaceutical waste in Kaluga Region.",
        ),
        (
            "001",
            "Kaluga Pharmaceutical Cluster to Account for 14% if the Total Kaluga Region "
            "Production Output by 2020",
            datetime.date(2013, 12, 12),
            "",
            "On December 12, 2013 Kaluga Pharmaceutical Cluster press tour",
            "Center for Cluster Development of Kaluga Region.",
        ),
        (
            "002",
            "Kaluga Pharmaceutical Cluster received silver certificate of Cluster Excellence",
            datetime.date(2017, 11, 23),
            "GMP News",
            "In the period of October 24 – 26, 2017, the Association",
            "without the support from the Administration of Kaluga region.",
        ),
        (
            "003",
            "Kaluga Pharmaceutical Cluster — an Environment for Development of Innovations",
            None,
            "",
            "Irina NOVIKOVA, Executive Director of the Kaluga Pharmaceutical Cluster association",
            "information support to the pharmaceutical cluster.",
        ),
        (
            "004",
            "Kaluga Region Cluster “Pharmaceutics, Biotechnologies and Biomedicine” took the 2nd "
            "place in Russia by the ECEI methodology",
            None,
            "",
            "On February, 27 a brainstorming “Cluster management system standard”",
            "(very important, important, not so important).",
        ),
    ],
)
def test_seed_articles(prefix, title, published_on, source, body_start, body_end):
    """Each seed yields its real headline, its stated date and publication, a clean body."""
    article = seed(prefix)
    assert article.title == title
    assert article.published_on == published_on
    assert article.source == source
    assert article.body.startswith(body_start)
    assert article.body.endswith(body_end)
    assert title not in article.body
    assert article.notes == []
    assert_no_chrome(article)


def test_seed_body_keeps_paragraphs_and_collapses_no_break_spaces():
    """Paragraphs stay apart; runs of (no-break) spaces become one space."""
    article = seed("004")
    assert len(article.body.split("\n\n")) == 4
    assert "results of the pilot research" in article.body
    assert "\u00a0" not in article.body


def test_year_in_passing_is_not_a_publication_date():
    """An interview that only mentions years ("In 2016 alone") has no date."""
    assert seed("003").published_on is None


def test_teaser_and_repeated_headline_are_not_duplicated():
    """A teaser (headline + truncated lead) above the article appears once in the body."""
    article = parse_file(DATA / "teaser_dateline.txt")
    assert article.title == "Northwind Biologics Opens a Sterile Filling Line in Obninsk"
    assert article.published_on == datetime.date(2015, 3, 5)
    assert article.source == "Regional Business Herald"
    assert article.body.count("On March 3, 2015 Northwind Biologics LLC started") == 1
    assert "…" not in article.body
    assert article.title not in article.body
    assert article.body.startswith("On March 3, 2015")
    assert article.body.endswith("employ 85 people.")


def test_file_without_headline_gets_a_derived_title_and_says_so():
    """No headline line: the title is the first sentence, shortened, and a note says so."""
    article = parse_file(DATA / "no_headline.txt")
    assert article.title.startswith("On 14 May 2016 the Ministry of Health of Tula Region")
    assert article.title.endswith("…")
    assert len(article.title) <= 100
    assert article.notes == ["no headline line: title derived from the first sentence"]
    assert article.published_on == datetime.date(2016, 5, 14)
    assert article.body.startswith("On 14 May 2016 the Ministry of Health")
    assert "Return" not in article.body


def test_title_after_subscription_form_and_byline_in_body():
    """A title after page chrome is found; the author byline below it stays in the body."""
    article = parse_file(DATA / "chrome_first.txt")
    assert article.title == "Eastgate Laboratories — Ten Years of Contract Research"
    assert article.body.startswith("Helena MARKOVA, Chief Executive Officer of Eastgate")
    assert "- information on key investment products" not in article.body
    assert "- current socio-economic indicators" not in article.body
    assert article.body.endswith("to provide preclinical research services.")
    assert article.published_on is None
    assert_no_chrome(article)


@pytest.mark.parametrize("label", ["News", "Press releases", "EVENTS"])
def test_section_label_above_the_headline_is_not_the_title(label):
    """A site's section name over the headline is skipped; the lead's date still counts."""
    article = parse_article(
        f"{label}\n\nTver biomedical forum gathered 600 participants\n\n"
        "On 21 September 2016 the third Tver Biomedical Forum took place in Tver.\n"
    )
    assert article.title == "Tver biomedical forum gathered 600 participants"
    assert (
        article.body == "On 21 September 2016 the third Tver Biomedical Forum took place in Tver."
    )
    assert article.published_on == datetime.date(2016, 9, 21)


def test_breadcrumbs_metadata_and_related_links_are_chrome():
    """Breadcrumbs, views, author, photo credits, tags and "Read also" links are not text."""
    article = parse_article(
        "Home / News / Industry\n\n"
        "Tver Vaccine Plant Passes GMP Inspection\n\n"
        "17 April 2022, 10:45\nViews: 1245\nAuthor: Press service of the Tver Region\n\n"
        "The new plant of Tver Biofactory JSC has passed the inspection.\n\n"
        "Photo: Tver Region Administration\n\n"
        "The plant will hire 120 employees.\n\n"
        "Tags: vaccines, GMP, investments\n\n"
        "Read also:\nTver Region signs an agreement with a bank\nNew road opens in Tver\n"
    )
    assert article.title == "Tver Vaccine Plant Passes GMP Inspection"
    assert article.published_on == datetime.date(2022, 4, 17)
    assert article.body == (
        "The new plant of Tver Biofactory JSC has passed the inspection.\n\n"
        "The plant will hire 120 employees."
    )


def test_prose_after_a_read_also_link_stays():
    """Only the linked headlines under "Read also" go; the article's next paragraph stays."""
    article = parse_article(
        "Plant opens in Tver\n\nThe plant opened on Monday.\n\n"
        "Read also:\nAnother plant opens in Kursk\n\nThe governor attended the opening.\n"
    )
    assert article.body == "The plant opened on Monday.\n\nThe governor attended the opening."


@pytest.mark.parametrize(
    "dateline",
    [
        "17 April 2022, 10:45",
        "10:45, 17 April 2022",
        "17.04.2022 at 10:45 MSK",
        "April 17, 2022 9:05 am",
    ],
)
def test_datelines_with_a_time_of_day(dateline):
    """A time before or after the date does not hide the dateline."""
    article = parse_article(f"Plant opens in Tver\n\n{dateline}\n\nThe plant opened on Monday.\n")
    assert article.published_on == datetime.date(2022, 4, 17)
    assert article.body == "The plant opened on Monday."


def test_short_headline_alone_is_still_the_title():
    """A two-word headline followed by the text is the title, not a section label."""
    article = parse_article("Vaccine approved\n\nThe regulator approved the vaccine on Monday.\n")
    assert article.title == "Vaccine approved"


def test_cyrillic_article_with_russian_date():
    """Russian text keeps its title and body; "12 марта 2019 года" is the date."""
    article = parse_file(DATA / "cyrillic.txt")
    assert article.title == "Фармацевтический кластер открыл учебный центр"
    assert article.published_on == datetime.date(2019, 3, 12)
    assert article.body.startswith("12 марта 2019 года в Обнинске")


@pytest.mark.parametrize(
    ("lead", "title", "expected"),
    [
        ("On 5 April 2018, the plant opened.", "Plant opens", datetime.date(2018, 4, 5)),
        ("On Apr. 5, 2018 the plant opened.", "Plant opens", datetime.date(2018, 4, 5)),
        ("On 05.04.2018 the plant opened.", "Plant opens", datetime.date(2018, 4, 5)),
        ("2018-04-05: the plant opened.", "Plant opens", datetime.date(2018, 4, 5)),
        ("On April 5 the plant opened.", "Plant opens in 2018", datetime.date(2018, 4, 5)),
        ("On April 5 the plant opened.", "Plant to double output by 2020", None),
        ("On April 5 the plant opened.", "Plant opens", None),
        ("On February 30, 2018 the plant opened.", "Plant opens", None),
        ("The plant, built in 2016, opened.", "Plant opens", None),
    ],
)
def test_dates_in_the_lead(lead, title, expected):
    """A full date opening the lead is the date; day and month need a title's "in YEAR"."""
    article = parse_article(f"{title}\n\n{lead}\n\nMore text follows here.")
    assert article.published_on == expected


@pytest.mark.parametrize(
    ("dateline", "expected_date", "expected_source"),
    [
        ("Print 23 November 2017\nGMP News", datetime.date(2017, 11, 23), "GMP News"),
        ("Published: 2017-11-23 | Pharma Weekly", datetime.date(2017, 11, 23), "Pharma Weekly"),
        ("November 23, 2017", datetime.date(2017, 11, 23), ""),
        ("Source: Regional Herald", None, "Regional Herald"),
    ],
)
def test_datelines_give_date_and_publication(dateline, expected_date, expected_source):
    """Datelines and "Source:" lines set date and source and never enter the body."""
    article = parse_article(f"Plant opens\n\n{dateline}\n\nThe plant opened today.")
    assert article.published_on == expected_date
    assert article.source == expected_source
    assert article.body == "The plant opened today."


def test_plain_lead_line_after_dateline_is_not_taken_for_a_source():
    """Without a "Print"/"Published" label the next line is body, not the publication."""
    article = parse_article("Plant opens\n\n23 November 2017\nThe plant opened today.")
    assert article.source == ""
    assert article.body == "The plant opened today."


def test_crlf_and_bom_are_normalised():
    """Windows line ends and a byte-order mark do not change the parsed article."""
    raw = (DATA / "teaser_dateline.txt").read_bytes()
    windows = b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n")
    assert parse_article(decode_article(windows)) == parse_article(decode_article(raw))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b" \n\r\n\t", "empty file"),
        (b"\xef\xbb\xbf\n", "empty file"),
        (b"PK\x03\x04\x00\x00", "binary file (ZIP archive or Word file), not article text"),
        (b"Title\n\x01\x02\x00binary", "binary file (NUL byte at offset 8)"),
        (b"Title\n\nCaf\xe9 opened.", "not UTF-8 (invalid byte 0xe9 at offset 10)"),
    ],
)
def test_undecodable_files_are_refused_with_the_reason(data, message):
    """Empty, binary and non-UTF-8 files fail with a one-line reason naming the byte."""
    with pytest.raises(ArticleParseError) as raised:
        decode_article(data)
    assert str(raised.value) == message


def test_chrome_only_file_is_refused():
    """A page with nothing but chrome is not an article."""
    with pytest.raises(ArticleParseError, match=r"^no article text \(only page chrome\)$"):
        parse_file(DATA / "chrome_only.txt")


def test_headline_without_body_is_refused():
    """A headline alone is not an article."""
    with pytest.raises(ArticleParseError, match="no article text after the title"):
        parse_article("Plant opens\n\nShare on:\n")


def test_derived_title_is_cut_at_a_word():
    """A long first sentence is cut at a word boundary under 100 characters."""
    title = derive_title("word " * 40 + "end. Second sentence.")
    assert len(title) <= 100
    assert title.endswith("word…")
    assert derive_title("Short first sentence. Second one.") == "Short first sentence"


def test_invisible_characters_are_dropped():
    """Soft hyphens and zero-width spaces from web pages do not split words in the body."""
    article = parse_article("Plant opens\n\nThe phar\u00admaceutical\u200b plant opened.")
    assert article.body == "The pharmaceutical plant opened."


@pytest.mark.parametrize("text", [".", "…\n\n!!!", "Plant opens\n\n. . .", "— « » —"])
def test_text_without_a_single_word_is_refused(text):
    """Punctuation alone is no article (it used to import with an empty title)."""
    with pytest.raises(ArticleParseError, match=r"^no article text"):
        parse_article(text)


def test_derived_title_is_one_line_with_words():
    """A derived title never spans lines, and a lead opening with a stray dot still gives one."""
    article = parse_article("The plant opened\nin Obninsk on Monday. It hired 85 people.")
    assert article.title == "The plant opened in Obninsk on Monday"
    assert parse_article(". The plant opened in Obninsk. It hired 85 people.").title == (
        "The plant opened in Obninsk. It hired 85 people"
    )
