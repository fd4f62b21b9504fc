"""Turning saved news pages into clean articles: title, date, source, body."""

import datetime
import socket
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


# --- Real pages: headlines among page chrome (issue 13) ------------------------


def test_icon_names_above_the_headline_are_chrome():
    """A row of icon names left by a page's SVG sprites is neither the title nor text."""
    article = parse_file(DATA / "icon_row.txt")
    assert article.title == "Brightwater Glassworks: New Member of the Oakridge Medical Cluster"
    assert article.body.startswith("Brightwater Glassworks, a maker of pharmaceutical vials")
    assert "icon" not in article.body
    assert "twitter" not in article.body


def test_language_switcher_and_breadcrumb_ending_in_the_headline_are_chrome():
    """ "Rus Eng" and a breadcrumb whose last crumb is the (long) headline are skipped."""
    article = parse_file(DATA / "page_furniture.txt")
    assert article.title == (
        "Governor opened a new Selwyn Biotech filling line for insulin in Marlow"
    )
    assert article.published_on == datetime.date(2018, 11, 16)
    assert article.body.startswith("On November 16 the Governor of Marlow Region")
    assert "Rus Eng" not in article.body
    assert "Main /" not in article.body


def test_breadcrumb_with_quoted_crumb_and_button_below_the_headline():
    """A breadcrumb with «quotes» in its last crumb and a button under the headline go;
    a full date in the lead's first sentence dates the article."""
    article = parse_article(
        "Main» News» Две фирмы стали резидентами зоны «Ферндейл»\n\n"
        "Two Firms Become Ferndale Zone Residents\n\n"
        "Apply for a Site\n\n\n"
        "A council of experts met in the administration building of the Ferndale zone on "
        "December 12, 2019. It approved the applications of two firms.\n\n"
        "The firms will invest RUB 8 billion.\n"
    )
    assert article.title == "Two Firms Become Ferndale Zone Residents"
    assert article.published_on == datetime.date(2019, 12, 12)
    assert article.body.startswith("A council of experts met")
    assert "Apply for a Site" not in article.body
    assert "Ферндейл" not in article.body


def test_label_above_a_headline_that_ends_with_its_date():
    """On a list of dated news the first headline is the title and its date the date."""
    article = parse_file(DATA / "dated_listing.txt")
    assert article.title == "Halden Pharma starts the second phase of its tablet plant"
    assert article.published_on == datetime.date(2013, 9, 16)
    assert article.body.startswith("Halden Pharma begins the second construction phase")
    assert "Apply for a Site" not in article.body
    assert "Main»" not in article.body


def test_site_name_above_a_language_switcher_is_not_the_title():
    """The site's name over its menu belongs to the page header, not the headline."""
    article = parse_article(
        "Linden Regional Agency for Medicines of the Republic of Norland\n"
        "Ру Nor En\n\n"
        "What Projects Will the Linden Zone Host?\n\n"
        "The Norland government pays special attention to the zone. Seven projects are "
        "under way.\n"
    )
    assert article.title == "What Projects Will the Linden Zone Host?"
    assert article.body.startswith("The Norland government")
    assert "Ру Nor En" not in article.body


@pytest.mark.parametrize("name", ["Dr. Helena Marsh", "Helena K. Marsh", "Volga Industry Courier"])
def test_author_or_site_name_above_the_headline_is_not_the_title(name):
    """A byline or a site's name (capitalised words only) over a longer headline is a label."""
    article = parse_article(
        f"{name}\n\nLinden opens its first vaccine plant in the north\n\n"
        "The plant of Zephyr Biotech LLC opened in Linden on Monday.\n"
    )
    assert article.title == "Linden opens its first vaccine plant in the north"
    assert article.body == "The plant of Zephyr Biotech LLC opened in Linden on Monday."


@pytest.mark.parametrize(
    "furniture",
    ["Tis 14 maj / År 12 / Nr 3 2024", "Northlands | Industry, health", "EN | RU | DE"],
)
def test_issue_lines_and_rubrics_above_the_headline_are_not_the_title(furniture):
    """Short-word issue lines and rubrics of short parts between bars are no headlines."""
    article = parse_article(
        f"{furniture}\n\nThe uniqueness of the Linden Alliance\n\n"
        "The Linden Alliance is a non-profit membership organisation of 300 companies.\n"
    )
    assert article.title == "The uniqueness of the Linden Alliance"
    assert article.body == (
        "The Linden Alliance is a non-profit membership organisation of 300 companies."
    )


