"""Fixtures shared by the import tests."""

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
# The well-formed test articles (the others in DATA are refused on purpose).
GOOD = ("teaser_dateline.txt", "no_headline.txt", "chrome_first.txt", "cyrillic.txt")


@pytest.fixture
def articles_dir(tmp_path):
    """A directory with the four well-formed test articles."""
    directory = tmp_path / "articles"
    directory.mkdir()
    for name in GOOD:
        shutil.copy(DATA / name, directory / name)
    return directory
