"""Server-rendered bar charts of money metrics, one chart per currency.

Amounts in different currencies are never added up: every chart holds one
currency. Each bar is a group (a year, or the organisation or program the
figures are about) and stacks its largest figures as segments, each linking
to the sentence it came from; the rest of a crowded group is one last segment
linking to the table filtered to that group. Totals are summed by the
database and only the drawn figures are loaded, so the page costs the same
whatever the number of metrics. Geometry is computed here; the template only
draws it, so the chart works without JavaScript.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, F, Q, When
from django.db.models.functions import Coalesce
from django.http import QueryDict

from entities.models import ReviewStatus
from entities.normalise import is_currency_code

_SCALES = ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))

# Drawing sizes in SVG user units; the SVG scales to the width of the page.
WIDTH = 720
LABEL_WIDTH = 210
TOTAL_WIDTH = 165
ROW_HEIGHT = 30
BAR_HEIGHT = 20
TOP = 8
MAX_ROWS = 12
SEGMENTS_PER_BAR = 6


def _trim(number: Decimal, places: int) -> str:
    """Round to ``places`` decimals, drop trailing zeros, group thousands."""
    text = f"{round(number, places):,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_amount(value: Decimal, unit: str) -> str:
    """A number with its unit as a reader writes it: "RUB 93.3 million", "14%", "723 points"."""
    value = Decimal(value)
    if is_currency_code(unit):
        for scale, word in _SCALES:
            if abs(value) >= scale:
                return f"{unit} {_trim(value / scale, 2)} {word}"
        return f"{unit} {_trim(value, 2)}"
    if unit == "%":
        return f"{_trim(value, 2)}%"
    if unit in ("", "count"):
        return _trim(value, 2)
    return f"{_trim(value, 2)} {unit}"


@dataclass(frozen=True)
class Grouping:
    """How metrics are grouped into bars: annotations that key and name each group."""

    name: str
    annotations: dict
    condition: Q
    key_fields: tuple[str, ...]

    def key(self, row) -> tuple:
        """The group key of a totals row (a dict) or a metric (an object)."""
        if isinstance(row, dict):
            return tuple(row[name] for name in self.key_fields)
        return tuple(getattr(row, name) for name in self.key_fields)


GROUPINGS = {
    "year": Grouping(
        name="year",
        annotations={"group_label": F("year")},
        condition=Q(year__isnull=False),
        key_fields=("year",),
    ),
    # The subject is the organisation when known, else the program.
    "subject": Grouping(
        name="subject",
        annotations={
            "group_organisation": F("organisation"),
            "group_program": Case(When(organisation__isnull=True, then=F("program"))),
            "group_label": Coalesce("organisation__name", "program__name"),
            "group_slug": Coalesce("organisation__slug", "program__slug"),
        },
        # A subject an editor rejected draws no bar (its figures stay in the table).
        condition=(
            Q(organisation__isnull=False) & ~Q(organisation__review_status=ReviewStatus.REJECTED)
        )
        | (Q(program__isnull=False) & ~Q(program__review_status=ReviewStatus.REJECTED)),
        key_fields=("group_organisation", "group_program"),
    ),
}


@dataclass
class Segment:
    """One figure inside a bar, or the rest of the bar's figures."""

    x: float
    width: float
    url: str
    description: str
    shade: int  # 0/1 alternate so that neighbours are told apart; 2 is "the rest"


@dataclass
class Bar:
    """One group (a year, an organisation) and its stacked figures."""

    label: str
    y: float
    total: Decimal
    total_text: str
    segments: list[Segment] = field(default_factory=list)

    @property
    def text_y(self) -> float:
        """Baseline of the row's texts, centred on the bar."""
        return self.y + BAR_HEIGHT / 2 + 5

    @property
    def short_label(self) -> str:
        """The label cut to fit the label column; the full one is in the row's title."""
        return self.label if len(self.label) <= 24 else self.label[:23] + "…"


@dataclass
class Chart:
    """A horizontal stacked bar chart of one currency."""

    currency: str
    grouped_by: str
    bars: list[Bar]
    left_out: int  # groups beyond MAX_ROWS, still listed in the data table

    width = WIDTH
    label_width = LABEL_WIDTH
    bar_height = BAR_HEIGHT

    @property
    def height(self) -> int:
        """Total drawing height."""
        return TOP * 2 + ROW_HEIGHT * len(self.bars)

    @property
    def total_x(self) -> int:
        """Where the total figure of each row starts."""
        return WIDTH - TOTAL_WIDTH + 8


def _describe(metric) -> str:
    """What a screen reader or tooltip says about one segment."""
    parts = [f"{metric.label}: {metric.raw_text}"]
    if metric.year:
        parts.append(f"({metric.year})")
    if metric.subject:
        parts.append(f"about {metric.subject}")
    parts.append(f"— from “{metric.article.title}”")
    return " ".join(parts)


