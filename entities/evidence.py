"""Evidence: the sentences of the articles a record comes from, with its words marked.

Every extracted organisation, person, program, position and metric keeps its
provenance (mentions with character offsets, or an article and a quote). This
module turns it into what an editor reads: the sentence, the words to
highlight in it, and a link to the article page at that sentence
(``#s-<start>``, the anchor the article page gives every sentence of its body).

Sentences come from the one sentence splitter (``split_sentences`` on the body
with ``line_breaks=True``, as extraction and the article page split it), so the
offsets here, the mentions' spans and the page's anchors agree.

Reads are bounded: ``evidence_for`` runs a constant number of queries whatever
the number of mentions (one for a named record; at most two for a position or
a metric whose relations are not loaded yet), and loads only the articles it
shows.
"""

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Model
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from entities.extraction.text import Sentence, split_sentences
from entities.models import Metric, NamedEntity, Position, Publication

#: How many sentences a page shows by default.
DEFAULT_LIMIT = 5


@dataclass(frozen=True)
class Evidence:
    """One sentence of an article that vouches for a record.

    ``start``/``end`` are the sentence's offsets in the article body (None for
    a figure stated in the title, whose sentence is the title);
    ``highlights`` are ``(start, end)`` pairs relative to ``sentence``, sorted
    and not overlapping.
    """

    article_id: int
    article_slug: str
    article_title: str
    article_url: str
    sentence: str
    start: int | None
    end: int | None
    highlights: tuple[tuple[int, int], ...] = field(default=())

    @property
    def html(self) -> SafeString:
        """The sentence as safe HTML: highlights in ``<mark>``, everything else escaped."""
        parts = []
        position = 0
        for start, end in self.highlights:
            parts.append(escape(self.sentence[position:start]))
            parts.append(f"<mark>{escape(self.sentence[start:end])}</mark>")
            position = end
        parts.append(escape(self.sentence[position:]))
        # Every piece is escaped above.
        return mark_safe("".join(parts))

    @property
    def in_title(self) -> bool:
        """Whether the sentence is the article's title (a figure stated there)."""
        return self.start is None


def evidence_for(
    record: Model, *, limit: int = DEFAULT_LIMIT, public: bool = False
) -> list[Evidence]:
    """The sentences ``record`` comes from, newest articles first, at most ``limit``.

    ``record`` is an Organisation, Person or Program (each sentence holding one
    of its mentions' spans, several per article when it is named in several
    sentences), a Position (the sentence of its quote, with the person's name
    or aliases and the title marked) or a Metric (the sentence holding its
    figure, or the title for a figure stated there). ``public`` leaves out
    articles hidden from visitors.
    """
    if limit <= 0:
        return []
    if isinstance(record, NamedEntity):
        return _named_evidence(record, limit=limit, public=public)
    if isinstance(record, Position):
        return _position_evidence(record, public=public)[:limit]
    if isinstance(record, Metric):
        return _metric_evidence(record, public=public)[:limit]
    raise TypeError(f"No evidence for a {type(record).__name__}")


def evidence_count(record: Model, *, public: bool = False) -> int:
    """How many articles give evidence of ``record`` (one query for a named record).

    ``evidence_for`` shows at least one sentence from each article it shows,
    so a page can say "5 sentences from 3 of 37 articles".
    """
    if isinstance(record, NamedEntity):
        return _mentions(record, public=public).count()
    if isinstance(record, Position | Metric):
        if record.article_id is None:
            return 0
        if public and record.article.status != Publication.PUBLISHED:
            return 0
        return 1
    raise TypeError(f"No evidence for a {type(record).__name__}")


# Named records: their mentions.


def _mentions(record: NamedEntity, *, public: bool):
    mentions = record.mentions.all()
    if public:
        mentions = mentions.filter(article__status=Publication.PUBLISHED)
    return mentions


def _named_evidence(record: NamedEntity, *, limit: int, public: bool) -> list[Evidence]:
    # Each mention gives at least one sentence, so ``limit`` mentions are enough.
    mentions = (
        _mentions(record, public=public)
        .select_related("article")
        .order_by(F("article__published_on").desc(nulls_last=True), "-article_id")[:limit]
    )
    names = _names(record)
    evidence: list[Evidence] = []
    for mention in mentions:
        article = mention.article
        sentences = split_sentences(article.body, line_breaks=True)
        spans = _valid_spans(mention.spans, len(article.body))
        if spans:
            evidence.extend(_sentences_with_spans(article, sentences, spans))
        elif mention.quote:
            evidence.append(_quoted(article, sentences, mention.quote, names))
        if len(evidence) >= limit:
            break
    return evidence[:limit]


