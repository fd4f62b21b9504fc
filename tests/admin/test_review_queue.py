"""The review queue (/admin/review/): what waits for an editor, and the metric conflict page."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from entities.models import DuplicateCandidate, Metric, ReviewStatus
from entities.services.conflicts import ConflictKey
from kaluga_cluster.editors import EDITORS_GROUP
from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
    PersonFactory,
    PositionFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = "/admin/review/"


@pytest.fixture
def editor(client):
    """A staff user in the Editors group, logged in."""
    user = User.objects.create_user("odile", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client.force_login(user)
    return user


def stated(value, organisation, **fields):
    """An investment figure for 2016 about ``organisation``, in millions of roubles."""
    return MetricFactory(
        value=Decimal(value) * 1_000_000,
        raw_text=f"RUB {value} million",
        organisation=organisation,
        **fields,
    )


def pair(first, second, score):
    low, high = sorted((first.pk, second.pk))
    return DuplicateCandidate.objects.create(
        kind="organisation", first_id=low, second_id=high, score=score, reasons=["contained"]
    )


def conflict_url(organisation):
    key = ConflictKey("organisation", organisation.pk, "investment", 2014, "RUB")
    return reverse("admin:review_conflict", args=[key.encode()])


def test_queue_is_reached_from_the_admin_namespace():
    """The queue and its conflict pages have admin URL names."""
    assert reverse("admin:review_queue") == QUEUE
    assert reverse("admin:review_conflict", args=["abc"]) == "/admin/review/conflicts/abc/"


def test_anonymous_visitor_is_sent_to_login(client):
    """Nobody reads the queue without logging in."""
    response = client.get(QUEUE)
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_staff_without_entity_permissions_is_refused(client):
    """Staff who may view none of the reviewed records get 403, and no box on the index."""
    user = User.objects.create_user("pell", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(QUEUE).status_code == 403
    index = client.get("/admin/")
    assert index.status_code == 200 and "review-queue-box" not in index.content.decode()


def test_a_user_sees_only_the_sections_they_may_view(client):
    """View permission on people alone shows the unreviewed people, nothing else."""
    user = User.objects.create_user("pell", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_person"))
    client.force_login(user)
    PersonFactory(name="Ansel Drury")
    page = client.get(QUEUE).content.decode()
    assert 'id="queue-person"' in page and "Ansel Drury" in page
    assert 'id="queue-pairs"' not in page and 'id="queue-conflicts"' not in page
    assert 'id="queue-organisation"' not in page


def test_queue_lists_pairs_conflicts_and_unreviewed_records_with_links(client, editor):
    """Each section shows what waits, linked to the page where the editor decides it."""
    quill = OrganisationFactory(name="Quillfeather Biologics")
    quill_llc = OrganisationFactory(name="Quillfeather Bio")
    candidate = pair(quill, quill_llc, 0.93)
    stated(90, quill)
    stated(120, quill)
    person = PersonFactory(name="Ansel Drury")
    confirmed = PersonFactory(name="Corwin Lathe", review_status=ReviewStatus.CONFIRMED)

    response = client.get(QUEUE)

    assert response.status_code == 200
    page = response.content.decode()
    pair_url = reverse("admin:entities_duplicatecandidate_change", args=[candidate.pk])
    assert f'href="{pair_url}"' in page
    assert "Quillfeather Biologics ~ Quillfeather Bio" in page
    assert f'href="{conflict_url(quill)}"' in page
    assert "RUB 120 million / RUB 90 million" in page
    assert f'href="{reverse("admin:entities_person_change", args=[person.pk])}"' in page
    assert confirmed.name not in page
    assert {key: count.value for key, count in response.context["count_of"].items()} == {
        "pairs": 1,
        "conflicts": 1,
        "organisation": 2,
        "person": 1,
        "program": 0,
        "position": 0,
        "metric": 2,
    }


def test_pairs_come_highest_score_first_and_decided_ones_leave(client, editor):
    """The likeliest pair first; a pair already decided is not in the queue."""
    a, b, c, d = (OrganisationFactory(name=f"Harrowdeep {n}") for n in "ABCD")
    low = pair(a, b, 0.6)
    high = pair(c, d, 0.95)
    decided = pair(a, c, 0.99)
    decided.status = DuplicateCandidate.Status.DISTINCT
    decided.save()
    pairs = client.get(QUEUE).context["pairs"]
    assert [p.candidate for p in pairs] == [high, low]


def test_unreviewed_records_come_doubtful_and_much_mentioned_first(client, editor):
    """Lowest confidence first; among equally doubtful records, the most-mentioned first."""
    sure = OrganisationFactory(name="Brindlewick Sure", confidence=0.9)
    rare = OrganisationFactory(name="Brindlewick Rare", confidence=0.4)
    famous = OrganisationFactory(name="Brindlewick Famous", confidence=0.4)
    doubtful = OrganisationFactory(name="Brindlewick Doubtful", confidence=0.2)
    for _ in range(3):
        OrganisationMentionFactory(organisation=famous)
    OrganisationMentionFactory(organisation=rare)
    OrganisationMentionFactory(organisation=sure)

    kinds = {kind["name"]: kind for kind in client.get(QUEUE).context["kinds"]}

    rows = kinds["organisation"]["records"]
    assert [record for record, _ in rows] == [doubtful, famous, rare, sure]
    assert [record.article_count for record, _ in rows] == [0, 3, 1, 1]


def test_metrics_and_positions_wait_too(client, editor):
    """Unreviewed metrics (lowest confidence first) and positions are listed with links."""
    sure = MetricFactory(confidence=0.9)
    doubtful = MetricFactory(confidence=0.1)
    position = PositionFactory(person=PersonFactory(name="Ansel Drury"), title="Chief Chemist")
    kinds = {kind["name"]: kind for kind in client.get(QUEUE).context["kinds"]}
    assert [m for m, _ in kinds["metric"]["records"]] == [doubtful, sure]
    assert [p for p, _ in kinds["position"]["records"]] == [position]


def test_admin_index_shows_the_queue_counts_and_a_link(client, editor):
    """An editor's day starts on the index: a Review queue box with each section's count."""
    quill = OrganisationFactory(name="Quillfeather Biologics")
    stated(90, quill)
    stated(120, quill)
    ProgramFactory(name="Silverbrook Talent Scheme")

    response = client.get("/admin/")

    page = response.content.decode()
    assert 'id="review-queue-box"' in page and f'href="{QUEUE}"' in page
    counts = {row["key"]: row["count"].value for row in response.context["review_queue"]}
    assert counts == {
        "pairs": 0,
        "conflicts": 1,
        "organisation": 1,
        "person": 0,
        "program": 1,
        "position": 0,
        "metric": 2,
    }
    assert f'href="{QUEUE}#queue-conflicts"' in page
    # The app list is still there below the box.
    assert "/admin/entities/organisation/" in page


def test_conflict_page_shows_the_values_side_by_side_with_their_sentences(client, editor):
    """Each value with its qualifier, sentence, article link and a Prefer button (POST, CSRF)."""
    quill = OrganisationFactory(name="Quillfeather Biologics")
    article = ArticleFactory(
        title="Quillfeather expands", body="Quillfeather will invest RUB 90 million in 2014."
    )
    low = stated(90, quill, article=article, start=25, end=39, quote=article.body)
    high = stated(120, quill, qualifier=Metric.Qualifier.OVER)

    response = client.get(conflict_url(quill))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Prefer this value") == 2
    assert 'name="csrfmiddlewaretoken"' in page
    assert "<mark>RUB 90 million</mark>" in page
    assert f"{article.get_absolute_url()}#s-0" in page
    assert "over RUB 120 million" in page
    assert f'value="{low.pk}"' in page and f'value="{high.pk}"' in page


def test_preferring_a_value_resolves_the_conflict_and_it_leaves_the_queue(client, editor):
    """Prefer this value: the metric ranks preferred, the others normal, back to the queue."""
    quill = OrganisationFactory(name="Quillfeather Biologics")
    low = stated(90, quill)
    high = stated(120, quill)
    url = conflict_url(quill)

    response = client.post(url, {"metric": low.pk})

    assert response.status_code == 302 and response.url == QUEUE
    low.refresh_from_db()
    high.refresh_from_db()
    assert (low.rank, high.rank) == (Metric.Rank.PREFERRED, Metric.Rank.NORMAL)
    queue = client.get(QUEUE)
    assert queue.context["conflicts"] == [] and queue.context["count_of"]["conflicts"].value == 0
    assert url not in queue.content.decode()
    # The page still shows the resolved group, with the preferred value marked.
    page = client.get(url).content.decode()
    assert "preferred" in page and page.count("Prefer this value") == 1


def test_prefer_needs_the_change_permission_and_a_metric_of_the_group(client, editor):
    """A viewer cannot prefer; a metric from elsewhere or garbage is not found."""
    quill = OrganisationFactory(name="Quillfeather Biologics")
    low = stated(90, quill)
    stated(120, quill)
    stranger = stated(70, OrganisationFactory(name="Tallowmere Pharma"))
    url = conflict_url(quill)
    assert client.post(url, {"metric": stranger.pk}).status_code == 404
    assert client.post(url, {"metric": "x"}).status_code == 404
    assert client.get("/admin/review/conflicts/not-a-key/").status_code == 404

    viewer = User.objects.create_user("pell", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_metric"))
    client.force_login(viewer)
    assert "Prefer this value" not in client.get(url).content.decode()
    assert client.post(url, {"metric": low.pk}).status_code == 403
    low.refresh_from_db()
    assert low.rank == Metric.Rank.NORMAL


def test_a_group_whose_values_now_agree_sends_the_editor_back(client, editor):
    """When a rejection leaves one value, the conflict page returns to the queue."""
    quill = OrganisationFactory(name="Quillfeather Biologics")
    stated(90, quill)
    stated(120, quill, review_status=ReviewStatus.REJECTED)
    response = client.get(conflict_url(quill))
    assert response.status_code == 302 and response.url == QUEUE


def populate(count):
    """``count`` of every kind: pairs, conflicts, organisations, people, programs, positions."""
    for index in range(count):
        first = OrganisationFactory(confidence=0.5)
        second = OrganisationFactory(confidence=0.5)
        pair(first, second, 0.5 + index / 100)
        OrganisationMentionFactory(organisation=first)
        stated(90 + index, first)
        stated(190 + index, first)
        PersonFactory(confidence=0.3)
        ProgramFactory(confidence=0.3)
        PositionFactory()
        DuplicateCandidate.objects.create(
            kind="person",
            first_id=index * 2 + 1,
            second_id=index * 2 + 2,
            score=0.55 + index / 100,  # among the top pairs with organisations
        )


@pytest.mark.parametrize("count", [2, 20])
def test_queue_renders_in_a_fixed_number_of_queries(
    client, editor, django_assert_num_queries, count
):
    """20 queries with 2 or 20 of each: session, user, 2 for permissions, 6 counts (pairs and
    each kind), the conflicts' keys (counted and listed from one grouping) and metrics, the
    pairs and their names (one in_bulk per kind listed), 5 record lists."""
    populate(count)
    with django_assert_num_queries(20):
        assert client.get(QUEUE).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_index_adds_a_fixed_number_of_queries(client, editor, django_assert_num_queries, count):
    """The index's box costs 8 queries, whatever the number of records (13 in all): 6 counts
    and the conflicts' summary (the same two queries the queue's section reads)."""
    populate(count)
    with django_assert_num_queries(13):
        assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_conflict_page_renders_in_a_fixed_number_of_queries(
    client, editor, django_assert_num_queries, count
):
    """Session, user, 2 for permissions, the group's metrics (5), however many figures."""
    quill = OrganisationFactory(name="Quillfeather Biologics")
    for index in range(count):
        stated(10 + index, quill)
    with django_assert_num_queries(5):
        assert client.get(conflict_url(quill)).status_code == 200
