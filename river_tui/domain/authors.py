"""One person's name across sources: "R. Sutton", "Richard S. Sutton", "Sutton, Richard".

A name becomes an :class:`AuthorKey`: its surname and its given names, each a tuple of words
with the accents taken off (``unicodedata``: "Gödel" is "godel"), in lower case, split where the
full-text index splits them (hyphens, apostrophes, dots: "J.-P." is "j p"). Two names are one
person's (:func:`same_author`) when

* their surnames are the same words ("García Márquez, G." and "Gabriel García Márquez" are:
  the comma says where the surname starts; without one, the last word is the surname and the
  words before it may be part of it), and
* their given names are compatible: the first agree (equal, or one is the other's initial),
  and the rest of the shorter list occurs in order in the longer (a missing middle name, or a
  missing given name, is compatible; "Richard S." and "Richard T." are not).

"R. Sutton" is "Richard Sutton" and "Robert Sutton" both, as a byline cannot tell them apart.
Particles (van, von, de, …) in lower case, and a capitalized one just before the surname, are
left out ("Ludwig van Beethoven" is "Beethoven, Ludwig van"); so are suffixes (Jr., III).
Letters without a decomposition (ø, ł, ß, æ) are kept as they are, as the index keeps them.

Pure: no I/O. Work is bounded: a name is read to :data:`NAME_MAX` characters, to
:data:`WORDS_MAX` words of each part, and a paper's list to :data:`AUTHORS_CHECKED` names."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from river_tui.domain.summary import PaperSummary

NAME_MAX = 200
"""The most of a name read (characters): longer than any person's name."""
WORDS_MAX = 8
"""The most words kept of a surname, and of the given names."""
AUTHORS_CHECKED = 2_000
"""The most names of one paper's list a match reads (a paper of 50,000 authors costs what one
of 2,000 does)."""

PARTICLES = frozenset(
    "van von der den de del della di da dos das do du la le ten ter zu af av bin ibn".split()  # noqa: SIM905
)
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


@dataclass(frozen=True, slots=True)
class AuthorKey:
    """A name as it is compared: ``surname`` and ``given`` words (a one-letter word is an
    initial). ``str(key)`` is how it is stored (``"garcia marquez|gabriel"``)."""

    surname: tuple[str, ...]
    given: tuple[str, ...] = ()

    def __str__(self) -> str:
        return " ".join(self.surname) + "|" + " ".join(self.given)

    @property
    def last(self) -> str:
        """The surname's last word: what a name is looked up by (in the index too)."""
        return self.surname[-1]


def parse_key(text: str) -> AuthorKey | None:
    """The key ``str(key)`` stored (None: not one)."""
    surname, _bar, given = text.partition("|")
    words = tuple(surname.split())
    return AuthorKey(words, tuple(given.split())) if words else None


def _plain(text: str) -> str:
    """``text`` without its accents (combining marks after NFKD)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(part: str) -> list[str]:
    """The words of ``part`` as the index splits them (on anything but letters and digits),
    as typed: "J.-P." gives "J", "P"; "O'Brien" gives "O", "Brien"."""
    return "".join(c if c.isalnum() else " " for c in part).split()


def _given_words(part: str) -> list[str]:
    """Given names: a word of two or three capitals ("RS") is that many initials."""
    out: list[str] = []
    for word in _words(part):
        if 2 <= len(word) <= 3 and word.isupper() and word.isalpha():
            out.extend(word)
        else:
            out.append(word)
    return out


def _is_particle(word: str) -> bool:
    return word.casefold() in PARTICLES


def _is_suffix(word: str) -> bool:
    return word.casefold().rstrip(".") in SUFFIXES


@lru_cache(maxsize=16_384)
def _key(name: str) -> AuthorKey | None:
    text = _plain(name)
    head, comma, tail = text.partition(",")
    if comma and all(_is_suffix(w) for w in tail.split()):
        head, comma, tail = text.replace(",", " "), "", ""
    if comma:
        surname_words = _words(head)
        given_words = _given_words(tail.replace(",", " "))
    else:
        spaced = [w for w in head.split() if not _is_suffix(w)]
        if not spaced:
            return None
        surname_words = _words(spaced[-1])
        before = spaced[:-1]
        # A capitalized particle just before the surname ("Vincent Van Gogh"), not a first name.
        if len(before) > 1 and _is_particle(before[-1]):
            before = before[:-1]
        given_words = _given_words(" ".join(before))
    given_words = [w for w in given_words if not (_is_particle(w) and w.islower())]
    given_words = [w for w in given_words if not _is_suffix(w)]
    surname_words = [w for w in surname_words[:-1] if not _is_particle(w)] + surname_words[-1:]
    surname = tuple(w.lower() for w in surname_words)[-WORDS_MAX:]
    given = tuple(w.lower() for w in given_words)[:WORDS_MAX]
    if not surname:
        if not given:
            return None
        surname, given = given[-1:], given[:-1]
    return AuthorKey(surname, given)


def author_key(name: str) -> AuthorKey | None:
    """The key of a name as a source or a person wrote it (None: no letter or digit in it)."""
    return _key(name[:NAME_MAX].strip())


def _agree(a: str, b: str) -> bool:
    """Two given names agree: equal, or one is the other's initial."""
    if a == b:
        return True
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _embeds(short: Sequence[str], long: Sequence[str]) -> bool:
    """Every name of ``short`` agrees, in order, with one of ``long`` (a subsequence)."""
    if len(short) > len(long):
        short, long = long, short
    fits = [True] * (len(long) + 1)  # fits[j]: short[:i] embeds in long[:j]
    for name in short:
        row = [False] * (len(long) + 1)
        for j, other in enumerate(long, start=1):
            row[j] = row[j - 1] or (fits[j - 1] and _agree(name, other))
        fits = row
    return fits[-1]


