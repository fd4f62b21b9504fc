"""What an import run looks records up in besides their names: aliases, short forms, tombstones.

Read once per run and answered in memory (see :class:`ImportIndex`).
"""

import re
from collections.abc import Iterable

from entities.models import DuplicateCandidate, ImportTombstone, Organisation, Person, Program
from entities.normalise import acronym_of, brand_skeleton, is_acronym, normalise_name

NamedModel = type[Organisation] | type[Person] | type[Program]


class ImportIndex:
    """What an import run looks entities up in besides names: aliases and tombstones.

    Aliases live in a JSON list that databases cannot look up portably, and
    tombstones are few and consulted for every candidate, so a run reads both
    once and answers in memory. Aliases written while persisting one file are
    staged and kept only when that file's transaction commits.
    """

    def __init__(self):
        self._aliases: dict[type, dict[str, int]] = {}
        self._staged: list[tuple[type, str, int]] = []
        self._tombstones: set[tuple[str, str]] | None = None
        self._short_forms: dict[type, dict[tuple[str, str], set[int]]] = {}
        self._staged_names: list[tuple[type, int, list[str]]] = []
        self._distinct: dict[type, set[tuple[int, int]]] = {}

    def short_form_owner(self, model: NamedModel, name: str) -> int | None:
        """The one record a short form stands for, found across articles.

        An acronym ("UPM") stands for the record whose name's initials it is
        ("Association of Russian Pharmaceutical Manufacturers"), and a full
        name for the record written as its acronym; a person's initials and
        surname ("I. Sokolov") for the one person of that surname whose first
        name has that initial. With two candidates nothing is matched.
        """
        index = self._short_forms_of(model)
        for key in _short_form_keys(model, name, lookup=True):
            owners = index.get(key)
            if owners and len(owners) == 1:
                return next(iter(owners))
        return None

    def distinct(self, model: NamedModel, first: int, second: int) -> bool:
        """Whether an editor said two records are not the same: never fold one into the other."""
        if model not in self._distinct:
            self._distinct[model] = set(
                DuplicateCandidate.objects.filter(
                    kind=model._meta.model_name, status=DuplicateCandidate.Status.DISTINCT
                )
                .order_by()
                .values_list("first_id", "second_id")
            )
        return (min(first, second), max(first, second)) in self._distinct[model]

    def stage_names(self, model: NamedModel, pk: int, names: list[str]) -> None:
        """Remember a new record's spellings for short-form lookups once committed."""
        self._staged_names.append((model, pk, names))

    def find(self, model: NamedModel, key: str) -> int | None:
        """The id of the record that has ``key`` among its normalised aliases."""
        return self._for(model).get(key)

    def deleted(self, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of the (kind, key) pairs an editor deleted."""
        if self._tombstones is None:
            self._tombstones = set(ImportTombstone.objects.order_by().values_list("kind", "key"))
        return self._tombstones.intersection(pairs)

    def stage(self, model: NamedModel, pk: int, aliases: Iterable[str]) -> None:
        """Remember aliases written for ``pk`` once the transaction commits."""
        for alias in aliases:
            key = normalise_name(alias)
            if key:
                self._staged.append((model, key, pk))

    def commit(self) -> None:
        """The file's transaction (or savepoint) committed: its aliases now exist."""
        for model, key, pk in self._staged:
            self._for(model).setdefault(key, pk)
        for model, pk, names in self._staged_names:
            if model in self._short_forms:
                _add_short_forms(self._short_forms[model], model, pk, names)
        self._staged.clear()
        self._staged_names.clear()

    def rollback(self) -> None:
        """The file's transaction rolled back: forget what it staged."""
        self._staged.clear()
        self._staged_names.clear()

    def forget(self) -> None:
        """A batch of files rolled back: what its files committed may not exist; read again.

        Files commit to the index once their writes succeed, so later
        files of the batch find their records; a batch that rolls back as a
        whole is rare (a stop during its commit), so the index is dropped and
        read afresh rather than undone entry by entry.
        """
        self.rollback()
        self._aliases.clear()
        self._short_forms.clear()

    def _short_forms_of(self, model: NamedModel) -> dict[tuple[str, str], set[int]]:
        if model not in self._short_forms:
            index: dict[tuple[str, str], set[int]] = {}
            # Unordered: the index is sets, which the default ordering by name would only slow.
            records = model.objects.order_by().values_list("pk", "name", "aliases")
            for pk, name, aliases in records.iterator():
                _add_short_forms(index, model, pk, [name, *(aliases or ())])
            self._short_forms[model] = index
        return self._short_forms[model]

    def _for(self, model: NamedModel) -> dict[str, int]:
        if model not in self._aliases:
            index = {}
            for pk, aliases in model.objects.values_list("pk", "aliases").iterator():
                for alias in aliases or ():
                    key = normalise_name(alias)
                    if key:
                        index.setdefault(key, pk)
            self._aliases[model] = index
        return self._aliases[model]


_INITIALS_AND_SURNAME = re.compile(r"^([A-Z])\.(?:\s?[A-Z]\.)*\s?([A-Z][\w’'-]+)$")


def _short_form_keys(model: NamedModel, name: str, *, lookup: bool) -> list[tuple[str, str]]:
    """The keys under which a spelling is indexed (``lookup=False``) or looked up.

    Organisations and programs: a written acronym is indexed as ("written",
    "UPM") and a full name as ("initials", "UPM"); a lookup of an acronym
    asks for the initials of full names, and of a full name for a written
    acronym. A company's brand name is also indexed and looked up by its
    consonant skeleton ("Vostok-Pharm" and "Vostokpharm" are one company
    romanised twice). People: "Ivan Sokolov" is indexed as ("I", "sokolov");
    only an initials form looks up.
    """
    if model is Person:
        initials = _INITIALS_AND_SURNAME.match(name)
        if lookup:
            return [(initials.group(1), normalise_name(initials.group(2)))] if initials else []
        words = name.split()
        if initials or len(words) < 2 or not words[0][:1].isupper():
            return []
        return [(words[0][0], normalise_name(words[-1]))]
    keys = []
    if is_acronym(name):
        letters = re.sub(r"[^A-Za-z]", "", name).upper()
        keys.append(("initials" if lookup else "written", letters))
    elif initials := acronym_of(name):
        keys.append(("written" if lookup else "initials", initials))
    if model is Organisation and (skeleton := brand_skeleton(name)):
        keys.append(("skeleton", skeleton))
    return keys


def _add_short_forms(index: dict, model: NamedModel, pk: int, names: Iterable[str]) -> None:
    for name in names:
        for key in _short_form_keys(model, name, lookup=False):
            index.setdefault(key, set()).add(pk)
