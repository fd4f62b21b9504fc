"""Collects the candidates of one article, merging spellings of the same entity."""

from entities.extraction.types import OrganisationCandidate, PersonCandidate, ProgramCandidate
from entities.normalise import normalise_name

Candidate = OrganisationCandidate | PersonCandidate | ProgramCandidate


def _keys(candidate: Candidate) -> set[str]:
    return {normalise_name(name) for name in (candidate.name, *candidate.aliases)} - {""}


def _word_count(name: str) -> int:
    return len(name.split())


class Registry:
    """The organisations, people and programs of one article, one record each.

    A new spelling whose key (or an alias key) matches a record joins it: the
    fuller spelling becomes the name and the others become aliases.
    """

    def __init__(self) -> None:
        self.organisations: list[OrganisationCandidate] = []
        self.people: list[PersonCandidate] = []
        self.programs: list[ProgramCandidate] = []

    def add_organisation(
        self, name: str, kind: str, *, aliases=(), quote: str = ""
    ) -> OrganisationCandidate:
        """Add an organisation, or merge it into the record it matches."""
        new = OrganisationCandidate(name=name, kind=kind, aliases=list(aliases), quote=quote)
        return self._add(self.organisations, new)

    def add_person(self, name: str, *, aliases=(), quote: str = "") -> PersonCandidate:
        """Add a person, or merge them into the record they match."""
        new = PersonCandidate(name=name, aliases=list(aliases), quote=quote)
        # A bare surname is an alias, not an identity: two Petrovs stay two people.
        return self._add(self.people, new, by_alias=False)

    def add_program(self, name: str, kind: str, *, aliases=(), quote: str = "") -> ProgramCandidate:
        """Add a program, or merge it into the record it matches."""
        new = ProgramCandidate(name=name, kind=kind, aliases=list(aliases), quote=quote)
        return self._add(self.programs, new)

    def organisation(self, name: str) -> OrganisationCandidate | None:
        """The organisation known under ``name`` (or an alias of it), if any."""
        return self._lookup(self.organisations, name)

    def program(self, name: str) -> ProgramCandidate | None:
        """The program known under ``name`` (or an alias of it), if any."""
        return self._lookup(self.programs, name)

    def known_name(self, name: str) -> bool:
        """Whether any organisation or program already goes by ``name``."""
        return bool(self.organisation(name) or self.program(name))

    def merge_short_forms(self) -> None:
        """Fold "X" into "X of <place>" when one article writes both.

        "the regional Department of Industrial Policy" and "the Department of
        Industrial Policy of Yaroslavl Region" are one body.
        """
        for short in list(self.organisations):
            for full in self.organisations:
                if full is not short and full.name.startswith(short.name + " of "):
                    full.aliases = list(dict.fromkeys([*full.aliases, short.name, *short.aliases]))
                    full.quote = short.quote or full.quote
                    self.organisations.remove(short)
                    break

    @staticmethod
    def _lookup(records, name):
        key = normalise_name(name)
        if not key:
            return None
        for record in records:
            if key in _keys(record):
                return record
        return None

    @staticmethod
    def _add(records, new, *, by_alias=True):
        new_keys = _keys(new) if by_alias else {normalise_name(new.name)}
        for record in records:
            record_keys = _keys(record) if by_alias else {normalise_name(record.name)}
            if new_keys & record_keys:
                names = [record.name, *record.aliases, new.name, *new.aliases]
                fullest = max(names, key=_word_count)  # first of the fullest
                if fullest != record.name and fullest == new.name and hasattr(record, "kind"):
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
                return record
        new.aliases = list(dict.fromkeys(a for a in new.aliases if a != new.name))
        records.append(new)
        return new
