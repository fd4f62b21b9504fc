"""Full-text search of articles on PostgreSQL and SQLite.

Both databases keep their own index current by themselves, so every way of
writing articles (``save``, ``bulk_create``, ``QuerySet.update``, ``delete``,
raw SQL) keeps search correct:

* PostgreSQL: a ``search_vector`` tsvector column on the article table, filled
  by a ``BEFORE INSERT OR UPDATE`` trigger (title weighted A, body B, config
  ``english``), kept in the row rather than in TOAST, and covered by a GIN
  index. The Django model does not declare the column because SQLite has no
  such type; :class:`StoredSearchVector` refers to it in queries. A trigger
  rather than a generated column so that later migrations may still change the
  type of ``title`` or ``body``.
* SQLite: an FTS5 external-content table ``articles_article_fts`` (porter
  stemming, diacritics folded) over title and body, kept in step by ``AFTER
  INSERT/UPDATE/DELETE`` triggers and joined through the unmanaged model
  :class:`articles.models.ArticleSearchEntry`. Its ``rank`` is bm25 with the
  title weighted above the body.

:func:`install_search_index` holds the DDL of both (migration
``0003_article_search_index`` runs it). Django rebuilds a SQLite table to alter
it, which drops the table's triggers; :func:`repair_sqlite_search_index` runs
after every ``migrate`` and restores them.

Queries use web-search syntax: words are ANDed, ``"a phrase"`` is a phrase,
``or`` separates alternatives (it binds looser than the implicit AND, as in
PostgreSQL's ``websearch_to_tsquery``) and ``-word`` excludes. The query is
parsed once here (:func:`parse_query`) and rendered for each backend, so both
understand it the same way and neither ever sees syntax it could reject.

Modules, one per concern:

* :mod:`~articles.search.query`: the query parser, its limits and stop words;
* :mod:`~articles.search.highlight`: match markers and their safe HTML;
* :mod:`~articles.search.postgres`: the PostgreSQL backend and its DDL;
* :mod:`~articles.search.sqlite`: the SQLite FTS5 backend, its join field and DDL;
* :mod:`~articles.search.results`: searching, ranked results and their pages;
* :mod:`~articles.search.index`: installing, removing and repairing the index.

The names other code uses are importable from this package.
"""

from articles.search.highlight import HighlightedHTMLField, marked_html
from articles.search.index import (
    install_search_index,
    remove_search_index,
    repair_sqlite_search_index,
)
from articles.search.postgres import StoredSearchVector
from articles.search.query import MAX_QUERY_LENGTH, MAX_TERMS, Clause, ParsedQuery, parse_query
from articles.search.results import (
    SearchResultsPaginator,
    is_ranked_search,
    read_search_page,
    search_articles,
)
from articles.search.sqlite import SQLITE_LOOKUP_INDEX_SQL, IndexFirstOneToOneField

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "SQLITE_LOOKUP_INDEX_SQL",
    "Clause",
    "HighlightedHTMLField",
    "IndexFirstOneToOneField",
    "ParsedQuery",
    "SearchResultsPaginator",
    "StoredSearchVector",
    "install_search_index",
    "is_ranked_search",
    "marked_html",
    "parse_query",
    "read_search_page",
    "remove_search_index",
    "repair_sqlite_search_index",
    "search_articles",
]
