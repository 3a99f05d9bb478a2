"""What River removes from text, on the way in and on the way out (``domain/text.py``).

The policy is by Unicode category: control characters (C0 but tab and newline, DEL, C1) and
escape sequences, every format character (Cf: bidi controls, zero-width characters, the tag
characters, U+180E, U+061C ...) and the unassigned default-ignorable code points. ZWJ and ZWNJ
are kept where a script needs them: inside a word, between letters, marks, numbers or symbols.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from river_tui.domain import ItemKind, Link, Paper
from river_tui.domain.text import clean_line, clean_text, display, strip_controls
from river_tui.sources import inert
from river_tui.sources.notes import collect

ZWJ, ZWNJ = "\u200d", "\u200c"
# Default_Ignorable_Code_Point code points that are unassigned (DerivedCoreProperties.txt):
# Unicode keeps these ranges default-ignorable whatever is assigned in them later.
UNASSIGNED_IGNORABLE = ((0x2065, 0x2065), (0xFFF0, 0xFFF8), (0xE0000, 0xE0FFF))


def regenerated_ranges() -> list[tuple[int, int]]:
    """The ranges ``FORMAT_RANGES`` must hold, worked out from this Python's ``unicodedata``."""

    def removed(cp: int) -> bool:
        category = unicodedata.category(chr(cp))
        if cp in (0x200C, 0x200D):
            return False  # ZWNJ and ZWJ: kept inside words (and tested below)
        if category == "Cf":
            return True
        return category == "Cn" and any(a <= cp <= b for a, b in UNASSIGNED_IGNORABLE)

    ranges: list[tuple[int, int]] = []
    for cp in range(0x110000):
        if removed(cp):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return ranges


def test_the_format_ranges_are_this_pythons_unicode() -> None:
    """``FORMAT_RANGES`` is written out (working it out at import costs the reader's start
    ~0.1 s): a Python with a newer Unicode (new format characters) fails here."""
    from river_tui.domain.text import FORMAT_RANGES

    assert list(FORMAT_RANGES) == regenerated_ranges(), (
        f"Unicode {unicodedata.unidata_version}: regenerate FORMAT_RANGES in domain/text.py"
    )


@pytest.mark.parametrize(
    "hidden",
    [
        "\u180e",  # MONGOLIAN VOWEL SEPARATOR
        "\U000e0041\U000e0042\U000e007f",  # tag characters
        "\U000e0001",  # LANGUAGE TAG
        "\u00ad",  # SOFT HYPHEN
        "\u2065",  # unassigned, default-ignorable
        "\ufff0\ufff8",  # unassigned, default-ignorable
        "\U000e0fff",  # unassigned, default-ignorable
        "\u2061\u206a\u206f",  # invisible operators, deprecated format characters
        "\u061c\u200e\u200f\u202e\u2066\u2069",  # bidi marks, overrides, isolates
        "\u200b\ufeff",  # zero widths
        "\U0001d173",  # MUSICAL SYMBOL BEGIN BEAM
    ],
)
def test_format_characters_are_removed_on_the_way_in_and_out(hidden: str) -> None:
    text = f"Invisible{hidden} ink{hidden}"
    assert clean_line(text) == "Invisible ink"
    assert clean_text(text) == "Invisible ink"
    assert strip_controls(text) == "Invisible ink"
    assert inert.line(text) == "Invisible ink"
    assert inert.value({text: [text]}) == {"Invisible ink": ["Invisible ink"]}
    assert display(text) == "Invisible ink"


@pytest.mark.parametrize(
    "word",
    [
        "می\u200cخواهم",  # Persian: ZWNJ between two letters
        "क्\u200dष",  # Devanagari: ZWJ after a virama (a mark)
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family: ZWJ between emoji
        "\u2764\ufe0f\u200d\U0001f525",  # heart on fire: ZWJ after a variation selector
        "\U0001f44d\U0001f3fd\u200d\u2642",  # a skin tone (Sk) then ZWJ
        "1\u200c2",
    ],
)
def test_zwj_and_zwnj_are_kept_inside_a_word(word: str) -> None:
    assert clean_line(word) == unicodedata.normalize("NFC", word)
    assert strip_controls(word) == word
    assert display(word) == word


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u200dstart", "start"),
        ("end\u200c", "end"),
        ("a \u200d b", "a  b"),
        ("a\u200d\u200db", "ab"),
        ("a\u200c.b", "a.b"),
        ("\u200d", ""),
    ],
)
def test_zwj_and_zwnj_outside_a_word_are_removed(text: str, expected: str) -> None:
    assert strip_controls(text) == expected
    assert display(text) == expected


