"""Metric conflicts: which metrics disagree, which groups are open, and in how many queries."""

from decimal import Decimal

import pytest

from entities.models import Metric, ReviewStatus
from entities.services import conflicts, review
from entities.services.conflicts import ConflictKey
from tests.factories import MetricFactory, OrganisationFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def stated(value, **fields):
    """A metric stating ``value`` (in millions of roubles for investment in 2016 by default)."""
    fields.setdefault("label", "investment")
    fields.setdefault("year", 2016)
    fields.setdefault("unit", "RUB")
    return MetricFactory(
        value=Decimal(value) * 1_000_000, raw_text=f"RUB {value} million", **fields
    )


@pytest.fixture
def quillfeather():
    return OrganisationFactory(name="Quillfeather Biologics")


def test_different_values_for_one_subject_label_year_and_unit_conflict(quillfeather):
    """Two articles stating 90 and 120 million for the same thing make one open group."""
    low = stated(90, organisation=quillfeather)
    high = stated(120, organisation=quillfeather)

    [group] = conflicts.open_conflicts()

    assert group.key == ConflictKey("organisation", quillfeather.pk, "investment", 2016, "RUB")
    assert group.subject == quillfeather
    assert (group.label, group.year, group.unit) == ("investment", 2016, "RUB")
    assert [m.pk for m in group.metrics] == [high.pk, low.pk]
    assert group.metrics[0].article.title and group.metrics[0].quote
    assert group.is_open and conflicts.open_conflict_summary(limit=0).count == 1


@pytest.mark.parametrize(
    "other",
    [
        {"value": 90},  # the same value: sources agree
        {"value": 120, "year": 2017},
        {"value": 120, "unit": "EUR"},
        {"value": 120, "label": "revenue"},
        {"value": 120, "review_status": ReviewStatus.REJECTED},
    ],
    ids=["same-value", "other-year", "other-unit", "other-label", "rejected"],
)
def test_metrics_that_differ_in_key_or_agree_do_not_conflict(quillfeather, other):
    """Another year, unit or label is another figure; a rejected metric counts for nothing."""
    stated(90, organisation=quillfeather)
    value = other.pop("value")
    stated(value, organisation=quillfeather, **other)
    assert conflicts.open_conflicts() == []
    assert conflicts.open_conflict_summary(limit=0).count == 0


def test_metrics_without_subject_or_year_never_conflict(quillfeather):
    """No subject: about nothing in particular; no year (even with one period): not comparable."""
    stated(90)
    stated(120)
    stated(90, organisation=quillfeather, year=None, period="2014-2020")
    stated(120, organisation=quillfeather, year=None, period="2014-2020")
    assert conflicts.conflict_groups() == []


def test_programs_are_subjects_too_and_never_mix_with_organisations(quillfeather):
    """A program's figures conflict among themselves, not with an organisation of the same id."""
    program = ProgramFactory(name="Silverbrook Talent Scheme")
    stated(5, program=program)
    stated(7, program=program)
    stated(9, organisation=quillfeather)
    [group] = conflicts.open_conflicts()
    assert group.key.subject_kind == "program" and group.subject == program


def test_preferring_a_value_resolves_the_group(quillfeather, django_user_model):
    """A group with a preferred metric leaves the open conflicts but stays a conflict group."""
    editor = django_user_model.objects.create_user("ines", is_staff=True)
    low = stated(90, organisation=quillfeather)
    stated(120, organisation=quillfeather)

    review.prefer(low, user=editor)

    assert conflicts.open_conflicts() == []
    assert conflicts.open_conflict_summary(limit=0).count == 0
    [group] = conflicts.conflict_groups()
    assert group.preferred == low and not group.is_open


def test_a_key_survives_its_url_form_and_garbage_is_refused():
    """The conflict page's address names the group; anything else is not a key."""
    key = ConflictKey("organisation", 7, "export share / total", 2015, "%")
    assert ConflictKey.decode(key.encode()) == key
    for garbage in ("", "not-a-key", "W10", key.encode()[:-3]):
        with pytest.raises(ValueError):
            ConflictKey.decode(garbage)


def test_a_page_of_groups_takes_two_queries_however_many(quillfeather, django_assert_num_queries):
    """One grouped query for the keys, one for their metrics (subjects and articles joined)."""
    for index in range(12):
        organisation = OrganisationFactory(name=f"Marrowgate Labs {index}")
        stated(10 + index, organisation=organisation)
        stated(20 + index, organisation=organisation)
        stated(30 + index, organisation=organisation)
    with django_assert_num_queries(2):
        groups = conflicts.open_conflicts(limit=10)
        assert [len(g.metrics) for g in groups] == [3] * 10
        assert all(g.subject.name.startswith("Marrowgate") for g in groups)
        assert all(m.article.title for g in groups for m in g.metrics)


def test_largest_groups_come_first(quillfeather):
    """The group stated by most articles waits at the top."""
    other = OrganisationFactory(name="Tallowmere Pharma")
    stated(1, organisation=other)
    stated(2, organisation=other)
    for value in (3, 4, 5):
        stated(value, organisation=quillfeather)
    assert [g.subject for g in conflicts.open_conflicts()] == [quillfeather, other]


def test_with_conflicts_names_another_value_and_the_preferred_one(quillfeather, django_user_model):
    """Annotations say that sources differ, which value editors prefer and where it is stated."""
    editor = django_user_model.objects.create_user("ines", is_staff=True)
    low = stated(90, organisation=quillfeather)
    high = stated(120, organisation=quillfeather)
    alone = stated(5, organisation=quillfeather, label="plants")
    review.prefer(high, user=editor)

    rows = {
        m.pk: m
        for m in conflicts.describe_conflicts(
            Metric.objects.filter(pk__in=[low.pk, high.pk, alone.pk]).with_conflicts()
        )
    }

    assert rows[high.pk].is_preferred and not rows[high.pk].ranked_lower
    assert rows[high.pk].other_amount == "RUB 90 million"
    assert rows[low.pk].ranked_lower and not rows[low.pk].is_preferred
    assert rows[low.pk].other_amount == "RUB 120 million"
    assert rows[low.pk].conflict_other_title == high.article.title
    assert not rows[alone.pk].sources_differ