def test_sketch_icon_titles_and_a_button_run_into_the_headline():
    """Icon titles from Sketch and a "subscribe to news" button glued to the headline go."""
    article = parse_file(DATA / "sketch_icons.txt")
    assert article.title == "9th Assembly of Pharmacists of the North has taken place"
    assert article.body.startswith("The 9th Assembly of Pharmacists of the North was held")
    for chrome in ("Created with Sketch", "dropdown_", "Our Fairs", "путь к успеху", "subscribe"):
        assert chrome not in article.body


@pytest.mark.parametrize(
    "byline",
    [
        "| By | Drug Makers, Linden Cluster, Clusters",
        "By Anna Lind",
        "By Anna Lind | Staff writer",
        "logo linden-news.example",
    ],
)
def test_bylines_and_logo_text_are_chrome(byline):
    """An author line (even an empty one before the categories) and a logo's text go."""
    article = parse_article(
        f"Output of the Linden cluster may double by 2030\n\n{byline}\n\n"
        "By 2030 the Linden cluster will double its output, the agency said.\n"
    )
    assert article.title == "Output of the Linden cluster may double by 2030"
    assert article.body == "By 2030 the Linden cluster will double its output, the agency said."


def test_abbreviations_do_not_end_a_headline():
    """ "St." in a headline is no sentence end: the line is still the headline."""
    article = parse_article(
        "25 September 2012\n\nThe most innovative cluster in St. Linden\n\n"
        "Dr. A. Lind said the cluster of St. Linden grew. It has 40 members.\n"
    )
    assert article.title == "The most innovative cluster in St. Linden"
    assert article.published_on == datetime.date(2012, 9, 25)


def test_headline_run_into_the_lead_on_the_next_line():
    """A headline with its lead on the very next line is split from it."""
    article = parse_article(
        "Norland to Build Three Vaccine Plants Under the New Strategy\n"
        "Norland is set to build three vaccine plants as part of the strategy approved "
        "this week.\nThe plants will employ 600 people.\n"
    )
    assert article.title == "Norland to Build Three Vaccine Plants Under the New Strategy"
    assert article.body.startswith("Norland is set to build three vaccine plants")
    assert article.notes == []


@pytest.mark.parametrize(
    "text",
    [
        "Zephyr Biotech LLC opened its new plant in\nObninsk on Monday, the company said in "
        "a statement today.\n",
        "An important agreement was signed in Linden,\nBetween the Zephyr Group and the "
        "authorities of the region of Norland.\n",
        "Executives said that red tape is hampering investment in the region.\nThe "
        "government wants exports to reach 100 billion rubles by 2020, officials said.\n",
    ],
)
def test_wrapped_lead_is_not_split_into_a_headline(text):
    """A lead wrapped over lines (ending on "in", a comma or a full stop) stays whole."""
    article = parse_article(text)
    assert article.notes == ["no headline line: title derived from the first sentence"]
    assert article.body == text.strip()


def test_share_buttons_related_lists_and_rubrics_are_chrome():
    """Share buttons, "Latest news"/"Most read" lists with teasers and labels are no text."""
    article = parse_file(DATA / "agency_tail.txt")
    assert article.title == "Westbrook builds a vaccine cluster"
    assert article.published_on == datetime.date(2013, 10, 3)
    assert article.body == (
        "Westbrook regional authorities approved a roadmap for a vaccine cluster around the "
        "town of Linden.\n\nThe region plans to invest as much as $2bn in the program by 2018."
    )


def test_page_footer_image_names_and_photo_credits_are_chrome():
    """From the copyright notice on nothing is text; image names and credits go too."""
    article = parse_file(DATA / "footer_chrome.txt")
    assert article.title == "Norland district signs 12 biotech projects"
    assert article.published_on == datetime.date(2023, 4, 10)
    assert article.body == (
        "A signing ceremony for 12 biotech projects worth 3 billion yuan was held in the "
        "Norland district.\n\nThe projects cover vaccines and medical devices."
    )


