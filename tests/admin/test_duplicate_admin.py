"""The duplicate queue in the admin: the list of pairs and the page deciding one.

Every name here is invented.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from entities.models import DuplicateCandidate, Organisation, Person
from entities.services.duplicates import refresh_candidates
from kaluga_cluster.editors import EDITORS_GROUP
from tests.factories import (
    ArticleFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:entities_duplicatecandidate_changelist"


@pytest.fixture
def editor(client):
    """A staff user in the Editors group, logged in."""
    user = User.objects.create_user("editor", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client.force_login(user)
    return user


BRANDS = [
    "Qorvalen",
    "Tessarin",
    "Mirodex",
    "Vantrel",
    "Gorsanta",
    "Pelvido",
    "Ulmastra",
    "Briketto",
    "Cendrova",
    "Fastinel",
    "Holmerin",
    "Jurevka",
    "Kastrovin",
    "Lobrenta",
    "Nuvestra",
    "Oprelda",
]


def make_pairs(count: int, start: int = 0) -> None:
    """``count`` organisation pairs ("Brand" ~ "Brand Biotech Labs") and a person pair."""
    for brand in BRANDS[start : start + count]:
        OrganisationFactory(name=brand)
        OrganisationFactory(name=f"{brand} Biotech Labs")
    if not Person.objects.exists():
        PersonFactory(name="J. Orbelt")
        PersonFactory(name="Jonas Orbelt")
    refresh_candidates()


def pair_url(pair, view="change"):
    return reverse(f"admin:entities_duplicatecandidate_{view}", args=[pair.pk])


def test_changelist_lists_open_pairs_best_first_with_both_names_linked(client, editor):
    """Open pairs, highest score first, each with links to both records."""
    make_pairs(2)
    decided = DuplicateCandidate.objects.filter(kind="organisation").first()
    decided.status = DuplicateCandidate.Status.DISTINCT
    decided.save()
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [row.status for row in rows] == ["open", "open"]
    assert [row.score for row in rows] == sorted((row.score for row in rows), reverse=True)
    person = Person.objects.get(name="Jonas Orbelt")
    content = response.content.decode()
    assert reverse("admin:entities_person_change", args=[person.pk]) in content
    assert "Jonas Orbelt" in content and "J. Orbelt" in content
    assert "initials and full first name" in content

    response = client.get(reverse(CHANGELIST), {"status": "distinct"})
    assert [row.pk for row in response.context["cl"].result_list] == [decided.pk]
    response = client.get(reverse(CHANGELIST), {"status": "all", "kind__exact": "organisation"})
    assert len(response.context["cl"].result_list) == 2


def test_changelist_query_count_does_not_grow_with_pairs(
    client, editor, django_assert_max_num_queries
):
    """The list reads the names of both records of every row in its one query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_pairs(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(CHANGELIST)).status_code == 200
    make_pairs(12, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(CHANGELIST))
    assert len(response.context["cl"].result_list) > 12


def test_pair_page_shows_both_records_evidence_side_by_side(client, editor):
    """Both names, each with the sentence it comes from, and the three buttons."""
    left = OrganisationFactory(name="Qorvalen")
    right = OrganisationFactory(name="Qorvalen Biotech Labs")
    body = "Qorvalen opened a plant. Later Qorvalen Biotech Labs hired chemists."
    article = ArticleFactory(title="Plant opens", body=body)
    OrganisationMentionFactory(article=article, organisation=left, spans=[[0, 8]])
    OrganisationMentionFactory(article=article, organisation=right, spans=[[31, 52]])
    refresh_candidates()
    pair = DuplicateCandidate.objects.get()
    response = client.get(pair_url(pair))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<mark>Qorvalen</mark> opened a plant." in content
    assert "Later <mark>Qorvalen Biotech Labs</mark> hired chemists." in content
    for label in ("Merge into left", "Merge into right", "Not the same"):
        assert label in content
    assert "csrfmiddlewaretoken" in content


def test_pair_page_query_count_does_not_grow_with_mentions(
    client, editor, django_assert_max_num_queries
):
    """Evidence is bounded: more mentions do not mean more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    left, right = OrganisationFactory(name="Qorvalen"), OrganisationFactory(name="Qorvalen Labs")
    refresh_candidates()
    pair = DuplicateCandidate.objects.get()
    OrganisationMentionFactory(organisation=left)
    with CaptureQueriesContext(connection) as few:
        client.get(pair_url(pair))
    for _ in range(8):
        OrganisationMentionFactory(organisation=left)
        OrganisationMentionFactory(organisation=right)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(pair_url(pair)).status_code == 200


def test_merge_into_left_keeps_the_left_record_and_goes_to_the_next_pair(client, editor):
    """POST "merge_left": the right record is merged away; the next open pair follows."""
    make_pairs(2)
    first = DuplicateCandidate.objects.filter(kind="organisation").order_by("-score", "pk")[0]
    best = DuplicateCandidate.objects.order_by("-score", "pk").exclude(pk=first.pk).first()
    response = client.post(pair_url(first, "decide"), {"decision": "merge_left"})
    assert response.status_code == 302
    assert response["Location"] == pair_url(best)
    first.refresh_from_db()
    assert first.status == "merged"
    assert Organisation.objects.filter(pk=first.first_id).exists()
    assert not Organisation.objects.filter(pk=first.second_id).exists()


def test_merge_into_right_keeps_the_right_record(client, editor):
    """POST "merge_right": the left record is merged into the right one."""
    make_pairs(1)
    pair = DuplicateCandidate.objects.get(kind="organisation")
    client.post(pair_url(pair, "decide"), {"decision": "merge_right"})
    assert not Organisation.objects.filter(pk=pair.first_id).exists()
    kept = Organisation.objects.get(pk=pair.second_id)
    assert "Qorvalen" in kept.aliases


def test_not_the_same_is_remembered_and_the_last_pair_returns_to_the_list(client, editor):
    """POST "distinct": the pair is decided; with none left the list follows."""
    PersonFactory(name="J. Orbelt")
    PersonFactory(name="Jonas Orbelt")
    refresh_candidates()
    pair = DuplicateCandidate.objects.get()
    response = client.post(pair_url(pair, "decide"), {"decision": "distinct"})
    assert response["Location"] == reverse(CHANGELIST)
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by) == ("distinct", editor)
    refresh_candidates()
    assert pair.__class__.objects.get().status == "distinct"
    # The decided pair's page shows the answer and no buttons.
    content = client.get(pair_url(pair)).content.decode()
    assert "Not the same" in content and "Merge into left" not in content


def test_deciding_needs_post_csrf_and_permission(client):
    """GET does not decide; a viewer without change permission cannot; CSRF is checked."""
    make_pairs(1)
    pair = DuplicateCandidate.objects.get(kind="organisation")
    viewer = User.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(viewer)
    assert client.get(pair_url(pair, "decide")).status_code == 405
    assert client.post(pair_url(pair, "decide"), {"decision": "distinct"}).status_code == 403
    pair.refresh_from_db()
    assert pair.status == "open"

    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    editor = User.objects.create_user("strict", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    strict.force_login(editor)
    assert strict.post(pair_url(pair, "decide"), {"decision": "distinct"}).status_code == 403
    pair.refresh_from_db()
    assert pair.status == "open"


def test_pairs_cannot_be_added_by_hand(client, editor):
    """Pairs are found, not typed in."""
    assert client.get(reverse("admin:entities_duplicatecandidate_add")).status_code == 403
