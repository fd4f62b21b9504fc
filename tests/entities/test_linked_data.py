"""schema.org JSON-LD: embedded in entity and article pages, and at ``?format=jsonld`` in the API.

The structure is checked against a table of the schema.org types and
properties the site uses (``SCHEMA``): every node's type is one of them, its
required properties are there and it uses no property its type lacks, so a
misspelt or invented term fails here rather than in a search engine.
"""

import datetime
import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from articles.models import Article
from entities.models import Organisation, Program, ReviewStatus
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

HOST = "http://testserver"

# Properties every Thing may have, and what each type the site writes adds.
THING = {"@type", "@id", "@context", "name", "url", "alternateName", "sameAs", "description"}
ORGANIZATION = THING
SCHEMA = {
    "Organization": (ORGANIZATION, {"name"}),
    "GovernmentOrganization": (ORGANIZATION, {"name"}),
    "EducationalOrganization": (ORGANIZATION, {"name"}),
    "NewsMediaOrganization": (ORGANIZATION, {"name"}),
    "Project": (ORGANIZATION, {"name"}),
    "Event": (THING, {"name"}),
    "EducationalOccupationalProgram": (THING, {"name"}),
    "Person": (THING | {"jobTitle", "worksFor"}, {"name"}),
    "NewsArticle": (
        THING | {"headline", "datePublished", "publisher", "mentions"},
        {"headline", "url"},
    ),
    "ItemList": ({"@context", "@type", "url", "numberOfItems", "itemListElement"}, set()),
    "ListItem": ({"@type", "position", "item"}, {"position", "item"}),
}
# Properties whose values are nodes (checked in turn) and those that are lists of URLs.
NODE_PROPERTIES = {"worksFor", "publisher", "mentions", "itemListElement", "item"}


def assert_schema_org(node: dict) -> None:
    """``node`` and the nodes inside it use schema.org types and properties correctly."""
    kind = node["@type"]
    assert kind in SCHEMA, f"not a schema.org type the site uses: {kind}"
    allowed, required = SCHEMA[kind]
    assert set(node) <= allowed, f"{kind} has no {set(node) - allowed}"
    assert required <= set(node), f"{kind} lacks {required - set(node)}"
    if "@id" in node:
        assert node["@id"].startswith(f"{HOST}/"), node["@id"]
    if "url" in node:
        assert node["url"].startswith(f"{HOST}/"), node["url"]
    for url in node.get("sameAs", []):
        # schema.org's sameAs holds URLs; aliases belong in alternateName.
        assert url.startswith(f"{HOST}/api/"), url
    for name in node.get("alternateName", []):
        assert isinstance(name, str)
    for key in NODE_PROPERTIES & set(node):
        values = node[key] if isinstance(node[key], list) else [node[key]]
        for value in values:
            assert_schema_org(value)


class _JSONLDScripts(HTMLParser):
    """Collects the text of every ``<script type="application/ld+json">`` of a page."""

    def __init__(self):
        super().__init__()
        self.blocks, self._inside = [], False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "script" and dict(attrs).get("type") == "application/ld+json"
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.blocks[-1] += data


def page_linked_data(client, path: str) -> dict:
    """The one JSON-LD document a page embeds, parsed as a browser's reader would."""
    response = client.get(path)
    assert response.status_code == 200
    parser = _JSONLDScripts()
    parser.feed(response.content.decode())
    assert len(parser.blocks) == 1, parser.blocks
    document = json.loads(parser.blocks[0])
    assert document["@context"] == "https://schema.org"
    assert_schema_org(document)
    return document


def api_linked_data(path: str, **params) -> dict:
    """A JSON-LD document of the API (anonymous client)."""
    response = APIClient().get(path, {"format": "jsonld", **params})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/ld+json"
    document = json.loads(response.content)
    assert document["@context"] == "https://schema.org"
    assert_schema_org(document)
    return document


# --- pages ----------------------------------------------------------------------------------


def test_an_organisation_page_describes_it_as_its_schema_org_type(client):
    """Name, page address, aliases as alternateName and the API record as sameAs."""
    ministry = OrganisationFactory(
        name="Ministry of Health", kind=Organisation.Kind.GOVERNMENT, aliases=["Minzdrav"]
    )

    node = page_linked_data(client, ministry.get_absolute_url())

    page = f"{HOST}{ministry.get_absolute_url()}"
    assert node["@type"] == "GovernmentOrganization"
    assert node["@id"] == f"{page}#organisation"
    assert node["url"] == page
    assert node["name"] == "Ministry of Health"
    assert node["alternateName"] == ["Minzdrav"]
    assert node["sameAs"] == [f"{HOST}/api/organisations/{ministry.pk}/"]
    # The sameAs address is the same record in the API.
    assert APIClient().get(node["sameAs"][0]).json()["name"] == "Ministry of Health"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (Organisation.Kind.COMPANY, "Organization"),
        (Organisation.Kind.EDUCATION, "EducationalOrganization"),
        (Organisation.Kind.MEDIA, "NewsMediaOrganization"),
        (Organisation.Kind.CLUSTER, "Organization"),
    ],
)
def test_organisation_kinds_map_to_schema_org_types(client, kind, expected):
    """Each kind is the most specific Organization subtype it is sure to be."""
    organisation = OrganisationFactory(kind=kind)
    assert page_linked_data(client, organisation.get_absolute_url())["@type"] == expected


