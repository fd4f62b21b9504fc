"""Organisation-name boundaries: which tokens are name words, where a name chunk ends.

A *chunk* is a run of capitalised words that may continue through "of/for/and"
phrases ("Ministry for economic development of Russia"), a dash to a second
institutional noun ("Agency for ... – Center for ..."), a trailing lower-case
"association", a quoted name ("Cluster “BIOTEKA”") and an acronym in brackets.
Whether a chunk names an organisation, and of what kind, is decided in
``organisation_kinds``; the scanner that runs over the sentences is
``organisations``.
"""

import re
from functools import lru_cache

from entities.extraction.lexicon import is_place
from entities.extraction.quantity_words import CURRENCIES
from entities.extraction.text import Token
from entities.extraction.vocabulary import (
    FUNCTION_WORDS,
    LEGAL_FORMS,
    MONTHS,
    ORGANISATION_HEADS,
    PLACE_NOUNS,
    PROGRAM_HEADS,
    WEEKDAYS,
)

DASHES = frozenset({"-", "–", "—"})
OPEN_QUOTES = frozenset({"“", "«", '"', "„"})
CLOSE_QUOTES = frozenset({"”", "»", '"', "“"})
# Lower-case institutional nouns that may follow a capitalised name.
_TRAILING_HEADS = frozenset(
    {"association", "alliance", "union", "foundation", "fund", "consortium", "partnership"}
)
# An acronym or short form after a name: "ANBR", "TGPU".
ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&-]{1,9}$")
# Words that continue a legal form: "Limited Liability Company", "Co. Ltd".
_LEGAL_FORM_WORDS = frozenset({"liability", "partnership", "company", "ltd", "ltd."})


def is_name_word(token: Token) -> bool:
    """Whether a token can be part of a proper name: capitalised, not a function word or date."""
    return _is_name_text(token.text)


@lru_cache(maxsize=65536)
def _is_name_text(text: str) -> bool:
    if not (text[:1].isalnum() and text[:1].isupper()) or text.isdigit():
        return False
    lower = text.lower().rstrip("’'")
    # A currency code ("worth EUR 45 million") starts an amount, never a name.
    if text.isupper() and lower in CURRENCIES:
        return False
    return not (lower in FUNCTION_WORDS or lower in MONTHS or lower in WEEKDAYS)


def name_chunks(tokens: list[Token], common: frozenset[str]):
    """Yield the runs of tokens that may form a name, as lists of tokens."""
    count = len(tokens)
    index = 0
    while index < count:
        if not is_name_word(tokens[index]):
            index += 1
            continue
        # A common word that only opens the sentence ("Scientists of the Center
        # ...", "Programs offered by ...") is not part of a name.
        # An institutional noun still opens a name ("Association of X" where the text
        # also writes "our association").
        if (
            index == 0
            and tokens[0].lower in common
            and tokens[0].lower not in ORGANISATION_HEADS
            and not (count > 1 and is_name_word(tokens[1]))
        ):
            index += 1
            continue
        end = index + 1
        in_phrase = False
        while end < count:
            token = tokens[end]
            lower = token.lower
            following = tokens[end + 1].lower if end + 1 < len(tokens) else ""
            if token.text in LEGAL_FORMS and end > index and following not in _LEGAL_FORM_WORDS:
                # A legal form closes a name: "Fund OAO Oleg Varga" is a body and a person
                # ("Limited Liability Company" is one legal form).
                end += 1
                break
            if is_name_word(token):
                end += 1
            elif _bracketed_place(tokens, end):
                # "Lumo (Sanhe) Biotechnology Co Ltd": a place in brackets inside.
                end += 3
            elif lower == "in" and in_phrase and _in_field(tokens, end):
                # "Federal Service for Surveillance in Healthcare".
                end += 2
            elif lower in {"of", "for", "on"} or (
                lower in {"and", "&"}
                and in_phrase
                and not _starts_new_name(tokens, end)
                and _capitalised_after(tokens, end)
            ):
                phrase_end = _phrase_end(tokens, end)
                if phrase_end is None:
                    break
                in_phrase = in_phrase or lower not in {"and", "&"}
                end = phrase_end
            elif token.text in DASHES:
                dash_end = _dash_end(tokens, end)
                if dash_end is None:
                    break
                end = dash_end
            elif (lower in _TRAILING_HEADS and not token.is_capitalised) or (
                lower in PLACE_NOUNS and in_phrase
            ):
                # "Tula Pharmaceutical Cluster association", "of Tula region".
                end += 1
            elif token.text in OPEN_QUOTES and has_head(tokens[index:end], with_programs=True):
                quote_end = _quote_end(tokens, end)
                if quote_end is None:
                    break
                end = quote_end
            else:
                break
        chunk = tokens[index:end]
        # An acronym or a short name in brackets right after the name belongs to it:
        # "... for Drug Control (Rosfarmkontrol)".
        if (
            end + 2 < count
            and tokens[end].text == "("
            and tokens[end + 2].text == ")"
            and _is_short_name(tokens[end + 1], tokens[index:end])
        ):
            chunk = tokens[index : end + 3]
            end += 3
        yield chunk
        index = end