def _given_compatible(a: Sequence[str], b: Sequence[str]) -> bool:
    if not a or not b:
        return True
    return _agree(a[0], b[0]) and _embeds(a[1:], b[1:])


def keys_match(a: AuthorKey, b: AuthorKey) -> bool:
    """Whether two keys can be one person's (the rule of the module's docstring)."""
    if a.last != b.last:
        return False
    span = max(len(a.surname), len(b.surname))
    words_a, words_b = a.given + a.surname, b.given + b.surname
    if len(words_a) < span or len(words_b) < span or words_a[-span:] != words_b[-span:]:
        return False
    return _given_compatible(words_a[:-span], words_b[:-span])


def same_author(a: str | AuthorKey, b: str | AuthorKey) -> bool:
    """Whether two names (or keys) can be one person's."""
    key_a = author_key(a) if isinstance(a, str) else a
    key_b = author_key(b) if isinstance(b, str) else b
    return key_a is not None and key_b is not None and keys_match(key_a, key_b)


class Following:
    """The followed authors' keys, looked up by surname: which names of a paper they match."""

    def __init__(self, keys: Iterable[AuthorKey | str] = ()) -> None:
        self._by_last: dict[str, list[AuthorKey]] = {}
        for item in keys:
            key = parse_key(item) if isinstance(item, str) else item
            if key is not None:
                self._by_last.setdefault(key.last, []).append(key)

    def __bool__(self) -> bool:
        return bool(self._by_last)

    def match(self, name: str) -> AuthorKey | None:
        """The followed key ``name`` matches (None: none)."""
        if not self._by_last:
            return None
        key = author_key(name)
        if key is None:
            return None
        return next((k for k in self._by_last.get(key.last, ()) if keys_match(k, key)), None)

    def names_in(self, authors: Sequence[str]) -> list[str]:
        """The names of ``authors`` (its first :data:`AUTHORS_CHECKED`) a followed key matches,
        in the paper's order."""
        if not self._by_last:
            return []
        return [name for name in authors[:AUTHORS_CHECKED] if self.match(name) is not None]


def followed_in(
    authors: Sequence[str], followed_keys: Following | Iterable[AuthorKey | str]
) -> list[str]:
    """The names of a paper's ``authors`` that are followed (``followed_keys``: the keys kept,
    or a :class:`Following` made of them, which is cheaper to ask many times)."""
    following = followed_keys if isinstance(followed_keys, Following) else Following(followed_keys)
    return following.names_in(authors)


def new_by_followed(summary: PaperSummary, following: Following) -> bool:
    """A stream row's mark: the paper is new and one of the authors its row read is followed
    (a row reads a list of authors up to 4 KB; of a longer one, the first name)."""
    if not following or str(summary.state) != "new":
        return False
    return any(following.match(name) is not None for name in summary.authors)


def authors_match(authors_json: str | None, name: str | None) -> int:
    """1 when a paper's JSON list of authors holds a name that can be ``name``'s, else 0: the
    SQL function ``river_author_matches`` (deterministic) that confirms what the full-text
    index narrowed to."""
    key = author_key(name) if name else None
    if key is None or not authors_json:
        return 0
    try:
        names = json.loads(authors_json)
    except ValueError:
        return 0
    if not isinstance(names, list):
        return 0
    for other in names[:AUTHORS_CHECKED]:
        if not isinstance(other, str) or (other.isascii() and key.last not in other.lower()):
            continue  # cheaper than its key: an ASCII name without the surname is not it
        found = author_key(other)
        if found is not None and keys_match(key, found):
            return 1
    return 0