def test_slogan_and_journal_blurbs_above_a_breadcrumb_are_page_header():
    """Above a breadcrumb ("Home / News") stands the site's header: slogans and blurbs
    that read like headlines are neither the title nor body text."""
    article = parse_file(DATA / "slogan_breadcrumb.txt")
    assert article.title == "Orvane Tools to build a drill factory in Westbrook"
    assert article.body.startswith("Machine tool maker Orvane Tools has signed")
    assert article.body.endswith("by the end of next year.")
    for blurb in ("freshest information", "magazine about", "monthly edition", "Tool Forum"):
        assert blurb not in article.body


def test_accessibility_panel_and_site_description_are_not_the_title():
    """A "View settings" panel ("Font size:", "Site colours:"), the site's "Official
    website of ..." line and a crumb ending in "/" leave title and body."""
    article = parse_file(DATA / "accessibility_panel.txt")
    assert article.title == "Opening of a new vaccine plant in Linden"
    assert article.published_on == datetime.date(2021, 3, 4)
    assert article.body == (
        "Governor Mara Ostholm attended the opening of a new vaccine plant in Linden on "
        "Thursday.\n\nThe plant will make 20 million doses a year."
    )


@pytest.mark.parametrize(
    "header",
    [
        "Official website of the Westbrook Regional Council",
        "Advertisement",
        "Реклама",
        "Tel.: +7 (812) 555-01-23",
    ],
)
def test_site_description_advert_and_phone_above_the_headline(header):
    """Without a breadcrumb too, such a line above the headline is not the title."""
    article = parse_article(f"{header}\n\nPlant opens in Linden\n\nThe plant opened today.\n")
    assert article.title == "Plant opens in Linden"
    assert article.body == "The plant opened today."


def test_advert_numbered_breadcrumb_photo_credit_and_headline_dated_in_russian():
    """An advert with a phone number, a numbered breadcrumb list ("1. Main", "2. ...") and
    a "Photo courtesy of" credit are chrome; a headline ending with a date in Russian
    words and a time gives both."""
    article = parse_file(DATA / "advert_breadcrumb_list.txt")
    assert article.title == "Linden to build a solar panel plant"
    assert article.published_on == datetime.date(2016, 3, 14)
    assert article.body == (
        "The Linden Energy Fund will start building a solar panel plant: expert.\n\n"
        "Linden will build a solar panel plant, the Linden Energy Fund said on Monday. "
        "The plant will employ 300 people.\n\nConstruction will start in the spring."
    )


def test_numbered_list_in_the_text_is_kept():
    """Only a numbered list that starts at the home page is a breadcrumb."""
    text = "Plant opens\n\nThe plant has two lines:\n1. Tablets\n2. Syrups\n\nIt opened today."
    assert parse_article(text).body == (
        "The plant has two lines:\n1. Tablets\n2. Syrups\n\nIt opened today."
    )


def test_image_file_name_run_into_the_paragraph_and_a_tags_label_are_chrome():
    """A picture's file name glued to the text's first word goes; so does a bare "Tags"."""
    article = parse_article(
        "Interview with Lena Varsk, head of the Linden Guild\n\n"
        "lena-varsk-head-of-guild.jpgThe guild was founded in 2001. How has it changed?\n\n"
        "It has grown a lot.\n\nTags\n"
    )
    assert article.body == (
        "The guild was founded in 2001. How has it changed?\n\nIt has grown a lot."
    )


@pytest.mark.parametrize("label", ["SIMILAR PUBLICATIONS", "Related news", "Other stories"])
def test_similar_publications_are_chrome(label):
    """The headlines under "Similar publications" and the like are other stories."""
    article = parse_article(
        "Plant opens in Tver\n\nThe plant opened on Monday.\n\n"
        f"{label}\n\nAnother plant opens in Kursk\nNew road opens in Tver\n"
    )
    assert article.body == "The plant opened on Monday."


# --- Dates in every common English form ---------------------------------------


