"""The world of a benchmark corpus: the fixed population of names one seed draws on.

:func:`build_world` turns the word lists of :mod:`articles.corpus_words` into
the companies, public bodies, people, programs and drugs a corpus mentions. It
is separate from the articles (:mod:`articles.corpus`) because it is built once
per seed and shared by every article, and because benchmarks read it on its own
(:func:`articles.corpus.search_terms`).
"""

import random
from dataclasses import dataclass

from articles.corpus_words import (
    BUSINESSES,
    COMPANY_LEGAL_FORMS,
    DRUG_ENDINGS,
    DRUG_SYLLABLES,
    FEMALE_FIRST_NAMES,
    FIELDS,
    FIRST_NAMES,
    FUND_WORDS,
    INDUSTRIES,
    PROGRAM_WORDS_A,
    PROGRAM_WORDS_B,
    REGIONS,
    STEM_ENDS,
    STEM_STARTS,
    SURNAMES,
    TOPICS,
)

ORGANISATIONS_PER_WORLD = 4000
PEOPLE_PER_WORLD = 900
PROGRAMS_PER_WORLD = 300


@dataclass(frozen=True)
class Person:
    name: str
    surname: str
    female: bool


@dataclass(frozen=True)
class World:
    """The names a corpus draws on: companies, bodies, people, programs."""

    companies: list[str]
    bodies: list[str]
    people: list[Person]
    programs: list[str]
    drugs: list[str]


def build_world(seed: int) -> World:
    """The population of names for ``seed`` (same seed, same world)."""
    rng = random.Random(f"world:{seed}")
    companies = set()
    while len(companies) < ORGANISATIONS_PER_WORLD:
        stem = rng.choice(STEM_STARTS) + rng.choice(STEM_ENDS)
        business = rng.choice(BUSINESSES)
        companies.add(f"{stem} {business} {rng.choice(COMPANY_LEGAL_FORMS)}")
    bodies = []
    for region in REGIONS:
        bodies += [f"Ministry of {topic} of {region} Region" for topic in TOPICS]
        bodies += [
            f"Agency for {rng.choice(['Regional', 'Innovative', 'Industrial'])} Development "
            f"of {region} Region",
            f"{region} State Medical University",
            f"{region} College of {rng.choice(FIELDS)} Technologies",
            f"Centre for {rng.choice(FIELDS)} Technologies of {region} Region",
            f"Association of {region} {rng.choice(INDUSTRIES)} Cluster",
            f"{region} {rng.choice(INDUSTRIES)} Cluster",
        ]
    bodies += [f"{word} Venture Fund" for word in FUND_WORDS]
    bodies += [f"Fund for {topic} Development" for topic in TOPICS]
    people = []
    seen = set()
    while len(people) < PEOPLE_PER_WORLD:
        first = rng.choice(FIRST_NAMES)
        female = first in FEMALE_FIRST_NAMES
        surname = rng.choice(SURNAMES)[1 if female else 0]
        name = f"{first} {surname}"
        if name not in seen:
            seen.add(name)
            people.append(Person(name=name, surname=surname, female=female))
    programs = set()
    while len(programs) < PROGRAMS_PER_WORLD:
        programs.add(
            f"{rng.choice(PROGRAM_WORDS_A)} {rng.choice(PROGRAM_WORDS_B)} "
            f"{rng.choice(['2025', '2030', '2035', 'Plus', 'Region', ''])}".strip()
        )
    drugs = sorted(
        {
            (rng.choice(DRUG_SYLLABLES) + rng.choice(DRUG_SYLLABLES) + rng.choice(DRUG_ENDINGS))
            for _ in range(3000)
        }
    )
    return World(
        companies=sorted(companies),
        bodies=bodies,
        people=people,
        programs=sorted(programs),
        drugs=drugs,
    )
