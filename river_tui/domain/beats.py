"""Beats: the standing topics a reader follows, and the rule that says what belongs.

A paper belongs to a beat when at least one include term or phrase occurs in its title or
abstract and no exclude term or phrase does. Matching is case-insensitive on whole words, and a
term also matches its simple plural ("agent" matches "agents"). Every decision carries its
reasons, so River can say *why* a paper is on a beat or why it was left out.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from river_tui.domain.text import strip_controls

TITLE_WEIGHT = 3.0
ABSTRACT_WEIGHT = 1.0


def normalize_tag(tag: str) -> str:
    """``#Credit Assignment`` -> ``credit-assignment`` (control characters and escape sequences
    dropped: a tag is shown in the panes and the palette)."""
    tag = strip_controls(tag).strip().lstrip("#").strip().casefold()
    return re.sub(r"[\s_]+", "-", tag)


def slugify(text: str) -> str:
    slug = re.sub(r"[^\w]+", "-", text.casefold()).strip("-")
    return slug or "untitled"


class Field(StrEnum):
    TITLE = "title"
    ABSTRACT = "abstract"


@dataclass(frozen=True, slots=True)
class Hit:
    """One term found in one field, how many times."""

    term: str
    field: Field
    count: int

    def __str__(self) -> str:
        times = f" ×{self.count}" if self.count > 1 else ""
        return f"“{self.term}” in {self.field}{times}"


class Verdict(StrEnum):
    MATCH = "match"
    EXCLUDED = "excluded"


@dataclass(frozen=True, slots=True)
class BeatMatch:
    """Why a paper is on a beat (``MATCH``) or was left out despite matching (``EXCLUDED``)."""

    beat: str
    verdict: Verdict
    score: float
    hits: tuple[Hit, ...]
    excluded_by: tuple[Hit, ...] = ()

    @property
    def reason(self) -> str:
        text = "matched " + ", ".join(str(h) for h in self.hits)
        if self.excluded_by:
            text += "; excluded by " + ", ".join(str(h) for h in self.excluded_by)
        return text


_GAPS = re.compile(r"[\s\-]+")


# What ``\s`` and "-" match in ASCII, space aside: :func:`_folded` replaces them by hand there.
_ASCII_GAPS = ("\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1d", "\x1e", "\x1f", "-")


def _folded(text: str) -> str | None:
    """``text`` case-folded with every run of spaces and hyphens as one space: a term's
    pattern can match only where its own folded form is a substring. None when folding changes
    the text's length (``ß``, ``İ``, ligatures), where that shortcut is not safe."""
    folded = text.casefold()
    if len(folded) != len(text):
        return None
    if not folded.isascii():
        return _GAPS.sub(" ", folded)
    # The same, faster for ASCII (an abstract has hundreds of single spaces to substitute).
    for gap in _ASCII_GAPS:
        if gap in folded:
            folded = folded.replace(gap, " ")
    while "  " in folded:
        folded = folded.replace("  ", " ")
    return folded


def _pattern(term: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in term.casefold().split()]
    body = r"[\s\-]+".join(words)
    return re.compile(rf"(?<![\w-]){body}(?:s|es)?(?![\w])", re.IGNORECASE)


class Source(StrEnum):
    """A source a refresh asks, by the one name River gives it everywhere: a beat's
    ``[beat.queries]`` key, ``river refresh --source``, a refresh job's key in the fetch log.
    ``[sources]`` in config.toml says where each is."""

    HF = "hf"
    ARXIV = "arxiv"
    ARXIV_RSS = "arxiv-rss"
    FEED = "feed"

    @property
    def discovery(self) -> str:
        """The name a sighting from this source is recorded under."""
        return {"hf": "hf-api", "arxiv": "arxiv-api", "arxiv-rss": "arxiv-rss", "feed": "feed"}[
            self.value
        ]

    def key(self, url: str, query: str = "") -> str:
        """The fetch log's key of a request to this source (``feed|URL|``): a refresh job is
        remembered under it, and the papers it brings are sighted with it as their origin (so
        a feed's papers are those sighted with its key)."""
        return f"{self.value}|{url}|{query}"


