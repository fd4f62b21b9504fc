"""Speed and quality of extraction on the seeds and our unseen articles.

Run: DEBUG=true .venv/bin/python tests/entities/benchmark_extraction.py [--details]

Prints milliseconds per article (best of several rounds) and, per kind of
record, recall (gold records found) and precision (extracted records right),
counted as described in tests/entities/extraction_gold.py.
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaluga_cluster.settings")

import django

django.setup()

from articles.parsing import parse_article  # noqa: E402
from entities.extraction import extract  # noqa: E402
from tests.entities.extraction_gold import (  # noqa: E402
    SEED_FILES,
    UNSEEN_FILES,
    article_path,
    score_files,
)


def main() -> None:
    """Print timing and the precision/recall table."""
    details = "--details" in sys.argv
    articles = [
        parse_article(article_path(name).read_text(encoding="utf-8"))
        for name in [*SEED_FILES, *UNSEEN_FILES]
    ]
    rounds = 20
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for article in articles:
            extract(article.body, title=article.title)
        best = min(best, time.perf_counter() - started)
    size = sum(len(article.body) for article in articles) / len(articles)
    sys.stdout.write(
        f"{len(articles)} articles, {size:.0f} characters on average: "
        f"{best / len(articles) * 1000:.2f} ms per article (best of {rounds} rounds)\n\n"
    )
    # One long text: extraction must stay linear in the length of an article.
    joined = "\n\n".join(article.body for article in articles) * 8
    started = time.perf_counter()
    extract(joined)
    sys.stdout.write(
        f"one text of {len(joined)} characters: {(time.perf_counter() - started) * 1000:.0f} ms\n\n"
    )
    # Texts crowded with distinct names: each lookup must stay constant-time.
    for size in (25_000, 100_000, 250_000):
        crowded = _crowded_text(size)
        started = time.perf_counter()
        extraction = extract(crowded)
        sys.stdout.write(
            f"{len(crowded)} characters naming {len(extraction.people)} people and "
            f"{len(extraction.organisations)} organisations: "
            f"{(time.perf_counter() - started) * 1000:.0f} ms\n"
        )
    sys.stdout.write("\n")
    for label, names in (("seeds", SEED_FILES), ("unseen", UNSEEN_FILES)):
        sys.stdout.write(f"{label}:\n")
        for kind, tally in score_files(names).items():
            sys.stdout.write(
                f"  {kind:<14} recall {tally.found}/{tally.gold} = {tally.recall:.0%}   "
                f"precision {tally.correct}/{tally.extracted} = {tally.precision:.0%}\n"
            )
            if details:
                for miss in tally.misses:
                    sys.stdout.write(f"      missed: {miss}\n")
                for wrong in tally.wrong:
                    sys.stdout.write(f"      wrong:  {wrong}\n")


def _crowded_text(size: int) -> str:
    """Sentences that each name a new person, company and association (made-up names)."""
    rng = random.Random(size)
    syllables = ["ka", "lo", "mi", "ra", "to", "ve", "ni", "sa", "do", "pe", "gu", "zo"]

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()

    sentences = []
    length = 0
    while length < size:
        sentence = (
            f"{word()} {word()}ov, Director of {word()} {word()} LLC, said that "
            f"{rng.randint(2, 90)} companies joined the {word()} Cluster association. "
        )
        sentences.append(sentence)
        length += len(sentence)
    return "".join(sentences)


if __name__ == "__main__":
    main()
