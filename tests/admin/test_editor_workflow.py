"""End to end: an editor's day in the real admin (and the API) survives every later import.

An editor (created with ``create_editor``, signed in with a password, in the
Editors group, not a superuser) curates the imported seed articles: renames an
organisation and changes its kind, merges two organisations, deletes a wrong
person, rejects a metric, corrects a position through the person's inline, and
renames a person through the API with a token. Then the articles are imported
again with ``--force`` and again after every file's text changed: nothing
reverts, nothing deleted or rejected comes back, no merged record reappears,
and the admin history says who did each of these things.
"""

import io
import shutil
from pathlib import Path

import pytest
from django import forms
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article, OrganisationMention, PersonMention, ProgramMention
from entities.models import Metric, Organisation, Person, Position, Program, ReviewStatus
from entities.normalise import normalise_name

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PASSWORD = "an editor's long passphrase 42"


@pytest.fixture
def seeds_dir(tmp_path):
    """A copy of seeds/ whose files the test may change."""
    directory = tmp_path / "seeds"
    shutil.copytree(SEEDS, directory)
    return directory


@pytest.fixture
def editor(client, monkeypatch):
    """An editor made by create_editor, signed in to the admin with a password."""
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "olga", "--noinput", stdout=io.StringIO())
    user = User.objects.get(username="olga")
    assert user.is_staff and not user.is_superuser
    # Through the login form, as the editor would (the login throttle sees it too).
    response = client.post(
        reverse("admin:login"), {"username": "olga", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    return user


def import_seeds(directory: Path, *options: str) -> str:
    out = io.StringIO()
    call_command("import_seeds", str(directory), *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def change_form_data(response) -> dict:
    """The POST data of an admin change form exactly as the page shows it, inlines included."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field, forms.BooleanField):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value is not None:
                data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:
            add(form)
    return data


def post_change(client, model: str, obj, **changes):
    """Open the admin change form of ``obj``, apply ``changes`` and save it."""
    url = reverse(f"admin:entities_{model}_change", args=[obj.pk])
    data = change_form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""


def snapshot() -> dict:
    """Everything an editor curates, by name (ids of re-extracted rows change)."""
    return {
        "organisations": sorted(
            (o.name, o.kind, tuple(o.aliases), o.curated) for o in Organisation.objects.all()
        ),
        "people": sorted((p.name, tuple(p.aliases)) for p in Person.objects.all()),
        "programs": sorted(Program.objects.values_list("name", "kind")),
        "positions": sorted(
            (p.person.name, p.title, p.organisation.name if p.organisation else None)
            for p in Position.objects.select_related("person", "organisation")
        ),
        "metrics": sorted(
            (m.article.source_file, m.raw_text, m.review_status, str(m.subject or ""))
            for m in Metric.objects.select_related("article", "organisation", "program")
        ),
        "mentions": sorted(
            (mention.article.source_file, str(getattr(mention, link)))
            for model, link in (
                (OrganisationMention, "organisation"),
                (PersonMention, "person"),
                (ProgramMention, "program"),
            )
            for mention in model.objects.select_related("article", link)
        ),
    }


def exists_named(model, name: str) -> bool:
    return model.objects.filter(normalized_name=normalise_name(name)).exists()


def history(obj_or_model, pk=None):
    """(action, message, user) of the admin history of a record, oldest first."""
    model = obj_or_model if pk is not None else type(obj_or_model)
    pk = pk if pk is not None else obj_or_model.pk
    entries = LogEntry.objects.filter(
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
        object_id=str(pk),
    ).order_by("action_time", "pk")
    return [
        (entry.action_flag, entry.get_change_message(), entry.user.username) for entry in entries
    ]


def test_editors_work_survives_forced_and_changed_re_imports(client, editor, seeds_dir):
    """Every edit, merge, deletion and rejection stays as the editor left it, and is logged."""
    out = import_seeds(seeds_dir)
    assert "5 imported (5 new, 0 updated)" in out

    # 1. Rename an organisation, then change its kind (two saves, two history lines).
    park = Organisation.objects.get(name="Active Molecules’ Park")
    park_articles = set(park.mentions.values_list("article_id", flat=True))
    post_change(client, "organisation", park, name="Active Molecules Technopark")
    post_change(client, "organisation", park, kind=Organisation.Kind.CLUSTER)
    park.refresh_from_db()
    assert (park.name, park.kind, park.curated) == (
        "Active Molecules Technopark",
        Organisation.Kind.CLUSTER,
        True,
    )
    # The old spelling stays known, so articles that use it keep linking here.
    assert "Active Molecules’ Park" in park.aliases

    # 2. Merge the plant's record into its owner's with the admin action (the import
    # keeps them apart: the articles never say that Hemofarm belongs to STADA).
    keep = Organisation.objects.get(name="STADA")
    duplicate = Organisation.objects.get(name="Hemofarm")
    moved_articles = set(duplicate.mentions.values_list("article_id", flat=True))
    moved_positions = set(duplicate.positions.values_list("pk", flat=True))
    moved_metrics = set(duplicate.metrics.values_list("pk", flat=True))
    assert moved_articles and moved_positions and moved_metrics
    changelist = reverse("admin:entities_organisation_changelist")
    selected = {"action": "merge_records", "_selected_action": [keep.pk, duplicate.pk]}
    assert client.post(changelist, selected).status_code == 200  # which one to keep?
    assert client.post(changelist, {**selected, "keep": keep.pk}).status_code == 302
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    keep.refresh_from_db()
    assert "Hemofarm" in keep.aliases
    assert moved_articles <= set(keep.mentions.values_list("article_id", flat=True))
    assert moved_positions <= set(keep.positions.values_list("pk", flat=True))
    assert moved_metrics <= set(keep.metrics.values_list("pk", flat=True))

    # 3. Delete a wrong person.
    wrong = Person.objects.get(name="A.E. Shadrin")
    response = client.post(
        reverse("admin:entities_person_delete", args=[wrong.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not exists_named(Person, "A.E. Shadrin")

    # 4. Reject a metric (rejecting hides it and keeps it, so imports know not to recreate it).
    rejected = Metric.objects.get(raw_text="two pharmaceuticals")
    response = client.post(
        reverse("admin:entities_metric_changelist"),
        {"action": "reject_records", "_selected_action": [rejected.pk]},
    )
    assert response.status_code == 302
    rejected.refresh_from_db()
    assert rejected.review_status == ReviewStatus.REJECTED

    # 5. Correct a position through the person's inline.
    director = Person.objects.get(name="Anatoly Sotnikov")
    [position] = director.positions.all()
    assert position.title == "Director General"
    post_change(client, "person", director, **{"positions-0-title": "General Director"})
    position.refresh_from_db()
    assert (position.title, position.curated) == ("General Director", True)

    # 6. Rename a person through the API, with a token.
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    bortnik = Person.objects.get(name="I.M. Bortnik")
    response = api.patch(f"/api/people/{bortnik.pk}/", {"name": "Igor Bortnik"}, format="json")
    assert response.status_code == 200, response.content
    assert "I.M. Bortnik" in response.json()["aliases"]

    curated = snapshot()

    # Re-import everything, unchanged files re-extracted...
    out = import_seeds(seeds_dir, "--force")
    assert "5 imported (0 new, 5 updated)" in out
    assert snapshot() == curated
    # ...and after every file's text changed.
    for path in seeds_dir.iterdir():
        path.write_text(path.read_text(encoding="utf-8") + "\n\nThis article was updated.\n")
    out = import_seeds(seeds_dir)
    assert "5 imported (0 new, 5 updated)" in out
    assert snapshot() == curated

    # The edits are still there, and nothing came back as a second record.
    park.refresh_from_db()
    assert (park.name, park.kind) == ("Active Molecules Technopark", Organisation.Kind.CLUSTER)
    assert set(park.mentions.values_list("article_id", flat=True)) == park_articles
    assert not Organisation.objects.filter(name="Active Molecules’ Park").exists()
    assert not exists_named(Organisation, "Hemofarm")
    assert moved_articles <= set(keep.mentions.values_list("article_id", flat=True))
    assert not exists_named(Person, "A.E. Shadrin")
    assert list(Metric.objects.filter(raw_text="two pharmaceuticals")) == [rejected]
    assert Metric.objects.get(pk=rejected.pk).review_status == ReviewStatus.REJECTED
    assert list(director.positions.values_list("title", flat=True)) == ["General Director"]
    assert not exists_named(Person, "I.M. Bortnik")
    assert Person.objects.get(pk=bortnik.pk).name == "Igor Bortnik"
    assert Article.objects.count() == 5

    # The admin history says who did what, the merge included (on both records).
    assert history(park) == [
        (CHANGE, "Changed Name.", "olga"),
        (CHANGE, "Changed Kind.", "olga"),
    ]
    assert history(keep) == [(CHANGE, "Merged Hemofarm into this record.", "olga")]
    assert history(Organisation, duplicate.pk) == [
        (DELETION, f"Merged into STADA (id {keep.pk}).", "olga")
    ]
    assert history(Person, wrong.pk) == [(DELETION, "", "olga")]
    assert history(rejected) == [(CHANGE, "Rejected metric.", "olga")]
    assert history(director) == [(CHANGE, f"Changed Title for position “{position}”.", "olga")]
    assert history(bortnik) == [(CHANGE, "Changed through the API: name.", "olga")]
    assert not LogEntry.objects.filter(action_flag=ADDITION).exists()
    page = client.get(reverse("admin:entities_organisation_history", args=[keep.pk]))
    assert "Merged Hemofarm into this record." in page.content.decode()