def test_a_record_without_aliases_states_no_alternate_name(client):
    """No empty alternateName list: a property without a value is left out."""
    organisation = OrganisationFactory(aliases=[])
    assert "alternateName" not in page_linked_data(client, organisation.get_absolute_url())


def test_a_person_page_gives_job_titles_and_employers_from_visible_positions(client):
    """jobTitle and worksFor come from positions visitors see: a rejected position and one
    stated only by a hidden article are left out."""
    person = PersonFactory(name="Irina Novikova", aliases=["I. Novikova"])
    works_for = OrganisationFactory(name="Zentova")
    PositionFactory(person=person, title="Executive Director", organisation=works_for)
    PositionFactory(person=person, title="Chairman", organisation=None)
    PositionFactory(person=person, title="Invented", review_status=ReviewStatus.REJECTED)
    PositionFactory(person=person, title="Secret", article__status=Article.Status.HIDDEN)

    node = page_linked_data(client, person.get_absolute_url())

    assert node["@type"] == "Person"
    assert node["alternateName"] == ["I. Novikova"]
    assert sorted(node["jobTitle"]) == ["Chairman", "Executive Director"]
    (employer,) = node["worksFor"]
    assert employer["@type"] == "Organization"
    assert employer["name"] == "Zentova"
    # The reference joins the organisation's own node.
    assert employer["@id"] == page_linked_data(client, works_for.get_absolute_url())["@id"]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (Program.Kind.EVENT, "Event"),
        (Program.Kind.EDUCATION, "EducationalOccupationalProgram"),
        (Program.Kind.FEDERAL, "Project"),
        (Program.Kind.REGIONAL, "Project"),
        (Program.Kind.INITIATIVE, "Project"),
    ],
)
def test_a_program_page_uses_the_closest_schema_org_type_of_its_kind(client, kind, expected):
    """Events are Events, training programs EducationalOccupationalPrograms, the rest Projects."""
    program = ProgramFactory(kind=kind, description="A state program for drug makers.")
    node = page_linked_data(client, program.get_absolute_url())
    assert node["@type"] == expected
    assert node["description"] == "A state program for drug makers."


def test_an_article_page_is_a_news_article_with_its_date_publisher_and_mentions(client):
    """datePublished, the source as publisher, and every entity it names (none rejected)."""
    article = ArticleFactory(
        title="Plant opens", published_on=datetime.date(2014, 3, 4), source="GMP News"
    )
    organisation = OrganisationMentionFactory(article=article).organisation
    person = PersonMentionFactory(article=article).person
    program = ProgramMentionFactory(article=article, program__kind=Program.Kind.EVENT).program
    OrganisationMentionFactory(article=article, organisation__review_status=ReviewStatus.REJECTED)

    node = page_linked_data(client, article.get_absolute_url())

    assert node["@type"] == "NewsArticle"
    assert node["headline"] == "Plant opens"
    assert node["url"] == f"{HOST}{article.get_absolute_url()}"
    assert node["datePublished"] == "2014-03-04"
    assert node["publisher"] == {"@type": "Organization", "name": "GMP News"}
    assert node["sameAs"] == [f"{HOST}/api/articles/{article.pk}/"]
    mentioned = {(m["@type"], m["name"]) for m in node["mentions"]}
    assert mentioned == {
        ("Organization", organisation.name),
        ("Person", person.name),
        ("Event", program.name),
    }
    ids = {m["@id"] for m in node["mentions"]}
    assert page_linked_data(client, person.get_absolute_url())["@id"] in ids


def test_an_undated_article_without_source_states_neither(client):
    """No date is guessed and no publisher invented."""
    article = ArticleFactory(published_on=None, source="")
    node = page_linked_data(client, article.get_absolute_url())
    assert "datePublished" not in node and "publisher" not in node and "mentions" not in node


HOSTILE = '</script><script>alert("x")</script><!-- & "quotes"'


def test_a_name_cannot_break_out_of_the_script_element(client):
    """A name holding "</script>" and "<!--" stays inside the JSON-LD block, read back intact."""
    organisation = OrganisationFactory(name=f"Evil {HOSTILE}", aliases=[HOSTILE])

    response = client.get(organisation.get_absolute_url())

    page = response.content.decode()
    start = page.index('<script type="application/ld+json">')
    block = page[start : page.index("</script>", start)]
    assert "<" not in block[len('<script type="application/ld+json">') :]
    assert "\\u003C/script\\u003E" in block
    node = page_linked_data(client, organisation.get_absolute_url())
    assert node["name"] == f"Evil {HOSTILE}"
    assert node["alternateName"] == [HOSTILE]


