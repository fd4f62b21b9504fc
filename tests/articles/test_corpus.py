"""The benchmark corpus generator: deterministic, and what it writes imports like news."""

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command

from articles import corpus
from articles.corpus import article_text, build_world, write_corpus
from articles.models import Article
from articles.parsing import decode_article, parse_article
from entities.models import Metric, Organisation, Person, Position, Program


def test_same_seed_writes_the_same_files(tmp_path):
    """Two corpora of one seed are byte-identical; an article does not depend on N."""
    small = write_corpus(tmp_path / "a", 5, seed=3)
    large = write_corpus(tmp_path / "b", 12, seed=3)
    assert [p.read_bytes() for p in small] == [p.read_bytes() for p in large[:5]]
    other = write_corpus(tmp_path / "c", 5, seed=4)
    assert [p.read_bytes() for p in small] != [p.read_bytes() for p in other]


def test_generate_corpus_command_writes_n_named_files(tmp_path):
    """``generate_corpus N DIR`` writes N .txt files and says so."""
    out = io.StringIO()
    call_command("generate_corpus", "7", str(tmp_path / "corpus"), "--seed", "2", stdout=out)
    names = sorted(p.name for p in (tmp_path / "corpus").iterdir())
    assert names == [f"bench_{n:06d}.txt" for n in range(7)]
    assert "Wrote 7 articles" in out.getvalue()


def test_articles_parse_with_title_date_and_clean_body():
    """Every article has a title and a body free of page chrome; most state a date."""
    world = build_world(1)
    parsed = [parse_article(decode_article(article_text(world, 1, n).encode())) for n in range(40)]
    assert all(article.title and len(article.body) > 300 for article in parsed)
    assert sum(article.published_on is not None for article in parsed) >= 30
    for article in parsed:
        assert "Share on:" not in article.body
        assert "Printed products" not in article.body


def test_no_name_of_a_seed_article_is_generated():
    """Invented names only: no person, place or company word of the seed articles."""
    seed_words = set()
    for path in (settings.BASE_DIR / "seeds").glob("*.txt"):
        seed_words |= {word.casefold() for word in re.findall(r"\w+", path.read_text("utf-8"))}
    world = build_world(1)
    names = [
        *(person.name for person in world.people),
        *(company.split()[0] for company in world.companies),
        *corpus.REGIONS,
        *corpus.TOWNS,
        *world.drugs,
    ]
    words = {word.casefold() for name in names for word in re.findall(r"\w+", name)}
    assert words & seed_words <= {"on"}  # as in "Tikhoretsk-on-Dol"


@pytest.mark.django_db
def test_imported_corpus_yields_people_organisations_programs_and_metrics(tmp_path):
    """The real import finds people with positions, organisations, programs and metrics."""
    write_corpus(tmp_path, 12, seed=1)
    call_command("import_seeds", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Article.objects.count() == 12
    assert Organisation.objects.filter(name__endswith=" LLC").exists()
    assert Organisation.objects.filter(kind=Organisation.Kind.GOVERNMENT).exists()
    assert Person.objects.count() >= 10
    assert Position.objects.count() >= 10
    assert Program.objects.exists()
    assert Metric.objects.filter(unit="RUB").exists()
    assert Metric.objects.filter(unit="%").exists()
