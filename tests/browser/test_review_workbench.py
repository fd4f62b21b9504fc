"""An editor's day in a real browser: the review queue, evidence, duplicates, conflicts (issue 16).

Three invented articles are imported with the real import: they give two
duplicate candidates (initials and full first name; a name whose words sit in
order inside another's), one metric conflict (two articles state different
investments of one company in one year) and unreviewed records. The editor
works through the queue in Chromium; then every article is imported again with
``--force`` and the site and the API still show each decision.

``WORKBENCH_SCREENSHOTS=docs/images`` also saves the screenshots the README shows.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from rest_framework.test import APIClient

from entities.models import DuplicateCandidate, Metric, Organisation, Person, ReviewStatus
from kaluga_cluster.editors import CURATED_APPS, EDITORS_GROUP

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLES = {
    "01_contract.txt": """\
Zarechye Biotech Signs a Supply Contract

Published 2 March 2022

Zarechye Biotech signed a contract to supply vaccines to regional hospitals, said \
A. Petrenko, head of the company.
""",
    "02_plant.txt": """\
Zarechye Biotech to Build a Vaccine Plant

Published 14 May 2022

Zarechye Biotech will invest RUB 500 million in a vaccine plant in Obninsk in 2022, said \
Anna Petrenko, General Director of Zarechye Biotech.

The Obninsk Medical Research Institute will train the staff of the plant.
""",
    "03_forum.txt": """\
Investors Meet at the Regional Pharma Forum

Published 20 June 2022

Zarechye Biotech will invest RUB 450 million in its vaccine plant in 2022, the company told \
the forum.

Oleg Danilov, Director of the Regional Investment Agency, said the agency supports twelve new \
projects.

The Obninsk Medical Institute will fund the training of engineers for the plant.
""",
}
PASSWORD = "a long editor password"


@pytest.fixture
def articles(tmp_path):
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text)
    call_command("import_seeds", str(tmp_path), verbosity=0)
    return tmp_path


@pytest.fixture
def editor_page(page, articles):
    """The tab, logged in as a member of the Editors group (not a superuser)."""
    editor = get_user_model().objects.create_user("irina", password=PASSWORD, is_staff=True)
    # The migrations create the group; an earlier transactional test's flush removed it.
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=CURATED_APPS))
    editor.groups.add(group)
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("irina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return page


def _screenshot(page, name: str) -> None:
    folder = os.environ.get("WORKBENCH_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_an_editor_works_through_the_queue_and_a_forced_reimport_keeps_every_decision(
    editor_page, articles
):
    page = editor_page
    zarechye = Organisation.objects.get(name="Zarechye Biotech")
    agency = Organisation.objects.get(name="Regional Investment Agency")
    anna = Person.objects.get(name="Anna Petrenko")
    initial = Person.objects.get(name="A. Petrenko")
    institutes = Organisation.objects.filter(name__startswith="Obninsk Medical")
    assert institutes.count() == 2

    # The admin index counts what waits; the queue lists it.
    assert "Duplicate candidates" in page.locator("#review-queue-box").inner_text()
    page.goto("/admin/review/")
    _screenshot(page, "review-queue.png")
    pairs = page.locator("#queue-pairs tr.review-pair")
    assert pairs.count() == 2
    assert "A. Petrenko ~ Anna Petrenko" in pairs.first.inner_text()  # the likelier pair first

    # Merge the initials into the full name: keep Anna Petrenko (the right-hand record).
    pairs.first.get_by_role("link", name="Decide").click()
    _screenshot(page, "duplicate-pair.png")
    sides = page.locator(".duplicate-side")
    assert "Petrenko" in sides.nth(0).locator("mark").first.inner_text()  # both sides' evidence
    assert "Petrenko" in sides.nth(1).locator("mark").first.inner_text()
    page.get_by_role("button", name="Merge into right").click()

    # The next open pair: the two institutes are different bodies.
    page.wait_for_url("**/duplicatecandidate/*/change/**")
    assert "Obninsk Medical Institute" in page.locator("#content").inner_text()
    page.get_by_role("button", name="Not the same").click()

    # The metric conflict: two articles, two investments of one company in 2022.
    page.goto("/admin/review/")
    assert page.locator("#queue-pairs tr.review-pair").count() == 0
    page.locator("#queue-conflicts").get_by_role("link", name="Resolve").click()
    _screenshot(page, "metric-conflict.png")
    preferred = Metric.objects.get(organisation=zarechye, value=500_000_000)
    column = page.locator("section.conflict-column", has=page.locator(f"#metric-{preferred.pk}"))
    column.get_by_role("button", name="Prefer this value").click()
    page.wait_for_url("**/admin/review/")
    assert "No open conflict." in page.locator("#queue-conflicts").inner_text()

    # Confirm a record from its evidence, reject another from its page.
    page.locator("#queue-organisation").get_by_role("link", name="Zarechye Biotech").click()
    _screenshot(page, "evidence.png")
    assert "Zarechye Biotech" in page.locator(".evidence-panel mark").first.inner_text()
    page.get_by_role("button", name="Confirm").click()
    assert "Confirmed 1 organisation(s)." in page.locator(".messagelist").inner_text()
    page.goto(f"/admin/entities/organisation/{agency.pk}/change/")
    page.get_by_role("button", name="Reject").click()
    assert "Rejected 1 organisation(s)." in page.locator(".messagelist").inner_text()

    # Every article again, forced: no decision is undone.
    call_command("import_seeds", str(articles), "--force", verbosity=0)

    assert not Person.objects.filter(pk=initial.pk).exists()
    assert Person.objects.filter(name__endswith="Petrenko").count() == 1
    # The article that says "A. Petrenko" now links to the record kept.
    assert anna.mentions.filter(article__source_file="01_contract.txt").exists()
    first, second = sorted(institutes.values_list("pk", flat=True))
    assert DuplicateCandidate.objects.get(first_id=first, second_id=second).status == "distinct"
    assert Organisation.objects.filter(name__startswith="Obninsk Medical").count() == 2
    assert Metric.objects.get(pk=preferred.pk).rank == Metric.Rank.PREFERRED
    zarechye.refresh_from_db()
    agency.refresh_from_db()
    assert zarechye.review_status == ReviewStatus.CONFIRMED
    assert agency.review_status == ReviewStatus.REJECTED
    assert Organisation.objects.filter(name="Regional Investment Agency").count() == 1

    # The site shows the decisions to visitors ...
    visitor = page.context.browser.new_context(base_url=page.url.split("/admin/")[0])
    site = visitor.new_page()
    site.goto("/organisations/")
    listing = site.locator("main").inner_text()
    assert "Zarechye Biotech" in listing and "Regional Investment Agency" not in listing
    site.goto(zarechye.get_absolute_url())
    row = site.locator("tr.metric-preferred")
    assert "RUB 500 million PREFERRED" in row.inner_text()  # the badge (text-transform)
    assert "Sources differ: also stated RUB 450 million" in row.inner_text()
    assert site.goto(agency.get_absolute_url()).status == 404
    visitor.close()

    # ... and so does the API.
    api = APIClient()
    organisations = api.get("/api/organisations/").json()["results"]
    assert agency.pk not in [row["id"] for row in organisations]
    zarechye_row = next(row for row in organisations if row["id"] == zarechye.pk)
    assert zarechye_row["review_status"] == "confirmed"
    metric = api.get(f"/api/metrics/{preferred.pk}/").json()
    assert metric["rank"] == "preferred"
    people = [row["name"] for row in api.get("/api/people/").json()["results"]]
    assert "A. Petrenko" not in people and "Anna Petrenko" in people
