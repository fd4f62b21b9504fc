"""Full-text search of articles (``Article.objects.search``) on SQLite and PostgreSQL.

The suite runs on whichever database DATABASE_URL selects; CI runs it on both.
"""

import io
import itertools
import random
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.safestring import SafeString

from articles.corpus import write_corpus
from articles.models import Article
from articles.search import MAX_TERMS, marked_html, parse_query, repair_sqlite_search_index
from articles.search.highlight import MARK_START, MARK_STOP

_counter = itertools.count()


def make_article(title="Untitled note", body="Nothing to report.", **fields):
    """Create an article with unique slug and source file."""
    number = next(_counter)
    return Article.objects.create(
        title=title,
        slug=f"search-article-{number}",
        source_file=f"search-{number}.txt",
        body=body,
        content_hash=f"{number:064d}",
        **fields,
    )


def found(query, queryset=None):
    """Titles of the articles a search returns, in rank order."""
    queryset = Article.objects.all() if queryset is None else queryset
    return [article.title for article in queryset.search(query)]


def without_marks(html):
    return html.replace("<mark>", "").replace("</mark>", "")


@pytest.fixture
def filler(db):
    """Unrelated articles, so that ranking statistics look like a real collection."""
    for topic in ("weather report", "football results", "city council budget", "museum hours"):
        make_article(title=topic.title(), body=f"A short note about the {topic} this week.")


# ---------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_stemming_finds_other_forms_of_a_word(filler):
    """'exports' finds 'export' and 'investing' finds 'investment', in title or body."""
    make_article(title="Export figures", body="The region sold more abroad.")
    make_article(title="Plant news", body="A new investment was announced.")

    assert found("exports") == ["Export figures"]
    assert found("investing") == ["Plant news"]


@pytest.mark.django_db
def test_search_ignores_case(filler):
    """Upper-case queries find lower-case text and vice versa."""
    make_article(title="Vaccine plant", body="the vaccine plant opened")

    assert found("VACCINE") == ["Vaccine plant"]
    assert found("vaccine") == ["Vaccine plant"]


@pytest.mark.django_db
def test_all_words_must_occur(filler):
    """Words are ANDed: an article must contain every one of them."""
    make_article(title="Both", body="The vaccine plant opened.")
    make_article(title="Only vaccine", body="A vaccine was registered.")

    assert found("vaccine plant") == ["Both"]


@pytest.mark.django_db
def test_quoted_phrase_needs_words_in_order(filler):
    """A quoted phrase matches the words next to each other, not scattered."""
    make_article(title="Adjacent", body="They started clinical trials in May.")
    make_article(title="Scattered", body="The trials were not clinical at all.")

    assert found('"clinical trials"') == ["Adjacent"]
    assert sorted(found("clinical trials")) == ["Adjacent", "Scattered"]


@pytest.mark.django_db
def test_or_between_words_finds_either(filler):
    """'a or b' finds articles with either word."""
    make_article(title="Vaccines", body="A vaccine was registered.")
    make_article(title="Insulin", body="Insulin production grew.")
    make_article(title="Neither", body="Tablets were packed.")

    assert sorted(found("vaccine or insulin")) == ["Insulin", "Vaccines"]
    assert sorted(found("vaccine OR insulin")) == ["Insulin", "Vaccines"]


@pytest.mark.django_db
def test_or_binds_looser_than_and(filler):
    """'a b or c' means (a and b) or c, as PostgreSQL's websearch syntax defines."""
    make_article(title="A and B", body="vaccine plant")
    make_article(title="Only A", body="vaccine")
    make_article(title="Only C", body="insulin")

    assert sorted(found("vaccine plant or insulin")) == ["A and B", "Only C"]


@pytest.mark.django_db
def test_minus_excludes_a_word(filler):
    """'-word' drops the articles that contain it."""
    make_article(title="Vaccine plant", body="The plant makes vaccines.")
    make_article(title="Insulin plant", body="The plant makes insulin.")

    assert found("plant -insulin") == ["Vaccine plant"]
    assert found('plant -"makes insulin"') == ["Vaccine plant"]


@pytest.mark.django_db
def test_stop_words_are_ignored(filler):
    """Like PostgreSQL's English search, words such as 'the' neither match nor restrict;
    a quoted phrase still needs its words in order."""
    make_article(title="Vaccine plant", body="The plant of the year makes vaccines.")
    make_article(title="Tablets", body="The tablets were packed.")

    assert found("the vaccine") == ["Vaccine plant"]
    assert found("the or vaccine") == ["Vaccine plant"]
    assert found("the") == []
    assert found('"plant of the year"') == ["Vaccine plant"]


