"""What a write tells API mirrors (entities.services.changes): stamps that move, deletions logged.

Every record starts each test stamped in the past; a test makes one write the
way the admin, the API, the review workbench or the import makes it and
checks which records' ``updated_at`` moved and what the deletions feed holds.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, OrganisationMention
from articles.services import article_import_file
from entities.editing import editor_deleting, editor_saving
from entities.models import (
    Deletion,
    Metric,
    Organisation,
    Person,
    Position,
    Program,
    ReviewDecision,
    ReviewStatus,
)
from entities.services import review
from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
    PersonFactory,
    PersonMentionFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db

PAST = timezone.make_aware(datetime.datetime(2020, 1, 1))
MODELS = (Article, Organisation, Person, Program, Metric, Position)


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("vera", "vera@example.org", "a long password")


@pytest.fixture
def world():
    """An article mentioning an organisation and a person who holds a position there."""
    article = ArticleFactory(body="The budget allocates RUR 93.3 Million. " * 160)
    other = ArticleFactory()
    organisation = OrganisationMentionFactory(article=article).organisation
    person = PersonMentionFactory(article=article).person
    position = PositionFactory(person=person, organisation=organisation, article=article)
    metric = MetricFactory(article=article, organisation=organisation)
    return {
        "article": article,
        "other": other,
        "organisation": organisation,
        "person": person,
        "position": position,
        "metric": metric,
    }


def stamp_in_the_past() -> None:
    """Every record changed long ago (an explicit updated_at is kept as given)."""
    for model in MODELS:
        model.objects.update(updated_at=PAST)


def moved() -> set[tuple[str, int]]:
    """(model name, id) of every record whose updated_at moved since stamp_in_the_past()."""
    return {
        (model._meta.model_name, pk)
        for model in MODELS
        for pk in model.objects.filter(updated_at__gt=PAST).values_list("pk", flat=True)
    }


def log() -> list[tuple]:
    return list(
        Deletion.objects.order_by("pk").values_list("kind", "object_id", "reason", "merged_into")
    )


def key(record) -> tuple[str, int]:
    return (record._meta.model_name, record.pk)


def test_bulk_updates_move_the_stamp_like_save(world):
    """QuerySet.update() and bulk_update() stamp updated_at unless they set it themselves."""
    stamp_in_the_past()
    organisation, metric = world["organisation"], world["metric"]

    Organisation.objects.filter(pk=organisation.pk).update(kind=Organisation.Kind.FUND)
    metric.rank = Metric.Rank.PREFERRED
    Metric.objects.bulk_update([metric], ["rank"])

    assert moved() == {key(organisation), key(metric)}


def test_renaming_an_organisation_moves_what_shows_its_name(world, editor):
    """Its article (mention list), its metric (subject) and its person (position) move too."""
    organisation = world["organisation"]
    stamp_in_the_past()

    with editor_saving(organisation, user=editor):
        organisation.name = "Renamed Pharma"
        organisation.save()

    expected = {key(world[name]) for name in ("organisation", "article", "metric", "person")}
    assert moved() == expected
    assert log() == []


def test_a_position_added_moves_its_person_only(world, editor):
    """A new position changes its person's representation, not the organisation's."""
    stamp_in_the_past()
    position = Position(person=world["person"], title="Chairman", organisation=None)

    with editor_saving(position, user=editor):
        position.save()

    assert moved() == {key(world["person"]), key(position)}


def test_moving_a_position_to_another_person_moves_both(world, editor):
    """What showed the record before the change and what shows it after both move."""
    other = PersonFactory()
    position = world["position"]
    stamp_in_the_past()

    with editor_saving(position, user=editor):
        position.person = other
        position.save()

    assert moved() == {key(world["person"]), key(other), key(position)}


def test_deleting_an_article_logs_it_and_its_metrics(world, editor):
    """The cascade is logged too; what counted or named the article moves."""
    article, metric = world["article"], world["metric"]
    stamp_in_the_past()

    assert editor_deleting(article, user=editor)

    assert log() == [
        ("article", article.pk, "deleted", None),
        ("metric", metric.pk, "deleted", None),
    ]
    # The organisation and the person lose an article (count), the person a position's article.
    assert moved() == {key(world["organisation"]), key(world["person"])}


def test_a_merge_logs_which_record_absorbed_which_and_undo_brings_it_back(world, editor):
    """The merged record is in the feed with merged_into; after undo it is changed again."""
    keep, duplicate = world["organisation"], OrganisationFactory(name="Duplicate Pharma")
    OrganisationMentionFactory(organisation=duplicate, article=world["other"])
    stamp_in_the_past()

    decision = review.merge(keep=keep, others=[duplicate], user=editor)

    assert log() == [("organisation", duplicate.pk, "merged", keep.pk)]
    assert {key(keep), key(world["other"])} <= moved()  # the other article now names keep

    stamp_in_the_past()
    review.undo(ReviewDecision.objects.get(pk=decision.pk), user=editor)

    assert Organisation.objects.filter(pk=duplicate.pk).exists()
    assert {key(duplicate), key(keep), key(world["other"])} <= moved()
    assert OrganisationMention.objects.get(article=world["other"]).organisation_id == duplicate.pk


def test_rejecting_logs_the_record_and_undoing_moves_it_back(world, editor):
    """A rejected organisation leaves the feed's view; its article's mention list changes."""
    organisation = world["organisation"]
    stamp_in_the_past()

    review.review([organisation], ReviewStatus.REJECTED, user=editor)

    assert log() == [("organisation", organisation.pk, "rejected", None)]
    assert {key(organisation), key(world["article"]), key(world["person"])} <= moved()

    stamp_in_the_past()
    review.undo(ReviewDecision.objects.get(object_id=organisation.pk), user=editor)

    assert key(organisation) in moved()
    assert len(log()) == 1


def test_confirming_changes_the_record_but_logs_nothing(world, editor):
    """A confirmed record is still shown: it moves, and stays out of the deletions feed."""
    stamp_in_the_past()
    review.review([world["metric"]], ReviewStatus.CONFIRMED, user=editor)
    assert key(world["metric"]) in moved()
    assert log() == []


def test_hiding_an_article_logs_it_and_its_shown_metrics(world, editor):
    """Visitors stop seeing the article and its metrics (a rejected one was already gone)."""
    article, metric = world["article"], world["metric"]
    rejected = MetricFactory(article=article, review_status=ReviewStatus.REJECTED)
    stamp_in_the_past()

    with editor_saving(article, user=editor):
        article.status = Article.Status.HIDDEN
        article.save()

    assert log() == [("article", article.pk, "hidden", None), ("metric", metric.pk, "hidden", None)]
    # Counts of published articles drop; metrics and positions of it vanish for visitors.
    for name in ("article", "organisation", "person", "metric"):
        assert key(world[name]) in moved()
    assert key(rejected) in moved()

    stamp_in_the_past()
    with editor_saving(article, user=editor):
        article.status = Article.Status.PUBLISHED
        article.save()
    assert {key(article), key(metric)} <= moved()
    assert len(log()) == 2


TEXT = """\
Northbrook Biologics Opens a Vaccine Line in Maloyaroslavets

