"""The result of parsing an article file, and the error for a file that is none."""

import datetime
from dataclasses import dataclass, field


class ArticleParseError(ValueError):
    """The file cannot become an article; the message says why, in one line."""


@dataclass
class ParsedArticle:
    """A clean article: headline, date and publication when stated, body text."""

    title: str
    body: str
    published_on: datetime.date | None = None
    source: str = ""
    # Remarks worth telling the person who runs the import, e.g. a derived title.
    notes: list[str] = field(default_factory=list)
