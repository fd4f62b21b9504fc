"""Money charts (grouped and summed by the database) and amount formatting."""

from decimal import Decimal

import pytest
from django.http import QueryDict

from entities.charts import MAX_ROWS, SEGMENTS_PER_BAR, format_amount, money_charts
from entities.models import Metric
from entities.normalise import is_currency_code as is_currency
from tests.factories import MetricFactory, OrganisationFactory, ProgramFactory


def charts(grouped_by, params=None):
    """The charts of every visible metric."""
    return money_charts(Metric.objects.visible(), grouped_by=grouped_by, params=params)


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


@pytest.mark.django_db
def test_currencies_are_never_added_together():
    """Each currency gets its own chart; a year's bar sums only that currency."""
    MetricFactory(unit="RUB", value=Decimal(100))
    MetricFactory(unit="RUB", value=Decimal(50))
    MetricFactory(unit="EUR", value=Decimal(7))
    MetricFactory(unit="%", value=Decimal(14))
    by_currency = {chart.currency: chart for chart in charts("year")}
    assert set(by_currency) == {"EUR", "RUB"}
    assert by_currency["RUB"].bars[0].total == Decimal("150")
    assert by_currency["EUR"].bars[0].total == Decimal("7")


@pytest.mark.django_db
def test_every_segment_links_to_the_sentence_it_came_from():
    """A bar stacks one segment per figure, each linking to the figure's anchor."""
    small = MetricFactory(value=Decimal(100))
    large = MetricFactory(value=Decimal(300))
    medium = MetricFactory(value=Decimal(200))
    (chart,) = charts("year")
    urls = [segment.url for segment in chart.bars[0].segments]
    expected = [large, medium, small]  # largest first
    assert urls == [metric.get_absolute_url() for metric in expected]


@pytest.mark.django_db
def test_bar_lengths_are_proportional_to_the_totals():
    """The largest total spans the whole bar area; half of it spans half. Years run in order."""
    MetricFactory(value=Decimal(200), year=2014)
    MetricFactory(value=Decimal(100), year=2013)
    (chart,) = charts("year")
    assert [bar.label for bar in chart.bars] == ["2013", "2014"]
    short, long = (sum(segment.width for segment in bar.segments) for bar in chart.bars)
    assert long == pytest.approx(2 * short)


@pytest.mark.django_db
def test_subject_chart_orders_largest_first_and_skips_unknown_subjects():
    """By subject: organisation (else program) groups, biggest first; no subject, no bar."""
    MetricFactory(value=Decimal(5), organisation=OrganisationFactory(name="Small Ltd"))
    MetricFactory(value=Decimal(50), organisation=OrganisationFactory(name="Big Ltd"))
    MetricFactory(value=Decimal(20), program=ProgramFactory(name="Grant Scheme"))
    MetricFactory(value=Decimal(999))
    (chart,) = charts("subject")
    assert [bar.label for bar in chart.bars] == ["Big Ltd", "Grant Scheme", "Small Ltd"]


@pytest.mark.django_db
def test_a_crowded_bar_draws_its_largest_figures_and_links_the_rest_to_the_table():
    """Beyond SEGMENTS_PER_BAR figures, the rest is one segment linking to the filtered table."""
    for value in range(1, SEGMENTS_PER_BAR + 4):
        MetricFactory(value=Decimal(value), year=2015)
    params = QueryDict("unit=RUB&page=3")
    ((bar,),) = (chart.bars for chart in charts("year", params=params))
    assert bar.total == Decimal(sum(range(1, SEGMENTS_PER_BAR + 4)))
    assert len(bar.segments) == SEGMENTS_PER_BAR + 1
    rest = bar.segments[-1]
    assert rest.url == "?unit=RUB&year_min=2015&year_max=2015#table-title"
    assert rest.description.startswith("3 more figures for 2015")


@pytest.mark.django_db
def test_many_groups_are_capped_and_the_rest_counted():
    """Beyond MAX_ROWS groups the chart says how many it left out (the table lists them)."""
    for year in range(2000, 2000 + MAX_ROWS + 3):
        MetricFactory(year=year)
    (chart,) = charts("year")
    assert len(chart.bars) == MAX_ROWS
    assert chart.left_out == 3


@pytest.mark.django_db
def test_non_money_and_undated_metrics_make_no_year_chart():
    """Percentages are not money, and a figure without a year has no place on a year axis."""
    MetricFactory(unit="%", value=Decimal(14))
    MetricFactory(year=None)
    assert charts("year") == []


def test_unknown_grouping_is_refused():
    """A typo in the grouping is a clear error, not an empty chart."""
    with pytest.raises(ValueError, match="grouped_by"):
        money_charts(Metric.objects.none(), grouped_by="month")
