"""Highlighted snippets: database text with match markers in, safe HTML out.

Both backends wrap matches in :data:`MARK_START` and :data:`MARK_STOP`;
:class:`HighlightedHTMLField` turns them into ``<mark>`` tags as the value is
read, after HTML-escaping everything else.
"""

import html
import re
import secrets

from django.db import models
from django.utils.safestring import SafeString, mark_safe

# Length of the body snippet: words on PostgreSQL, tokens on SQLite.
HEADLINE_WORDS = 32

# The databases wrap matches in these markers; after HTML-escaping the text in
# Python they become <mark> tags, so nothing from the article can ever be taken
# for markup. A random part unknown outside this process keeps text that happens
# to contain similar characters from posing as a marker.
_MARKER_TOKEN = secrets.token_hex(8)
MARK_START = f"\x02{_MARKER_TOKEN}["
MARK_STOP = f"]{_MARKER_TOKEN}\x03"
_MARKS_RE = re.compile(f"({re.escape(MARK_START)}|{re.escape(MARK_STOP)})")
# Control characters have no business in HTML text (tab and newlines aside).
_CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def marked_html(text):
    """HTML-escape ``text`` and turn the database's match markers into ``<mark>`` tags.

    Markers are paired defensively, so the result is always well-formed.
    """
    parts = []
    inside_mark = False
    for piece in _MARKS_RE.split(text):
        if piece == MARK_START:
            if not inside_mark:
                parts.append("<mark>")
                inside_mark = True
        elif piece == MARK_STOP:
            if inside_mark:
                parts.append("</mark>")
                inside_mark = False
        else:
            # The standard library's escape, as Django's ``escape`` calls it,
            # without the lazy-string check around it (a few hundred pieces a
            # page of results).
            parts.append(html.escape(_CONTROL_CHARS_RE.sub("", piece)))
    if inside_mark:
        parts.append("</mark>")
    # Safe: every piece of article text was escaped above.
    return mark_safe("".join(parts))


class HighlightedHTMLField(models.TextField):
    """Output field of headline annotations: database text in, safe HTML out."""

    def from_db_value(self, value, expression, connection) -> SafeString | None:
        """Convert a marked-up snippet read from the database."""
        return None if value is None else marked_html(value)
