"""The changes feed (``?updated_since=``) and the deletions feed (``/api/deletions/``).

The main test keeps a mirror of the API in a dict, as an external tool would,
using nothing but the two feeds and their cursor ``next`` links; editors
change, hide, reject and delete records in the real admin, merge a pair in
the review workbench, undo things and the import runs again over changed
files; after each round the mirror equals a fresh read of every list.
"""

import datetime
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article
from entities.models import Deletion, Metric, Organisation, Person, ReviewDecision
from entities.services import review
from kaluga_cluster.editors import CURATED_APPS, EDITORS_GROUP
from tests.admin.test_editor_workflow import change_form_data
from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
    PersonMentionFactory,
    PositionFactory,
    ProgramMentionFactory,
)

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ENDPOINTS = {
    "article": "/api/articles/",
    "organisation": "/api/organisations/",
    "person": "/api/people/",
    "program": "/api/programs/",
    "metric": "/api/metrics/",
}


# --- a mirror, as a client would keep it ---------------------------------------------------------


def read(api, url: str, params: dict) -> list[dict]:
    """Every record of a paged list, following ``next`` as given; checks ``count``."""
    response = api.get(url, params)
    assert response.status_code == 200, response.content
    count, records = response.json()["count"], []
    while True:
        body = response.json()
        assert body["count"] == count
        records.extend(body["results"])
        if body["next"] is None:
            break
        response = api.get(body["next"])
        assert response.status_code == 200, response.content
    assert len(records) == count
    return records


def fresh_read(api) -> dict:
    """Every record of every list, by (kind, id), read page by page."""
    return {
        (kind, record["id"]): record
        for kind, url in ENDPOINTS.items()
        for record in read(api, url, {"page_size": 100})
    }


def sync(api, mirror: dict, since: str) -> str:
    """Apply what left, then what changed, since ``since``; return the next ``since``."""
    started = timezone.now().isoformat()
    for entry in read(api, "/api/deletions/", {"since": since, "page_size": 3}):
        mirror.pop((entry["kind"], entry["id"]), None)
    for kind, url in ENDPOINTS.items():
        for record in read(api, url, {"updated_since": since, "page_size": 3}):
            mirror[(kind, record["id"])] = record
    return started


# --- the editors, in the admin ----------------------------------------------------------------


@pytest.fixture
def editor(client):
    """An Editors-group member with admin access, signed in to the admin."""
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=CURATED_APPS))
    user = User.objects.create_user("olga", password="a long editor password", is_staff=True)
    user.groups.add(group)
    client.force_login(user)
    return user


@pytest.fixture
def seeds_dir(tmp_path):
    """A copy of seeds/ that the test may change, imported."""
    directory = tmp_path / "seeds"
    shutil.copytree(SEEDS, directory)
    call_command("import_seeds", str(directory), stdout=open("/dev/null", "w"))  # noqa: SIM115
    return directory


def admin_change(client, app: str, obj, **changes) -> None:
    """Save ``obj``'s admin change form as the page shows it, with ``changes``."""
    url = reverse(f"admin:{app}_{obj._meta.model_name}_change", args=[obj.pk])
    data = change_form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""


def admin_action(client, app: str, model, action: str, *records) -> None:
    """Run a changelist action on ``records``."""
    url = reverse(f"admin:{app}_{model._meta.model_name}_changelist")
    data = {"action": action, "_selected_action": [record.pk for record in records]}
    assert client.post(url, data).status_code == 302


