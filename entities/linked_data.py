"""schema.org linked data (JSON-LD) of organisations, people and programs.

One builder per model, used by the record's page (a ``<script
type="application/ld+json">`` block, see ``entities.templatetags.linked_data``)
and by the API's ``?format=jsonld`` (``kaluga_cluster.linked_data``), so search
engines and linked-data clients read the same statements wherever they look.

Identifiers: a record's node is ``@id`` = its page address with a fragment
naming the kind (``https://host/organisations/zentova/#organisation``): the
thing itself, as distinct from ``url``, the page about it. Articles'
``mentions`` point at the same ``@id``, so the nodes of several pages join
into one graph.

Aliases go to ``alternateName``, not ``sameAs``: schema.org defines ``sameAs``
as the URL of a reference page that identifies the thing, so a bare spelling
there is invalid. ``sameAs`` carries the record's address in the REST API,
which identifies the same record unambiguously.

Builders read only what the site's and the API's querysets already load
(a person's positions are prefetched there), so adding linked data costs a
page no query.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from entities.models import Organisation, Person, Program

SCHEMA_CONTEXT = "https://schema.org"

# The most specific schema.org subtype of Organization each kind is sure to be;
# companies stay Organization: "Corporation" would claim a legal form the
# articles do not always state.
ORGANISATION_TYPES = {
    Organisation.Kind.GOVERNMENT: "GovernmentOrganization",
    Organisation.Kind.EDUCATION: "EducationalOrganization",
    Organisation.Kind.MEDIA: "NewsMediaOrganization",
}

# schema.org has no "public programme". A forum or exhibition is an Event, a
# training programme an EducationalOccupationalProgram; federal and regional
# programs, initiatives and certification schemes are Projects ("an
# enterprise ... planned to achieve a particular aim", with funders and
# members like an organisation), the closest fit for a funded state program.
PROGRAM_TYPES = {
    Program.Kind.EVENT: "Event",
    Program.Kind.EDUCATION: "EducationalOccupationalProgram",
}
PROGRAM_DEFAULT_TYPE = "Project"

# What json_script escapes (django.utils.html): a "</script>" or "<!--" in a
# name cannot end or confuse the script element the JSON is embedded in.
HTML_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


class Links:
    """Absolute addresses of records for one request: their page and their API record.

    Each kind's address is reversed once, with a placeholder, and filled in
    per record (as ``kaluga_cluster.api.site_url_maker`` does for the API's
    lists): a page of a hundred records would otherwise reverse two hundred
    times.
    """

    # Addresses end with the slug or primary key, hence ``rpartition``; the API's
    # routes take digits only.
    SLUG_PLACEHOLDER = "record-placeholder"
    PK_PLACEHOLDER = "987654321"

    def __init__(self, request: HttpRequest | None = None):
        self.request = request
        self._patterns: dict[tuple[str, str], tuple[str, str] | None] = {}

    def absolute(self, path: str) -> str:
        """``path`` as an absolute address for the requesting client (as is without a request)."""
        return self.request.build_absolute_uri(path) if self.request is not None else path

    def page(self, record: Model) -> str:
        """The absolute address of the record's page on the site (pages are addressed by slug)."""
        pattern = self._pattern(
            record,
            self.SLUG_PLACEHOLDER,
            lambda: type(record)(slug=self.SLUG_PLACEHOLDER).get_absolute_url(),
        )
        return self._filled(pattern, record.slug)

    def api(self, record: Model) -> str | None:
        """The absolute address of the record in the REST API; None if the API lacks its kind."""
        name = f"api:{record._meta.model_name}-detail"
        pattern = self._pattern(
            record, self.PK_PLACEHOLDER, lambda: reverse(name, kwargs={"pk": self.PK_PLACEHOLDER})
        )
        return None if pattern is None else self._filled(pattern, record.pk)

    def _pattern(self, record: Model, placeholder: str, path: Callable[[], str]):
        key = (record._meta.label, placeholder)
        if key not in self._patterns:
            try:
                before, _, after = self.absolute(path()).rpartition(placeholder)
            except NoReverseMatch:
                self._patterns[key] = None
            else:
                self._patterns[key] = (before, after)
        return self._patterns[key]

    @staticmethod
    def _filled(pattern: tuple[str, str], value) -> str:
        # reverse() quotes a slug's non-ASCII letters the same way.
        return f"{pattern[0]}{quote(str(value), safe='')}{pattern[1]}"