@dataclass(frozen=True)
class Beat:
    """A standing topic. ``queries`` maps a :class:`Source` (by its value, ``"arxiv-rss"``) to
    its query for the refresher."""

    name: str
    tags: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    description: str = ""
    queries: dict[str, str] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @cached_property
    def _include_patterns(self) -> _Patterns:
        return tuple(_compiled(term) for term in self.include)

    @cached_property
    def _exclude_patterns(self) -> _Patterns:
        return tuple(_compiled(term) for term in self.exclude)

    def classify(
        self, title: str, abstract: str, folded: tuple[Keys | None, Keys | None] | None = None
    ) -> BeatMatch | None:
        """The verdict for one paper, or ``None`` when no include term occurs at all.
        ``folded``: ``_folded(title), _folded(abstract)``, when the caller has them, or for
        each field the set of folded terms that are substrings of it
        (:mod:`river_tui.domain.beat_scan`)."""
        texts = _texts(title, abstract, folded)
        hits = _find(self._include_patterns, texts)
        if not hits:
            return None
        score = sum(
            h.count * (TITLE_WEIGHT if h.field is Field.TITLE else ABSTRACT_WEIGHT) for h in hits
        )
        excluded = _find(self._exclude_patterns, texts)
        verdict = Verdict.EXCLUDED if excluded else Verdict.MATCH
        return BeatMatch(self.name, verdict, score, hits, excluded)


_Compiled = tuple[str, str, re.Pattern[str], str | None]
_Patterns = tuple[_Compiled, ...]


def _compiled(term: str) -> _Compiled:
    """A term, its folded form (:func:`_folded`), its pattern, and the first word a match
    starts with, lower-cased (None unless the term is ASCII: see :func:`_count`)."""
    words = term.casefold().split()
    first = words[0] if words and term.casefold().isascii() else None
    return term, _GAPS.sub(" ", term.casefold()), _pattern(term), first


Keys = str | Container[str]
"""A field folded (:func:`_folded`), or the folded terms found in it: ``key in`` tells whether a
term can occur."""
_Texts = tuple[tuple[Field, str, Keys | None], ...]


def _texts(title: str, abstract: str, folded: tuple[Keys | None, Keys | None] | None) -> _Texts:
    title_key, abstract_key = folded or (_folded(title), _folded(abstract))
    return ((Field.TITLE, title, title_key), (Field.ABSTRACT, abstract, abstract_key))


def _find(patterns: _Patterns, texts: _Texts) -> tuple[Hit, ...]:
    hits: list[Hit] = []
    for term, key, pattern, first in patterns:
        for name, text, folded in texts:
            # Most terms occur in no paper: a substring test rules them out before the regex.
            if folded is not None and key not in folded:
                continue
            count = _count(pattern, text, first)
            if count:
                hits.append(Hit(term, name, count))
    return tuple(hits)


def _count(pattern: re.Pattern[str], text: str, first: str | None) -> int:
    """``len(pattern.findall(text))``, faster for ASCII.

    A case-insensitive pattern is tried at every position of the text (about 40 µs for an
    abstract). In ASCII text a match of an ASCII term starts where the text, lower-cased,
    has the term's first word, so the pattern is tried there only, left to right, each try
    after the end of the last match: the matches ``findall`` finds, no more, no fewer."""
    if first is None or not text.isascii():
        return len(pattern.findall(text))
    lowered = text.lower()
    count = end = 0
    at = lowered.find(first)
    while at >= 0:
        if at >= end and (found := pattern.match(text, at)) is not None:
            count += 1
            end = found.end()
        at = lowered.find(first, at + 1)
    return count


def classify(beats: list[Beat], title: str, abstract: str) -> list[BeatMatch]:
    """Every beat's verdict on a paper (beats with no include hit are left out)."""
    folded = (_folded(title), _folded(abstract))
    return [m for beat in beats if (m := beat.classify(title, abstract, folded)) is not None]


def folded_texts(title: str, abstract: str) -> tuple[str | None, str | None]:
    """What :meth:`Beat.classify` takes as ``folded``: to classify one paper by many beats."""
    return _folded(title), _folded(abstract)


def include_keys(beat: Beat) -> tuple[str, ...]:
    """The folded form of each of the beat's include terms (see :func:`term_keys`)."""
    return tuple(compiled[1] for compiled in beat._include_patterns)


def term_keys(beat: Beat) -> tuple[str, ...]:
    """The folded form of each of the beat's terms (include and exclude): what must be a
    substring of a folded field for the term to occur in it."""
    return tuple(compiled[1] for compiled in beat._include_patterns + beat._exclude_patterns)


def beat_named(name: str, beats: Sequence[Beat]) -> Beat:
    """The beat ``name`` names on the command line: its name in any case, or the start of
    exactly one beat's name. Raises :class:`ValueError` with one line: no such beat (the
    beats listed), or several (the candidates listed)."""
    wanted = " ".join(name.split()).casefold()
    exact = [b for b in beats if b.name.casefold() == wanted]
    if exact:
        return exact[0]
    starting = [b for b in beats if wanted and b.name.casefold().startswith(wanted)]
    if len(starting) == 1:
        return starting[0]
    if starting:
        listed = ", ".join(b.name for b in starting)
        raise ValueError(f"{name!r} names several beats: {listed}")
    listed = ", ".join(b.name for b in beats) or "none"
    raise ValueError(f"no beat named {name!r} (beats: {listed})")
