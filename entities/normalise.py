"""Name normalisation shared by the models, the admin and extraction.

A normalised name is the natural key of an entity: two spellings that
normalise to the same string are the same record. Pure functions, no ORM.
"""

import re
import unicodedata

from django.utils.text import slugify

# Quote characters that articles put around names («», “”, ‘’, "…").
_QUOTES = re.compile(r"[\"'`«»“”„‟‘’‚‛′″]")
_SPACES = re.compile(r"\s+")
# Legal forms that never distinguish two organisations.
_LEGAL_FORMS = re.compile(
    r"\b(?:llc|ltd|inc|plc|gmbh|ag|sa|jsc|ojsc|cjsc|pjsc|oao|ooo|zao|pao|ao|co)\b\.?",
    re.IGNORECASE,
)
_LEADING_ARTICLE = re.compile(r"^(?:the)\s+", re.IGNORECASE)


def normalise_name(name: str) -> str:
    """Return the comparison key of a name.

    Case, quotes, punctuation, legal forms, a leading "the" and the
    British/American "centre"/"center" spelling do not make a different name.
    """
    text = unicodedata.normalize("NFKC", name)
    text = _QUOTES.sub(" ", text)
    text = _LEGAL_FORMS.sub(" ", text)
    text = text.casefold()
    text = re.sub(r"\bcentre\b", "center", text)
    text = re.sub(r"[^\w\s&+-]", " ", text)
    text = _SPACES.sub(" ", text).strip(" -")
    text = _LEADING_ARTICLE.sub("", text)
    return text


def slug_for(name: str) -> str:
    """Return a URL slug for a name; falls back to "item" when nothing is left."""
    return slugify(name, allow_unicode=True)[:200] or "item"
