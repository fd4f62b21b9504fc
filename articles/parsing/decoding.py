"""A file's bytes as text: encodings, byte-order marks, mojibake, line ends.

Binary files and text that is not UTF-8 (or UTF-16/32 with a byte-order mark)
are refused with an ArticleParseError that says why.
"""

import re

import ftfy

from articles.parsing.types import ArticleParseError

# Files that are plainly not text, by their first bytes: named in the error.
_BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Word file"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Microsoft Office document"),
)
# Byte-order marks of the wide encodings; UTF-32 first, its LE mark starts like UTF-16's.
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Every way text files end a line: CRLF, CR, vertical tab, form feed, NEL, LINE SEPARATOR.
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028]")
# Terminal colour and cursor codes ("\x1b[1m") from text captured in a console.
_ESCAPE_SEQUENCES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
# Control characters other than line feed and tab (C0, DEL and C1).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# ftfy repairs mojibake only (UTF-8 read as Windows-1252 or Latin-1: "â€™" for "’"); every
# fixer that would rewrite legitimate text (curly quotes, ligatures, full-width letters, Unicode
# normalisation, HTML entities in a page) is off, and line breaks and control characters are
# handled below.
# UTF-8 read as Windows-1252 or Latin-1 turns each multi-byte character into a
# lead letter (Â-ô) followed by a continuation character (\x80-\xbf in Latin-1,
# or the Windows-1252 punctuation and letters that stand at those bytes).
_MOJIBAKE_PAIR = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039"
    "\u203a\u20ac\u2122]"
)
_MOJIBAKE_ONLY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def decode_article(data: bytes) -> str:
    """Decode a file's bytes as text with Unix line ends and no control characters.

    UTF-8 (with or without a byte-order mark) is expected; UTF-16 and UTF-32
    are accepted when a byte-order mark says so. Text that was mis-decoded
    before it was saved (UTF-8 read as Windows-1252: "â€™" for "’") is
    repaired with ftfy, which leaves correct text alone. Windows (CRLF), old Mac (CR)
    and Unicode line and page breaks become "\\n"; other control characters
    (terminal escape codes, bells, DEL) are dropped: no article contains them.

    Raises ArticleParseError for an empty file, a binary file (naming the
    format when it is a well-known one) and text that is not UTF-8, naming the
    offending byte and its offset.
    """
    if not data.strip():
        raise ArticleParseError("empty file")
    for signature, kind in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise ArticleParseError(f"binary file ({kind}), not article text")
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise ArticleParseError(
                    f"not {encoding.upper()} despite its byte-order mark "
                    f"(invalid data at offset {error.start + len(bom)})"
                ) from None
            break
    else:
        nul = data.find(b"\x00")
        if nul != -1:
            raise ArticleParseError(f"binary file (NUL byte at offset {nul})")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            bad = data[error.start]
            raise ArticleParseError(
                f"not UTF-8 (invalid byte 0x{bad:02x} at offset {error.start})"
            ) from None
    # Before line breaks and control characters: mojibake of "…" and "’" carries C1 characters.
    # ftfy reads every character; only text that has a mojibake pair needs it.
    if _MOJIBAKE_PAIR.search(text):
        text = ftfy.fix_text(text, _MOJIBAKE_ONLY)
    text = _LINE_BREAKS.sub("\n", text.replace("\u2029", "\n\n"))
    text = _CONTROL_CHARACTERS.sub("", _ESCAPE_SEQUENCES.sub("", text))
    if not text.strip():
        raise ArticleParseError("empty file")
    return text
