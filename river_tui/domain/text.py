"""Make text that came from outside inert and tidy.

Everything a source sends (titles, abstracts, author names, labels) passes through
:func:`clean_text` before it is stored, so no escape sequence, control byte, bidi override or
other format character can reach the terminal later. Markup is a rendering concern: the UI
renders these strings as plain ``Text`` and never as Rich markup.
"""

from __future__ import annotations

import json
import re
import unicodedata

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings (terminated by BEL
# or ST), and two-byte escapes. The 8-bit C1 forms (0x9b CSI, 0x9d OSC, 0x90 DCS, ...) likewise.
_ESCAPE_SEQUENCES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?             # CSI ... final byte
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])       # OSC, DCS, SOS, PM, APC ...
      .*?(?:\x07|\x1b\\|\x9c|$)                   # ... up to BEL or ST (or end of text)
  | \x1b[ -/]*[0-~]?                              # other two-byte escapes (ESC c, ESC ( B)
    """,
    re.VERBOSE | re.DOTALL,
)
# C0 controls except tab and newline, DEL, C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

FORMAT_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),  # SOFT HYPHEN
    (0x0600, 0x0605),  # Arabic number signs
    (0x061C, 0x061C),  # ARABIC LETTER MARK
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),  # MONGOLIAN VOWEL SEPARATOR
    (0x200B, 0x200B),  # ZERO WIDTH SPACE (U+200C ZWNJ, U+200D ZWJ: see _JOINERS)
    (0x200E, 0x200F),  # LRM, RLM
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2060, 0x206F),  # word joiner, invisible operators, bidi isolates, U+2065, deprecated
    (0xFEFF, 0xFEFF),  # ZERO WIDTH NO-BREAK SPACE (BOM)
    (0xFFF0, 0xFFFB),  # unassigned, then interlinear annotation
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),  # Egyptian hieroglyph format controls
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical symbol format controls
    (0xE0000, 0xE00FF),  # tag characters, and unassigned
    (0xE01F0, 0xE0FFF),  # unassigned (after the variation selectors, which stay)
)
"""What is removed besides controls: every format character (Unicode category Cf) but ZWNJ and
ZWJ, and the unassigned code points that are default-ignorable (U+2065, U+FFF0-U+FFF8,
U+E0000-U+E0FFF): a terminal draws them as nothing, as a box or as a space, and some
(bidi overrides, tag characters) disguise what the text says. Written out rather than worked out
from ``unicodedata`` at import (that costs the reader's start ~0.1 s); ``tests/test_inert_text.py``
works them out and compares, so a Python with a newer Unicode is noticed."""
_FORMAT = re.compile(
    "[" + "".join(f"{chr(a)}-{chr(b)}" if a != b else chr(a) for a, b in FORMAT_RANGES) + "]"
)
_JOINERS = re.compile("[\u200c\u200d]")
_SURROGATES = re.compile("[\ud800-\udfff]")
# A run of spaces, tabs and no-break spaces; a lone space is left alone (it is already what
# the run becomes): a paragraph then costs a few substitutions, not one a word.
_SPACES = re.compile(r"[ \t\u00a0]{2,}|[\t\u00a0]")
_ALL_WHITESPACE = re.compile(r"\s{2,}|[^\S ]")


def _in_word(char: str) -> bool:
    """A letter, mark, number or symbol (emoji): what ZWJ and ZWNJ join inside a word."""
    category = unicodedata.category(char)
    return category[0] in "LMN" or category in ("So", "Sk")


def _joiner(match: re.Match[str]) -> str:
    """ZWNJ or ZWJ kept between two characters of a word (Persian ZWNJ, emoji ZWJ sequences),
    removed anywhere else."""
    text, at = match.string, match.start()
    if 0 < at < len(text) - 1 and _in_word(text[at - 1]) and _in_word(text[at + 1]):
        return match.group()
    return ""


def without_surrogates(text: str) -> str:
    """``text`` with U+FFFD for each lone surrogate (what Python makes of bytes that are not
    UTF-8 in a command line or a file name)."""
    return _SURROGATES.sub("\ufffd", text)


def strip_controls(text: str) -> str:
    """Remove escape sequences, control characters and format characters (bidi controls,
    zero-width characters, tag characters: see :data:`FORMAT_RANGES`); lone surrogates become
    U+FFFD. ZWJ and ZWNJ stay inside a word. Newlines and tabs survive; carriage returns
    become newlines."""
    if not needs_cleaning(text):  # most text: one search instead of five substitutions
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCES.sub("", text)
    text = _CONTROLS.sub("", text)
    text = _FORMAT.sub("", text)
    if "\u200c" in text or "\u200d" in text:
        text = _JOINERS.sub(_joiner, text)
    return _SURROGATES.sub("\ufffd", text)


def clean_text(text: str | None) -> str:
    """Inert paragraph text: controls stripped, runs of spaces folded, lines trimmed."""
    if not text:
        return ""
    if _plain(text):
        return text.strip()
    text = unicodedata.normalize("NFC", strip_controls(text))
    lines = [
        (_SPACES.sub(" ", line) if _has_spacing(line) else line).strip()
        for line in text.split("\n")
    ]
    # Keep paragraph breaks (one blank line), drop the rest of the blank lines.
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def counted(count: int, noun: str) -> str:
    """``1 claim``, ``2 claims``, ``0 papers`` (a noun whose plural takes an ``s``)."""
    return f"{count} {noun}{'s' * (count != 1)}"


def clean_value(data: object) -> object:
    """A JSON-like value with every string in it (dict keys too) passed through
    :func:`strip_controls`; other values kept as they are."""
    if isinstance(data, str):
        return strip_controls(data)
    if isinstance(data, dict):
        return {clean_value(str(k)): clean_value(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [clean_value(v) for v in data]
    return data


def clean_line(text: str | None) -> str:
    """Inert single-line text (titles, names): every run of whitespace becomes one space."""
    if not text:
        return ""
    if _plain(text):
        return text.strip()
    text = unicodedata.normalize("NFC", strip_controls(text))
    return _ALL_WHITESPACE.sub(" ", text).strip()


def _plain(text: str) -> bool:
    """Printable ASCII without two spaces in a row: what cleaning leaves as it is, but for
    the spaces at either end (most titles, names and abstracts)."""
    if not text.isascii():
        return False
    if len(text) < 200:
        return text.isprintable() and "  " not in text
    # A paragraph: its ASCII controls deleted by bytes.translate and a regex for two spaces
    # take half the time of isprintable and "in".
    raw = text.encode("ascii")
    return len(raw.translate(None, _ASCII_CONTROLS)) == len(raw) and not _TWO_SPACES.search(text)


_ASCII_CONTROLS = bytes(range(0x20)) + b"\x7f"
_TWO_SPACES = re.compile("  ")


def _has_spacing(line: str) -> bool:
    """``line`` has what :data:`_SPACES` changes (a faster test than the substitution)."""
    return "  " in line or "\t" in line or "\u00a0" in line


# -- the output boundary ---------------------------------------------------------------------------
_UNSAFE = re.compile(
    f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u200c\\u200d\\ud800-\\udfff{_FORMAT.pattern[1:-1]}]"
)


def needs_cleaning(text: str) -> bool:
    """``text`` holds something :func:`strip_controls` removes (or a ZWJ/ZWNJ to look at)."""
    if text.isascii() and text.isprintable():  # no control, nothing outside ASCII
        return False
    return _UNSAFE.search(text) is not None


def display(text: str) -> str:
    """``text`` as River may write it to a terminal: what :func:`strip_controls` removes, removed
    (newline and tab kept, a carriage return made a newline). River applies it to every line it
    prints and every line the reader draws, whatever the text came from (a library written
    before its text was made inert as it came in, or edited with sqlite3; a file name; the
    config; an error message). Text with nothing to remove is returned as it is, after one
    search."""
    return strip_controls(text) if needs_cleaning(text) else text


def display_line(text: str) -> str:
    """:func:`display` for a place that holds one line (a cell, a file's name in a message):
    a newline or tab becomes a space as well."""
    if text.isascii() and text.isprintable():  # most of what the reader draws: nothing to do
        return text
    text = display(text)
    if "\n" in text or "\t" in text:
        return text.replace("\n", " ").replace("\t", " ")
    return text


def _json_escape(match: re.Match[str]) -> str:
    point = ord(match.group())
    if point < 0x10000:
        return f"\\u{point:04x}"
    point -= 0x10000
    return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"


def display_json(value: object, indent: int | None = None, sort_keys: bool = False) -> str:
    """``value`` as JSON that is inert in a terminal and still says exactly what is stored:
    ``json.dumps(ensure_ascii=False)``, which escapes C0 controls but writes DEL, C1 controls,
    format characters (bidi overrides) and lone surrogates raw, with those escaped too
    (``\\u202e``). Loading it gives ``value`` back."""
    text = json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=sort_keys)
    return _UNSAFE.sub(_json_escape, text)