def admin_delete(client, app: str, obj) -> None:
    """Delete ``obj`` through its admin delete page."""
    url = reverse(f"admin:{app}_{obj._meta.model_name}_delete", args=[obj.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302


@pytest.mark.parametrize("viewer", ["visitor", "editor"])
def test_a_mirror_kept_by_the_feeds_equals_a_fresh_read(client, editor, seeds_dir, viewer):
    """Changes, deletions, a merge, undos and re-imports: the feeds keep a mirror exact."""
    api = APIClient()
    if viewer == "editor":  # editors see hidden articles and their metrics too
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    mirror: dict = {}
    since = sync(api, mirror, "2000-01-01T00:00:00Z")
    assert mirror == fresh_read(api) and len(mirror) > 50

    # An editor's day in the admin.
    park = Organisation.objects.get(name="Active Molecules’ Park")
    admin_change(client, "entities", park, name="Active Molecules Technopark")
    director = Person.objects.get(name="Anatoly Sotnikov")
    admin_change(client, "entities", director, **{"positions-0-title": "General Director"})
    hidden = Article.objects.filter(metrics__isnull=False).order_by("pk").first()
    admin_action(client, "articles", Article, "hide_articles", hidden)
    admin_action(
        client, "entities", Metric, "reject_records", Metric.objects.exclude(article=hidden).first()
    )
    fund = Organisation.objects.filter(mentions__isnull=False).exclude(pk=park.pk).last()
    admin_action(client, "entities", Organisation, "reject_records", fund)
    admin_delete(client, "entities", Person.objects.get(name="A.E. Shadrin"))
    admin_delete(client, "entities", Metric.objects.exclude(article=hidden).last())
    deleted = Article.objects.exclude(pk=hidden.pk).filter(metrics__isnull=False).last()
    admin_delete(client, "articles", deleted)
    # A merge from the review workbench.
    stada, hemofarm = (
        Organisation.objects.get(name="STADA"),
        Organisation.objects.get(name="Hemofarm"),
    )
    merge = review.merge(keep=stada, others=[hemofarm], user=editor)

    since = sync(api, mirror, since)
    assert mirror == fresh_read(api)
    assert ("organisation", hemofarm.pk) not in mirror
    assert Deletion.objects.filter(object_id=hemofarm.pk, merged_into=stada.pk).exists()

    # Taken back: the merge undone, the article published, the rejection undone;
    # then the import runs over files that changed.
    review.undo(ReviewDecision.objects.get(pk=merge.pk), user=editor)
    admin_action(client, "articles", Article, "publish_articles", hidden)
    review.undo(ReviewDecision.objects.get(object_id=fund.pk, action="reject"), user=editor)
    for path in sorted(seeds_dir.iterdir())[:2]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("LLC", "Ltd") + "\n\nZenith Biotech LLC opened an office.\n")
    call_command("import_seeds", str(seeds_dir), stdout=open("/dev/null", "w"))  # noqa: SIM115

    sync(api, mirror, since)
    assert mirror == fresh_read(api)
    assert ("organisation", hemofarm.pk) in mirror
    assert ("article", hidden.pk) in mirror


# --- the feeds themselves -------------------------------------------------------------------------


def _moment(record) -> str:
    return record.updated_at.isoformat()


def test_updated_since_gives_what_changed_oldest_first(api):
    """Only records changed at or after the moment, in change order, with their count."""
    old, middle, new = (OrganisationFactory(name=name) for name in ("Old", "Middle", "New"))
    Organisation.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(1))
    Organisation.objects.filter(pk=middle.pk).update(name="Middle renamed")
    middle.refresh_from_db()

    body = api.get("/api/organisations/", {"updated_since": _moment(new)}).json()

    assert [row["name"] for row in body["results"]] == ["New", "Middle renamed"]
    assert (body["count"], body["previous"], body["next"]) == (2, None, None)


def test_the_cursor_neither_skips_nor_repeats_when_records_change_meanwhile(api):
    """A record changed while a client pages comes once more at the end; none is lost."""
    organisations = [OrganisationFactory() for _ in range(5)]
    since = _moment(organisations[0])
    first = api.get("/api/organisations/", {"updated_since": since, "page_size": 2}).json()
    # The first record of page one changes: it moves to the end of the feed.
    Organisation.objects.filter(pk=organisations[0].pk).update(kind="fund")

    seen = [row["id"] for row in first["results"]]
    response = api.get(first["next"])
    while True:
        body = response.json()
        seen += [row["id"] for row in body["results"]]
        if body["next"] is None:
            break
        response = api.get(body["next"])

    assert seen == [o.pk for o in organisations] + [organisations[0].pk]


def test_records_changed_in_one_write_page_by_id(api):
    """Records sharing one change time (a bulk update) come in id order, across pages."""
    organisations = [OrganisationFactory() for _ in range(5)]
    Organisation.objects.update(kind="media")  # one timestamp for all five
    moment = Organisation.objects.first().updated_at.isoformat()

    ids = []
    response = api.get("/api/organisations/", {"updated_since": moment, "page_size": 2})
    while response is not None:
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        response = api.get(body["next"]) if body["next"] else None

    assert ids == sorted(o.pk for o in organisations)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"updated_since": "2026-13-01T00:00:00Z"}, "updated_since"),
        ({"updated_since": "0001-01-01T00:00:00+14:00"}, "updated_since"),
        ({"updated_since": "2026-01-01", "ordering": "name"}, "ordering"),
        ({"updated_since": "2026-01-01", "page": "2"}, "page"),
        ({"updated_since": "2026-01-01", "cursor": "bm90IGEgY3Vyc29y"}, "cursor"),
        (
            {"updated_since": "2026-01-01", "cursor": "OTk5OS0xMi0zMVQyMzo1OTo1OS0xNDowMHwx"},
            "cursor",
        ),
        ({"cursor": "anything"}, "cursor"),
    ],
)
def test_unusable_feed_parameters_answer_400_naming_them(api, params, parameter):
    """A malformed moment or cursor, or a page-number parameter in a feed, is refused."""
    response = api.get("/api/organisations/", params)
    assert response.status_code == 400
    assert parameter in response.json()["errors"]


