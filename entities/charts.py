"""Server-rendered bar charts of money metrics, one chart per currency.

Amounts in different currencies are never added up: every chart holds one
currency. Each bar is a stack of the individual metrics of its group (a year,
or the organisation or program they are about), so every segment can link to
the sentence the figure came from. Geometry is computed here; the template
only draws it, so the chart works without JavaScript.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_SCALES = ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))

# Drawing sizes in SVG user units; the SVG scales to the width of the page.
WIDTH = 720
LABEL_WIDTH = 210
TOTAL_WIDTH = 165
ROW_HEIGHT = 30
BAR_HEIGHT = 20
TOP = 8
MAX_ROWS = 12


def is_currency(unit: str) -> bool:
    """Whether ``unit`` is an ISO 4217 currency code such as RUB or EUR."""
    return bool(_CURRENCY.match(unit or ""))


def _trim(number: Decimal, places: int) -> str:
    """Round to ``places`` decimals, drop trailing zeros, group thousands."""
    rounded = round(number, places)
    text = f"{rounded:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_amount(value: Decimal, unit: str) -> str:
    """A number with its unit as a reader writes it: "RUB 93.3 million", "14%", "723 points"."""
    value = Decimal(value)
    if is_currency(unit):
        for scale, word in _SCALES:
            if abs(value) >= scale:
                return f"{unit} {_trim(value / scale, 2)} {word}"
        return f"{unit} {_trim(value, 2)}"
    if unit == "%":
        return f"{_trim(value, 2)}%"
    if unit in ("", "count"):
        return _trim(value, 2)
    return f"{_trim(value, 2)} {unit}"


@dataclass
class Segment:
    """One metric inside a bar."""

    x: float
    width: float
    url: str
    description: str
    shade: int  # alternates 0/1 so that neighbouring segments are told apart


@dataclass
class Bar:
    """One group (a year, an organisation) and its stacked metrics."""

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

    @property
    def height(self) -> int:
        """Total drawing height."""
        return TOP * 2 + ROW_HEIGHT * len(self.bars)

    width = WIDTH
    label_width = LABEL_WIDTH
    bar_height = BAR_HEIGHT

    @property
    def total_x(self) -> int:
        """Where the total figure of each row starts."""
        return WIDTH - TOTAL_WIDTH + 6


def _describe(metric) -> str:
    """What a screen reader or tooltip says about one segment."""
    parts = [f"{metric.label}: {metric.raw_text}"]
    if metric.year:
        parts.append(f"({metric.year})")
    if metric.subject:
        parts.append(f"about {metric.subject}")
    parts.append(f"— from “{metric.article.title}”")
    return " ".join(parts)


def _group_key(metric, grouped_by: str) -> str | None:
    if grouped_by == "year":
        return str(metric.year) if metric.year else None
    subject = metric.subject
    return subject.name if subject else None


def money_charts(metrics, *, grouped_by: str) -> list[Chart]:
    """One chart per currency of the money ``metrics``, grouped by ``year`` or ``subject``.

    ``metrics`` must have article, organisation and program loaded. Metrics
    without the grouping value (no year, no subject) are left out of that chart.
    Years read oldest first; subjects largest total first.
    """
    if grouped_by not in ("year", "subject"):
        raise ValueError(f"grouped_by must be 'year' or 'subject', not {grouped_by!r}")
    groups: dict[str, dict[str, list]] = {}
    for metric in metrics:
        key = _group_key(metric, grouped_by)
        if key is None or not is_currency(metric.unit):
            continue
        groups.setdefault(metric.unit, {}).setdefault(key, []).append(metric)

    charts = []
    for currency_code in sorted(groups):
        by_group = groups[currency_code]
        totals = {key: sum((m.value for m in items), Decimal(0)) for key, items in by_group.items()}
        if grouped_by == "year":
            keys = sorted(by_group)
        else:
            keys = sorted(by_group, key=lambda key: (-totals[key], key))
        shown = keys[:MAX_ROWS]
        largest = max((totals[key] for key in shown), default=Decimal(0))
        scale = (WIDTH - LABEL_WIDTH - TOTAL_WIDTH) / float(largest) if largest > 0 else 0.0
        bars = []
        for row, key in enumerate(shown):
            bar = Bar(
                label=key,
                y=TOP + row * ROW_HEIGHT,
                total=totals[key],
                total_text=format_amount(totals[key], currency_code),
            )
            x = float(LABEL_WIDTH)
            for index, metric in enumerate(sorted(by_group[key], key=lambda m: -m.value)):
                width = max(float(metric.value) * scale, 0.0)
                bar.segments.append(
                    Segment(
                        x=round(x, 2),
                        width=round(width, 2),
                        url=metric.get_absolute_url(),
                        description=_describe(metric),
                        shade=index % 2,
                    )
                )
                x += width
            bars.append(bar)
        charts.append(
            Chart(
                currency=currency_code,
                grouped_by=grouped_by,
                bars=bars,
                left_out=len(keys) - len(shown),
            )
        )
    return charts
