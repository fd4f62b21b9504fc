"""The PostgreSQL backend: a trigger-maintained tsvector column with a GIN index.

The article table's ``search_vector`` column (title weighted A, body B, config
``english``) is not a model field, because SQLite has no such type;
:class:`StoredSearchVector` refers to it in queries. :data:`POSTGRES_INSTALL_SQL`
and :data:`POSTGRES_REMOVE_SQL` hold its DDL.
"""

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db.models import F
from django.db.models.expressions import Col, Expression

from articles.search.highlight import (
    HEADLINE_WORDS,
    MARK_START,
    MARK_STOP,
    HighlightedHTMLField,
)
from articles.search.query import SearchRankAnnotation

SEARCH_CONFIG = "english"
# ts_rank weights for D, C, B, A: a title (A) match outweighs several body (B) ones.
POSTGRES_RANK_WEIGHTS = [0.02, 0.05, 0.1, 1.0]


class StoredSearchVector(Expression):
    """The article table's ``search_vector`` column (PostgreSQL only; not a model field)."""

    output_field = SearchVectorField()

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        """Refer to the column through the query's alias of the article table."""
        column = SearchVectorField()
        column.set_attributes_from_name("search_vector")
        column.model = query.model
        return Col(query.get_initial_alias(), column)


class PostgresBackend:
    """Matching, ranking and headlines on PostgreSQL (tsvector column, GIN index)."""

    @staticmethod
    def _query(parsed):
        return SearchQuery(parsed.as_websearch(), search_type="websearch", config=SEARCH_CONFIG)

    @classmethod
    def matching(cls, queryset, parsed, among=None):
        """Articles that match (``among``: ids already known to match, for headlines)."""
        if among is not None:
            return queryset  # ts_headline needs no match in the same query
        return queryset.alias(search_vector=StoredSearchVector()).filter(
            search_vector=cls._query(parsed)
        )

    @classmethod
    def ranked(cls, queryset, parsed):
        rank = SearchRank(F("search_vector"), cls._query(parsed), weights=POSTGRES_RANK_WEIGHTS)
        return queryset.annotate(search_rank=SearchRankAnnotation(rank, parsed))

    @classmethod
    def with_headlines(cls, queryset, parsed):
        query = cls._query(parsed)
        options = {"config": SEARCH_CONFIG, "start_sel": MARK_START, "stop_sel": MARK_STOP}
        return queryset.annotate(
            search_headline=_Headline(
                "body",
                query,
                max_words=HEADLINE_WORDS,
                min_words=HEADLINE_WORDS // 2,
                max_fragments=2,
                fragment_delimiter=" … ",
                **options,
            ),
            search_title_headline=_Headline("title", query, highlight_all=True, **options),
        )


class _Headline(SearchHeadline):
    output_field = HighlightedHTMLField()


# --------------------------------------------------------------------------
# Index DDL
# --------------------------------------------------------------------------

_POSTGRES_VECTOR_SQL = (
    "setweight(to_tsvector('pg_catalog.{config}', coalesce({row}.title, '')), 'A') || "
    "setweight(to_tsvector('pg_catalog.{config}', coalesce({row}.body, '')), 'B')"
)

POSTGRES_INSTALL_SQL = [
    "ALTER TABLE articles_article ADD COLUMN IF NOT EXISTS search_vector tsvector",
    # Keep the vector in the row (compressed) rather than in TOAST: matching and
    # ranking read it for every hit, and TOAST lookups made a search of 100,000
    # articles 2-5 times slower.
    "ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE MAIN",
    f"""
    CREATE OR REPLACE FUNCTION articles_article_search_vector_update() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := {_POSTGRES_VECTOR_SQL.format(config=SEARCH_CONFIG, row="NEW")};
        RETURN NEW;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS articles_article_search_vector_trigger ON articles_article",
    """
    CREATE TRIGGER articles_article_search_vector_trigger
    BEFORE INSERT OR UPDATE OF title, body ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector_update()
    """,
    "UPDATE articles_article SET search_vector = "
    + _POSTGRES_VECTOR_SQL.format(config=SEARCH_CONFIG, row="articles_article"),
    "CREATE INDEX IF NOT EXISTS articles_article_search_vector_idx "
    "ON articles_article USING GIN (search_vector)",
]

POSTGRES_REMOVE_SQL = [
    "DROP TRIGGER IF EXISTS articles_article_search_vector_trigger ON articles_article",
    "DROP FUNCTION IF EXISTS articles_article_search_vector_update()",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector",  # drops the index too
]
