"""The SQLite backend: an FTS5 external-content table kept in step by triggers.

``articles_article_fts`` (porter stemming, diacritics folded) indexes title and
body; the unmanaged model :class:`articles.models.ArticleSearchEntry` joins it
to the article through :class:`IndexFirstOneToOneField`. Its ``rank`` is bm25
with the title weighted above the body. :data:`SQLITE_INSTALL_SQL` and
:data:`SQLITE_REMOVE_SQL` hold its DDL.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import F, Func, Value

from articles.search.highlight import (
    HEADLINE_WORDS,
    MARK_START,
    MARK_STOP,
    HighlightedHTMLField,
)
from articles.search.query import SearchRankAnnotation

# bm25 weights of the FTS5 columns (title, body).
SQLITE_TITLE_WEIGHT = 10.0
SQLITE_BODY_WEIGHT = 1.0


class _Snippet(Func):
    """FTS5 ``snippet()`` of the body: the best-matching passage, matches marked."""

    function = "snippet"
    output_field = HighlightedHTMLField()

    def __init__(self):
        super().__init__(
            F("search_entry__document"),
            Value(1),  # column index of the body
            Value(MARK_START),
            Value(MARK_STOP),
            Value("…"),
            Value(HEADLINE_WORDS),
        )


class _Highlight(Func):
    """FTS5 ``highlight()`` of the title: all of it, matches marked."""

    function = "highlight"
    output_field = HighlightedHTMLField()

    def __init__(self):
        super().__init__(
            F("search_entry__document"),
            Value(0),  # column index of the title
            Value(MARK_START),
            Value(MARK_STOP),
        )


class IndexFirstOneToOneField(models.OneToOneField):
    """One-to-one link from an FTS5 row to its article that SQLite joins index-first.

    A plain ``article.id = fts.rowid`` join lets SQLite's planner, which has no
    table statistics, start from the article table whenever another filter has
    an index (``.published()`` has one) and re-run the full-text MATCH once per
    article: a search of 2,000 articles took 50 ms that way even without hits.
    With ``article.id = +fts.rowid`` (unary ``+``) the rowid cannot serve as a
    lookup into the FTS table, so the MATCH runs once and each hit fetches its
    article by primary key. The join condition therefore comes from
    :meth:`get_extra_restriction` instead of the usual joining columns.
    """

    def get_reverse_joining_fields(self):
        """No plain column equality when joining from the article (see the class)."""
        return ()

    def get_extra_restriction(self, alias, related_alias):
        """The ON clause ``article.pk = +entry.rowid``; ``alias`` is the article's alias."""
        return _IndexFirstJoinCondition(
            article_alias=alias,
            article_column=self.target_field.column,
            entry_alias=related_alias,
            entry_column=self.column,
        )


@dataclass(frozen=True)
class _IndexFirstJoinCondition:
    article_alias: str
    article_column: str
    entry_alias: str
    entry_column: str

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias
        column = connection.ops.quote_name
        return (
            f"{table(self.article_alias)}.{column(self.article_column)} = "
            f"+{table(self.entry_alias)}.{column(self.entry_column)}",
            [],
        )


class SqliteBackend:
    """Matching, ranking and headlines on SQLite (FTS5 table joined by rowid)."""

    @staticmethod
    def matching(queryset, parsed, among=None):
        """Articles that match; ``among`` limits the FTS5 scan to these rowids."""
        queryset = queryset.filter(search_entry__document=parsed.as_fts5())
        if among is not None:
            queryset = queryset.filter(search_entry__article__in=among)
        return queryset

    @staticmethod
    def ranked(queryset, parsed):
        # bm25 is lower for better matches; the contract wants higher-is-better.
        return queryset.annotate(search_rank=SearchRankAnnotation(-F("search_entry__rank"), parsed))

    @staticmethod
    def with_headlines(queryset, parsed):
        """Snippets and highlights: FTS5 needs the MATCH in the same query."""
        return queryset.annotate(search_headline=_Snippet(), search_title_headline=_Highlight())


# --------------------------------------------------------------------------
# Index DDL
# --------------------------------------------------------------------------

SQLITE_TRIGGERS = {
    "articles_article_fts_insert": """
        CREATE TRIGGER IF NOT EXISTS articles_article_fts_insert
        AFTER INSERT ON articles_article BEGIN
            INSERT INTO articles_article_fts (rowid, title, body)
            VALUES (new.id, new.title, new.body);
        END
    """,
    "articles_article_fts_delete": """
        CREATE TRIGGER IF NOT EXISTS articles_article_fts_delete
        AFTER DELETE ON articles_article BEGIN
            INSERT INTO articles_article_fts (articles_article_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
        END
    """,
    "articles_article_fts_update": """
        CREATE TRIGGER IF NOT EXISTS articles_article_fts_update
        AFTER UPDATE OF id, title, body ON articles_article BEGIN
            INSERT INTO articles_article_fts (articles_article_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
            INSERT INTO articles_article_fts (rowid, title, body)
            VALUES (new.id, new.title, new.body);
        END
    """,
}

# Every search hit is checked for its status and sorted by date. Read from the
# article table, that meant a page of the table per hit (the body fills it):
# 140 ms to count 49,000 hits. From this covering index it takes 13 ms.
# (PostgreSQL reads its hits from the table anyway: its search index is there.)
SQLITE_LOOKUP_INDEX = "articles_article_search_lookup"
SQLITE_LOOKUP_INDEX_SQL = (
    f"CREATE INDEX IF NOT EXISTS {SQLITE_LOOKUP_INDEX} "
    "ON articles_article (id, status, published_on)"
)

# Articles newest first, undated last, then by id: the lists' order. SQLite
# sorts DESC with NULLs last by itself (and refuses NULLS LAST in an index),
# so this serves ``published_on DESC NULLS LAST, id DESC``. Without it, SQLite
# found the published articles through the status index and sorted them all:
# the home page's six newest took 150-200 ms at 100,000 articles, 10 ms with
# it. Not led by ``status``: with that first, and before ANALYZE, SQLite drove
# the organisation list's mention counts from this index, one scan of every
# published article per organisation (minutes at 100,000). PostgreSQL's is
# the same index with NULLS LAST (migration 0005).
SQLITE_NEWEST_INDEX = "article_newest_first_idx"
SQLITE_NEWEST_INDEX_SQL = (
    f"CREATE INDEX IF NOT EXISTS {SQLITE_NEWEST_INDEX} "
    "ON articles_article (published_on DESC, id DESC)"
)

#: The article table's indexes Django cannot declare on SQLite, by name: migrations
#: create them and the post-migrate repair restores them after a table rebuild.
SQLITE_TABLE_INDEXES = {
    SQLITE_LOOKUP_INDEX: SQLITE_LOOKUP_INDEX_SQL,
    SQLITE_NEWEST_INDEX: SQLITE_NEWEST_INDEX_SQL,
}

SQLITE_INSTALL_SQL = [
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS articles_article_fts USING fts5(
        title, body,
        content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    "INSERT INTO articles_article_fts (articles_article_fts, rank) "
    f"VALUES ('rank', 'bm25({SQLITE_TITLE_WEIGHT}, {SQLITE_BODY_WEIGHT})')",
    *SQLITE_TRIGGERS.values(),
    SQLITE_LOOKUP_INDEX_SQL,
    # Index the articles that exist already.
    "INSERT INTO articles_article_fts (articles_article_fts) VALUES ('rebuild')",
]

SQLITE_REMOVE_SQL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    f"DROP INDEX IF EXISTS {SQLITE_LOOKUP_INDEX}",
    "DROP TABLE IF EXISTS articles_article_fts",
]