@pytest.mark.django_db
def test_words_inside_other_words_do_not_match(filler):
    """Search matches whole words, not substrings (it is not icontains)."""
    make_article(title="Cartography", body="Maps of the region.")

    assert found("art") == []


# ---------------------------------------------------------------------------
# Ranking
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_title_matches_rank_above_body_matches(filler):
    """An article naming the term in its title comes before ones that only mention it."""
    make_article(title="Quarterly review", body="Biosimilar output grew; biosimilar sales too.")
    make_article(title="Biosimilar launch", body="The company announced a new product.")
    make_article(title="Annual review", body="One biosimilar was registered.")

    results = list(Article.objects.search("biosimilar"))

    assert results[0].title == "Biosimilar launch"
    ranks = [article.search_rank for article in results]
    assert all(isinstance(rank, float) for rank in ranks)
    assert ranks == sorted(ranks, reverse=True)
    assert ranks[0] > ranks[1]


@pytest.mark.django_db
def test_title_matches_rank_above_body_matches_for_several_words(filler):
    """With two words, the article naming both in its title still comes first."""
    make_article(
        title="Monthly digest",
        body="The vaccine plant grew. A vaccine plant tour. Vaccine plant staff were hired.",
    )
    make_article(title="Vaccine plant opens", body="Production starts next month.")

    assert found("vaccine plant") == ["Vaccine plant opens", "Monthly digest"]


@pytest.mark.django_db
def test_more_occurrences_rank_higher(filler):
    """Among body matches, the article that is more about the term ranks first."""
    make_article(title="Passing", body="Tablets, capsules, and one ampoule were packed today.")
    make_article(
        title="Focused", body="Ampoule line: each ampoule is filled, every ampoule sealed."
    )

    assert found("ampoule") == ["Focused", "Passing"]


# ---------------------------------------------------------------------------
# Headlines
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_headline_marks_matches_and_escapes_article_html(filler):
    """The snippet is safe HTML: matches in <mark>, everything from the article escaped."""
    make_article(
        title="Exports & <b>imports</b>",
        body='Exports rose by 5% & more. <script>alert("exports")</script> 3 < 4 > 2.',
    )

    (article,) = Article.objects.search("exports")

    headline = article.search_headline
    assert isinstance(headline, SafeString)
    assert "<mark>Exports</mark>" in headline
    assert "&amp;" in headline
    assert "<script" not in headline
    # Once the <mark> tags are gone no markup is left, only escaped text.
    assert "<" not in without_marks(headline)
    assert ">" not in without_marks(headline)
    title = article.search_title_headline
    assert isinstance(title, SafeString)
    assert title == "<mark>Exports</mark> &amp; &lt;b&gt;imports&lt;/b&gt;"


@pytest.mark.django_db
def test_marker_characters_in_an_article_cannot_unbalance_the_marks(filler):
    """Control characters the databases use as match markers, if present in an
    article, still give well-formed HTML: every <mark> is closed, none is stray."""
    make_article(title="Stray \x03markers\x02", body="Odd \x03 bytes \x02 before the vaccine text.")

    (article,) = Article.objects.search("vaccine")

    for html in (article.search_headline, article.search_title_headline):
        assert re.fullmatch(r"([^<>]*<mark>[^<>]*</mark>)*[^<>]*", html), html
    assert "<mark>vaccine</mark>" in article.search_headline


def test_marked_html_escapes_text_and_pairs_markers():
    """Text is escaped and loses control characters; markers become <mark>/</mark>,
    stray ones are dropped or closed."""
    start, stop = MARK_START, MARK_STOP

    assert marked_html(f"<b>{start}x{stop}{stop} & \x02{start}y") == (
        "&lt;b&gt;<mark>x</mark> &amp; <mark>y</mark>"
    )
    assert marked_html(f'"quoted" {start}{start}a{stop}') == "&quot;quoted&quot; <mark>a</mark>"


@pytest.mark.django_db
def test_headline_is_a_short_passage_around_the_match(filler):
    """A long body gives a snippet of a few dozen words containing the match."""
    body = " ".join(["Routine text about nothing in particular."] * 60)
    body += " Here the pharmacy chain expanded. " + body
    make_article(title="Long", body=body)

    (article,) = Article.objects.search("pharmacy")

    assert "<mark>pharmacy</mark>" in article.search_headline
    assert len(without_marks(article.search_headline).split()) < 80


