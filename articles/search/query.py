"""Web-search query syntax, parsed once for both backends.

:func:`parse_query` turns what the user typed into a :class:`ParsedQuery`
(alternatives of required and excluded terms) that each backend renders in its
own syntax, so both understand a query the same way and neither ever sees
syntax it could reject. :class:`SearchRankAnnotation` carries the parsed query
along with a queryset's ``search_rank``.
"""

import re
from dataclasses import dataclass

from django.db import models
from django.db.models.expressions import ExpressionWrapper

#: Longer queries are cut: nobody types more, and it bounds the work per query.
MAX_QUERY_LENGTH = 1000
#: Terms beyond this are ignored (FTS5 also limits the depth of an expression).
MAX_TERMS = 32

# A quoted phrase (closing quote optional) or a bare word, either maybe negated.
_QUERY_TOKEN_RE = re.compile(r'(?P<minus>-?)(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
# Runs of letters and digits: the words of a term, as both engines split it.
_WORD_RE = re.compile(r"[^\W_]+")
# PostgreSQL's English stop words (tsearch_data/english.stop). PostgreSQL ignores
# them; the parser drops terms made only of them, so SQLite does the same.
_STOP_WORDS_TEXT = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too
    very s t can will just don should now
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
# Characters no query may carry into SQL: NUL, other controls, lone surrogates.
_UNSAFE_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True)
class Clause:
    """Terms that must all occur (``required``) and terms that must not (``excluded``)."""

    required: tuple[str, ...]
    excluded: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedQuery:
    """A web-search query as alternatives: an article matches if any clause matches."""

    clauses: tuple[Clause, ...]

    def __bool__(self):
        return bool(self.clauses)

    def as_websearch(self):
        """The query in PostgreSQL ``websearch_to_tsquery`` syntax, every term quoted."""
        return " or ".join(
            " ".join([*(f'"{t}"' for t in c.required), *(f'-"{t}"' for t in c.excluded)])
            for c in self.clauses
        )

    def as_fts5(self):
        """The query as an SQLite FTS5 MATCH expression, every term an FTS5 string."""
        alternatives = []
        for clause in self.clauses:
            expression = " AND ".join(f'"{t}"' for t in clause.required)
            for term in clause.excluded:
                expression = f'({expression}) NOT "{term}"'
            alternatives.append(f"({expression})")
        return " OR ".join(alternatives)


def parse_query(query):
    """Parse web-search syntax into clauses of plain terms; never raises.

    A term is a word or a quoted phrase (an unclosed quote runs to the end).
    Terms keep only characters that are safe inside a quoted string of either
    backend; terms without a letter or digit, or with only stop words, are
    dropped, as is every clause without a required term (neither backend can
    search for "everything but").
    """
    if not isinstance(query, str):
        return ParsedQuery(clauses=())
    text = _UNSAFE_CHARS_RE.sub(" ", query[:MAX_QUERY_LENGTH])
    clauses = []
    required, excluded = [], []
    term_count = 0
    for match in _QUERY_TOKEN_RE.finditer(text):
        word = match["word"]
        if word is not None and not match["minus"] and word.lower() == "or":
            clauses.append(Clause(tuple(required), tuple(excluded)))
            required, excluded = [], []
            continue
        term = " ".join((match["phrase"] if word is None else word).split())
        words = _WORD_RE.findall(term.lower())
        if all(w in STOP_WORDS for w in words) or term_count >= MAX_TERMS:
            continue
        term_count += 1
        (excluded if match["minus"] else required).append(term)
    clauses.append(Clause(tuple(required), tuple(excluded)))
    return ParsedQuery(clauses=tuple(c for c in clauses if c.required))


class SearchRankAnnotation(ExpressionWrapper):
    """The ``search_rank`` annotation; remembers the query, for :func:`read_search_page`."""

    def __init__(self, expression, parsed):
        super().__init__(expression, output_field=models.FloatField())
        self.parsed = parsed
