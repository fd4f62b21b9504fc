"""The admin is the editors' workspace: what an editor can and cannot do there."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.urls import reverse

from articles.models import Article, OrganisationMention
from entities.models import Metric, Organisation, Person, Position, Program, ReviewStatus
from kaluga_cluster.editors import EDITORS_GROUP

pytestmark = pytest.mark.django_db

CURATED_MODELS = [
    ("articles", "article"),
    ("entities", "organisation"),
    ("entities", "person"),
    ("entities", "position"),
    ("entities", "program"),
    ("entities", "metric"),
]


@pytest.fixture
def editor(client):
    """A staff user in the Editors group, logged in."""
    user = User.objects.create_user("editor", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client.force_login(user)
    return user


@pytest.fixture
def records():
    """One record of every curated model, linked together."""
    article = Article.objects.create(
        title="Northwind opens a plant",
        slug="northwind-opens-a-plant",
        source_file="northwind.txt",
        body="Northwind Pharma invested RUB 5 million.",
        content_hash="0" * 64,
    )
    organisation = Organisation.objects.create(name="Northwind Pharma", aliases=["NWP"])
    person = Person.objects.create(name="Olga Petrova")
    position = Position.objects.create(
        person=person, title="Director", organisation=organisation, article=article
    )
    program = Program.objects.create(name="Pharma Talent 2040")
    metric = Metric.objects.create(
        article=article,
        label="investment",
        value=Decimal("5000000"),
        unit="RUB",
        raw_text="RUB 5 million",
        quote=article.body,
        start=26,
        end=39,
        organisation=organisation,
    )
    OrganisationMention.objects.create(
        article=article, organisation=organisation, spans=[[0, 16]], quote=article.body
    )
    return {
        "article": article,
        "organisation": organisation,
        "person": person,
        "position": position,
        "program": program,
        "metric": metric,
    }


@pytest.mark.parametrize(("app", "model"), CURATED_MODELS)
def test_editor_sees_every_changelist_add_and_change_page(client, editor, records, app, model):
    """An editor can open the list, the add form and a record's change form of every model."""
    obj = records[model]
    for url in (
        reverse(f"admin:{app}_{model}_changelist"),
        reverse(f"admin:{app}_{model}_add"),
        reverse(f"admin:{app}_{model}_change", args=[obj.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize(
    ("app", "model", "term"),
    [
        ("articles", "article", "plant"),
        ("entities", "organisation", "NWP"),  # found through its alias
        ("entities", "person", "petrova"),
        ("entities", "position", "Director"),
        ("entities", "program", "talent"),
        ("entities", "metric", "investment"),
    ],
)
def test_changelist_search_finds_the_record(client, editor, records, app, model, term):
    """Searching a changelist finds the record by its name, alias or wording."""
    response = client.get(reverse(f"admin:{app}_{model}_changelist"), {"q": term})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert list(response.context["cl"].result_list) == [records[model]]


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("admin:entities_organisation_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_editor_cannot_manage_users_or_groups(client, editor):
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_staff_without_editors_group_cannot_curate(client):
    """Being staff is not enough: curating needs the Editors group's permissions."""
    client.force_login(User.objects.create_user("visitor", password="x", is_staff=True))
    assert client.get(reverse("admin:entities_organisation_changelist")).status_code == 403


def test_editor_save_marks_record_curated_and_keeps_aliases_as_list(client, editor, records):
    """A save through the admin protects the record from imports; aliases are one per line."""
    organisation = records["organisation"]
    response = client.post(
        reverse("admin:entities_organisation_change", args=[organisation.pk]),
        {
            "name": "Northwind Pharmaceuticals",
            "slug": organisation.slug,
            "kind": Organisation.Kind.COMPANY,
            "aliases": "NWP\nNorthwind Pharma\n\nNWP",
            "description": "",
            "positions-TOTAL_FORMS": "1",
            "positions-INITIAL_FORMS": "1",
            "positions-0-id": records["position"].pk,
            "positions-0-organisation": organisation.pk,
            "positions-0-person": records["person"].pk,
            "positions-0-title": "Director",
            "positions-0-article": records["article"].pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation.refresh_from_db()
    assert organisation.name == "Northwind Pharmaceuticals"
    assert organisation.curated is True
    assert organisation.aliases == ["NWP", "Northwind Pharma"]


def test_aliases_are_edited_one_per_line(client, editor, records):
    organisation = records["organisation"]
    response = client.get(reverse("admin:entities_organisation_change", args=[organisation.pk]))
    assert 'id="id_aliases">\nNWP</textarea>' in response.content.decode()


def test_autocomplete_finds_organisations_for_editor(client, editor, records):
    """Relations are picked by autocomplete, which searches names."""
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "north",
            "app_label": "entities",
            "model_name": "position",
            "field_name": "organisation",
        },
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Northwind Pharma"]


def test_rejecting_a_metric_hides_it_curates_it_and_is_logged(client, editor, records):
    metric = records["metric"]
    response = client.post(
        reverse("admin:entities_metric_changelist"),
        {"action": "reject_records", "_selected_action": [metric.pk]},
    )
    assert response.status_code == 302
    metric.refresh_from_db()
    assert metric.review_status == ReviewStatus.REJECTED
    assert metric.curated is True
    entry = LogEntry.objects.get(object_id=str(metric.pk))
    assert entry.user == editor
    assert "Rejected" in entry.get_change_message()


def test_provenance_of_extracted_metric_is_read_only(client, editor, records):
    """An editor may correct a metric's value but not rewrite the sentence it came from."""
    response = client.get(reverse("admin:entities_metric_change", args=[records["metric"].pk]))
    html = response.content.decode()
    assert 'name="value"' in html
    assert 'name="quote"' not in html
    assert 'name="article"' not in html


def write_article(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


ARTICLE_TEXT = """Northwind Pharma Opens a Plant in Lyudinovo

On March 3, 2021 Northwind Pharma LLC opened a plant. Olga Petrova, the Executive Director of
Northwind Pharma LLC, said the company invested over RUB 500 million in the project.
"""


def test_person_deleted_in_admin_is_not_recreated_by_import(client, editor, tmp_path):
    """An editor's deletion survives a forced re-import of the same article."""
    from django.core.management import call_command

    path = write_article(tmp_path, "northwind.txt", ARTICLE_TEXT)
    call_command("import_seeds", str(path))
    person = Person.objects.get(name="Olga Petrova")

    response = client.post(
        reverse("admin:entities_person_delete", args=[person.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    call_command("import_seeds", str(path), "--force")
    assert not Person.objects.filter(name="Olga Petrova").exists()
    assert Organisation.objects.filter(name__icontains="Northwind").exists()


def test_mention_removed_in_article_inline_is_not_readded(client, editor, tmp_path):
    from django.core.management import call_command

    path = write_article(tmp_path, "northwind.txt", ARTICLE_TEXT)
    call_command("import_seeds", str(path))
    article = Article.objects.get()
    mention = article.organisation_mentions.get()
    data = {
        "title": article.title,
        "slug": article.slug,
        "published_on": article.published_on.isoformat(),
        "source": article.source,
        "status": article.status,
        "body": article.body,
        "organisation_mentions-TOTAL_FORMS": "1",
        "organisation_mentions-INITIAL_FORMS": "1",
        "organisation_mentions-0-id": mention.pk,
        "organisation_mentions-0-article": article.pk,
        "organisation_mentions-0-organisation": mention.organisation_id,
        "organisation_mentions-0-DELETE": "on",
    }
    # The other inlines are posted empty, which leaves their rows untouched.
    for prefix in ("person_mentions", "program_mentions", "metrics"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert not article.organisation_mentions.exists()
    call_command("import_seeds", str(path), "--force")
    assert not article.organisation_mentions.exists()


def test_merge_action_keeps_the_chosen_record_and_remembers_the_other_name(client, editor, records):
    """Merging asks which record to keep, then moves everything to it."""
    duplicate = Organisation.objects.create(name="NW Pharmaceuticals")
    Metric.objects.filter(pk=records["metric"].pk).update(organisation=duplicate)
    changelist = reverse("admin:entities_organisation_changelist")
    selected = [records["organisation"].pk, duplicate.pk]

    confirmation = client.post(
        changelist, {"action": "merge_records", "_selected_action": selected}
    )
    assert confirmation.status_code == 200
    assert "Choose the record to keep" in confirmation.content.decode()

    response = client.post(
        changelist,
        {"action": "merge_records", "_selected_action": selected, "keep": duplicate.pk},
    )
    assert response.status_code == 302
    kept = Organisation.objects.get()
    assert kept.pk == duplicate.pk
    assert "Northwind Pharma" in kept.aliases
    assert kept.metrics.get() == records["metric"]
    assert kept.positions.get() == records["position"]
    assert LogEntry.objects.filter(object_id=str(kept.pk)).exists()


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("admin:entities_organisation_changelist", {"q": "x" * 100_000}),
        ("admin:entities_metric_changelist", {"q": "ж" * 60_000}),
        ("admin:articles_article_changelist", {"q": "x" * 100_000}),
        ("admin:entities_importtombstone_changelist", {"q": "x" * 100_000}),
        (
            "admin:autocomplete",
            {
                "term": "x" * 100_000,
                "app_label": "entities",
                "model_name": "position",
                "field_name": "organisation",
            },
        ),
    ],
)
def test_pasted_wall_of_text_searches_without_error(client, editor, records, url, params):
    """A search far longer than anyone types answers (no match), instead of a database error.

    SQLite refuses LIKE patterns over 50,000 bytes; the admin cuts the search text.
    """
    from entities.services import editor_delete

    editor_delete(instance=Program.objects.get())  # a tombstone row to search
    response = client.get(reverse(url), params)
    assert response.status_code == 200
