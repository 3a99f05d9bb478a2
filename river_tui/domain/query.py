"""River's search language: what the reader types, parsed into a small tree. No SQL here.

Terms are separated by whitespace and all must match; ``OR`` between two terms makes a group of
which any one must match (``OR`` binds tighter than the implicit AND: ``a OR b c`` means
"(a or b) and c")::

    query  = group { [ "AND" ] group }
    group  = term { "OR" term }
    term   = [ "-" | "NOT" ] [ field ":" ] value
    value  = word | '"' phrase '"'
    field  = ti | au | abs | cat | tag | beat | is | since | before | note | has

* A bare word or ``"phrase"`` searches titles, abstracts and authors (full text, stemmed:
  ``policies`` finds ``policy``); ``ti:``, ``abs:`` and ``au:`` search one of them.
* ``note:word`` or ``note:"a phrase"`` searches the reader's notes (as a bare word searches the
  papers: stemmed; a bare word does not search notes), ``has:note`` the papers that have one.
* ``cat:cs.LG`` a category, ``tag:x`` a tag (the reader's, or one of a beat the paper is on),
  ``beat:frontier`` a beat (its name, a unique prefix of it, or its slug),
  ``is:new|read|skipped|archived|starred|promoted``, ``since:2026-06-01`` (published on or after),
  ``before:2026-06-01`` (published before; a date may also be ``2026-06`` or ``2026``).
* ``-`` in front of any term excludes what it matches. A query of exclusions only means
  "everything except", so ``-is:read`` is every unread paper.
* ``AND`` and ``NOT``, in capitals, are what a space and ``-`` do (as other search boxes spell
  them); in lower case they are words ("Attention is not Explanation").
* Field names, ``OR`` and ``is:`` values ignore case. A word that merely ends in a colon
  (``CAPO:`` in a pasted title) is a word; ``foo:bar`` with an unknown ``foo`` is an error.
* Words without a letter or digit (``—``, ``&``) have nothing to search for and are dropped.
  The empty query matches everything.
* A query is at most :data:`MAX_LENGTH` characters and :data:`MAX_TERMS` terms; a longer one is
  a :class:`QueryError` (see those limits for why), so no query reaches a limit of SQLite's.

``parse(text, prefix_last=True)`` is for type-ahead: the word being typed (the last word, when the
text does not end in a space) matches as a prefix, an unclosed quote at the end is closed, a
trailing ``OR``, ``AND``, ``NOT``, ``-`` or ``field:`` is ignored, and so is an ``is:`` value or a
date not yet typed in full (``is:sta``, ``since:2026-0``); a category being typed matches as a
prefix. A word
being typed counts from its second letter: one letter as a prefix would match nearly every paper,
and the results would flash through the whole library before the word is known.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from river_tui.domain.beats import normalize_tag
from river_tui.domain.errors import QueryError

__all__ = ["AnyOf", "Field", "Query", "QueryError", "Term", "parse"]


class Field(StrEnum):
    """What a term looks at. ``ANY`` is a bare word: title, abstract and authors."""

    ANY = "any"
    TITLE = "ti"
    AUTHORS = "au"
    ABSTRACT = "abs"
    CATEGORY = "cat"
    TAG = "tag"
    BEAT = "beat"
    IS = "is"
    SINCE = "since"
    BEFORE = "before"
    NOTE = "note"
    HAS = "has"

    @property
    def is_text(self) -> bool:
        """Searched with the papers' full-text index."""
        return self in _TEXT_FIELDS

    @property
    def is_words(self) -> bool:
        """Its value is words to search for (a paper's text, or the reader's note): a word
        without a letter or digit is dropped, and the word being typed is a prefix."""
        return self in _TEXT_FIELDS or self is Field.NOTE


_TEXT_FIELDS = frozenset({Field.ANY, Field.TITLE, Field.AUTHORS, Field.ABSTRACT})
FIELDS: dict[str, Field] = {f.value: f for f in Field if f is not Field.ANY}
IS_VALUES: tuple[str, ...] = ("new", "read", "skipped", "archived", "starred", "promoted")
HAS_VALUES: tuple[str, ...] = ("note",)

