"""/api/organisations/, /api/people/, /api/programs/: fields, search, filters, ordering, writes."""

import pytest

from articles.models import Article
from entities.models import Organisation, Person, Program
from tests.factories import (
    ArticleFactory,
    OrganisationFactory,
    OrganisationMentionFactory,
    PersonFactory,
    PersonMentionFactory,
    PositionFactory,
    ProgramFactory,
    ProgramMentionFactory,
)

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/api/organisations/"
PEOPLE = "/api/people/"
PROGRAMS = "/api/programs/"


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


# --- organisations --------------------------------------------------------------------------


def test_organisation_fields_and_published_article_count(api):
    """An organisation shows id, slug, name, kind, aliases, site url and its published articles."""
    acme = OrganisationFactory(name="Acme Pharma", kind="company", aliases=["AP", "Acme"])
    OrganisationMentionFactory.create_batch(2, organisation=acme)
    OrganisationMentionFactory(
        organisation=acme, article=ArticleFactory(status=Article.Status.HIDDEN)
    )

    body = api.get(f"{ORGANISATIONS}{acme.pk}/").json()

    assert body == {
        "id": acme.pk,
        "url": f"http://testserver/organisations/{acme.slug}/",
        "slug": acme.slug,
        "name": "Acme Pharma",
        "kind": "company",
        "aliases": ["AP", "Acme"],
        "description": "",
        "article_count": 2,
        "confidence": 1.0,
        "review_status": "unreviewed",
        "evidence": [],  # its mentions have no spans (see tests/api/test_evidence.py)
    }


@pytest.mark.parametrize(
    ("endpoint", "factory"),
    [(ORGANISATIONS, OrganisationFactory), (PROGRAMS, ProgramFactory)],
)
def test_list_rows_equal_the_detail_of_each_record(api, endpoint, factory):
    """Lists build their rows their own way; a row must not differ from the record's detail.

    Only the detail carries the record's evidence.
    """
    records = [factory(aliases=["Short"]), factory(slug="фарма-центр"), factory(aliases=[])]
    mentions = OrganisationMentionFactory if endpoint == ORGANISATIONS else ProgramMentionFactory
    mentions(**{"organisation" if endpoint == ORGANISATIONS else "program": records[0]})

    rows = api.get(endpoint).json()["results"]

    assert len(rows) == 3
    for row in rows:
        detail = api.get(f"{endpoint}{row['id']}/").json()
        del detail["evidence"]
        assert row == detail


def test_organisations_are_listed_by_name_regardless_of_case(api):
    """Without ?ordering the list is alphabetical, acronyms among the other names."""
    for name in ["Gamma", "beta", "AIRR", "Agency"]:
        OrganisationFactory(name=name)
    assert names(api.get(ORGANISATIONS)) == ["Agency", "AIRR", "beta", "Gamma"]
    assert names(api.get(ORGANISATIONS, {"ordering": "-name"})) == [
        "Gamma",
        "beta",
        "AIRR",
        "Agency",
    ]


def test_organisation_search_matches_name_or_alias_in_any_case(api):
    """?search= (or ?q=) finds organisations by part of the name or of an alias."""
    OrganisationFactory(name="Northern Medical Association", aliases=["NMA"])
    OrganisationFactory(name="Southern Biotech")

    assert names(api.get(ORGANISATIONS, {"search": "medical"})) == ["Northern Medical Association"]
    assert names(api.get(ORGANISATIONS, {"search": "nma"})) == ["Northern Medical Association"]
    assert names(api.get(ORGANISATIONS, {"q": "BIOTECH"})) == ["Southern Biotech"]