@pytest.mark.django_db
def test_headline_of_a_title_only_match_shows_the_start_of_the_body(filler):
    """When only the title matches, the snippet still shows body text (unmarked)."""
    make_article(title="Biotech park", body="Construction started on the site in spring.")

    (article,) = Article.objects.search("biotech")

    assert "Construction started" in article.search_headline
    assert "<mark>" not in article.search_headline
    assert article.search_title_headline == "<mark>Biotech</mark> park"


# ---------------------------------------------------------------------------
# Hostile and empty input
# ---------------------------------------------------------------------------

HOSTILE_QUERIES = [
    '"',
    '"vaccine',
    'vaccine"',
    '""""',
    '"vaccine" "',
    "vaccine AND plant",
    "vaccine NOT plant",
    "vaccine NEAR plant",
    "NEAR(vaccine plant, 2)",
    "vaccine + plant",
    "vaccine*",
    "* vaccine",
    "(vaccine",
    "vaccine)",
    "title:vaccine",
    "body : vaccine",
    "^vaccine",
    "vaccine ^ plant",
    "- - vaccine",
    "--vaccine",
    "vaccine -",
    "vaccine or",
    "or vaccine",
    "or or or",
    "vaccine & plant | !insulin <-> x:*",
    "'; DROP TABLE articles_article; --",
    "vaccine' OR '1'='1",
    "%_%",
    "\\",
    '\\"vaccine\\"',
    "vaccine\x00plant",
    "\x02vaccine\x03",
    "💊 vaccine 🧪",
    "💊🧪",
    "вакцина завод",
    "Калуга",
    "Ça été très élevé",
    "\ud800 lone surrogate",
    "a" * 5000,
    " ".join(["vaccine"] * 2000),
    "".join(random.Random(5000).choice('abc "-()*:^+~,.;!?') for _ in range(5000)),
    "\u200b\u200d\ufeff",
    "0",
    "1.5 million",
    "3%",
]


@pytest.mark.django_db
@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_never_raise(filler, query):
    """Quotes, operators, SQL, emoji, Cyrillic, control characters, 5,000 characters of
    junk: the search returns a (possibly empty) result and can be counted and paged."""
    make_article(title="Vaccine plant", body="The vaccine plant near Kaluga opened.")

    queryset = Article.objects.search(query)

    assert isinstance(list(queryset), list)
    assert queryset.count() == len(list(queryset))
    assert isinstance(list(queryset.published()[:5]), list)


@pytest.mark.django_db
def test_random_queries_never_raise(filler):
    """Hundreds of random strings from an operator-heavy alphabet all search cleanly."""
    make_article(title="Vaccine plant", body="The vaccine plant opened; clinical trials began.")
    alphabet = "vacine plt \"-()*:^+~,.;!?&|<>{}[]ORNDTAE \t\n'\\💊ё"
    rng = random.Random(20260101)
    for _ in range(300):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        assert isinstance(list(Article.objects.search(query)), list), query


@pytest.mark.django_db
def test_operators_are_taken_as_words(filler):
    """Query-language operators of the engines are plain words, not syntax."""
    make_article(title="Near the river", body="A plant was built near the river.")

    assert found("NEAR river") == ["Near the river"]
    assert found("river*") == ["Near the river"]


@pytest.mark.django_db
def test_cyrillic_words_are_searchable(filler):
    """Non-Latin words match as whole words too."""
    make_article(title="Калуга", body="Фармацевтический кластер Калуги.")

    assert found("кластер") == ["Калуга"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["", "   ", "!!!", "💊", '""', "-vaccine", "or", "the", "don't", None, 42]
)
def test_queries_without_words_return_nothing_without_touching_the_database(filler, query):
    """A blank or term-less query (or only exclusions) gives an empty result, no SQL."""
    make_article(title="Vaccine plant", body="The vaccine plant opened.")

    queryset = Article.objects.search(query)

    with CaptureQueriesContext(connection) as queries:
        assert list(queryset) == []
        assert queryset.count() == 0
    assert len(queries) == 0


# ---------------------------------------------------------------------------
# Chaining and query shape
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_chains_with_published_filter_count_and_slicing(filler):
    """.published(), .filter(), .count() and slicing work after search, in rank order."""
    make_article(title="Insulin plant", body="Insulin, insulin and more insulin.")
    make_article(title="Insulin hidden", body="Insulin.", status=Article.Status.HIDDEN)
    make_article(title="Tablets", body="One mention of insulin.")

    published = Article.objects.search("insulin").published()

    assert [a.title for a in published] == ["Insulin plant", "Tablets"]
    assert published.count() == 2
    assert [a.title for a in published[1:2]] == ["Tablets"]
    assert published.filter(title__startswith="Tab").count() == 1
    assert found("insulin", Article.objects.published()) == ["Insulin plant", "Tablets"]


