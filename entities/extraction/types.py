"""What extraction finds in one article: plain data, no ORM.

These dataclasses are the contract between the pure extractor
``entities.extraction.extract(body, *, title="") -> Extraction`` and the
import service that persists them (lookup in batch, bulk create, editor-safe
updates). Offsets are character offsets into the article *body* passed to
``extract``; facts found only in the title have no offsets (empty ``spans``,
``start``/``end`` None) and the title as their quote.
"""

from dataclasses import dataclass, field
from decimal import Decimal

Span = tuple[int, int]


@dataclass
class OrganisationCandidate:
    """An organisation named in the article."""

    name: str  # best display name seen, e.g. "Association of Innovative Regions of Russia"
    kind: str  # an entities.models.Organisation.Kind value
    aliases: list[str] = field(default_factory=list)  # other forms seen, e.g. "ANBR"
    spans: list[Span] = field(default_factory=list)  # every occurrence, sorted
    quote: str = ""  # the first sentence that names it
    confidence: float = 0.5  # 0-1, set from the evidence by extraction.confidence


@dataclass
class PositionCandidate:
    """A title a person holds, as the article states it."""

    title: str  # e.g. "Executive Director"
    organisation: str | None  # OrganisationCandidate.name of the same extraction, or None
    quote: str = ""


@dataclass
class PersonCandidate:
    """A person named in the article."""

    name: str  # fullest form seen, e.g. "Oleg Varga" rather than "Mr. Varga"
    aliases: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    quote: str = ""
    positions: list[PositionCandidate] = field(default_factory=list)
    confidence: float = 0.5  # 0-1, set from the evidence by extraction.confidence


@dataclass
class ProgramCandidate:
    """A named program, initiative, certification or event."""

    name: str
    kind: str  # an entities.models.Program.Kind value
    aliases: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    quote: str = ""
    description: str = ""
    confidence: float = 0.5  # 0-1, set from the evidence by extraction.confidence


@dataclass
class MetricCandidate:
    """A quantitative claim, normalised to a number in base units and a unit."""

    label: str  # what is measured, e.g. "investment", "companies", "share of production"
    value: Decimal  # base units: "RUR 93.3 Million" -> Decimal("93300000")
    unit: str  # "RUB", "EUR", "USD", "%", "points", or the counted noun ("companies")
    raw_text: str  # exactly as written: body[start:end] == raw_text
    start: int | None  # None when stated only in the title
    end: int | None
    quote: str  # the sentence it came from
    qualifier: str = "exactly"  # an entities.models.Metric.Qualifier value
    year: int | None = None
    period: str = ""
    organisation: str | None = None  # OrganisationCandidate.name it is about, if clear
    program: str | None = None  # ProgramCandidate.name it is about, if clear
    confidence: float = 0.5  # 0-1, set from the evidence by extraction.confidence


@dataclass
class Extraction:
    """Everything extracted from one article body."""

    organisations: list[OrganisationCandidate] = field(default_factory=list)
    people: list[PersonCandidate] = field(default_factory=list)
    programs: list[ProgramCandidate] = field(default_factory=list)
    metrics: list[MetricCandidate] = field(default_factory=list)