def _group_filters(grouping: Grouping, row: dict) -> dict:
    """Query parameters of the metrics table that select one group of a totals row."""
    if grouping.name == "year":
        return {"year_min": row["year"], "year_max": row["year"]}
    parameter = "organisation" if row["group_organisation"] else "program"
    return {parameter: row["group_slug"]}


def money_charts(metrics, *, grouped_by: str, params=None) -> list[Chart]:
    """One chart per currency of the money among ``metrics`` (a Metric queryset).

    ``grouped_by`` is ``"year"`` (oldest first) or ``"subject"`` (largest total
    first); metrics without that value are left out of the chart. ``params``
    (a QueryDict of the current filters) keeps them in the "the rest" links.
    Two queries: the group totals, and the figures drawn.
    """
    if grouped_by not in GROUPINGS:
        raise ValueError(f"grouped_by must be 'year' or 'subject', not {grouped_by!r}")
    grouping = GROUPINGS[grouped_by]
    money = metrics.money().filter(grouping.condition).annotate(**grouping.annotations)
    totals = list(money.totals_by(*grouping.key_fields, "group_label", *_slug(grouping)))
    chosen = _choose_groups(grouping, totals)
    if not chosen:
        return []
    chosen_rows = [row for rows in chosen.values() for row in rows]
    keys = {(row["unit"], grouping.key(row)) for row in chosen_rows}
    # Load only the figures of the drawn groups (a superset across currencies).
    in_chosen_groups = Q()
    for name in grouping.key_fields:
        values = {row[name] for row in chosen_rows if row[name] is not None}
        if values:
            in_chosen_groups |= Q(**{f"{name}__in": values})
    drawn = {}
    figures = money.filter(in_chosen_groups).with_relations()
    for metric in figures.largest_by(*grouping.key_fields, limit=SEGMENTS_PER_BAR):
        key = (metric.unit, grouping.key(metric))
        if key in keys:
            drawn.setdefault(key, []).append(metric)
    return [
        layout(
            currency,
            grouping,
            rows,
            drawn,
            left_out=sum(1 for row in totals if row["unit"] == currency) - len(rows),
            params=params,
        )
        for currency, rows in sorted(chosen.items())
    ]


def _slug(grouping: Grouping) -> tuple[str, ...]:
    return ("group_slug",) if "group_slug" in grouping.annotations else ()


def _choose_groups(grouping: Grouping, totals: list[dict]) -> dict[str, list[dict]]:
    """The groups drawn per currency: years in order, subjects largest first; MAX_ROWS each."""
    by_currency: dict[str, list[dict]] = {}
    for row in totals:
        by_currency.setdefault(row["unit"], []).append(row)
    for currency, rows in by_currency.items():
        if grouping.name == "year":
            rows.sort(key=lambda row: row["year"])
        else:
            rows.sort(key=lambda row: (-row["total"], row["group_label"]))
        by_currency[currency] = rows[:MAX_ROWS]
    return by_currency


def layout(currency, grouping, rows, drawn, *, left_out=0, params=None) -> Chart:
    """Place the bars of one currency: widths proportional to totals, figures stacked."""
    largest = max((row["total"] for row in rows), default=Decimal(0))
    scale = (WIDTH - LABEL_WIDTH - TOTAL_WIDTH) / float(largest) if largest > 0 else 0.0
    bars = []
    for index, row in enumerate(rows):
        bar = Bar(
            label=str(row["group_label"]),
            y=TOP + index * ROW_HEIGHT,
            total=row["total"],
            total_text=format_amount(row["total"], currency),
        )
        x, shown_total = float(LABEL_WIDTH), Decimal(0)
        metrics = sorted(
            drawn.get((currency, grouping.key(row)), []), key=lambda m: (-m.value, m.pk)
        )
        for position, metric in enumerate(metrics):
            width = max(float(metric.value) * scale, 0.0)
            bar.segments.append(
                Segment(
                    round(x, 2),
                    round(width, 2),
                    metric.get_absolute_url(),
                    _describe(metric),
                    position % 2,
                )
            )
            x += width
            shown_total += metric.value
        hidden = row["count"] - len(metrics)
        if hidden > 0:
            query = (params if params is not None else QueryDict()).copy()
            query.pop("page", None)
            query["unit"] = currency
            for name, value in _group_filters(grouping, row).items():
                query[name] = str(value)
            bar.segments.append(
                Segment(
                    round(x, 2),
                    round(max(float(row["total"] - shown_total) * scale, 0.0), 2),
                    f"?{query.urlencode()}#table-title",
                    f"{hidden} more figure{'s' if hidden != 1 else ''} for {bar.label}: "
                    f"{format_amount(row['total'] - shown_total, currency)} — see the table",
                    2,
                )
            )
        bars.append(bar)
    return Chart(currency=currency, grouped_by=grouping.name, bars=bars, left_out=left_out)