@pytest.mark.django_db
def test_count_does_not_compute_headlines(filler):
    """Counting (as pagination does) runs one query without snippet functions."""
    make_article(title="Insulin plant", body="Insulin production grew.")

    with CaptureQueriesContext(connection) as queries:
        assert Article.objects.search("insulin").published().count() == 1

    assert len(queries) == 1
    sql = queries[0]["sql"].lower()
    assert "headline" not in sql
    assert "snippet" not in sql
    assert "highlight" not in sql


@pytest.mark.django_db
def test_sqlite_runs_the_full_text_match_once_even_with_indexed_filters(filler):
    """With .published() (an indexed column) SQLite still scans the FTS index first and
    fetches articles by key, instead of re-running the MATCH for every published article."""
    if connection.vendor != "sqlite":
        pytest.skip("Query plan of the SQLite FTS5 join.")
    make_article(title="Insulin plant", body="Insulin production grew.")
    queryset = Article.objects.search("insulin").published()
    with CaptureQueriesContext(connection) as queries:
        queryset.count()
        list(queryset[:20])

    for query in queries:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
            steps = [row[3] for row in cursor.fetchall()]
        assert steps[0].startswith("SCAN articles_article_fts VIRTUAL TABLE"), steps
        assert "SEARCH articles_article USING INTEGER PRIMARY KEY" in steps[1], steps


@pytest.mark.django_db
def test_search_can_be_used_as_a_subquery(filler):
    """A search works inside another query (its table alias gets renamed there)."""
    make_article(title="Vaccine plant", body="The vaccine plant opened.")
    make_article(title="Insulin plant", body="The insulin plant opened.")

    ids = Article.objects.search("vaccine").values("id")

    assert [a.title for a in Article.objects.filter(id__in=ids)] == ["Vaccine plant"]


# ---------------------------------------------------------------------------
# The index follows every kind of write
# ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_index_follows_create(filler):
    """A newly created article is found at once."""
    make_article(title="Fresh", body="A freshly registered antibiotic.")

    assert found("antibiotic") == ["Fresh"]


@pytest.mark.django_db
def test_index_follows_bulk_create(filler):
    """Articles inserted with bulk_create (as the importer does) are found."""
    Article.objects.bulk_create(
        [
            Article(
                title=f"Bulk {n}",
                slug=f"bulk-{n}",
                source_file=f"bulk-{n}.txt",
                body="A vaccine batch." if n % 2 else "A tablet batch.",
                content_hash=f"{n:064d}",
            )
            for n in range(6)
        ]
    )

    assert sorted(found("vaccine")) == ["Bulk 1", "Bulk 3", "Bulk 5"]


@pytest.mark.django_db
def test_index_follows_save_of_changed_title_and_body(filler):
    """After editing title and body, new words are found and old ones are not."""
    article = make_article(title="Old headline", body="Old text about tablets.")

    article.title = "Renamed headline"
    article.body = "New text about capsules."
    article.save()

    assert found("renamed") == ["Renamed headline"]
    assert found("capsules") == ["Renamed headline"]
    assert found("tablets") == []
    assert found("old") == []


@pytest.mark.django_db
def test_index_follows_queryset_update(filler):
    """QuerySet.update() of the body (no save()) is reflected in search."""
    make_article(title="Updated", body="Original words.")

    Article.objects.filter(title="Updated").update(body="Replacement about syringes.")

    assert found("syringes") == ["Updated"]
    assert found("original") == []


@pytest.mark.django_db
def test_status_update_keeps_article_indexed(filler):
    """Hiding and republishing an article does not lose it from the index."""
    article = make_article(title="Toggle", body="About syringes.")

    Article.objects.filter(pk=article.pk).update(status=Article.Status.HIDDEN)
    assert found("syringes", Article.objects.published()) == []
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)

    assert found("syringes", Article.objects.published()) == ["Toggle"]


@pytest.mark.django_db
def test_index_follows_delete(filler):
    """Deleted articles (one, or many by queryset) disappear from search."""
    single = make_article(title="Single", body="Antiseptic news.")
    make_article(title="Many 1", body="Antiseptic news.")
    make_article(title="Many 2", body="Antiseptic news.")
    make_article(title="Keeper", body="Antiseptic news.")

    single.delete()
    Article.objects.filter(title__startswith="Many").delete()

    assert found("antiseptic") == ["Keeper"]


