"""Collects the candidates of one article, merging spellings of the same entity."""

import re

from entities.extraction.types import OrganisationCandidate, PersonCandidate, ProgramCandidate
from entities.normalise import acronym_of, is_acronym, normalise_name

Candidate = OrganisationCandidate | PersonCandidate | ProgramCandidate
# Bodies named after the one they gather: "X Competence Alliance" and "X".
_NAMED_AFTER_HEADS = frozenset({"alliance", "association", "consortium", "partnership", "union"})
# "Lars R. Berg": a middle initial between first name and surname.
_MIDDLE_INITIAL = re.compile(r"^(\w+) ([A-Z])\. (\w+)$")
# "I. Sokolov", "I.P. Sokolov", "I. P. Sokolov": initials before a surname.
_INITIALS = re.compile(r"^([A-Z])\.(?:\s?[A-Z]\.)*\s?[A-Z][\w’'-]+$")


def _fold(target: Candidate, other: Candidate) -> None:
    """Make ``other``'s spellings, quote and positions ``target``'s (one entity, two records)."""
    target.aliases = list(dict.fromkeys([*target.aliases, other.name, *other.aliases]))
    target.quote = target.quote or other.quote
    if isinstance(target, PersonCandidate):
        target.positions.extend(p for p in other.positions if p not in target.positions)


def _keys(candidate: Candidate) -> set[str]:
    return {normalise_name(name) for name in (candidate.name, *candidate.aliases)} - {""}


def _word_count(name: str) -> int:
    return len(name.split())


class _Records:
    """One kind's records in the order found, with an index from comparison keys to records.

    ``by_alias`` records are found by the key of any spelling (organisations,
    programs); the others only by the key of their current name (people).
    The index makes each lookup constant-time, so an article with thousands
    of names is not quadratic; it always points at the earliest record that
    has the key, as a scan in order would.
    """

    def __init__(self, *, by_alias: bool) -> None:
        self.by_alias = by_alias
        self.items: list[Candidate] = []
        self._order: dict[int, int] = {}
        self._index: dict[str, Candidate] = {}

    def keys_of(self, record: Candidate) -> set[str]:
        return _keys(record) if self.by_alias else {normalise_name(record.name)} - {""}

    def find(self, keys: set[str]) -> Candidate | None:
        """The earliest record that has one of ``keys``."""
        found = [self._index[key] for key in keys if key in self._index]
        return min(found, key=lambda record: self._order[id(record)], default=None)

    def append(self, record: Candidate) -> None:
        self._order[id(record)] = len(self.items)
        self.items.append(record)
        self.index(record)

    def index(self, record: Candidate) -> None:
        """Point each key of ``record`` at it, unless an earlier record has the key."""
        order = self._order[id(record)]
        for key in self.keys_of(record):
            known = self._index.get(key)
            if known is None or self._order[id(known)] > order:
                self._index[key] = record

    def replace(self, items: list[Candidate]) -> None:
        """Keep only ``items`` (in this order) and rebuild the index."""
        self.items, self._order, self._index = [], {}, {}
        for record in items:
            self.append(record)