def _is_short_name(token: Token, name: list[Token]) -> bool:
    """An acronym ("ANBR"), or one capitalised word after an institution's name."""
    if ACRONYM.match(token.text) and token.text.isupper():
        return True
    return bool(
        re.fullmatch(r"[A-Z][a-z]{3,}", token.text)
        and has_head(name)
        and not is_place(token.text)
        and token.lower not in ORGANISATION_HEADS
    )


def _capitalised_after(tokens: list[Token], conjunction: int) -> bool:
    """Whether "and" is followed by a capitalised word ("Industry and Trade"), not prose
    ("... of Russia and non-commercial partnership X" joins two names)."""
    following = [t for t in tokens[conjunction + 1 : conjunction + 3] if t.lower != "the"]
    return bool(following) and is_name_word(following[0])


def _bracketed_place(tokens: list[Token], start: int) -> bool:
    """ "(Sanhe)" between two words of a name."""
    return (
        start + 3 < len(tokens)
        and tokens[start].text == "("
        and tokens[start + 2].text == ")"
        and is_place(tokens[start + 1].text)
        and (is_name_word(tokens[start + 3]) or tokens[start + 3].text in LEGAL_FORMS)
    )


def _in_field(tokens: list[Token], start: int) -> bool:
    """ "in Healthcare" closing a name: one capitalised word that is not a place."""
    if start + 1 >= len(tokens):
        return False
    field = tokens[start + 1]
    following = tokens[start + 2] if start + 2 < len(tokens) else None
    return (
        is_name_word(field)
        and not is_place(field.text)
        and field.lower not in PLACE_NOUNS
        and (following is None or not is_name_word(following))
    )


def _starts_new_name(tokens: list[Token], conjunction: int) -> bool:
    """Whether "and" at ``conjunction`` joins two names rather than two words of one.

    "Ministry of Health of Tula Region and Southfield Pharma JSC" names two
    bodies: the first ends in a place, the second has its own legal form or
    institutional noun. "Ministry of Industry and Trade" is one.
    """
    if tokens[conjunction - 1].lower in PLACE_NOUNS:
        return True
    for token in tokens[conjunction + 1 : conjunction + 8]:
        if token.lower == "the":
            continue
        if not is_name_word(token):
            return False
        if token.text in LEGAL_FORMS or token.lower in ORGANISATION_HEADS:
            return True
    return False


def find_chunk(tokens: list[Token], common: frozenset[str]) -> list[Token] | None:
    """The name chunk that starts at the first token, if there is one."""
    if not tokens or not is_name_word(tokens[0]):
        return None
    return next(name_chunks(tokens, common))


def _phrase_end(tokens: list[Token], start: int) -> int | None:
    """End of an "of/for ..." phrase that reaches a capitalised word, else None.

    Up to four lower-case content words may come before that capital
    ("for economic development of Russia"); a verb-like run ("plans to
    invest") never reaches one and ends the name.
    """
    index = start + 1
    lower_words = 0
    while index < len(tokens):
        token = tokens[index]
        lower = token.lower
        if is_name_word(token):
            return index + 1
        if token.text in DASHES and lower_words:
            return _dash_end(tokens, index)
        if lower in {"the", "of", "for", "and"}:
            index += 1
            continue
        if token.is_word and not token.is_capitalised and lower not in FUNCTION_WORDS:
            lower_words += 1
            if lower_words > 4 or token.text.isdigit():
                return None
            index += 1
            continue
        return None
    return None


def _dash_end(tokens: list[Token], dash: int) -> int | None:
    """End of "– <words> <institutional noun or legal form>" after a dash, else None.

    The last institutional noun before a function word wins, so that
    "– cluster development Centre" ends at "Centre", not at "cluster"; a legal
    form ends the name at once ("Kursk Biofactory – Firm BIOK JSC").
    """
    end = None
    for index in range(dash + 1, min(dash + 6, len(tokens))):
        token = tokens[index]
        if not token.is_word or token.lower in FUNCTION_WORDS:
            break
        if token.text in LEGAL_FORMS:
            return index + 1
        if token.lower in ORGANISATION_HEADS:
            end = index + 1
    return end


def _quote_end(tokens: list[Token], start: int) -> int | None:
    """End of a quoted name (at most twelve tokens), else None."""
    for index in range(start + 1, min(start + 14, len(tokens))):
        if tokens[index].text in CLOSE_QUOTES:
            return index + 1 if index > start + 1 else None
    return None


def has_head(tokens: list[Token], *, with_programs: bool = False) -> bool:
    """Whether a token is an institutional head noun (or, ``with_programs``, a program's)."""
    return any(
        token.lower in ORGANISATION_HEADS or (with_programs and token.lower in PROGRAM_HEADS)
        for token in tokens
    )


def span_text(body: str, tokens: list[Token]) -> str:
    """The body's text from the first token to the last, spaces collapsed."""
    return re.sub(r"\s+", " ", body[tokens[0].start : tokens[-1].end])
