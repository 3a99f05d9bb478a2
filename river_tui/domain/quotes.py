"""A claim's quoted sentence, checked against a new version of its paper's abstract.

:func:`recheck` finds the quote in the new text the way a reader would: exactly, where it was
(``kept``) or elsewhere (``moved``); then ignoring whitespace and punctuation (``moved``: the
same words, re-spaced or re-punctuated); then the closest sentence, when it is close enough
(``changed``, with a word-level diff); else ``gone``. A withdrawn paper's quotes are
``withdrawn``. Pure: no I/O, the same answer for the same texts."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz

from river_tui.domain.claims import Quote

CONTEXT = 40
"""How many characters of the abstract a quote keeps on each side (prefix, suffix)."""
ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "etc.", "vs.", "cf.", "fig.", "eq.", "approx.")
_BREAK = re.compile(r"[.!?][\"”')\]]*\s+")
_NOT_WORD = re.compile(r"[\W_]+")

CHANGED_AT = 65.0
"""How alike (rapidfuzz ``ratio`` of the two word sequences, 0-100) the closest new sentence
must be for the quote to count as ``changed`` rather than ``gone``. Measured on the 44 recorded
arXiv abstracts (tests/test_quotes.py): 885 edits a new version makes to a sentence (a number
corrected, a clause added, a quarter of the words cut) leave it at least 69.6 alike (95% of
them 81.1 or more); 2,044 pairs of two different sentences of one abstract are at most 59.6
alike (99% of them 32.4 or less). Either way the claim needs review: the threshold only
decides whether it is shown a diff or told the sentence is gone."""


@dataclass(frozen=True, slots=True)
class Sentence:
    """``text`` is ``abstract[start:end]``."""

    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` with their offsets: a break is ``.``, ``!`` or ``?`` (and any
    closing quotes) then whitespace, unless the word before is a common abbreviation (``e.g.``)
    or the next character is lower case."""
    out: list[Sentence] = []
    start = 0
    for found in _BREAK.finditer(text):
        stop = found.start() + 1
        rest = text[found.end() : found.end() + 1]
        word = text[start:stop].rsplit(None, 1)[-1].casefold() if text[start:stop].strip() else ""
        if word.endswith(ABBREVIATIONS) or (rest and rest.islower()):
            continue
        closing = len(found.group().rstrip()) - 1
        _add(out, text, start, stop + closing)
        start = found.end()
    _add(out, text, start, len(text))
    return out


def sentence_of(abstract: str, text: str) -> Sentence | None:
    """The sentence of ``abstract`` that reads ``text`` (its spaces folded), if any."""
    wanted = " ".join(text.split())
    return next((s for s in split_sentences(abstract) if s.text == wanted), None)


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    if piece:
        out.append(Sentence(piece, start + lead, start + lead + len(piece)))


def quote_of(abstract: str, sentence: Sentence) -> Quote:
    """The W3C-style quote of ``sentence``: exact text, up to :data:`CONTEXT` characters
    either side."""
    return Quote(
        exact=sentence.text,
        prefix=abstract[max(0, sentence.start - CONTEXT) : sentence.start],
        suffix=abstract[sentence.end : sentence.end + CONTEXT],
        start=sentence.start,
        end=sentence.end,
    )


_WITHDRAWN = re.compile(r"\bwithdraw(?:n|al)\b", re.IGNORECASE)


def withdraws(comment: str, abstract: str) -> bool:
    """A version that withdraws its paper: arXiv's comment says so, or the abstract, which a
    withdrawal replaces with a notice, does (``This paper has been withdrawn ...``)."""
    return bool(_WITHDRAWN.search(comment)) or bool(_WITHDRAWN.search(abstract[:200]))


class Outcome(StrEnum):
    """What became of a quote in a new version."""

    KEPT = "kept"
    MOVED = "moved"
    CHANGED = "changed"
    GONE = "gone"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class Change:
    """One step of a word-level diff: ``op`` is ``=`` (the same), ``-`` (only in the quote)
    or ``+`` (only in the new sentence)."""

    op: str
    words: str


@dataclass(frozen=True, slots=True)
class Recheck:
    """A quote's outcome in a new abstract: the sentence that holds it now (none when gone or
    withdrawn), how alike it is (0-100), and for ``changed`` the diff from the quote to it."""

    outcome: Outcome
    quote: str
    now: Sentence | None = None
    alike: float = 0.0
    diff: tuple[Change, ...] = ()

    @property
    def needs_review(self) -> bool:
        return self.outcome is not Outcome.KEPT


