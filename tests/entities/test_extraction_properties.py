"""Properties of parsing and extraction that hold for any text at all (hypothesis).

Whatever a file holds, parsing either refuses it with an ArticleParseError or
returns a clean article, and extraction never raises; every offset it gives
addresses the body, and every quote contains what it quotes.
"""

from hypothesis import example, given
from hypothesis import strategies as st

from articles.parsing import ArticleParseError, decode_article, parse_article
from entities.extraction import extract

# Pieces of article-like text, so that generated input reaches the extractor's
# rules (organisations, people, positions, metrics, dates, chrome) rather than
# stopping at "no capitalised words". Generic vocabulary only.
FRAGMENTS = [
    *("Zephyr", "Northwind", "Obninsk", "Kaluga", "Region", "Pharma", "Biotech", "Cluster"),
    *("LLC", "JSC", "Ltd.", "Inc.", "Ministry of", "Agency for", "Association of", "the"),
    *("University", "Center", "Fund", "Government", "Administration of", "Department of"),
    *("Director", "General Director", "Governor", "Deputy Minister", "Mr.", "said", "head of"),
    *("RUB", "RUR", "EUR", "USD", "$", "€", "rubles", "million", "billion", "thousand", "bn"),
    *("%", "per cent", "points", "companies", "jobs", "over", "about", "up to", "more than"),
    *("93.3", "1,500", "5 000", "2014", "2014-2020", "in 2019", "0", "-7", "1e9", "10^6"),
    *("December 12, 2013", "23 November 2017", "Print", "Published:", "Source:", "Share on:"),
    *("Subscribe to digest", "program", "Program", "initiative", "forum", "«", "»", "“", "”"),
    *("(", ")", ",", ".", ";", ":", "—", "-", "…", "\n", "\n\n", "\r\n", "\t", "\u00a0"),
    *("Калужская область", "млн рублей", "Министерство", "ООО", "директор", "2,5 млрд"),
]
ARTICLE_LIKE = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=80
).map(" ".join)
ANY_TEXT = st.one_of(ARTICLE_LIKE, st.text(max_size=400))


def _check_extraction(body: str, title: str) -> None:
    """Extract ``body`` and check every offset and quote against it."""
    extraction = extract(body, title=title)
    for record in (*extraction.organisations, *extraction.people, *extraction.programs):
        assert record.name
        for start, end in record.spans:
            assert 0 <= start < end <= len(body)
        for position in getattr(record, "positions", ()):
            assert position.title
    for metric in extraction.metrics:
        assert metric.raw_text
        assert metric.raw_text in metric.quote
        assert metric.value.is_finite()
        if metric.start is None:
            assert metric.end is None
            assert metric.quote == title
            assert metric.raw_text in title
        else:
            assert 0 <= metric.start < metric.end <= len(body)
            assert body[metric.start : metric.end] == metric.raw_text


@given(ANY_TEXT, st.text(max_size=120))
@example("Zephyr Biotech LLC invested RUB 93.3 million in 2014.", "RUB 5 million for Zephyr")
@example("\u2028Ministry of (Health) «Zephyr» $ 1,5 млн рублей\x85", "")
def test_extraction_never_raises_and_its_offsets_address_the_body(body, title):
    """Any text extracts without error; spans lie in the body; quotes contain the raw text."""
    _check_extraction(body, title)


@given(st.one_of(ARTICLE_LIKE.map(str.encode), st.binary(max_size=300)))
@example(b"\xff\xfeP\x00")
@example(b"\xef\xbb\xbf<html><body><h1>T</h1><p>Zephyr LLC got RUB 5 million.</p>")
def test_any_file_is_refused_with_a_reason_or_parsed_into_a_clean_article(data):
    """Bytes either fail with a one-line ArticleParseError or give a clean, extractable article."""
    try:
        article = parse_article(decode_article(data))
    except ArticleParseError as error:
        message = str(error)
        assert message
        assert "\n" not in message
        return
    assert article.title.strip()
    assert "\n" not in article.title
    assert article.body.strip()
    for text in (article.title, article.body, article.source):
        assert "\r" not in text
        assert not any(ord(char) < 32 and char not in "\n" for char in text)
        assert "\x7f" not in text
    assert "\n\n\n" not in article.body
    _check_extraction(article.body, article.title)
