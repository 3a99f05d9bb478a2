"""What a citation of a paper says in any format (BibTeX, RIS, CSL-JSON): its key, its authors'
names in parts, its DOI and its link.

Keys follow the common ``author-year-word`` scheme (Better BibTeX's ``stanley2016heat``): the
first author's family name (:func:`split_name`), the year, the title's first significant word,
in plain lower-case ASCII. Two papers of a library with one key are told apart by the order
they came into the library: the first keeps the key, the next get ``b``, ``c``…
(:func:`assign_keys`; the store applies it over the whole library, so a paper has the same key
in every export, whatever it is filtered by, and a paper arriving later never renames one
already there)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from river_tui.domain.authors import PARTICLES, SUFFIXES
from river_tui.domain.ids import normalize_title
from river_tui.domain.links import web_url
from river_tui.domain.papers import Paper

STOPWORDS = frozenset(
    {"a", "an", "the", "on", "of", "for", "in", "to", "and", "with", "from", "via"}
)
"""Title words a key skips (``The Heat Equation`` gives ``heat``)."""
ANONYMOUS = "anon"
"""A key's first part for a paper with no author known."""
ARXIV_DOI_PREFIX = "10.48550/arXiv."
"""arXiv's DOI of every paper: this prefix and the arXiv id (arXiv registers one for each)."""
DOI = re.compile(r"10\.\d{4,9}/[^\s{}\\\"]+")
"""A DOI as River writes it: ``10.``, the registrant, ``/`` and a suffix without spaces,
braces, backslashes or quotes."""
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Letters with no decomposition into an ASCII letter and a mark, spelled in ASCII for a key.
_SPELLED = str.maketrans(
    {"ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


def ascii_word(text: str) -> str:
    """``text`` in lower-case ASCII letters and digits (``Müller`` is ``muller``)."""
    if text.isascii():
        return text.lower() if text.isalnum() else _NOT_ALNUM.sub("", text.lower())
    text = unicodedata.normalize("NFKD", text.casefold().translate(_SPELLED)).lower()
    return _NOT_ALNUM.sub("", text.encode("ascii", "ignore").decode())


def key_of(first_author: str | None, year: int | None, title_key: str) -> str:
    """The key before any suffix: ``title_key`` is the title as
    :func:`~river_tui.domain.ids.normalize_title` gives it (the library stores it so)."""
    surname = ascii_word(split_name(first_author).family) if first_author else ""
    return (surname or ANONYMOUS) + (str(year) if year is not None else "") + title_word(title_key)


def title_word(title_key: str) -> str:
    """A key's word: the first word of a normalized title that is no :data:`STOPWORDS` and
    has a letter or digit in ASCII."""
    words = (ascii_word(w) for w in title_key.split() if w not in STOPWORDS)
    return next((w for w in words if w), "")


def citekey(paper: Paper) -> str:
    """``surname + year + first significant title word``, e.g. ``stanley2016heat``."""
    year = paper.published.year if paper.published else None
    first = paper.authors[0] if paper.authors else None
    return key_of(first, year, normalize_title(paper.title))


def suffixed(key: str, rank: int) -> str:
    """``key`` for the ``rank``-th paper holding it (from 0): ``key``, ``keyb``… ``keyz``,
    ``keyaa``…"""
    if rank <= 0:
        return key
    letters, n = "", rank + 1
    while n:
        n, digit = divmod(n - 1, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[digit] + letters
    return key + letters


def assign_keys(rows: Iterable[tuple[int, str]]) -> dict[int, str]:
    """Final keys of papers given as ``(order, key before any suffix)``: the paper of lowest
    order keeps its key, the others sharing it get :func:`suffixed` ones in order."""
    by_key: dict[str, list[int]] = {}
    for order, key in rows:
        by_key.setdefault(key, []).append(order)
    return {
        order: suffixed(key, rank)
        for key, orders in by_key.items()
        for rank, order in enumerate(sorted(orders))
    }


def keyed(papers: Sequence[Paper]) -> list[tuple[str, Paper]]:
    """``papers`` with keys told apart by their order here (for papers outside a library; an
    export of a library's papers takes the library's keys, ``Library.citation_keys``)."""
    keys = assign_keys((n, citekey(p)) for n, p in enumerate(papers))
    return [(keys[n], paper) for n, paper in enumerate(papers)]


@dataclass(frozen=True, slots=True)
class Name:
    """A person's name in the parts citation formats ask for. ``particle``: the ``van`` of
    "Ludwig van Beethoven" (CSL's non-dropping particle); ``suffix``: Jr., III."""

    family: str
    given: str = ""
    particle: str = ""
    suffix: str = ""

    @property
    def surname(self) -> str:
        """The family name with its particle (``van Beethoven``)."""
        return f"{self.particle} {self.family}" if self.particle else self.family

    def inverted(self) -> str:
        """``Family, Given, Suffix`` (RIS's form of a name)."""
        return ", ".join(part for part in (self.surname, self.given, self.suffix) if part)

    def csl(self) -> dict[str, str]:
        """The name as a CSL-JSON name object."""
        out = {"family": self.family}
        if self.given:
            out["given"] = self.given
        if self.particle:
            out["non-dropping-particle"] = self.particle
        if self.suffix:
            out["suffix"] = self.suffix
        return out


def _is_suffix(word: str) -> bool:
    return word.casefold().rstrip(".") in SUFFIXES


def _is_particle(word: str) -> bool:
    return word.casefold() in PARTICLES


def split_name(name: str) -> Name:
    """A name's parts by the rule BibTeX reads names by: ``Family, Given`` (or ``Family,
    Suffix, Given``) when there is a comma; else the last word is the family name, particles
    in lower case just before it (van, de la…) are the particle, a trailing Jr. or III is the
    suffix, and the words before are the given names. One word is a family name alone."""
    parts = [part.strip() for part in name.split(",")]
    if len(parts) >= 2 and not all(_is_suffix(w) for w in " ".join(parts[1:]).split()):
        family, given = parts[0], parts[-1]
        suffix = parts[1] if len(parts) >= 3 else ""
        if suffix and _is_suffix(given) and not _is_suffix(suffix):  # "King, Martin, Jr."
            given, suffix = suffix, given
        words = family.split()
        particles = []
        while len(words) > 1 and words[0].islower() and _is_particle(words[0]):
            particles.append(words.pop(0))
        return Name(" ".join(words), given, " ".join(particles), suffix)
    words = name.replace(",", " ").split()
    suffix_words = []
    while len(words) > 1 and _is_suffix(words[-1]):
        suffix_words.insert(0, words.pop())
    if not words:
        return Name(name.strip())
    family, before = words[-1], words[:-1]
    particles = []
    while len(before) > 1 and before[-1].islower() and _is_particle(before[-1]):
        particles.insert(0, before.pop())
    return Name(family, " ".join(before), " ".join(particles), " ".join(suffix_words))


def doi(paper: Paper) -> str | None:
    """The DOI a source gave the paper; for an arXiv paper without one, arXiv's own. A DOI
    given that is not one (:data:`DOI`: it would not stay inert in a BibTeX field) is not."""
    given = paper.extra.get("doi")
    if isinstance(given, str) and DOI.fullmatch(given.strip()):
        return given.strip()
    return ARXIV_DOI_PREFIX + paper.arxiv.canonical if paper.arxiv else None


def url(paper: Paper, version: int | None = None) -> str | None:
    """The paper's page: arXiv's abstract page (of ``version``, when one is cited), else the
    item's own link if it is a web link."""
    if paper.arxiv:
        cited = f"v{version}" if version else ""
        return f"https://arxiv.org/abs/{paper.arxiv.canonical}{cited}"
    return web_url(paper.url)


def date_parts(day: date | None) -> list[int]:
    """``[year, month, day]`` (empty: no date)."""
    return [day.year, day.month, day.day] if day else []