def recheck(quote: Quote, abstract: str, withdrawn: bool = False) -> Recheck:
    """What became of ``quote`` (as stored: its text, its context, its offsets in the version
    it was taken from) in ``abstract``, a newer version's; ``withdrawn``: that version
    withdraws the paper."""
    exact = quote.exact
    if withdrawn:
        return Recheck(Outcome.WITHDRAWN, exact)
    sentences = split_sentences(abstract)
    at = _found_at(quote, abstract)
    if at is not None:
        now = Sentence(exact, at, at + len(exact))
        if _context_holds(quote, abstract, at):
            return Recheck(Outcome.KEPT, exact, now, 100.0)
        if _whole_sentences(sentences, now):
            kept = quote.start is None or at == quote.start  # no offset kept: nowhere else
            return Recheck(Outcome.KEPT if kept else Outcome.MOVED, exact, now, 100.0)
        # Otherwise it is part of a longer sentence now: that sentence changed.
    wanted = _words(exact)
    for sentence in sentences:
        if _words(sentence.text) == wanted:
            return Recheck(Outcome.MOVED, exact, sentence, 100.0)
    best, alike = _closest(wanted, sentences)
    if best is None or alike < CHANGED_AT:
        return Recheck(Outcome.GONE, exact, alike=alike)
    return Recheck(Outcome.CHANGED, exact, best, alike, word_diff(exact, best.text))


def _found_at(quote: Quote, abstract: str) -> int | None:
    """Where the quote's exact text is in ``abstract``: at its old offset if it is there,
    else its first occurrence."""
    exact = quote.exact
    if not exact:
        return None
    if quote.start is not None and abstract[quote.start : quote.start + len(exact)] == exact:
        return quote.start
    found = abstract.find(exact)
    return found if found >= 0 else None


def _context_holds(quote: Quote, abstract: str, at: int) -> bool:
    """The text around ``at`` is the quote's context: its prefix before it and its suffix
    after it (a context shorter than :data:`CONTEXT` reached the start or the end of the
    abstract, which must still be there). A quote stored without context has none to hold."""
    if not (quote.prefix or quote.suffix):
        return False
    before, after = abstract[:at], abstract[at + len(quote.exact) :]
    if not (before.endswith(quote.prefix) and after.startswith(quote.suffix)):
        return False
    starts = len(quote.prefix) >= CONTEXT or not before[: len(before) - len(quote.prefix)].strip()
    ends = len(quote.suffix) >= CONTEXT or not after[len(quote.suffix) :].strip()
    return starts and ends


def _whole_sentences(sentences: list[Sentence], span: Sentence) -> bool:
    """``span`` starts where a sentence starts and ends where one ends."""
    starts = {s.start for s in sentences}
    ends = {s.end for s in sentences}
    return span.start in starts and span.end in ends


def _words(text: str) -> str:
    """``text``'s words alone, in order: whitespace and punctuation left out."""
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def _closest(wanted: str, sentences: list[Sentence]) -> tuple[Sentence | None, float]:
    """The sentence whose words are most like ``wanted`` (compared word by word: a sentence of
    the same shape but other words is not taken for an edit of it), and how alike."""
    best: Sentence | None = None
    alike = 0.0
    words = wanted.split()
    for sentence in sentences:
        score = fuzz.ratio(words, _words(sentence.text).split())
        if score > alike:
            best, alike = sentence, score
    return best, alike


def word_diff(old: str, new: str) -> tuple[Change, ...]:
    """The words of ``old`` and ``new`` (split on whitespace), as runs kept, removed and
    added, in order."""
    a, b = old.split(), new.split()
    out: list[Change] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Change("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Change("-", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(Change("+", " ".join(b[j1:j2])))
    return tuple(out)


_CHANGED = "the quoted sentence changed"
_CHANGED_NOTE = re.compile(rf"^(?P<lead>.*: {_CHANGED}: )“(?P<old>.*)” → “(?P<new>.*)”$")


def history_note(found: Recheck, quoted: int | None, version: int, comment: str) -> str:
    """What River found, as the claim's history says it: ``v1 → v2: the quoted sentence
    changed: “…” → “…”`` (``quoted``: the version the quote was taken from, if known;
    ``comment``: arXiv's on the new version)."""
    versions = f"v{quoted} → v{version}" if quoted else f"v{version}"
    old = f"“{found.quote}”"
    if found.outcome is Outcome.WITHDRAWN:
        return f"{versions}: the paper is withdrawn" + (f" ({comment})" if comment else "")
    if found.outcome is Outcome.GONE:
        return f"{versions}: the quoted sentence is gone: {old}"
    assert found.now is not None
    if found.outcome is Outcome.MOVED:
        return f"{versions}: the quoted sentence moved: “{found.now.text}”"
    return f"{versions}: {_CHANGED}: {old} → “{found.now.text}”"


def changed_in(note: str) -> tuple[str, str, str] | None:
    """(what leads, the old sentence, the new) of a :func:`history_note` of a changed
    sentence; None for any other note."""
    found = _CHANGED_NOTE.match(note)
    return (found["lead"], found["old"], found["new"]) if found else None