_FIELD_NAMES = ", ".join(f"{name}:" for name in FIELDS)
_IS_HINT = "is: takes " + ", ".join(IS_VALUES[:-1]) + " or " + IS_VALUES[-1]
_HAS_HINT = "has: takes " + " or ".join(HAS_VALUES)
_FIELD = re.compile(r"([A-Za-z]+):")
_OR = re.compile(r"(?i:or)(?=\s|$)")
_AND = re.compile(r"AND(?=\s|$)")
_NOT = re.compile(r"NOT(?=\s|$)")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, slots=True)
class Term:
    """One condition.

    ``value`` is normalized: a tag as :func:`normalize_tag` makes it, an ``is:`` value in lower
    case, a date as ``YYYY-MM-DD``; text as typed (without its quotes). ``phrase``: the value was
    quoted (its words must occur together, in order). ``prefix``: the last word matches as a
    prefix (type-ahead). ``position``: where the term starts in the query, 1-based.
    """

    field: Field
    value: str
    negated: bool = False
    phrase: bool = False
    prefix: bool = False
    position: int = 1

    def __str__(self) -> str:
        value = f'"{self.value}"' if self.phrase else self.value
        field = "" if self.field is Field.ANY else f"{self.field}:"
        return ("-" if self.negated else "") + field + value + ("*" if self.prefix else "")


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Terms joined by ``OR``: at least one must match. Always two or more terms."""

    terms: tuple[Term, ...]

    def __str__(self) -> str:
        return " OR ".join(str(t) for t in self.terms)


Clause = Term | AnyOf


@dataclass(frozen=True, slots=True)
class Query:
    """Every clause must match. No clauses: everything matches."""

    clauses: tuple[Clause, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    def terms(self) -> Iterator[Term]:
        """Every term, in the order typed."""
        for clause in self.clauses:
            yield from clause.terms if isinstance(clause, AnyOf) else (clause,)

    def __str__(self) -> str:
        """The query written back in canonical form (``*`` marks a type-ahead prefix)."""
        return " ".join(str(c) for c in self.clauses)


class _Or:
    """``OR`` in the token stream, where it stood."""

    def __init__(self, position: int) -> None:
        self.position = position


class _And(_Or):
    """``AND`` in the token stream: a term on either side, as a space would join them."""


MAX_TERMS = 300
"""Terms a query may hold. Each structured term (``cat:``, ``tag:``, ``is:``, ...) adds a level
to the SQL expression SQLite parses, whose depth it limits to 1,000 (``SQLITE_MAX_EXPR_DEPTH``:
about 990 ``cat:`` terms failed). A query typed by hand holds a few terms, a pasted title 5-30,
a pasted arXiv abstract (at most 1,920 characters) up to about 300 words: the 48 abstracts of
the arXiv fixtures have 173 (median) to 293. 300 takes them, at under a third of SQLite's
depth; more is no search anyone types."""

MAX_LENGTH = 10_000
"""Characters a query may hold: five arXiv abstracts. A word being typed becomes an SQL ``LIKE``
pattern, which SQLite limits to 50,000 bytes (``SQLITE_MAX_LIKE_PATTERN_LENGTH``); 10,000
characters are at most 40,000 bytes of UTF-8, escapes included."""

TYPED_MIN = 2
"""Letters a word being typed needs before it narrows the results (type-ahead)."""


class _Dropped:
    """A term with nothing to search for (``—``): it holds its place between ``OR``s."""


def parse(text: str, prefix_last: bool = False) -> Query:
    """Parse a query. Raises :class:`QueryError` naming what is wrong and where.

    ``prefix_last``: the text is still being typed (see the module docstring)."""
    if len(text) > MAX_LENGTH:
        raise QueryError(f"a query is at most {MAX_LENGTH:,} characters", MAX_LENGTH + 1)
    tokens = list(_tokens(text, prefix_last))
    counted = [t for t in tokens if isinstance(t, Term)]
    if len(counted) > MAX_TERMS:
        raise QueryError(f"a query holds at most {MAX_TERMS} terms", counted[MAX_TERMS].position)
    groups: list[list[Term | _Dropped]] = []
    pending_or: _Or | None = None
    for token in tokens:
        if isinstance(token, _Or):
            if pending_or is not None or not groups:
                raise QueryError(f"{_name(token)} needs a term on both sides", token.position)
            pending_or = token
        elif isinstance(pending_or, _And):
            groups.append([token])
            pending_or = None
        elif pending_or is not None:
            groups[-1].append(token)
            pending_or = None
        else:
            groups.append([token])
    if pending_or is not None and not prefix_last:
        raise QueryError(f"{_name(pending_or)} needs a term on both sides", pending_or.position)
    clauses: list[Clause] = []
    for group in groups:
        terms = tuple(t for t in group if isinstance(t, Term))
        if len(terms) == 1:
            clauses.append(terms[0])
        elif terms:
            clauses.append(AnyOf(terms))
    return Query(tuple(clauses))


def _name(connective: _Or) -> str:
    return "AND" if isinstance(connective, _And) else "OR"


def _operator_at(text: str, i: int) -> bool:
    return any(op.match(text, i) for op in (_OR, _AND, _NOT))


def _tokens(text: str, prefix_last: bool) -> Iterator[Term | _Or | _Dropped]:
    i, n = 0, len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            return
        start = i
        if match := _OR.match(text, i) or _AND.match(text, i):
            yield (_Or if match.re is _OR else _And)(start + 1)
            i = match.end()
            continue
        negated = False
        if match := _NOT.match(text, i):
            i = match.end()
            while i < n and text[i].isspace():
                i += 1
            if i >= n and prefix_last:
                return
            if i >= n or text[i] == "-" or _operator_at(text, i):
                raise QueryError("NOT needs a term right after it", start + 1)
            negated = True
        elif text[i] == "-":
            negated = True
            i += 1
            if i >= n or text[i].isspace():
                if prefix_last and i >= n:
                    return
                raise QueryError("'-' needs a term right after it", start + 1)
        field = Field.ANY
        if match := _FIELD.match(text, i):
            name, after = match.group(1), match.end()
            bare = after >= n or text[after].isspace()
            if name.casefold() in FIELDS:
                if bare:
                    if prefix_last and after >= n:
                        return
                    raise QueryError(f"{name.casefold()}: needs a value right after it", i + 1)
                field = FIELDS[name.casefold()]
                i = after
            elif not bare:
                raise QueryError(
                    f"unknown field '{name}:'",
                    i + 1,
                    f"fields are {_FIELD_NAMES}; quote a word with a colon to search for it",
                )
            # else: a word that ends in a colon ("CAPO:"), searched as a word
        value_at = i
        if text[i] == '"':
            end = text.find('"', i + 1)
            if end < 0:
                if not prefix_last:
                    raise QueryError("unterminated quote", i + 1)
                value, i, open_quote = text[i + 1 :], n, True
            else:
                value, i, open_quote = text[i + 1 : end], end + 1, False
            phrase = True
        else:
            end = i
            while end < n and not text[end].isspace():
                end += 1
            value, i, phrase, open_quote = text[i:end], end, False, False
        # Type-ahead: the word under the cursor (the text ends right after it) is a prefix.
        typing = prefix_last and i >= n and (not phrase or open_quote)
        yield _term(field, value, negated, phrase, typing, start + 1, value_at + 1)


def _term(
    field: Field, value: str, negated: bool, phrase: bool, typing: bool, position: int, at: int
) -> Term | _Dropped:
    if field.is_words:
        letters = sum(ch.isalnum() for ch in value)
        if not letters or (typing and not negated and letters < TYPED_MIN):
            return _Dropped()
        return Term(field, value, negated, phrase, typing and not negated, position)
    value = value.strip()
    if field is Field.TAG:
        value = normalize_tag(value)
    if not value:
        raise QueryError(f"{field}: needs a value right after it", position)
    if field in (Field.IS, Field.HAS):
        value = value.casefold()
        known = IS_VALUES if field is Field.IS else HAS_VALUES
        if value not in known:
            if typing and any(name.startswith(value) for name in known):
                return _Dropped()  # on its way to one: no error flashes by
            hint = _IS_HINT if field is Field.IS else _HAS_HINT
            raise QueryError(f"{field}:{value} is unknown", at, hint)
    elif field in (Field.SINCE, Field.BEFORE):
        day = _date(value)
        if day is None:
            if typing and _date_begun(value):
                return _Dropped()
            raise QueryError(
                f"{value!r} is not a date", at, f"{field}: takes a date like 2026-06-01"
            )
        value = day.isoformat()
    # A category being typed (``cat:cs.C``) matches as a prefix too, as a word does.
    prefix = typing and not negated and field is Field.CATEGORY
    return Term(field, value, negated, phrase, prefix, position)


def _date_begun(value: str) -> bool:
    """Whether typing on can still make ``value`` a date: ``2026-0`` (a month on its way),
    ``20``, ``2026-04-3``; not ``2026-13``, ``2026-02-30`` or ``2026-02-3``, whose error shows at
    once instead of a filter that looks applied."""
    year, dash, rest = value.partition("-")
    if not _digits(year) or len(year) > 4 or (dash and len(year) < 4):
        return False
    month, dash, day = rest.partition("-")
    if not month:
        return not dash
    if not _begun(month) or (dash and len(month) < 2):
        return False
    months = [m for m in _completions(month) if 1 <= m <= 12]
    if not dash or not months:
        return bool(months)
    if not day:
        return True
    return _begun(day) and any(
        _date(f"{year}-{m:02}-{d:02}") for m in months for d in _completions(day)
    )


def _begun(digits: str) -> bool:
    return _digits(digits) and len(digits) <= 2


def _digits(text: str) -> bool:
    """ASCII digits only (``str.isdigit`` also takes ``²``, which ``int`` refuses)."""
    return text.isascii() and text.isdigit()


def _completions(digits: str) -> list[int]:
    """The two-digit numbers ``digits`` (one or two of them) may still become."""
    return [int(digits)] if len(digits) == 2 else [int(digits + d) for d in "0123456789"]


def _date(value: str) -> date | None:
    """``2026-06-01``, ``2026-06`` (its first day) or ``2026`` (its first day)."""
    match = _DATE.fullmatch(value)
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        return date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