def test_moments_take_dates_offsets_and_a_plus_sent_as_a_space(api):
    """A date alone is midnight UTC; an offset typed with an unescaped + still reads as +."""
    acme = OrganisationFactory()
    Organisation.objects.filter(pk=acme.pk).update(
        updated_at=datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
    )

    def count(moment: str) -> int:
        return api.get(f"/api/organisations/?updated_since={moment}").json()["count"]

    assert count("2026-03-01") == 1
    assert count("2026-03-01T12:00:00Z") == 1
    assert count("2026-03-01T15:00:01+03:00") == 0  # "+" arrives as a space
    assert count("2026-03-01T15:00:00%2B03:00") == 1
    assert count("2026-03-01T12:00:00") == 1  # no offset: UTC


def test_a_feed_of_articles_keeps_the_keys_of_their_pages(api):
    """Article pages say whether their count is exact; a feed's count always is."""
    body = api.get("/api/articles/", {"updated_since": "2000-01-01"}).json()
    assert list(body) == ["count", "count_exact", "next", "previous", "results"]
    assert body["count_exact"] is True


def test_without_updated_since_lists_page_as_before(api):
    """The plain list keeps its page numbers: ``page=2`` works and ``cursor`` is unknown."""
    for _ in range(3):
        OrganisationFactory()
    body = api.get("/api/organisations/", {"page_size": 2, "page": 2}).json()
    assert body["count"] == 3 and body["previous"].endswith("page_size=2")


FEED_QUERIES = {
    # count + page, then what each list reads for its page anyway (tests/api/test_queries.py)
    "/api/articles/": 2 + 4,
    "/api/organisations/": 2,
    "/api/people/": 2 + 1,
    "/api/programs/": 2,
    "/api/metrics/": 2,
    "/api/deletions/": 2,
}


@pytest.fixture
def corpus():
    """Twelve articles, each mentioning an organisation, a person (with a position) and a
    program and stating two metrics; twelve entries in the deletions feed."""
    for _ in range(12):
        article = ArticleFactory(body="The budget allocates RUR 93.3 Million. " * 160)
        OrganisationMentionFactory(article=article)
        PositionFactory(person=PersonMentionFactory(article=article).person, article=article)
        ProgramMentionFactory(article=article)
        MetricFactory.create_batch(2, article=article)
        Deletion.objects.create(kind="article", object_id=article.pk + 1000, reason="deleted")


@pytest.mark.parametrize("url", FEED_QUERIES)
@pytest.mark.parametrize("page_size", [1, 5])
def test_feed_pages_cost_a_fixed_number_of_queries(
    api, corpus, django_assert_num_queries, url, page_size
):
    """A later page of a feed costs as many queries for one record as for ten."""
    moment = {"since" if url == "/api/deletions/" else "updated_since": "2000-01-01"}
    first = api.get(url, {**moment, "page_size": page_size}).json()
    with django_assert_num_queries(FEED_QUERIES[url]):
        response = api.get(first["next"])
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size


def test_the_deletions_feed_filters_by_kind_and_moment(api):
    """``kind`` (repeatable) and ``since`` narrow the feed; an unknown kind is a 400."""
    yesterday = timezone.now() - datetime.timedelta(1)
    Deletion.objects.create(kind="person", object_id=7, reason="deleted", deleted_at=yesterday)
    merged = Deletion.objects.create(
        kind="organisation", object_id=8, reason="merged", merged_into=3
    )
    Deletion.objects.create(kind="metric", object_id=9, reason="hidden")

    body = api.get("/api/deletions/", {"kind": ["organisation", "person"]}).json()
    assert [(row["kind"], row["id"]) for row in body["results"]] == [
        ("person", 7),
        ("organisation", 8),
    ]
    entry = body["results"][1]
    assert datetime.datetime.fromisoformat(entry.pop("deleted_at")) == merged.deleted_at
    assert entry == {"kind": "organisation", "id": 8, "reason": "merged", "merged_into": 3}
    since = api.get("/api/deletions/", {"since": merged.deleted_at.isoformat()}).json()
    assert [row["id"] for row in since["results"]] == [8, 9]
    assert api.get("/api/deletions/", {"kind": "widget"}).status_code == 400


def test_the_feeds_are_documented(api):
    """updated_since and cursor on every list; the deletions feed with since and kind."""
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for url in ENDPOINTS.values():
        names = {p["name"] for p in schema["paths"][url]["get"]["parameters"]}
        assert {"updated_since", "cursor", "page", "page_size"} <= names
    deletions = schema["paths"]["/api/deletions/"]["get"]
    assert {"since", "kind", "cursor", "page_size"} <= {p["name"] for p in deletions["parameters"]}
    entry = schema["components"]["schemas"]["Deletion"]["properties"]
    assert set(entry) == {"kind", "id", "reason", "merged_into", "deleted_at"}