def node_id(record: Model, links: Links) -> str:
    """The ``@id`` of a record's node: its page address and a fragment naming its kind."""
    return f"{links.page(record)}#{record._meta.model_name}"


def schema_type(record: Model) -> str:
    """The schema.org type of an organisation, person or program (by kind, see above)."""
    if isinstance(record, Organisation):
        return ORGANISATION_TYPES.get(record.kind, "Organization")
    if isinstance(record, Program):
        return PROGRAM_TYPES.get(record.kind, PROGRAM_DEFAULT_TYPE)
    if isinstance(record, Person):
        return "Person"
    raise TypeError(f"No schema.org type for a {type(record).__name__}")


def reference(record: Model, links: Links) -> dict:
    """A short node pointing at a record described in full elsewhere (its own page)."""
    return {
        "@type": schema_type(record),
        "@id": node_id(record, links),
        "name": record.name,
        "url": links.page(record),
    }


def _named_node(record, links: Links) -> dict:
    """The statements every named record makes: type, identifiers, name, aliases."""
    node = reference(record, links)
    aliases = [alias for alias in record.aliases or () if isinstance(alias, str) and alias]
    if aliases:
        node["alternateName"] = aliases
    api = links.api(record)
    if api:
        node["sameAs"] = [api]
    if getattr(record, "description", ""):
        node["description"] = record.description
    return node


def organisation_node(organisation: Organisation, links: Links) -> dict:
    """An organisation as a schema.org Organization (or the subtype its kind is sure of)."""
    return _named_node(organisation, links)


def person_node(person: Person, links: Links) -> dict:
    """A person, with ``jobTitle`` and ``worksFor`` from the positions loaded with it.

    Reads ``person.positions.all()`` as the caller prefetched it: the page and
    the API load the positions their viewer may see, so this states no more.
    Titles and organisations are listed each once, in the positions' order.
    """
    node = _named_node(person, links)
    titles, organisations = [], {}
    for position in person.positions.all():
        if position.title and position.title not in titles:
            titles.append(position.title)
        if position.organisation is not None:
            organisations.setdefault(position.organisation.pk, position.organisation)
    if titles:
        node["jobTitle"] = titles
    if organisations:
        node["worksFor"] = [reference(org, links) for org in organisations.values()]
    return node


def program_node(program: Program, links: Links) -> dict:
    """A program as an Event, an EducationalOccupationalProgram or a Project (by kind)."""
    return _named_node(program, links)


@dataclass(frozen=True)
class LinkedDataType:
    """How one model is described in JSON-LD: its node, and what a batch of records needs.

    ``prepare`` returns the records with whatever ``node`` reads loaded, in a
    fixed number of queries (an API list's records may not have it); the
    default returns them as they are.
    """

    node: Callable[[Model, Links], dict]
    prepare: Callable[[list], list] = list

    def document(self, record: Model, links: Links) -> dict:
        """One record as a whole JSON-LD document (with its ``@context``)."""
        return {"@context": SCHEMA_CONTEXT, **self.node(record, links)}


#: The linked data of this app's models, by model name (``kaluga_cluster.linked_data``
#: looks a model up here, in the ``linked_data`` module of its app).
LINKED_DATA = {
    "organisation": LinkedDataType(organisation_node),
    "person": LinkedDataType(person_node),
    "program": LinkedDataType(program_node),
}


def json_for_html(data) -> str:
    """``data`` as JSON that is safe inside an HTML ``<script>`` element.

    The escapes of Django's ``json_script`` (which always writes
    ``type="application/json"``, so it cannot make a JSON-LD block): ``<``,
    ``>`` and ``&`` become ``\\u003C`` and so on, which JSON readers decode
    back, so no text in the data can close the element.
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return text.translate(HTML_SCRIPT_ESCAPES)