@pytest.mark.parametrize(
    ("dateline", "expected"),
    [
        ("29 October 2014", datetime.date(2014, 10, 29)),
        ("October 29, 2014", datetime.date(2014, 10, 29)),
        ("29.10.2014", datetime.date(2014, 10, 29)),
        ("2014-10-29", datetime.date(2014, 10, 29)),
        ("Oct. 29, 2014", datetime.date(2014, 10, 29)),
        ("29 Oct 2014", datetime.date(2014, 10, 29)),
        ("Wednesday 29 October 2014", datetime.date(2014, 10, 29)),
        ("Wednesday, October 29, 2014", datetime.date(2014, 10, 29)),
        ("Wed, 29 Oct 2014", datetime.date(2014, 10, 29)),
        ("29 October 2014 (09:30)", datetime.date(2014, 10, 29)),
        ("29 Oct '14", datetime.date(2014, 10, 29)),
        ("Updated on October 29, 2014", datetime.date(2014, 10, 29)),
        ("A. Lind Westbrook | Updated on October 29, 2014", datetime.date(2014, 10, 29)),
        ("news.westbrook.example|Updated: October 29, 2014", datetime.date(2014, 10, 29)),
    ],
)
def test_dateline_forms(dateline, expected):
    """Every common English way of writing a full date, with a weekday, time or label."""
    article = parse_article(f"Plant opens in Tver\n\n{dateline}\n\nThe plant opened today.\n")
    assert article.published_on == expected
    assert article.body == "The plant opened today."


def test_source_line_with_a_date():
    """ "Source: <publication>, <date>" gives both, and the line leaves the body."""
    article = parse_article(
        "Plant opens in Tver\n\nSource: Tver Agency, 28.02.2017\n\nThe plant opened today.\n"
    )
    assert article.source == "Tver Agency"
    assert article.published_on == datetime.date(2017, 2, 28)
    assert article.body == "The plant opened today."


@pytest.mark.parametrize(
    ("dateline", "expected"),
    [
        ("18 февраля 2013", datetime.date(2013, 2, 18)),
        ("30 marzo 2023", datetime.date(2023, 3, 30)),
        ("1er mars 2021", datetime.date(2021, 3, 1)),
        ("12 décembre 2019", datetime.date(2019, 12, 12)),
        ("30. März 2023", datetime.date(2023, 3, 30)),
        ("3 Mai 2022", datetime.date(2022, 5, 3)),
        ("30 de marzo de 2023", datetime.date(2023, 3, 30)),
        ("5 de agosto del 2020", datetime.date(2020, 8, 5)),
    ],
)
def test_full_dates_in_other_european_languages(dateline, expected):
    """Day, month name and year in Russian, Italian, French, German or Spanish are read."""
    article = parse_article(f"Plant opens in Linden\n\n{dateline}\n\nThe plant opened today.\n")
    assert article.published_on == expected
    assert article.body == "The plant opened today."


@pytest.mark.parametrize(
    "dateline",
    ["jeudi 30 mars 2023", "gio 30 marzo 2023", "Do., 30. März 2023", "чт, 30 марта 2023"],
)
def test_dateline_with_a_foreign_weekday_above_the_headline(dateline):
    """A foreign dateline above the headline is a date, not the title."""
    article = parse_article(f"{dateline}\n\nPlant opens in Linden\n\nThe plant opened today.\n")
    assert article.title == "Plant opens in Linden"
    assert article.published_on == datetime.date(2023, 3, 30)
    assert article.body == "The plant opened today."


def test_agency_line_dated_in_italian_dates_the_article():
    """A wire line with the date in Italian ("gio 30 marzo 2023") above the text dates it."""
    article = parse_article(
        "(WIRENEWS) – LINDEN gio 30 marzo 2023\nThe governor took part,\n"
        "by video link, in the opening of a plant in Linden.\n"
    )
    assert article.published_on == datetime.date(2023, 3, 30)