def test_the_json_ld_block_needs_no_exception_in_the_content_security_policy(client):
    """The policy still allows scripts from the site only: the data block is not a script
    to run, so no 'unsafe-inline', nonce or hash was added for it (the browser test checks
    that Chromium reports no violation)."""
    organisation = OrganisationFactory()
    response = client.get(organisation.get_absolute_url())
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'"]
    assert '<script type="application/ld+json">' in response.content.decode()


def test_pages_and_the_api_state_the_same_linked_data(client):
    """The JSON-LD of a page is the API's ``?format=jsonld`` of the same record."""
    person = PersonFactory()
    PositionFactory(person=person)
    article = ArticleFactory()
    PersonMentionFactory(article=article, person=person)
    program = ProgramFactory()
    organisation = OrganisationFactory(aliases=["Acme"])
    for record, path in (
        (person, f"/api/people/{person.pk}/"),
        (article, f"/api/articles/{article.pk}/"),
        (program, f"/api/programs/{program.pk}/"),
        (organisation, f"/api/organisations/{organisation.pk}/"),
    ):
        assert page_linked_data(client, record.get_absolute_url()) == api_linked_data(path)


# --- the API --------------------------------------------------------------------------------


def test_an_api_list_is_an_item_list_numbered_across_pages():
    """numberOfItems is the total; positions continue on page 2; Link names next and prev."""
    for name in ("Alpha", "Bravo", "Charlie", "Delta", "Echo"):
        OrganisationFactory(name=name)

    response = APIClient().get(
        "/api/organisations/", {"format": "jsonld", "page_size": 2, "page": 2}
    )

    document = json.loads(response.content)
    assert_schema_org(document)
    assert document["@type"] == "ItemList"
    assert document["numberOfItems"] == 5
    items = document["itemListElement"]
    assert [item["position"] for item in items] == [3, 4]
    assert [item["item"]["name"] for item in items] == ["Charlie", "Delta"]
    link = response["Link"]
    assert "page=3" in link and 'rel="next"' in link and 'rel="prev"' in link


def test_the_api_negotiates_json_ld_by_its_media_type():
    """``Accept: application/ld+json`` answers JSON-LD without the format parameter."""
    organisation = OrganisationFactory(name="Zentova")
    response = APIClient().get(
        f"/api/organisations/{organisation.pk}/", HTTP_ACCEPT="application/ld+json"
    )
    assert response["Content-Type"] == "application/ld+json"
    assert json.loads(response.content)["name"] == "Zentova"


def test_an_article_list_in_json_ld_names_each_articles_mentions():
    """The list's articles carry their mentions too (the JSON list reads them as rows)."""
    article = ArticleFactory(title="Plant opens")
    OrganisationMentionFactory(article=article, organisation__name="Zentova")
    document = api_linked_data("/api/articles/")
    (item,) = document["itemListElement"]
    assert item["item"]["headline"] == "Plant opens"
    assert [m["name"] for m in item["item"]["mentions"]] == ["Zentova"]


def test_json_ld_lists_read_in_a_fixed_number_of_queries(django_assert_num_queries):
    """A page of articles with many mentions, or of people with many positions, costs the
    same queries as a page with few: nothing is read per record."""
    for _ in range(6):
        article = ArticleFactory()
        OrganisationMentionFactory.create_batch(3, article=article)
        PersonMentionFactory.create_batch(2, article=article)
        PositionFactory.create_batch(2, person=PersonMentionFactory(article=article).person)
    api = APIClient()
    # Articles: count, page, the page's mention rows (3) and metrics, then the
    # JSON-LD's articles and their mentions (4).
    with django_assert_num_queries(10):
        assert api.get("/api/articles/", {"format": "jsonld"}).status_code == 200
    # People: count, page, positions (as for JSON).
    with django_assert_num_queries(3):
        assert api.get("/api/people/", {"format": "jsonld"}).status_code == 200


def test_errors_under_json_ld_are_the_usual_json_body():
    """A missing record is a 404 whose body still has its ``detail``."""
    response = APIClient().get("/api/organisations/999999/", {"format": "jsonld"})
    assert response.status_code == 404
    assert "detail" in json.loads(response.content)


def test_endpoints_without_linked_data_refuse_the_format():
    """Metrics have no JSON-LD: ``format=jsonld`` there is a 400 naming the parameter."""
    response = APIClient().get("/api/metrics/", {"format": "jsonld"})
    assert response.status_code == 400
    assert "format" in response.json()["errors"]


def test_the_schema_documents_json_ld_responses():
    """The OpenAPI document offers application/ld+json on the four endpoints, as an object."""
    schema = APIClient().get(reverse("api:schema"), {"format": "json"}).json()
    for path in ("/api/organisations/", "/api/people/{id}/", "/api/articles/"):
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]
        assert content["application/ld+json"]["schema"] == {
            "$ref": "#/components/schemas/LinkedDataDocument"
        }
    assert (
        "application/ld+json"
        not in (schema["paths"]["/api/metrics/"]["get"]["responses"]["200"]["content"])
    )
