"""Dossiers: what the knowledge base states about one record, every fact with its citation.

A dossier lists an organisation's, person's or program's name, aliases, kind
and description, its positions, its figures (metrics) and the articles that
mention it. Each fact an article states carries a citation: the article's
title, date and source, the sentence (the quote) and an absolute link to that
sentence on the article page (``/articles/<slug>/#s-<offset>``). The
sentences come from :mod:`entities.evidence`, the one place that finds them,
so a dossier quotes exactly what an editor's evidence panel shows.

Visitors' rules hold: a rejected record has no dossier, rejected positions and
metrics and everything only hidden articles state are left out, and a
metric's rank (preferred where editors chose among differing sources, normal
otherwise) is given.

Reads are bounded: five queries whatever the number of facts (the record, its
articles, its mentions' sentences, its positions, its metrics). The articles
are all listed; the sentences quoted for them come from the newest
:data:`MENTION_SENTENCE_LIMIT` sentences (each article's body is read to
find them), and an older article is cited by its page as a whole.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import F

from entities.charts import format_amount
from entities.evidence import Evidence, evidence_for
from entities.linked_data import Links
from entities.models import Metric, NamedEntity, Organisation, Person, Position, Program
from kaluga_cluster.renderers import csv_cell

#: How many sentences of the record's mentions a dossier quotes at most (newest
#: articles first). Each article costs the split of its body: the 506 sentences
#: of an organisation named in 239 generated articles (1.7 kB each) took 0.1 to
#: 0.2 s, its whole dossier 0.3 s as JSON, 0.6 s as the page (SQLite).
MENTION_SENTENCE_LIMIT = 1000

#: The columns of a dossier's CSV: the fact, then its citation.
CSV_COLUMNS = (
    "fact",
    "value",
    "rank",
    "article_title",
    "published_on",
    "source",
    "quote",
    "url",
)


@dataclass(frozen=True)
class Citation:
    """Where a fact is stated: an article and the sentence, with an absolute link to it.

    ``quote`` is empty and ``url`` the article's page (no sentence anchor) when
    the fact is the article as a whole (an older article the dossier does not
    quote) or its sentence cannot be found any more.
    """

    article_title: str
    published_on: date | None
    source: str
    quote: str
    url: str

    def as_dict(self) -> dict:
        """The citation as JSON values (the date in ISO 8601)."""
        return {
            "article_title": self.article_title,
            "published_on": self.published_on and self.published_on.isoformat(),
            "source": self.source,
            "quote": self.quote,
            "url": self.url,
        }


@dataclass(frozen=True)
class Fact:
    """One statement of the dossier and its citation, if an article states it.

    ``fact`` says what it is (name, alias, kind, description, position,
    metric, mention), ``value`` is how a reader writes it, ``details`` the same
    as structured values for programs that read the JSON, ``rank`` a metric's.
    """

    fact: str
    value: str
    citation: Citation | None = None
    rank: str = ""
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The fact as JSON values."""
        return {
            "fact": self.fact,
            "value": self.value,
            "rank": self.rank or None,
            "details": self.details,
            "citation": self.citation and self.citation.as_dict(),
        }


@dataclass(frozen=True)
class Dossier:
    """Every fact about one record, in reading order: who or what it is, then what articles
    state (positions, figures), then the articles that mention it."""

    record: NamedEntity
    kind: str
    url: str
    api_url: str | None
    facts: tuple[Fact, ...]

    @property
    def citations(self) -> list[Citation]:
        """The distinct citations of the facts, in the order they are first given."""
        seen = {}
        for fact in self.facts:
            if fact.citation is not None:
                seen.setdefault(fact.citation, None)
        return list(seen)

    def group(self, *names: str) -> list[Fact]:
        """The facts of the given kinds (``group("name", "alias")``), in order."""
        return [fact for fact in self.facts if fact.fact in names]

    @property
    def identity(self) -> list[Fact]:
        """Who or what the record is: name, aliases, kind, description."""
        return self.group("name", "alias", "kind", "description")

    @property
    def positions(self) -> list[Fact]:
        """A person's positions, or the positions held at an organisation."""
        return self.group("position")

    @property
    def metrics(self) -> list[Fact]:
        """The figures about an organisation or program."""
        return self.group("metric")

    @property
    def mentions(self) -> list[Fact]:
        """The published articles that mention the record, newest first."""
        return self.group("mention")

    def as_dict(self) -> dict:
        """The dossier as a JSON document: the record, then its facts."""
        return {
            "record": {
                "type": self.kind,
                "id": self.record.pk,
                "slug": self.record.slug,
                "name": self.record.name,
                "url": self.url,
                "api_url": self.api_url,
            },
            "facts": [fact.as_dict() for fact in self.facts],
        }

    def csv(self) -> str:
        """The dossier as CSV: a header row, then one row per fact with its citation.

        Safe to open in a spreadsheet: a cell that would run as a formula
        (starting with = + - @, a tab or a carriage return) starts with an
        apostrophe, as OWASP advises, so it shows as typed.
        """
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for fact in self.facts:
            cited = fact.citation.as_dict() if fact.citation else {}
            row = [
                fact.fact,
                fact.value,
                fact.rank,
                *(cited.get(column) for column in CSV_COLUMNS[3:]),
            ]
            writer.writerow([csv_cell(cell) for cell in row])
        return buffer.getvalue()


