"""Merge the annotation parts (docs/evaluation/parts/*.json) into one scorer file.

usage: python docs/evaluation/build_gold.py   # writes docs/evaluation/gold_dev.json

Each part annotates its own articles; a body or program annotated in two
parts becomes one group (groups that share a spelling, compared as the
scorer compares names, are joined), so a record found in articles of two
parts is not counted as split. Organisation groups of people's positions
keep pointing at the first spelling of their merged group.
"""

import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
_LEGAL = {"llc", "oao", "ooo", "zao", "pjsc", "jsc", "ojsc", "cjsc", "ltd", "inc", "the", "gmbh"}


def _key(name: str) -> str:
    """The scorer's comparison form of a name (exact part: case, quotes, legal forms)."""
    text = unicodedata.normalize("NFKC", name).lower().replace("centre", "center")
    text = re.sub(r"[\u2018\u2019'`\"\u201c\u201d\u00ab\u00bb()]", "", text)
    text = re.sub(r"[\u2013\u2014/,.:;-]", " ", text)
    return " ".join(word for word in text.split() if word not in _LEGAL)


def _join_groups(groups: list[list[str]]) -> list[list[str]]:
    """Groups that share a spelling become one (order of first appearance kept)."""
    merged: list[list[str]] = []
    for group in groups:
        keys = {_key(name) for name in group}
        overlapping = [m for m in merged if keys & {_key(name) for name in m}]
        target = overlapping[0] if overlapping else []
        if not overlapping:
            merged.append(target)
        for other in overlapping[1:]:
            target.extend(other)
            merged.remove(other)
        target.extend(group)
        target[:] = list(dict.fromkeys(target))
    return merged


def build(parts: list[dict]) -> tuple[dict, dict]:
    """The merged annotation and the sources (file -> url, site)."""
    gold = {
        "_about": "Hand annotation of the development set of real articles "
        "(docs/evaluation/README.md); built from parts/*.json by build_gold.py.",
        "articles": {},
        "boilerplate": [],
        "organisations": {"core": [], "optional": [], "acceptable": []},
        "people": [],
        "programs": {"core": [], "optional": []},
    }
    sources = {}
    for part in parts:
        gold["articles"].update(part["articles"])
        sources.update(part["sources"])
        gold["boilerplate"].extend(part.get("boilerplate", []))
        gold["people"].extend(part.get("people", []))
        for kind in ("organisations", "programs"):
            for level in ("core", "optional"):
                gold[kind][level].extend(part.get(kind, {}).get(level, []))
        gold["organisations"]["acceptable"].extend(
            part.get("organisations", {}).get("acceptable", [])
        )
    gold["boilerplate"] = list(dict.fromkeys(gold["boilerplate"]))
    for kind in ("organisations", "programs"):
        core = _join_groups(gold[kind]["core"])
        core_keys = {_key(name) for group in core for name in group}
        # An optional group that shares a spelling with a core one is that core body.
        optional = []
        for group in _join_groups(gold[kind]["optional"]):
            if core_keys & {_key(name) for name in group}:
                target = next(
                    g for g in core if core_keys & {_key(n) for n in g} & {_key(n) for n in group}
                )
                target.extend(name for name in group if name not in target)
            else:
                optional.append(group)
        gold[kind]["core"], gold[kind]["optional"] = core, optional
    first_name = {
        _key(name): group[0]
        for group in gold["organisations"]["core"] + gold["organisations"]["optional"]
        for name in group
    }
    for person in gold["people"]:
        if person.get("org"):
            person["org"] = first_name.get(_key(person["org"]), person["org"])
    return gold, sources


def main() -> int:
    parts = [json.loads(path.read_text()) for path in sorted((HERE / "parts").glob("*.json"))]
    gold, sources = build(parts)
    (HERE / "gold_dev.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n")
    (HERE / "sources.json").write_text(json.dumps(sources, ensure_ascii=False, indent=1) + "\n")
    print(f"{len(gold['articles'])} articles from {len(parts)} parts", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
