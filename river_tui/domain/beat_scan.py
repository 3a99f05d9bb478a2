"""Classify many papers by the beats at once: the same verdicts as
:func:`~river_tui.domain.beats.classify`, about seven times faster.

:func:`~river_tui.domain.beats.classify` first rules out each term whose folded form is not a
substring of the folded field (most terms occur in no paper), then counts the term's matches
with its regular expression. With a few dozen terms that is a few dozen substring searches of
each abstract. :class:`BeatScanner` finds every folded term that is a substring of a field in
one pass (an Aho-Corasick automaton over all the terms, ``pyahocorasick``), and hands that set
to :meth:`~river_tui.domain.beats.Beat.classify` in place of the folded text: the same test
(``key in``), so the same terms reach the same regular expressions, in the same order, and
give the same hits, scores and verdicts. ``tests/test_beat_scan.py`` compares the two.
"""

from __future__ import annotations

import ahocorasick

from river_tui.domain.beats import Beat, BeatMatch, folded_texts, include_keys, term_keys


class BeatScanner:
    """:func:`~river_tui.domain.beats.classify` for the beats given, faster for many papers."""

    def __init__(self, beats: list[Beat]) -> None:
        self.beats = beats
        keys = {key for beat in beats for key in term_keys(beat)}
        self._always = frozenset(key for key in keys if not key)  # "" is in every text
        self._automaton = ahocorasick.Automaton()
        for key in keys:
            if key:
                self._automaton.add_word(key, key)
        self._usable = len(self._automaton) > 0
        self._includes = [(beat, frozenset(include_keys(beat))) for beat in beats]
        if self._usable:
            self._automaton.make_automaton()
        # ASCII text is read with every character but a letter, a digit and "_" made a space
        # (a term in the text is still one, so made). A term's pattern matches only where no
        # letter, digit, "_" or "-" comes before it: a term that starts with a letter, a digit
        # or "_" is looked for after a space. The automaton's root then has one branch, not
        # one for each first letter, and a text is read in about two thirds of the time. (A
        # term that starts otherwise, "-x", is looked for anywhere.)
        self._at_words = ahocorasick.Automaton()
        for key in keys:
            if key and key.isascii():
                anchor = " " if ord(key[0]) in _WORD_BYTES else ""
                self._at_words.add_word(anchor + _spaced(key), key)
        if len(self._at_words):
            self._at_words.make_automaton()

    def classify(self, title: str, abstract: str) -> list[BeatMatch]:
        """Every beat's verdict on a paper, as :func:`~river_tui.domain.beats.classify` gives."""
        folded_title, folded_abstract = folded_texts(title, abstract)
        in_title, in_abstract = self._found(folded_title), self._found(folded_abstract)
        found = (in_title, in_abstract)
        both = in_title is not None and in_abstract is not None
        matches = []
        for beat, includes in self._includes:
            # A beat none of whose include terms is in either field has no verdict.
            if both and includes.isdisjoint(in_title) and includes.isdisjoint(in_abstract):  # type: ignore[arg-type]
                continue
            match = beat.classify(title, abstract, found)
            if match is not None:
                matches.append(match)
        return matches

    def _found(self, folded: str | None) -> frozenset[str] | None:
        """The folded terms that are substrings of ``folded`` (None: the field could not be
        folded, and every term is tried)."""
        if folded is None:
            return None
        if not self._usable:
            return self._always
        if folded.isascii():
            if not len(self._at_words):
                return self._always
            spaced = " " + _spaced(folded)
            return self._always | {key for _end, key in self._at_words.iter(spaced)}
        return self._always | {key for _end, key in self._automaton.iter(folded)}


_WORD_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_SPACED = bytes(byte if byte in _WORD_BYTES else 0x20 for byte in range(256))


def _spaced(ascii_text: str) -> str:
    """ASCII text with every character but a letter, a digit and "_" (what ``\\w`` matches in
    ASCII) made a space: a term that starts where a word does in a text is, so made, a
    substring of the text so made, after a space."""
    return ascii_text.encode("ascii").translate(_SPACED).decode("ascii")
