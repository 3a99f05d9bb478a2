"""Make text that came from outside inert and tidy.

Everything a source sends (titles, abstracts, author names, labels) passes through
:func:`clean_text` before it is stored, so no escape sequence, control byte or bidi override
can reach the terminal later. Markup is a rendering concern: the UI renders these strings as
plain ``Text`` and never as Rich markup.
"""

from __future__ import annotations

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
# Bidi overrides/isolates and zero-width characters that can disguise text.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_ALL_WHITESPACE = re.compile(r"\s+")


def strip_controls(text: str) -> str:
    """Remove escape sequences, control characters and bidi/zero-width characters.

    Newlines and tabs survive; carriage returns become newlines.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCES.sub("", text)
    text = _CONTROLS.sub("", text)
    return _INVISIBLE.sub("", text)


def clean_text(text: str | None) -> str:
    """Inert paragraph text: controls stripped, runs of spaces folded, lines trimmed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", strip_controls(text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    # Keep paragraph breaks (one blank line), drop the rest of the blank lines.
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def counted(count: int, noun: str) -> str:
    """``1 claim``, ``2 claims``, ``0 papers`` (a noun whose plural takes an ``s``)."""
    return f"{count} {noun}{'s' * (count != 1)}"


def clean_line(text: str | None) -> str:
    """Inert single-line text (titles, names): every run of whitespace becomes one space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", strip_controls(text))
    return _ALL_WHITESPACE.sub(" ", text).strip()
