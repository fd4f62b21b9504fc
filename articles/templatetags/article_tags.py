"""Template tags of the article pages: the body, sentence by sentence and linked; navigation."""

import re
from dataclasses import dataclass

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from entities.extraction.text import split_sentences

register = template.Library()

# Paragraphs are separated by a blank line; a single newline inside one is a line break.
_PARAGRAPH = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")


@dataclass(frozen=True)
class _Link:
    """A stretch of the body that links somewhere."""

    start: int
    end: int
    url: str
    css_class: str
    title: str


def _valid_spans(spans, body_length):
    """Yield the well-formed ``(start, end)`` pairs of a mention's JSON spans.

    Spans are JSON an editor may have typed, so anything that is not a pair of
    ordered offsets inside the body is ignored rather than allowed to break the page.
    """
    for span in spans if isinstance(spans, list) else []:
        if (
            isinstance(span, list | tuple)
            and len(span) == 2
            and all(isinstance(offset, int) and not isinstance(offset, bool) for offset in span)
            and 0 <= span[0] < span[1] <= body_length
        ):
            yield span[0], span[1]


def _links(article) -> list[_Link]:
    """Every mention and metric of the article as links, overlaps resolved.

    When two stretches overlap the one that starts first wins (on a tie, the
    longer one), so the text is never linked twice.
    """
    length = len(article.body)
    candidates = []
    mention_sets = (
        (article.organisation_mentions.all(), "organisation", "mention mention--organisation"),
        (article.person_mentions.all(), "person", "mention mention--person"),
        (article.program_mentions.all(), "program", "mention mention--program"),
    )
    for mentions, attribute, css_class in mention_sets:
        for mention in mentions:
            entity = getattr(mention, attribute)
            for start, end in _valid_spans(mention.spans, length):
                candidates.append(
                    _Link(start, end, entity.get_absolute_url(), css_class, entity.name)
                )
    for metric in article.metrics.all():
        if metric.start is not None and metric.end is not None and metric.end <= length:
            candidates.append(
                _Link(metric.start, metric.end, f"#metric-{metric.pk}", "metric-ref", metric.label)
            )
    candidates.sort(key=lambda link: (link.start, -(link.end - link.start)))
    kept, covered_until = [], 0
    for link in candidates:
        if link.start >= covered_until:
            kept.append(link)
            covered_until = link.end
    return kept


def _render_text(text: str) -> str:
    """Escape plain text; a newline becomes a line break."""
    return "<br>".join(escape(line) for line in text.split("\n"))


def _render_linked(body: str, start: int, end: int, links: list[_Link]) -> str:
    """``body[start:end]`` escaped, with the links that lie wholly inside it."""
    parts, cursor = [], start
    for link in links:
        if link.start < start or link.end > end:
            continue  # a stretch across a sentence or paragraph break is left unlinked
        parts.append(_render_text(body[cursor : link.start]))
        parts.append(
            format_html(
                '<a class="{}" href="{}" title="{}">{}</a>',
                link.css_class,
                link.url,
                link.title,
                mark_safe(_render_text(body[link.start : link.end])),  # escaped by _render_text
            )
        )
        cursor = link.end
    parts.append(_render_text(body[cursor:end]))
    return "".join(parts)


@register.simple_tag
def article_body(article) -> SafeString:
    """The article body as HTML paragraphs of sentences, every mention linked to its page.

    Each sentence is a ``<span class="sentence" id="s-<start>">``, ``start``
    being its offset in the body, so the evidence of a record
    (``entities.evidence``) links to the sentence it quotes. Sentences come
    from the one splitter extraction uses, so the offsets agree.

    Expects the article's mentions (with their entities) and metrics to be
    prefetched. All text is escaped: the body is data, never markup.
    """
    body = article.body
    links = _links(article)
    sentences = split_sentences(body, line_breaks=True)
    paragraphs = []
    next_sentence = 0
    for match in _PARAGRAPH.finditer(body):
        start, end = match.span()
        # Trim the paragraph's surrounding whitespace but keep the offsets true.
        start += len(match.group()) - len(match.group().lstrip())
        end -= len(match.group()) - len(match.group().rstrip())
        if start >= end:
            continue
        # A line break ends a sentence, so every sentence lies inside one paragraph.
        parts, cursor = [], start
        while next_sentence < len(sentences) and sentences[next_sentence].start < end:
            sentence = sentences[next_sentence]
            next_sentence += 1
            if sentence.start < cursor or sentence.end > end:
                continue  # cannot happen with the splitter's rules; never nest markup
            parts.append(_render_linked(body, cursor, sentence.start, links))
            parts.append(
                f'<span class="sentence" id="s-{sentence.start}">'
                f"{_render_linked(body, sentence.start, sentence.end, links)}</span>"
            )
            cursor = sentence.end
        parts.append(_render_linked(body, cursor, end, links))
        paragraphs.append(f"<p>{''.join(parts)}</p>")
    return mark_safe("\n".join(paragraphs))  # every piece was escaped


@register.simple_tag(takes_context=True)
def nav_current(context, url_name: str, *section_url_names: str) -> SafeString:
    """``aria-current`` for a navigation link.

    ``page`` when the current page is ``url_name`` itself, ``true`` when it is
    one of ``section_url_names`` (a page inside that section), else nothing.
    """
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:
        return mark_safe("")
    if match.view_name == url_name:
        return mark_safe(' aria-current="page"')
    if match.view_name in section_url_names:
        return mark_safe(' aria-current="true"')
    return mark_safe("")