def _valid_spans(spans, length: int) -> list[tuple[int, int]]:
    """The well-formed ``[start, end]`` pairs inside the body, sorted (an editor may err)."""
    valid = []
    for span in spans or ():
        try:
            start, end = (int(value) for value in span)
        except (TypeError, ValueError):
            continue
        if 0 <= start < end <= length:
            valid.append((start, end))
    return sorted(valid)


def _sentences_with_spans(article, sentences: list[Sentence], spans) -> list[Evidence]:
    """One Evidence per sentence holding a span, in the order of the body."""
    starts = [sentence.start for sentence in sentences]
    by_sentence: dict[int, list[tuple[int, int]]] = {}
    for start, end in spans:
        index = bisect_right(starts, start) - 1
        if index < 0 or start >= sentences[index].end:
            continue  # in the blank between sentences: nothing to show
        sentence = sentences[index]
        by_sentence.setdefault(index, []).append(
            (start - sentence.start, min(end, sentence.end) - sentence.start)
        )
    return [
        _evidence(article, sentences[index], highlights)
        for index, highlights in sorted(by_sentence.items())
    ]


# Positions and metrics: an article and a quote (and a metric's offsets).


def _position_evidence(position: Position, *, public: bool) -> list[Evidence]:
    article = _article(position, public=public)
    if article is None or not position.quote:
        return []
    person = position.person
    names = [*_names(person), position.title]
    sentences = split_sentences(article.body, line_breaks=True)
    return [_quoted(article, sentences, position.quote, names)]


def _metric_evidence(metric: Metric, *, public: bool) -> list[Evidence]:
    article = _article(metric, public=public)
    if article is None:
        return []
    body = article.body
    if metric.start is not None and metric.end is not None and metric.end <= len(body):
        sentences = split_sentences(body, line_breaks=True)
        found = _sentences_with_spans(article, sentences, [(metric.start, metric.end)])
        if found:
            return found[:1]
    if metric.start is None:
        title = article.title
        return [
            Evidence(
                article_id=article.pk,
                article_slug=article.slug,
                article_title=title,
                article_url=article.get_absolute_url(),
                sentence=title,
                start=None,
                end=None,
                highlights=_find_all(title, [metric.raw_text]),
            )
        ]
    # Offsets past an edited body: show the quote where it still stands.
    sentences = split_sentences(body, line_breaks=True)
    return [_quoted(article, sentences, metric.quote or metric.raw_text, [metric.raw_text])]


def _article(record: Position | Metric, *, public: bool):
    if record.article_id is None:
        return None
    article = record.article
    if public and article.status != Publication.PUBLISHED:
        return None
    return article


# Building the evidence.


def _quoted(article, sentences: list[Sentence], quote: str, names: Iterable[str]) -> Evidence:
    """The sentence(s) of the body holding ``quote``, with ``names`` marked.

    A quote the body no longer holds (an editor changed one of them) is shown
    as it is, linked to the article without an anchor.
    """
    quote = quote.strip()
    at = article.body.find(quote) if quote else -1
    if at < 0:
        return Evidence(
            article_id=article.pk,
            article_slug=article.slug,
            article_title=article.title,
            article_url=article.get_absolute_url(),
            sentence=quote,
            start=None,
            end=None,
            highlights=_find_all(quote, names),
        )
    covering = [s for s in sentences if s.start < at + len(quote) and s.end > at]
    if not covering:
        covering = [Sentence(at, at + len(quote), quote)]
    start, end = covering[0].start, covering[-1].end
    sentence = Sentence(start, end, article.body[start:end])
    return _evidence(article, sentence, _find_all(sentence.text, names))


def _evidence(article, sentence: Sentence, highlights) -> Evidence:
    return Evidence(
        article_id=article.pk,
        article_slug=article.slug,
        article_title=article.title,
        article_url=f"{article.get_absolute_url()}#s-{sentence.start}",
        sentence=sentence.text,
        start=sentence.start,
        end=sentence.end,
        highlights=_merged(highlights),
    )


def _names(record: NamedEntity) -> list[str]:
    return [record.name, *(alias for alias in record.aliases or () if isinstance(alias, str))]


def _find_all(text: str, phrases: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """Where any of ``phrases`` stands in ``text`` as whole words, ignoring case."""
    found = []
    for phrase in phrases:
        phrase = phrase.strip()
        if not phrase:
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE)
        found.extend(match.span() for match in pattern.finditer(text))
    return _merged(found)


def _merged(ranges) -> tuple[tuple[int, int], ...]:
    """Sorted ranges with overlapping or touching ones joined, empty ones dropped."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)
