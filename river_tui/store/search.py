"""Compile a parsed query (:mod:`river_tui.domain.query`) into SQL over the paper listing.

The SQL is a boolean expression over the aliases of :mod:`river_tui.store.papers`: ``p`` (papers)
and ``t`` (triage, LEFT JOINed). Text goes through the FTS5 index ``papers_fts``, every user
string double-quoted so no FTS syntax leaks in; tags, beats, triage states and citations are
subqueries on indexed tables; dates compare ``published`` (indexed); ``cat:`` reads each paper's
JSON array of categories (a scan: a ``paper_categories`` table would make it a lookup);
``note:`` goes through the notes' own FTS5 index ``notes_fts`` (schema step 15), quoted the same
way, and ``has:note`` is a subquery on ``paper_notes``.

Every predicate is a clean yes/no (never NULL), so ``-term`` is exactly the complement of
``term``: ``since:2026`` and ``-since:2026`` split the library, papers without a date falling
on the ``-`` side.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from river_tui.domain.beats import Beat
from river_tui.domain.query import AnyOf, Field, Query, Term
from river_tui.store.predicates import (
    Sql,
    beat_predicate,
    has_predicate,
    is_predicate,
    matched,
    resolve_beat,
    tag_predicate,
)

__all__ = ["compile_query", "fts_expression"]

_COLUMNS = {Field.TITLE: "title", Field.AUTHORS: "authors", Field.ABSTRACT: "abstract"}
_PAPER_TEXT = ("title", "abstract", "authors")
"""What a bare word searches."""
_NOT_FTS = "p.pk NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)"
_NOTES = "p.pk IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?)"
_NOTE_LIKE = "p.pk IN (SELECT paper_pk FROM paper_notes WHERE text LIKE ?)"
_LAST_TOKEN = re.compile(r"[^\W_]+$")

# How far back a type-ahead prefix is cut for the stems it may already have passed (the index
# is Porter-stemmed: "assignment" is stored as "assign", so "assignm"* alone finds nothing).
_STEM_REACH = 7
_STEM_MIN = 3
_PREFIXES_KEPT = 2
"""The prefix lengths the index keeps (schema step 7: ``prefix='2'``): a prefix of this many
letters is looked up in it as a word is; a longer one merges every word it starts."""


def compile_query(query: Query, beats: Sequence[Beat]) -> Sql:
    """``(sql, params)``: an SQL boolean expression true for the papers ``query`` matches.

    ``sql`` is empty for the empty query. Raises :class:`QueryError` for a ``beat:`` that names
    no beat (or more than one)."""
    # Positive text clauses (single words, phrases, or ORs of them) become one MATCH; negated
    # single text terms one NOT IN (... MATCH a OR b); everything else a predicate of its own.
    fts_all: list[str] = []
    fts_none: list[str] = []
    parts: list[Sql] = []
    cheap = True
    for clause in query.clauses:
        terms = clause.terms if isinstance(clause, AnyOf) else (clause,)
        if all(_plain_text(t) for t in terms):
            fts_all.append(_any_of([fts_expression(t) for t in terms]))
            cheap = cheap and all(_looked_up_cheaply(t) for t in terms)
        elif len(terms) == 1 and terms[0].field.is_text and terms[0].negated:
            fts_none.append(fts_expression(terms[0]))
        else:
            predicates = [_predicate(t, beats) for t in terms]
            sql = " OR ".join(s for s, _ in predicates)
            params = [p for _, ps in predicates for p in ps]
            parts.append((sql if len(predicates) == 1 else f"({sql})", params))
    if fts_none:
        parts.insert(0, (_NOT_FTS, [" OR ".join(fts_none)]))
    if fts_all:
        parts.insert(0, (matched(cheap), [" AND ".join(fts_all)]))
    return " AND ".join(s for s, _ in parts), [p for _, ps in parts for p in ps]


def _plain_text(term: Term) -> bool:
    """A positive text term that one FTS5 expression says all about."""
    return term.field.is_text and not term.negated and not _stem_candidates(term)


def _looked_up_cheaply(term: Term) -> bool:
    """A paper is looked up for ``term`` in the index as for a word (not a long prefix)."""
    word = _LAST_TOKEN.search(term.value) if term.prefix else None
    return word is None or len(word.group()) <= _PREFIXES_KEPT


def _any_of(expressions: list[str]) -> str:
    return expressions[0] if len(expressions) == 1 else "(" + " OR ".join(expressions) + ")"


def _quote(text: str) -> str:
    """An FTS5 string: the tokenizer reads only its words, so nothing in it is syntax.

    A NUL would end the string early for FTS5's parser ("unterminated string"): it becomes a
    space, which separates words as it would have."""
    return '"' + text.replace("\x00", " ").replace('"', '""') + '"'


def _in_column(term: Term, expression: str) -> str:
    column = _COLUMNS.get(term.field)
    return f"{{{column}}} : {expression}" if column else expression


def fts_expression(term: Term) -> str:
    """The FTS5 expression for a text term (or a ``note:`` one, for the notes' index),
    ignoring its negation: ``"word"``, ``"a phrase"``, ``{title} : "word"``, ``"typed"*``."""
    if not term.field.is_words:
        raise ValueError(f"not a text term: {term}")
    return _in_column(term, _quote(term.value) + ("*" if term.prefix else ""))


def _stem_candidates(term: Term) -> list[str]:
    """For a type-ahead term, its value with the last word cut back by one letter at a time
    (not below three): the stems the word being typed may already have run past."""
    match = _LAST_TOKEN.search(term.value) if term.prefix else None
    if match is None:
        return []
    head, word = term.value[: match.start()], match.group()
    low = max(_STEM_MIN, len(word) - _STEM_REACH)
    return [head + word[:k] for k in range(len(word) - 1, low - 1, -1)]


def _typed(term: Term) -> Sql:
    """A word being typed. The index is Porter-stemmed ("assignment" is stored as "assign"), so
    the prefix "assignm"* finds nothing: also take the papers whose stems are cut-backs of the
    word ("assign") and whose text really contains what was typed."""
    word = _LAST_TOKEN.search(term.value)
    assert word is not None
    if term.field is Field.NOTE:
        fts, checks = _NOTES, [_NOTE_LIKE]
    else:
        column = _COLUMNS.get(term.field)
        # The word being typed is more than two letters long: gathered, never looked up.
        fts = matched(cheap=False)
        checks = [f"p.{c} LIKE ?" for c in ([column] if column else _PAPER_TEXT)]
    stems = _in_column(term, _any_of([_quote(c) for c in _stem_candidates(term)]))
    # Only the papers the prefix does not already find need their text read.
    stems = f"({stems}) NOT ({fts_expression(term)})"
    sql = f"({fts} OR ({fts} AND ({' OR '.join(checks)})))"
    return sql, [fts_expression(term), stems, *[f"%{word.group()}%"] * len(checks)]


def _note(term: Term) -> Sql:
    """A ``note:`` term, negation aside: the notes' index (no note: no match)."""
    return _typed(term) if _stem_candidates(term) else (_NOTES, [fts_expression(term)])


def _predicate(term: Term, beats: Sequence[Beat]) -> Sql:
    """One term as an SQL yes/no (never NULL), negation included."""
    if term.field is Field.NOTE:
        sql, params = _note(term)
        return (f"NOT {sql}" if term.negated else sql), params
    if term.field.is_text:
        if term.negated:
            return _NOT_FTS, [fts_expression(term)]
        if _stem_candidates(term):
            return _typed(term)
        return matched(_looked_up_cheaply(term)), [fts_expression(term)]
    sql, params = _positive(term, beats)
    return (f"NOT COALESCE({sql}, 0)" if term.negated else sql), params


def _positive(term: Term, beats: Sequence[Beat]) -> Sql:
    match term.field:
        case Field.CATEGORY:
            # categories is a JSON array of ASCII names (json.dumps): the quoted name occurs in
            # it exactly when it is one of them. Twice as fast as json_each over every row.
            category = term.value.casefold()
            if term.prefix:  # being typed: the quoted name *starts* with it
                like = category.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                return (
                    "(lower(COALESCE(p.primary_category, '')) LIKE ? ESCAPE '\\' "
                    "OR instr(lower(p.categories), ?) > 0)"
                ), [like + "%", json.dumps(category)[:-1]]
            return (
                "(lower(COALESCE(p.primary_category, '')) = ? OR instr(lower(p.categories), ?) > 0)"
            ), [category, json.dumps(category)]
        case Field.TAG:
            return tag_predicate(term.value, beats)
        case Field.BEAT:
            return beat_predicate(resolve_beat(term.value, beats, term.position).name)
        case Field.IS:
            return is_predicate(term.value)
        case Field.HAS:
            return has_predicate(term.value)
        case Field.SINCE:
            return "p.published >= ?", [term.value]
        case Field.BEFORE:
            return "p.published < ?", [term.value]
        case _:
            raise ValueError(f"not a structured term: {term}")