def test_lone_surrogates_become_replacement_characters() -> None:
    assert strip_controls("a\ud800b\udcff") == "a\ufffdb\ufffd"
    assert clean_line("a\udfff") == "a\ufffd"
    assert display("caf\udce9.json") == "caf\ufffd.json"


def test_cleaning_is_idempotent() -> None:
    text = "a\u200d\u202eb \x1b]0;x\x07\u200c\U000e0041 \ud800 \u0645\u200c\u06cc"
    once = strip_controls(text)
    assert strip_controls(once) == once
    assert display(display(text)) == display(text)


# -- the output boundary ---------------------------------------------------------------------------
def test_display_removes_what_cleaning_removes_and_keeps_the_layout() -> None:
    text = "Title\x1b]0;PWNED\x07 \u202eevil\x85\U000e0041\n\tindented  twice\r\nend"
    assert display(text) == "Title evil\n\tindented  twice\nend"
    plain = "An ordinary line, with  two spaces\nand a tab\t."
    assert display(plain) is plain  # nothing to remove: the same string, after one search


def test_display_json_escapes_what_a_terminal_would_obey_and_round_trips() -> None:
    import json

    from river_tui.domain.text import display_json

    value = {"t\u202e": ["\x1b]0;x\x07", "\x85\x7f", "\U000e0041", "caf\ud800", "ok é 漢"]}
    text = display_json(value, indent=1)
    assert json.loads(text) == value
    assert "\\u202e" in text and "\\u0085" in text and "\\u007f" in text
    assert "\\udb40\\udc41" in text and "\\ud800" in text
    assert "ok é 漢" in text  # everything else stays as it is
    assert display(text) == text


PIECES = ["\x1b[2J", "\x1b]0;x\x07", "\u202e", "\u200d", "\r\n", "  ", "\t", "e\u0301"]
WILD = st.lists(
    st.characters(blacklist_categories=("Cs",)) | st.sampled_from(PIECES), max_size=30
).map("".join)
LONG = st.sampled_from(["", "a" * 2_100, "ab " * 700, "x\u202e" * 1_100])


@settings(max_examples=300, deadline=None)
@given(
    url=st.sampled_from(
        ["https://x.org/p", "https://x.org/" + "p" * 2_100, "https://x.org/e\u0301", " "]
    ),
    title=WILD | LONG,
    abstract=WILD | LONG,
    authors=st.lists(WILD | LONG, max_size=4),
    feed=WILD | LONG,
)
def test_a_feed_item_made_at_once_is_the_paper_the_long_way_makes(
    url: str, title: str, abstract: str, authors: list[str], feed: str
) -> None:
    """``inert.web_item`` cleans each field once: the same paper, and the same notes, as a
    ``Paper`` made then passed through ``inert.paper``."""
    with collect() as quick_notes:
        try:
            quick = inert.web_item(url, title, abstract, authors, None, title, feed)
        except ValueError:
            quick = None
    with collect() as long_notes:
        try:
            made = Paper(
                kind=ItemKind.WEB,
                url=url,
                title=title,
                abstract=abstract,
                authors=tuple(authors),
                organization=title,
                links=(Link("web", url),),
                extra={"feed": feed},
            )
            slow = inert.paper(made)
        except ValueError:
            slow = None
    assert quick == slow
    assert quick_notes == long_notes


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["word", " ", "  ", "\t", "\n", "\r", "\x00", "\x1b[2J", "\x7f", "."]),
        min_size=60,
        max_size=120,
    ).map("".join)
)
def test_a_long_ascii_text_is_cleaned_as_a_short_one_is(text: str) -> None:
    """Cleaning takes a quicker look at long ASCII text: what it leaves is as inert."""
    cleaned, line = clean_text(text), clean_line(text)
    for out in (cleaned, line):
        assert not any((ord(c) < 0x20 and c != "\n") or c == "\x7f" for c in out)
        assert out == out.strip()
    assert "\n" not in line and "  " not in line
    assert all("  " not in part for part in cleaned.split("\n"))
    assert clean_text(cleaned) == cleaned and clean_line(line) == line