def test_organisation_kind_filter_and_ordering_by_article_count(api):
    """?kind= keeps those kinds (repeatable); ?ordering=-article_count puts the most cited first."""
    quiet = OrganisationFactory(name="Quiet Co", kind="company")
    busy = OrganisationFactory(name="Busy Co", kind="company")
    OrganisationFactory(name="Ministry of Health", kind="government")
    OrganisationMentionFactory.create_batch(3, organisation=busy)
    OrganisationMentionFactory(organisation=quiet)

    assert names(api.get(ORGANISATIONS, {"kind": "company", "ordering": "-article_count"})) == [
        "Busy Co",
        "Quiet Co",
    ]
    assert len(names(api.get(f"{ORGANISATIONS}?kind=company&kind=government"))) == 3
    response = api.get(ORGANISATIONS, {"kind": "bakery"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["kind"]


def test_editor_creates_an_organisation_with_a_generated_slug(editor_api):
    """POST creates a curated organisation; the slug is made from the name when omitted."""
    response = editor_api.post(
        ORGANISATIONS,
        {"name": "Acme Pharma", "kind": "company", "aliases": ["AP"]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["slug"] == "acme-pharma"
    assert response.json()["article_count"] == 0
    organisation = Organisation.objects.get()
    assert organisation.curated
    assert organisation.aliases == ["AP"]


def test_a_name_that_normalises_like_another_is_refused_with_a_pointer(editor_api):
    """Two organisations may not share a name up to case, quotes and legal form (400, not 500)."""
    existing = OrganisationFactory(name="Acme Pharma")

    response = editor_api.post(ORGANISATIONS, {"name": "«ACME PHARMA» LLC"}, format="json")

    assert response.status_code == 400
    assert f"id {existing.pk}" in response.json()["errors"]["name"][0]
    assert Organisation.objects.count() == 1


def test_renaming_an_organisation_to_its_own_name_is_allowed(editor_api):
    """The uniqueness check ignores the record being edited."""
    acme = OrganisationFactory(name="Acme Pharma")
    response = editor_api.patch(
        f"{ORGANISATIONS}{acme.pk}/", {"name": "ACME Pharma"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["name"] == "ACME Pharma"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "X Co", "kind": "bakery"}, "kind"),
        ({"name": "X Co", "aliases": "not a list"}, "aliases"),
        ({"name": "X Co", "aliases": [["nested"]]}, "aliases"),
        ({"name": ""}, "name"),
        ({"name": "X Co", "slug": "has spaces"}, "slug"),
        ({"name": "X\x08Co"}, "name"),
        ({"name": "X Co", "aliases": ["X\x00"]}, "aliases"),
    ],
)
def test_organisation_validation_names_the_field(editor_api, payload, field):
    """Invalid organisation fields answer 400 with that field's errors."""
    response = editor_api.post(ORGANISATIONS, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_editor_deletes_an_organisation(editor_api):
    """DELETE removes the organisation."""
    acme = OrganisationFactory()
    assert editor_api.delete(f"{ORGANISATIONS}{acme.pk}/").status_code == 204
    assert not Organisation.objects.exists()


# --- people ---------------------------------------------------------------------------------


def test_person_shows_positions_with_organisation_or_null(api):
    """positions list each title with its organisation {id, slug, name} or null, and its article."""
    person = PersonFactory(name="Jane Roe", aliases=["J. Roe"])
    acme = OrganisationFactory(name="Acme Pharma")
    article = ArticleFactory()
    PositionFactory(person=person, title="Chief Executive", organisation=acme, article=article)
    PositionFactory(person=person, title="Professor", organisation=None, article=None)
    PersonMentionFactory(person=person, article=article)

    body = api.get(f"{PEOPLE}{person.pk}/").json()

    assert body["name"] == "Jane Roe"
    assert body["aliases"] == ["J. Roe"]
    assert body["article_count"] == 1
    positions = {p["title"]: p for p in body["positions"]}
    assert positions["Chief Executive"]["organisation"] == {
        "id": acme.pk,
        "slug": acme.slug,
        "name": "Acme Pharma",
    }
    assert positions["Chief Executive"]["article"] == {
        "id": article.pk,
        "slug": article.slug,
        "title": article.title,
    }
    assert positions["Professor"]["organisation"] is None
    assert positions["Professor"]["article"] is None


def test_positions_stated_only_by_hidden_articles_are_for_editors(api, editor_api):
    """Anonymous clients do not see a position whose source article is hidden; editors do."""
    person = PersonFactory()
    PositionFactory(person=person, article=ArticleFactory(status=Article.Status.HIDDEN))

    assert api.get(f"{PEOPLE}{person.pk}/").json()["positions"] == []
    assert len(editor_api.get(f"{PEOPLE}{person.pk}/").json()["positions"]) == 1


def test_people_filter_by_organisation_and_search(api):
    """?organisation= (slug) and ?organisation_id= keep people holding a position there."""
    acme = OrganisationFactory()
    PositionFactory(person=PersonFactory(name="Jane Roe"), organisation=acme)
    PositionFactory(person=PersonFactory(name="John Doe"))

    assert names(api.get(PEOPLE, {"organisation": acme.slug})) == ["Jane Roe"]
    assert names(api.get(PEOPLE, {"organisation_id": acme.pk})) == ["Jane Roe"]
    assert names(api.get(PEOPLE, {"search": "doe"})) == ["John Doe"]


def test_editor_creates_and_renames_a_person(editor_api):
    """People are written like other entities; positions are read-only here."""
    created = editor_api.post(PEOPLE, {"name": "Jane Roe", "positions": []}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["positions"] == []

    renamed = editor_api.patch(
        f"{PEOPLE}{created.json()['id']}/", {"aliases": ["J. Roe"]}, format="json"
    )
    assert renamed.status_code == 200
    person = Person.objects.get()
    assert (person.aliases, person.curated) == (["J. Roe"], True)


# --- programs -------------------------------------------------------------------------------


def test_program_fields_filters_and_ordering(api):
    """Programs show kind and aliases, filter by kind, and order by article count."""
    regional = ProgramFactory(name="Regional Support", kind="regional", aliases=["RS"])
    federal = ProgramFactory(name="Federal Pharma", kind="federal")
    ProgramMentionFactory.create_batch(2, program=federal)

    body = api.get(f"{PROGRAMS}{regional.pk}/").json()
    assert {key: body[key] for key in ("id", "slug", "name", "kind", "aliases")} == {
        "id": regional.pk,
        "slug": regional.slug,
        "name": "Regional Support",
        "kind": "regional",
        "aliases": ["RS"],
    }
    assert names(api.get(PROGRAMS, {"kind": "federal"})) == ["Federal Pharma"]
    assert names(api.get(PROGRAMS, {"ordering": "-article_count"})) == [
        "Federal Pharma",
        "Regional Support",
    ]
    assert names(api.get(PROGRAMS, {"search": "rs"})) == ["Regional Support"]


def test_editor_creates_a_program(editor_api):
    """POST creates a curated program."""
    response = editor_api.post(PROGRAMS, {"name": "Clean Air", "kind": "initiative"}, format="json")
    assert response.status_code == 201, response.json()
    assert Program.objects.get().curated


@pytest.mark.parametrize(
    ("endpoint", "payload", "field"),
    [
        (PEOPLE, {"name": ""}, "name"),
        (PEOPLE, {"name": "Jane Roe", "aliases": [1, None]}, "aliases"),
        (PROGRAMS, {"name": "Clean Air", "kind": "party"}, "kind"),
        (PROGRAMS, {}, "name"),
    ],
)
def test_people_and_program_validation_names_the_field(editor_api, endpoint, payload, field):
    """Invalid people and programs answer 400 with that field's errors and write nothing."""
    response = editor_api.post(endpoint, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Person.objects.exists()
    assert not Program.objects.exists()


def test_an_existing_persons_name_is_refused(editor_api):
    """A second person with the same name (up to case) is a 400 pointing at the first."""
    existing = PersonFactory(name="Jane Roe")
    response = editor_api.post(PEOPLE, {"name": "jane roe"}, format="json")
    assert response.status_code == 400
    assert f"id {existing.pk}" in response.json()["errors"]["name"][0]