class Registry:
    """The organisations, people and programs of one article, one record each.

    A new spelling whose key (or an alias key) matches a record joins it: the
    fuller spelling becomes the name and the others become aliases.
    """

    def __init__(self) -> None:
        self._organisations = _Records(by_alias=True)
        # A bare surname is an alias, not an identity: two Petrovs stay two people.
        self._people = _Records(by_alias=False)
        self._programs = _Records(by_alias=True)
        self._inferred: set[int] = set()
        self._company_anchors: list[tuple] = []
        self._reset_spellings()

    @property
    def organisations(self) -> list[OrganisationCandidate]:
        return self._organisations.items

    @property
    def people(self) -> list[PersonCandidate]:
        return self._people.items

    @property
    def programs(self) -> list[ProgramCandidate]:
        return self._programs.items

    def add_organisation(
        self, name: str, kind: str, *, aliases=(), quote: str = ""
    ) -> OrganisationCandidate:
        """Add an organisation, or merge it into the record it matches."""
        new = OrganisationCandidate(name=name, kind=kind, aliases=list(aliases), quote=quote)
        record = self._add(self._organisations, new)
        self._note_spellings(record)
        return record

    def infer_organisation(self, name: str, kind: str, *, quote: str) -> OrganisationCandidate:
        """An organisation the text names only through a title ("Minister of Health").

        It is kept although the text never writes its name, so it has no spans.
        """
        record = self.add_organisation(name, kind, quote=quote)
        self._inferred.add(id(record))
        return record

    def add_person(self, name: str, *, aliases=(), quote: str = "") -> PersonCandidate:
        """Add a person, or merge them into the record they match."""
        new = PersonCandidate(name=name, aliases=list(aliases), quote=quote)
        return self._add(self._people, new)

    def add_program(self, name: str, kind: str, *, aliases=(), quote: str = "") -> ProgramCandidate:
        """Add a program, or merge it into the record it matches."""
        new = ProgramCandidate(name=name, kind=kind, aliases=list(aliases), quote=quote)
        return self._add(self._programs, new)

    def organisation(self, name: str) -> OrganisationCandidate | None:
        """The organisation known under ``name`` (or an alias of it), if any."""
        return self._organisations.find({normalise_name(name)} - {""})

    def program(self, name: str) -> ProgramCandidate | None:
        """The program known under ``name`` (or an alias of it), if any."""
        return self._programs.find({normalise_name(name)} - {""})

    def organisation_containing(self, name: str) -> OrganisationCandidate | None:
        """The organisation whose name holds ``name`` ("regional X Agency" for "X Agency").

        A shorter spelling found beside a title loses its own record when the
        text only ever writes the longer one; the title then belongs to that.
        """
        return next(
            (
                organisation
                for organisation in self.organisations
                if name in organisation.name or any(name in a for a in organisation.aliases)
            ),
            None,
        )

    def organisation_starting(self, name: str) -> OrganisationCandidate | None:
        """The organisation whose name opens ``name`` ("Zentova" for "Zentova Division")."""
        words = name.split()
        for size in range(len(words) - 1, 0, -1):
            found = self.organisation(" ".join(words[:size]))
            if found is not None:
                return found
        return None

    def known_name(self, name: str) -> bool:
        """Whether any organisation or program already goes by ``name``."""
        return bool(self.organisation(name) or self.program(name))

    def keep_located(self) -> None:
        """Drop the records that never occur in the text (a name only rebuilt from parts)."""
        for records in (self._organisations, self._people, self._programs):
            records.replace([r for r in records.items if r.spans or id(r) in self._inferred])
        self._reset_spellings()

    def merge_short_forms(self) -> None:
        """Fold "X" into "X of <place>" and "X Alliance" when one article writes both.

        "the regional Department of Industrial Policy" and "the Department of
        Industrial Policy of Yaroslavl Region" are one body. The first longer
        form takes the short one; names are looked up, not compared pairwise.
        """
        organisations = list(self.organisations)
        by_name: dict[str, Candidate] = {}
        for record in organisations:
            by_name.setdefault(record.name, record)
        longer_form: dict[int, Candidate] = {}
        for full in organisations:
            position = full.name.find(" of ")
            while position != -1:
                short = by_name.get(full.name[:position])
                if short is not None and short is not full:
                    longer_form.setdefault(id(short), full)
                position = full.name.find(" of ", position + 1)
            # "X Competence Alliance" is the alliance built around X: one body.
            words = full.name.split()
            if words[-1].lower() in _NAMED_AFTER_HEADS:
                for size in range(1, len(words) - 1):
                    short = by_name.get(" ".join(words[:size]))
                    if short is not None and short is not full:
                        longer_form.setdefault(id(short), full)
        removed: set[int] = set()
        for short in organisations:
            full = longer_form.get(id(short))
            if full is None or id(full) in removed:
                continue
            _fold(full, short)
            if full.name.split()[-1].lower() in _NAMED_AFTER_HEADS:
                # The body goes by the short name; the alliance's is a longer spelling.
                full.aliases = [full.name, *(a for a in full.aliases if a != short.name)]
                full.name, full.kind = short.name, short.kind
            removed.add(id(short))
        self._organisations.replace([r for r in organisations if id(r) not in removed])
        self._reset_spellings()

    def merge_acronyms(self) -> None:
        """Fold "UPM" into "Union of Pharmaceutical Makers".

        An organisation written only as an acronym joins the one organisation of
        the article whose name's initials it is; with two such names it stays.
        """
        organisations = list(self.organisations)
        by_initials: dict[str, list[Candidate]] = {}
        for record in organisations:
            for spelling in {acronym_of(name) for name in (record.name, *record.aliases)} - {""}:
                by_initials.setdefault(spelling, []).append(record)
        removed: set[int] = set()
        for short in organisations:
            if not is_acronym(short.name):
                continue
            letters = re.sub(r"[^A-Za-z]", "", short.name).upper()
            owners = [r for r in by_initials.get(letters, []) if r is not short]
            if len(owners) != 1 or id(owners[0]) in removed:
                continue
            _fold(owners[0], short)
            removed.add(id(short))
        self._organisations.replace([r for r in organisations if id(r) not in removed])
        self._reset_spellings()

    def point_at_last_company(self, position, offset: int) -> None:
        """Give ``position`` the company the text names last before ``offset`` (see settle)."""
        self._company_anchors.append((position, offset))

    def settle_company_anchors(self, body: str) -> None:
        """Resolve "the company’s Director" to the company named last before it."""
        for position, offset in self._company_anchors:
            if position.organisation is None:
                position.organisation = self.organisation_named_last(body, offset, kind="company")
        self._company_anchors.clear()

    def organisation_named_last(self, text: str, position: int, *, kind: str = "") -> str | None:
        """The organisation (of ``kind``, if given) whose spelling ends last before ``position``."""
        best, best_at = None, -1
        for organisation in self.organisations:
            if kind and organisation.kind != kind:
                continue
            for name in (organisation.name, *organisation.aliases):
                at = text.rfind(name, 0, position)
                if at > best_at:
                    best, best_at = organisation.name, at
        return best

    def drop_people(self, people: list[PersonCandidate]) -> None:
        """Forget people that turned out to be something else."""
        if people:
            dropped = {id(person) for person in people}
            self._people.replace([p for p in self.people if id(p) not in dropped])

    def merge_initials(self) -> None:
        """Fold "I. Sokolov" and "I.P. Sokolov" into "Ivan Sokolov" when one article writes both.

        The short form joins the one person whose surname is the same and
        whose first name starts with the first initial; with two candidates
        (Ivan and Irina Sokolov) it stays apart, as the text leaves it open.
        """
        people = list(self.people)
        self._merge_middle_initials(people)
        people = list(self.people)
        full_forms: dict[str, list[PersonCandidate]] = {}
        for person in people:
            if not _INITIALS.match(person.name):
                full_forms.setdefault(person.name.split()[-1], []).append(person)
        removed: set[int] = set()
        for person in people:
            initials = _INITIALS.match(person.name)
            if not initials:
                continue
            first = initials.group(1)
            matches = [
                full
                for full in full_forms.get(person.name.split()[-1], [])
                if full.name.startswith(first) and id(full) not in removed
            ]
            if len(matches) != 1:
                continue
            _fold(matches[0], person)
            removed.add(id(person))
        self._people.replace([person for person in people if id(person) not in removed])

    def _merge_middle_initials(self, people: list[PersonCandidate]) -> None:
        """Fold "Lars R. Berg" into "Lars Rune Berg": same first and last name, middle initial."""
        removed: set[int] = set()
        for person in people:
            short = _MIDDLE_INITIAL.match(person.name)
            if not short:
                continue
            first, initial, last = short.groups()
            matches = [
                full
                for full in people
                if full is not person
                and id(full) not in removed
                and len(words := full.name.split()) == 3
                and words[0] == first
                and words[2] == last
                and words[1].startswith(initial)
                and not words[1].endswith(".")
            ]
            if len(matches) == 1:
                _fold(matches[0], person)
                removed.add(id(person))
        self._people.replace([person for person in people if id(person) not in removed])

    def in_organisation_name(self, text: str) -> bool:
        """Whether ``text`` occurs inside any organisation's name or alias."""
        return text in self._spellings_text

    def _note_spellings(self, organisation: OrganisationCandidate) -> None:
        """Add an organisation's new spellings to the text searched by ``in_organisation_name``.

        Spellings only grow while the article is read, so appending keeps the
        check cheap; dropping records rebuilds the text.
        """
        for spelling in (organisation.name, *organisation.aliases):
            if spelling not in self._spellings:
                self._spellings.add(spelling)
                self._spellings_text += "\n" + spelling

    def _reset_spellings(self) -> None:
        self._spellings: set[str] = set()
        self._spellings_text = ""
        for organisation in self.organisations:
            self._note_spellings(organisation)

    @staticmethod
    def _add(records: _Records, new):
        record = records.find(records.keys_of(new))
        if record is None:
            new.aliases = list(dict.fromkeys(a for a in new.aliases if a != new.name))
            records.append(new)
            return new
        names = [record.name, *record.aliases, new.name, *new.aliases]
        fullest = max(names, key=_word_count)  # first of the fullest
        if hasattr(record, "kind"):
            if "cluster" in (record.kind, new.kind):
                # The association that runs a cluster is recorded as the cluster.
                record.kind = "cluster"
            elif fullest != record.name and fullest == new.name:
                # The kind follows the fullest name: its head noun is the governing one.
                record.kind = new.kind
        record.name = fullest
        # Every other spelling stays as an alias: the key finds the record,
        # the spellings find its mentions in the text.
        seen = {record.name.casefold()}
        record.aliases = []
        for name in names:
            if name.casefold() not in seen:
                record.aliases.append(name)
                seen.add(name.casefold())
        record.quote = record.quote or new.quote
        records.index(record)
        return record
