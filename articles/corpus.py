"""Synthetic news articles for benchmarks: text files the real import reads.

:func:`write_corpus` writes N articles in the style of the articles the
knowledge base is built from: a headline, sometimes page chrome ("Print 3 May
2016", a digest footer, "Share on:"), a dateline ("On March 3, 2015 ..."),
people with positions, organisations with legal forms, programs, and sums of
money, percentages and counts. Every name comes from the invented word lists
of :mod:`articles.corpus_words` (no name of a real article), recombined by
:mod:`articles.corpus_world` so that a large corpus has thousands of
organisations and people, a few of them mentioned often and most rarely, as in
real news. This module composes and writes the articles.

The output depends only on ``seed`` and the article's number: article ``i`` is
the same in a corpus of 10 and of 100,000 files, and two runs with one seed
write byte-identical files.
"""

import random
from pathlib import Path

from articles.corpus_words import (
    COMPANY_TITLES,
    EDUCATION_PROGRAMS,
    INDUSTRIES,
    LEADING_CHROME,
    MEDIA,
    MONTHS,
    PRODUCTS,
    REGIONS,
    THERAPY_AREAS,
    TOWNS,
    TRAILING_CHROME,
)
from articles.corpus_world import World, build_world

# --- One article -----------------------------------------------------------------


def _skewed(rng: random.Random, items: list):
    """An item, the first ones far more often (roughly Zipf: a few are in the news a lot)."""
    return items[min(len(items) - 1, int(len(items) * rng.random() ** 3))]


def _money(rng: random.Random) -> str:
    currency = rng.choice(["RUB", "RUB", "RUB", "RUR", "EUR", "USD"])
    if rng.random() < 0.6:
        return f"{currency} {rng.randint(10, 950)} million"
    return f"{currency} {rng.randint(1, 40)}.{rng.randint(1, 9)} billion"


def _count(rng: random.Random, low: int, high: int) -> str:
    return f"{rng.randint(low, high):,}"