def build_dossier(record: NamedEntity, *, links: Links) -> Dossier:
    """The dossier of a visible organisation, person or program (four queries besides the record).

    ``links`` makes the addresses absolute for the client that asked.
    """
    articles = {
        article.pk: article
        for article in record.articles.published().only(
            "pk", "slug", "title", "published_on", "source"
        )
    }
    sentences = evidence_for(record, limit=MENTION_SENTENCE_LIMIT, public=True)
    facts = [
        *_identity_facts(record, sentences, articles, links),
        *_position_facts(record, links),
        *_metric_facts(record, links),
        *_mention_facts(sentences, articles, links),
    ]
    return Dossier(
        record=record,
        kind=record._meta.model_name,
        url=links.page(record),
        api_url=links.api(record),
        facts=tuple(facts),
    )


def _identity_facts(record, sentences, articles, links) -> list[Fact]:
    """Name and aliases (each cited by the newest sentence that writes it), kind, description.

    A name no quoted sentence writes as it is (an editor's spelling, "A.E. Shadrin" where
    the article wrote "A.E.Shadrin") is cited by the newest sentence naming the record.
    """
    name_citation = _citation_writing(record.name, sentences, articles, links)
    if name_citation is None and sentences:
        name_citation = _citation(sentences[0], articles.get(sentences[0].article_id), links)
    facts = [Fact("name", record.name, name_citation)]
    for alias in record.aliases or ():
        if isinstance(alias, str) and alias:
            facts.append(Fact("alias", alias, _citation_writing(alias, sentences, articles, links)))
    if isinstance(record, Organisation | Program):
        # Classified by the extractor or an editor: no one sentence states it.
        facts.append(Fact("kind", record.get_kind_display(), details={"kind": record.kind}))
        if record.description:
            facts.append(Fact("description", record.description))
    return facts


def _citation_writing(spelling: str, sentences: list[Evidence], articles, links) -> Citation | None:
    """The citation of the newest quoted sentence that writes ``spelling`` (any case)."""
    pattern = re.compile(rf"(?<!\w){re.escape(spelling.strip())}(?!\w)", re.IGNORECASE)
    for evidence in sentences:
        if pattern.search(evidence.sentence):
            return _citation(evidence, articles.get(evidence.article_id), links)
    return None


def _position_facts(record, links) -> list[Fact]:
    """A person's positions, or the people holding positions at an organisation."""
    if isinstance(record, Person):
        positions = Position.objects.visible().filter(person=record)
    elif isinstance(record, Organisation):
        positions = Position.objects.visible().filter(organisation=record)
    else:
        return []
    facts = []
    for position in positions.select_related("person", "organisation", "article"):
        organisation, person = position.organisation, position.person
        if isinstance(record, Person):
            value = f"{position.title}, {organisation.name}" if organisation else position.title
        else:
            value = f"{person.name}, {position.title}"
        details = {
            "title": position.title,
            "person": _brief(person, links),
            "organisation": organisation and _brief(organisation, links),
        }
        facts.append(Fact("position", value, _record_citation(position, links), details=details))
    return facts


def _metric_facts(record, links) -> list[Fact]:
    """The figures about an organisation or program, newest year first, preferred values first."""
    if not isinstance(record, Organisation | Program):
        return []
    metrics = (
        record.metrics.visible()
        .select_related("article")
        .order_by(F("year").desc(nulls_last=True), "-rank", "pk")
    )
    return [
        Fact(
            "metric",
            _metric_value(metric),
            _record_citation(metric, links),
            rank=metric.rank,
            details={
                "label": metric.label,
                "value": _number(metric.value),
                "unit": metric.unit,
                "qualifier": metric.qualifier,
                "year": metric.year,
                "period": metric.period,
                "raw_text": metric.raw_text,
            },
        )
        for metric in metrics
    ]


def _metric_value(metric: Metric) -> str:
    """A figure as a reader writes it: "investment: over RUB 93.3 million (2014)"."""
    amount = format_amount(metric.value, metric.unit)
    if metric.qualifier != Metric.Qualifier.EXACTLY:
        amount = f"{metric.get_qualifier_display()} {amount}"
    when = metric.year or metric.period
    return f"{metric.label}: {amount}" + (f" ({when})" if when else "")


def _number(value: Decimal) -> int | float:
    """A metric's value as a JSON number (the API writes numbers too)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _mention_facts(sentences: list[Evidence], articles: dict, links) -> list[Fact]:
    """One fact per published article that mentions the record, newest first.

    Cited by the first sentence of the article that names the record, or by
    the article's page when the dossier quotes none of it.
    """
    first_sentence = {}
    for evidence in sentences:
        first_sentence.setdefault(evidence.article_id, evidence)
    facts = []
    for article in articles.values():
        evidence = first_sentence.get(article.pk)
        if evidence is not None:
            citation = _citation(evidence, article, links)
        else:
            citation = Citation(
                article_title=article.title,
                published_on=article.published_on,
                source=article.source,
                quote="",
                url=links.page(article),
            )
        details = {"article": {"id": article.pk, "slug": article.slug, "url": links.page(article)}}
        facts.append(Fact("mention", article.title, citation, details=details))
    return facts


def _record_citation(record: Position | Metric, links) -> Citation | None:
    """The citation of a position or metric: its article's sentence, if it has an article."""
    found = evidence_for(record, limit=1, public=True)
    if not found:
        return None
    return _citation(found[0], record.article, links)


def _citation(evidence: Evidence, article, links) -> Citation:
    """A citation of an evidence sentence, with its article's date and source."""
    return Citation(
        article_title=evidence.article_title,
        published_on=article.published_on if article is not None else None,
        source=article.source if article is not None else "",
        quote=evidence.sentence,
        url=links.absolute(evidence.article_url),
    )


def _brief(record, links) -> dict:
    """A named record in brief: its name and page address."""
    return {"name": record.name, "url": links.page(record)}
