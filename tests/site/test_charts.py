"""Money charts and amount formatting: pure functions, no database."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from entities.charts import MAX_ROWS, format_amount, is_currency, money_charts


def metric(pk, value, unit="RUB", year=2014, subject=None):
    """A stand-in with the attributes the chart reads from a Metric."""
    article = SimpleNamespace(title=f"Article {pk}")
    return SimpleNamespace(
        pk=pk,
        value=Decimal(value),
        unit=unit,
        year=year,
        label="investment",
        raw_text=f"{unit} {value}",
        subject=subject,
        article=article,
        get_absolute_url=lambda: f"/articles/a-{pk}/#metric-{pk}",
    )


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("93300000", "RUB", "RUB 93.3 million"),
        ("1000000000", "EUR", "EUR 1 billion"),
        ("2500", "USD", "USD 2,500"),
        ("14", "%", "14%"),
        ("723", "points", "723 points"),
        ("16", "employees", "16 employees"),
        ("30", "count", "30"),
    ],
)
def test_amounts_read_as_a_person_writes_them(value, unit, expected):
    """Money is scaled to million/billion with its currency; other units follow the number."""
    assert format_amount(Decimal(value), unit) == expected


def test_only_three_letter_codes_are_currencies():
    """RUB and EUR are money; "%" and counted nouns are not."""
    assert is_currency("RUB") and is_currency("EUR")
    assert not is_currency("%") and not is_currency("points") and not is_currency("rub")


def test_currencies_are_never_added_together():
    """Each currency gets its own chart; a year's bar sums only that currency."""
    charts = money_charts(
        [metric(1, "100", "RUB"), metric(2, "50", "RUB"), metric(3, "7", "EUR")],
        grouped_by="year",
    )
    by_currency = {chart.currency: chart for chart in charts}
    assert set(by_currency) == {"EUR", "RUB"}
    assert by_currency["RUB"].bars[0].total == Decimal("150")
    assert by_currency["EUR"].bars[0].total == Decimal("7")


def test_every_segment_links_to_the_sentence_it_came_from():
    """A bar stacks one segment per metric, each linking to the metric's anchor."""
    (chart,) = money_charts([metric(1, "100"), metric(2, "300")], grouped_by="year")
    urls = [segment.url for segment in chart.bars[0].segments]
    assert sorted(urls) == ["/articles/a-1/#metric-1", "/articles/a-2/#metric-2"]


def test_bar_lengths_are_proportional_to_the_totals():
    """The largest total spans the whole bar area; half of it spans half."""
    (chart,) = money_charts(
        [metric(1, "200", year=2014), metric(2, "100", year=2015)], grouped_by="year"
    )
    long, short = (sum(s.width for s in bar.segments) for bar in chart.bars)
    assert long == pytest.approx(2 * short)
    assert [bar.label for bar in chart.bars] == ["2014", "2015"]


def test_subject_chart_orders_largest_first_and_skips_unknown_subjects():
    """Grouped by subject, the biggest total comes first; metrics without subject are left out."""
    small = SimpleNamespace(name="Small Ltd")
    big = SimpleNamespace(name="Big Ltd")
    (chart,) = money_charts(
        [metric(1, "5", subject=small), metric(2, "50", subject=big), metric(3, "999")],
        grouped_by="subject",
    )
    assert [bar.label for bar in chart.bars] == ["Big Ltd", "Small Ltd"]


def test_non_money_metrics_and_undated_ones_make_no_year_chart():
    """Percentages are not money, and a metric without a year has no place on a year axis."""
    assert money_charts([metric(1, "14", "%"), metric(2, "5", year=None)], grouped_by="year") == []


def test_many_groups_are_capped_and_the_rest_counted():
    """Beyond MAX_ROWS groups the chart says how many it left out (the table lists them)."""
    metrics = [
        metric(i, str(i + 1), subject=SimpleNamespace(name=f"Org {i}")) for i in range(MAX_ROWS + 3)
    ]
    (chart,) = money_charts(metrics, grouped_by="subject")
    assert len(chart.bars) == MAX_ROWS
    assert chart.left_out == 3


def test_unknown_grouping_is_refused():
    """A typo in the grouping is a clear error, not an empty chart."""
    with pytest.raises(ValueError, match="grouped_by"):
        money_charts([], grouped_by="month")
