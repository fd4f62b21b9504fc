"""Articles whose titles hold words as they are being typed: the search box's suggestions.

The same full-text index as the search, limited to titles: FTS5's column
filter on SQLite (``title : (...)``), the title's weight ``A`` in the
PostgreSQL tsvector (``word:A``). The last word of each alternative is a
prefix ("vacc" finds "Vaccine plant opens"), as it is still being typed.
Words are letters and digits only, so no query syntax ever reaches the index.
"""

import re
from collections.abc import Sequence

from django.contrib.postgres.search import SearchQuery
from django.db import connections

from articles.search.postgres import SEARCH_CONFIG, StoredSearchVector

#: Words of an alternative that count (a longer text is cut).
MAX_WORDS = 8
_WORD = re.compile(r"[^\W_]+")


def title_words(text: str) -> list[str]:
    """The casefolded words of ``text`` that a title search uses (at most :data:`MAX_WORDS`)."""
    return [word.casefold() for word in _WORD.findall(text)][:MAX_WORDS]


def match_titles(queryset, alternatives: Sequence[Sequence[str]]):
    """Articles of ``queryset`` whose title has every word of any of ``alternatives``.

    Each alternative is a list of words (:func:`title_words`); its last word
    matches as a prefix. No alternative with words: no articles.
    """
    alternatives = [words for words in alternatives if words]
    if not alternatives:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        query = " | ".join(_tsquery(words) for words in alternatives)
        return queryset.alias(search_vector=StoredSearchVector()).filter(
            search_vector=SearchQuery(query, search_type="raw", config=SEARCH_CONFIG)
        )
    query = " OR ".join(_fts5_query(words) for words in alternatives)
    return queryset.filter(search_entry__document=f"title : ({query})")


def _tsquery(words: Sequence[str]) -> str:
    """``(plant:A & vacc:*A)``: every word in the title (weight A), the last as a prefix."""
    last = len(words) - 1
    terms = (f"{w}:{'*' if i == last else ''}A" for i, w in enumerate(words))
    return "(" + " & ".join(terms) + ")"


def _fts5_query(words: Sequence[str]) -> str:
    """``("plant" AND "vacc"*)``: every word, the last as a prefix (for a column filter)."""
    last = len(words) - 1
    terms = (f'"{w}"' + ("*" if i == last else "") for i, w in enumerate(words))
    return "(" + " AND ".join(terms) + ")"