@pytest.mark.django_db
def test_sqlite_triggers_are_restored_after_a_table_rebuild(filler):
    """If a migration rebuilt the article table (dropping its triggers), the
    post-migrate repair reinstalls them and indexes what was written meanwhile."""
    if connection.vendor != "sqlite":
        pytest.skip("Only SQLite rebuilds tables to alter them.")
    with connection.cursor() as cursor:
        for name in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER articles_article_fts_{name}")
    make_article(title="Written without triggers", body="Lozenges.")

    repair_sqlite_search_index(using=connection.alias)
    make_article(title="Written after repair", body="Lozenges.")

    assert sorted(found("lozenges")) == ["Written after repair", "Written without triggers"]


def drop_then_repair(index: str) -> None:
    """Drop ``index`` as a table rebuild would, run the post-migrate repair, then ANALYZE
    (as the import does)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {index}")
    repair_sqlite_search_index(using=connection.alias)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def query_plan(queryset) -> str:
    """SQLite's EXPLAIN QUERY PLAN of ``queryset``, its steps in one line."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.django_db
def test_sqlite_search_sorts_hits_from_the_lookup_index_even_after_a_rebuild(filler):
    """A page of results is sorted from the covering index (status and date of each hit),
    not from each article's row; a table rebuild that dropped the index gets it back."""
    if connection.vendor != "sqlite":
        pytest.skip("The lookup index is SQLite's.")
    for number in range(30):
        make_article(title=f"Ampoules {number}", body="Ampoules.", published_on=date(2020, 1, 1))
    drop_then_repair("articles_article_search_lookup")

    page = Article.objects.published().search("ampoules").values_list("pk", "search_rank")[:20]
    plan = query_plan(page)
    assert "COVERING INDEX articles_article_search_lookup" in plan
    assert len(found("ampoules")) == 30


@pytest.mark.django_db
def test_sqlite_lists_read_the_newest_articles_from_an_index_even_after_a_rebuild(filler):
    """The lists and the home page show the newest published articles: SQLite reads them in
    order from an index instead of sorting every published article (150-200 ms at 100,000);
    a table rebuild that dropped the index gets it back."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's newest-first index is its own (migration 0005).")
    for number in range(30):
        make_article(title=f"Plasters {number}", body="Plasters.", published_on=date(2020, 1, 1))
    drop_then_repair("article_newest_first_idx")

    # The model's order: newest first, undated last.
    plan = query_plan(Article.objects.published()[:6])
    assert "INDEX article_newest_first_idx" in plan
    assert "TEMP B-TREE" not in plan


@pytest.mark.django_db
def test_sqlite_lists_keep_reading_the_newest_articles_from_the_index_after_an_import(tmp_path):
    """The import refreshes the planner's statistics. Sampled, they made the status index
    look selective (about 1,000 articles a status, however many there are), and SQLite
    then sorted every published article for each list page instead of reading the
    newest-first index."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's sampled statistics.")
    Article.objects.bulk_create(
        Article(
            title=f"Bandages {number}",
            slug=f"bandages-{number}",
            source_file=f"bandages-{number}.txt",
            body="Bandages.",
            content_hash=f"{number:064d}",
            published_on=date(2020, 1, 1 + number % 28),
        )
        for number in range(3000)
    )
    write_corpus(tmp_path, 2, seed=5)

    call_command("import_seeds", str(tmp_path), "--workers", "0", stdout=io.StringIO())

    assert Article.objects.count() == 3002
    plan = query_plan(Article.objects.published()[:6])
    assert "INDEX article_newest_first_idx" in plan
    assert "TEMP B-TREE" not in plan


# ---------------------------------------------------------------------------
# Query parsing (no database)
# ---------------------------------------------------------------------------


def test_parse_query_renders_safe_websearch_and_fts5():
    """Terms are quoted for both engines; operators become OR / NOT, junk is dropped."""
    parsed = parse_query('clinical "phase two" -placebo OR insulin ( * ^')

    assert parsed.as_websearch() == '"clinical" "phase two" -"placebo" or "insulin"'
    assert parsed.as_fts5() == '(("clinical" AND "phase two") NOT "placebo") OR ("insulin")'


def test_parse_query_keeps_at_most_max_terms():
    """Very long queries are cut to a bounded number of terms."""
    parsed = parse_query(" ".join(f"word{n}" for n in range(500)))

    assert len(parsed.clauses[0].required) == MAX_TERMS


def test_parse_query_strips_quotes_and_control_characters_from_terms():
    """No term can carry a quote or a control character into a query string."""
    parsed = parse_query('ab"cd ef\x00gh "x\x02y')

    terms = [t for c in parsed.clauses for t in c.required]
    assert terms == ["ab", "cd ef gh", "x", "y"]
    assert not any(re.search(r'["\x00-\x1f]', t) for t in terms)
