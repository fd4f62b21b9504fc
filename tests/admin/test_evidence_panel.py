"""The Evidence panel of the admin's change pages: sentences, links and one-click review."""

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from entities.models import Organisation, ReviewStatus
from tests.factories import (
    ArticleFactory,
    MetricFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
    PersonFactory,
    PersonMentionFactory,
    PositionFactory,
    ProgramFactory,
    ProgramMentionFactory,
)

pytestmark = pytest.mark.django_db

BODY = "Market notes.\nHollowbrook Pharma built a lab in the valley. It hired staff."


@pytest.fixture
def admin_client(client):
    """A superuser, logged in."""
    client.force_login(User.objects.create_superuser("chief", password="x"))
    return client


def change_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def panel(response) -> str:
    """The HTML of the Evidence panel of a change page."""
    html = response.content.decode()
    match = re.search(r'<section class="module evidence-panel".*?</section>', html, re.S)
    assert match, "the change page has no Evidence panel"
    return " ".join(match.group().split())


def with_mention(factory, mention_factory, field, name):
    record = factory(name=name)
    article = ArticleFactory(body=BODY.replace("Hollowbrook Pharma", name))
    start = article.body.index(name)
    mention_factory(article=article, spans=[[start, start + len(name)]], **{field: record})
    return record, article


@pytest.mark.parametrize(
    ("factory", "mention_factory", "field"),
    [
        (OrganisationFactory, OrganisationMentionFactory, "organisation"),
        (PersonFactory, PersonMentionFactory, "person"),
        (ProgramFactory, ProgramMentionFactory, "program"),
    ],
)
def test_a_named_record_shows_its_sentence_marked_and_linked(
    admin_client, factory, mention_factory, field
):
    """The sentence naming it, the name in <mark>, the article linked at that sentence."""
    record, article = with_mention(factory, mention_factory, field, "Hollowbrook Pharma")

    html = panel(admin_client.get(change_url(record)))

    assert "<mark>Hollowbrook Pharma</mark> built a lab in the valley." in html
    sentence_start = article.body.index("Hollowbrook")
    assert f'href="/articles/{article.slug}/#s-{sentence_start}"' in html
    assert article.title in html
    assert "1 sentence from 1 of 1 article." in html


def test_a_position_shows_its_quote(admin_client):
    """A position's panel quotes the sentence stating it, the title marked."""
    body = "Intro.\nWren Caddick became Head of Quality at the lab."
    position = PositionFactory(
        person=PersonFactory(name="Wren Caddick"),
        title="Head of Quality",
        article=ArticleFactory(body=body),
        quote="Wren Caddick became Head of Quality at the lab.",
    )

    html = panel(admin_client.get(change_url(position)))

    assert "<mark>Wren Caddick</mark> became <mark>Head of Quality</mark> at the lab." in html
    assert f"#s-{body.index('Wren')}" in html


def test_a_metric_shows_the_sentence_of_its_figure(admin_client):
    """A metric's panel quotes its sentence, the figure marked."""
    body = "Intro.\nThe lab received RUB 4 million in grants."
    start = body.index("RUB 4 million")
    metric = MetricFactory(
        article=ArticleFactory(body=body),
        raw_text="RUB 4 million",
        quote="The lab received RUB 4 million in grants.",
        start=start,
        end=start + len("RUB 4 million"),
    )

    html = panel(admin_client.get(change_url(metric)))

    assert "The lab received <mark>RUB 4 million</mark> in grants." in html


def test_confirm_from_the_panel_confirms_and_comes_back(admin_client):
    """The Confirm button posts the confirm action and returns to the same change page."""
    record, _ = with_mention(
        OrganisationFactory, OrganisationMentionFactory, "organisation", "Hollowbrook Pharma"
    )
    page = panel(admin_client.get(change_url(record)))
    form_action = re.search(r'<form method="post" action="([^"]+)"', page).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert 'value="confirm_records"' in page and "csrfmiddlewaretoken" in fields

    response = admin_client.post(form_action, {**fields, "action": "confirm_records"})

    assert response.status_code == 302
    assert response.url == change_url(record)
    record.refresh_from_db()
    assert record.review_status == ReviewStatus.CONFIRMED
    after = admin_client.get(response.url)
    assert "Confirmed 1 organisation(s)." in after.content.decode()
    assert '<strong class="review-status">Confirmed</strong>' in panel(after)
    assert 'value="confirm_records"' not in panel(after)


def test_reject_from_the_panel_rejects_and_comes_back(admin_client):
    """The Reject button rejects the record and returns to its change page."""
    record, _ = with_mention(ProgramFactory, ProgramMentionFactory, "program", "Hollowbrook Pharma")
    url = change_url(record)
    changelist = reverse("admin:entities_program_changelist")

    response = admin_client.post(
        changelist,
        {
            "action": "reject_records",
            "index": "0",
            "_selected_action": str(record.pk),
            "_evidence_next": url,
        },
    )

    assert response.status_code == 302 and response.url == url
    record.refresh_from_db()
    assert record.review_status == ReviewStatus.REJECTED


def test_the_panel_never_returns_to_another_site(admin_client):
    """A forged return address leads back to the changelist, not away from the admin."""
    record, _ = with_mention(
        OrganisationFactory, OrganisationMentionFactory, "organisation", "Hollowbrook Pharma"
    )
    changelist = reverse("admin:entities_organisation_changelist")

    response = admin_client.post(
        changelist,
        {
            "action": "confirm_records",
            "index": "0",
            "_selected_action": str(record.pk),
            "_evidence_next": "https://evil.example/",
        },
    )

    assert response.status_code == 302 and response.url == changelist


def test_a_viewer_without_change_rights_sees_no_review_buttons(client):
    """Evidence is shown to whoever may view the record; the buttons only to who may change it."""
    user = User.objects.create_user("reader", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    client.force_login(user)
    record, _ = with_mention(
        OrganisationFactory, OrganisationMentionFactory, "organisation", "Hollowbrook Pharma"
    )

    html = panel(client.get(change_url(record)))

    assert "<mark>Hollowbrook Pharma</mark>" in html
    assert "confirm_records" not in html and "reject_records" not in html


def test_change_page_queries_do_not_grow_with_mentions(admin_client, django_assert_num_queries):
    """One mentioning article or thirty: the change page costs the same number of queries."""
    few, _ = with_mention(
        OrganisationFactory, OrganisationMentionFactory, "organisation", "Hollowbrook Pharma"
    )
    many, _ = with_mention(
        OrganisationFactory, OrganisationMentionFactory, "organisation", "Hollowbrook Labs"
    )
    for _ in range(29):
        article = ArticleFactory(body=BODY.replace("Hollowbrook Pharma", "Hollowbrook Labs"))
        start = article.body.index("Hollowbrook Labs")
        OrganisationMentionFactory(article=article, organisation=many, spans=[[start, start + 16]])
    admin_client.get(change_url(few))  # warm up sessions and content types

    with CaptureQueriesContext(connection) as baseline:
        admin_client.get(change_url(few))
    with django_assert_num_queries(len(baseline)):
        response = admin_client.get(change_url(many))
    assert "5 sentences from 5 of 30 articles." in panel(response)
    assert Organisation.objects.count() == 2