class _Article:
    """The cast and facts of one article, and its paragraphs."""

    def __init__(self, world: World, rng: random.Random):
        self.rng = rng
        self.region = rng.choice(REGIONS)
        self.town = rng.choice(TOWNS)
        self.company, self.partner = (_skewed(rng, world.companies) for _ in range(2))
        self.body = rng.choice(world.bodies)
        self.other_body = rng.choice(world.bodies)
        self.cluster = f"{self.region} {rng.choice(INDUSTRIES)} Cluster"
        self.people = [_skewed(rng, world.people) for _ in range(3)]
        self.titles = [rng.choice(COMPANY_TITLES) for _ in range(3)]
        self.program = _skewed(rng, world.programs)
        self.course = rng.choice(EDUCATION_PROGRAMS)
        self.product = rng.choice(PRODUCTS)
        self.area, self.other_area = rng.sample(THERAPY_AREAS, 2)
        self.drug = rng.choice(world.drugs)
        self.year = rng.randint(2008, 2024)
        self.month = rng.randrange(12)
        self.day = rng.randint(1, 28)

    @property
    def company_name(self) -> str:
        return self.company.rsplit(" ", 1)[0]

    def person(self, number: int) -> str:
        return self.people[number].name

    def mr(self, number: int) -> str:
        person = self.people[number]
        return f"{'Ms.' if person.female else 'Mr.'} {person.surname}"

    def headline(self) -> str:
        rng = self.rng
        return rng.choice(
            [
                f"{self.company_name} to Invest {_money(rng)} in a {self.product.title()} "
                f"Plant in {self.town}",
                f"{self.cluster} Welcomes {rng.randint(3, 15)} New Participants",
                f"Regional Budget to Allocate {_money(rng)} for the {self.cluster} in {self.year}",
                f"{self.company_name} Reports {self.year} Results",
                f"{self.cluster} Receives a Quality Certificate",
                f"{self.town} to Host a Forum on {self.area.title()} in {MONTHS[self.month]}",
                f"{self.company_name} Launches Production of {self.drug.title()}",
            ]
        )

    def dateline(self) -> str:
        return f"On {MONTHS[self.month]} {self.day}, {self.year}"

    def paragraphs(self) -> list[str]:
        rng = self.rng
        y = self.year
        pool = [
            f"{self.dateline()} the {self.body} held a meeting of the coordination council "
            f"of the {self.cluster}. Participants discussed the results of the year, "
            f"the training of staff for {self.area} and {self.other_area} and the plans "
            f"of {self.company}.",
            f"{self.dateline()} {self.company} opened a new line for {self.product} at its "
            f"plant in {self.town}. The company invested over {_money(rng)} in the project, "
            f"said {self.person(0)}, {self.titles[0]} of {self.company}.",
            f"{self.person(0)}, {self.titles[0]} of {self.company}, noted that the plant "
            f"will employ {_count(rng, 40, 900)} people and produce up to "
            f"{rng.randint(2, 90)} million packs of {self.drug} a year.",
            f"“We expect the cluster’s share in regional manufacturing output to reach "
            f"{rng.randint(3, 25)}% by {y + rng.randint(2, 8)}”, said {self.person(1)}, "
            f"{self.titles[1]} of the {self.other_body}.",
            f"The project is part of the regional program {self.program}, which supports "
            f"{rng.randint(5, 80)} companies in {self.region} Region. The program received "
            f"{_money(rng)} from the regional budget in {y}.",
            f"{self.partner} will supply raw materials for {self.product}; its "
            f"{self.titles[2]}, {self.person(2)}, called the agreement an important step "
            f"for both companies.",
            f"Training is organised with the {self.other_body}, where about "
            f"{_count(rng, 50, 1500)} students study under the educational program "
            f"“{self.course}”.",
            f"According to the {self.body}, pharmaceutical production in the region grew "
            f"by {rng.randint(2, 30)}.{rng.randint(0, 9)}% in {y}, and exports of "
            f"{self.product} reached {_money(rng)}.",
            f"Revenue of {self.company} rose by {rng.randint(3, 40)}% to {_money(rng)}, "
            f"and net profit reached {_money(rng)}. Exports accounted for "
            f"{rng.randint(2, 35)}% of revenue.",
            f"The {self.cluster} now unites more than {rng.randint(12, 120)} companies and "
            f"about {_count(rng, 800, 12000)} employees. {self.mr(1)} added that clinical "
            f"trials of {self.drug} for {self.area} will start in {y + 1}.",
            f"The experts evaluated {rng.randint(12, 40)} indicators of the cluster "
            f"management system; the {self.cluster} gained {rng.randint(300, 900)} points "
            f"and took the {rng.choice(['1st', '2nd', '3rd'])} place.",
            f"What does the company expect from the state?\n\nWe rely on the federal program "
            f"{self.program} and on export support measures. Last year our participants "
            f"registered {rng.randint(2, 20)} medicines for {self.area}.",
            f"Meeting organisers: the {self.body}, the {self.other_body} and {self.partner}.",
            f"Specialists in {self.area} note a steady demand for {self.product}. Local "
            f"manufacturers cover about {rng.randint(10, 70)}% of the market, and the rest is "
            f"imported. New laboratories for quality control of {self.product} and for "
            f"stability studies are being built, and graduates of the region's universities "
            f"are offered internships at the plants.",
            f"The participants also discussed access to finance for small and medium "
            f"enterprises, the certification of production sites under good manufacturing "
            f"practice, the logistics of {self.product} and the development of "
            f"{self.other_area} research. Several companies presented their {self.drug} "
            f"projects at different stages of implementation.",
        ]
        first = pool[rng.randrange(2)]
        rest = rng.sample(pool[2:], rng.randint(4, 9))
        if rng.random() < 0.25:
            # Long-form pieces (interviews, reports) run to twice the usual size.
            rest += rng.sample(pool[2:], rng.randint(3, 7))
        return [first, *rest]


def article_text(world: World, seed: int, number: int) -> str:
    """Article ``number`` of the corpus of ``seed``, as the text of a .txt file."""
    rng = random.Random(f"article:{seed}:{number}")
    article = _Article(world, rng)
    lines = []
    if rng.random() < 0.15:
        lines += [rng.choice(LEADING_CHROME), ""]
    elif rng.random() < 0.4:
        lines += [""]  # many pages start with an empty line
    lines += [article.headline(), ""]
    style = rng.random()
    if style < 0.3:
        lines += [f"Print {article.day} {MONTHS[article.month]} {article.year}"]
        lines += [rng.choice(MEDIA), ""]
    elif style < 0.4:
        # An interview: the interviewee's line under the headline.
        lines += [f"{article.person(0)}, {article.titles[0]} of {article.company}", ""]
    for paragraph in article.paragraphs():
        lines += [paragraph, ""]
    if rng.random() < 0.7:
        lines += ["", rng.choice(TRAILING_CHROME)]
    return "\n".join(lines)


def write_corpus(directory: Path, count: int, *, seed: int = 1, start: int = 0) -> list[Path]:
    """Write articles ``start`` .. ``start + count - 1`` of ``seed`` into ``directory``.

    Files are named ``bench_000042.txt`` after the article's number; the
    directory is created when missing. Returns the paths written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    world = build_world(seed)
    paths = []
    for number in range(start, start + count):
        path = directory / f"bench_{number:06d}.txt"
        path.write_text(article_text(world, seed, number), encoding="utf-8")
        paths.append(path)
    return paths


def search_terms(seed: int = 1) -> dict[str, str]:
    """Words of the corpus of ``seed`` for benchmark queries.

    ``company`` is the first word of the company the corpus names least
    often (companies are picked with a strong skew towards the first ones).
    """
    world = build_world(seed)
    return {
        "company": world.companies[-1].split()[0],
        "drug": world.drugs[0],
    }