def test_foreign_day_and_month_without_a_year_are_not_read():
    """Other languages count for full dates only: "4 marzo" is no date even with a year
    in the title."""
    article = parse_article("Plant opens in 2014\n\nIl 4 marzo the plant opened.\n")
    assert article.published_on is None


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (
            "A council of experts met in the building of the zone on December 12, 2019. "
            "It approved two firms.",
            datetime.date(2019, 12, 12),
        ),
        (
            "The forum took place in Samara on 5–6 September 2019. It was big.",
            datetime.date(2019, 9, 5),
        ),
        (
            "The zone was created in 2017. It implements a decree dated May 3, 2017.",
            None,
        ),
    ],
)
def test_full_date_in_the_leads_first_sentence(lead, expected):
    """The lead's first sentence dates the event it reports; a range by its first day;
    a date in a later sentence is something else."""
    article = parse_article(f"Plant opens\n\n{lead}\n\nMore text follows here.")
    assert article.published_on == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Monday 12 January 2026\n\nPlant opens in Tver\n\n"
            "On 3 March 2015 the plant opened in Tver.\n",
            datetime.date(2015, 3, 3),
        ),
        (
            "Monday 12 January 2026\n\nPlant opens in Tver\n\n3 March 2015\n\n"
            "The plant opened in Tver.\n",
            datetime.date(2015, 3, 3),
        ),
        (
            "Monday 12 January 2026\n\nPlant opens in Tver\n\nThe plant opened in Tver.\n",
            datetime.date(2026, 1, 12),
        ),
    ],
)
def test_date_widget_above_the_headline(text, expected):
    """A date line above the headline (perhaps the site's calendar) is never the title, and
    the article's own dateline or the lead's date beat it."""
    article = parse_article(text)
    assert article.title == "Plant opens in Tver"
    assert article.published_on == expected
    assert "2026" not in article.body


# --- Encoding repairs and HTML pages --------------------------------------------


@pytest.mark.parametrize("wrong_codec", ["cp1252", "latin-1"])
def test_utf8_read_as_cp1252_is_repaired(wrong_codec):
    """Text saved after a wrong decoding ("â€™" for "’") imports as it was written."""
    written = "The plant’s director says the «Zephyr» line works — twice a day…"
    garbled = written.encode().decode(wrong_codec)
    assert "’" not in garbled
    text = decode_article(f"Plant opens\n\n{garbled}\n".encode())
    assert text == f"Plant opens\n\n{written}\n"


def test_legitimate_text_is_not_changed_by_the_repair():
    """Curly quotes, ligatures, full-width letters, accents and Cyrillic stay as written."""
    text = "Café “Zephyr” – naïve ﬁle Ｆ &amp; Фармацевтический кластер 5 €, Ã  la carte\n"
    assert decode_article(text.encode()) == text


def test_html_page_gives_headline_date_and_article_text_only():
    """A saved page: the headline, the date its markup states, and only the article's
    paragraphs (no cookie notice, menu, share buttons, related news, comments, footer)."""
    article = parse_file(DATA / "html_page.txt")
    assert article.title == "Larchwood Pharma opens a tablet plant in Zarechensk"
    assert article.published_on == datetime.date(2019, 6, 14)
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith("Larchwood Pharma LLC has opened a plant")
    assert paragraphs[-1].startswith("The second stage, planned for 2022")
    for chrome in ("cookies", "Industry news you can rely", "Share", "Related news",
                   "Zarechensk park attracts", "Great news for the town", "All rights",
                   "Views:", "Home"):  # fmt: skip
        assert chrome not in article.body
    assert article.notes == ["HTML page: converted to text (tags, scripts and navigation dropped)"]


def test_html_page_date_is_never_guessed_from_a_year():
    """A page whose only dates are years ("© 2024", a table of 2014) has no date."""
    article = parse_article(
        "<!DOCTYPE html><html><head><title>Plant opens | Site</title></head><body>"
        "<h1>Plant opens in Zarechensk</h1><p>The plant of Zephyr Biotech LLC opened in "
        "Zarechensk and will hire 85 people over the next two years, the company said.</p>"
        "<table><tr><td>Year</td><td>Output</td></tr><tr><td>2014</td><td>RUB 5 million</td>"
        "</tr></table><footer>© 2024 Site</footer></body></html>"
    )
    assert article.title == "Plant opens in Zarechensk"
    assert article.published_on is None
    assert "2014 | RUB 5 million" in article.body


def test_html_page_is_read_without_the_network(monkeypatch):
    """Reading a page never opens a connection (trafilatura fetches nothing)."""

    def refuse(*args, **kwargs):
        raise AssertionError("network access while reading a page")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    article = parse_file(DATA / "html_page.txt")
    assert article.title == "Larchwood Pharma opens a tablet plant in Zarechensk"