Published 3 March 2021

Northbrook Biologics LLC will invest RUB 900 million in a vaccine line at its \
Maloyaroslavets site in 2021, said Marta Ilyina, General Director of Northbrook Biologics.

The Regional Venture Fund will lend RUB 150 million to Northbrook Biologics.
"""


def test_a_re_import_logs_the_metrics_it_drops_and_moves_what_it_relinks(tmp_path):
    """A changed file that no longer states a figure: that metric is logged as deleted."""
    path = tmp_path / "northbrook.txt"
    path.write_text(TEXT)
    assert not article_import_file(path=path).error
    loan = Metric.objects.get(raw_text__contains="150")
    fund = Organisation.objects.get(name__contains="Venture Fund")
    stamp_in_the_past()

    path.write_text(TEXT.replace("The Regional Venture Fund will lend RUB 150 million", "Later"))
    assert not article_import_file(path=path).error

    assert ("metric", loan.pk, "deleted", None) in log()
    assert not Metric.objects.filter(pk=loan.pk).exists()
    # The fund is no longer mentioned: its article count changed.
    assert key(fund) in moved()


def test_an_unchanged_re_import_moves_nothing(tmp_path):
    """Running the import again over the same file writes no stamp (mirrors stay quiet)."""
    path = tmp_path / "northbrook.txt"
    path.write_text(TEXT)
    assert not article_import_file(path=path).error
    stamp_in_the_past()

    assert not article_import_file(path=path).error
    assert not article_import_file(path=path, force=True).error

    assert moved() <= {("article", Article.objects.get().pk)}
    assert log() == []
