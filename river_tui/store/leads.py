"""New evidence: which newly arrived papers may bear on an active claim.

A claim is its text and the sentences its sources quote, cut into the full-text index's own
terms (the Porter-stemmed tokenizer of ``papers_fts``, :data:`river_tui.store.similar.TOKENIZER`)
and two-word phrases. Each is weighted as in a TF-IDF vector, ``(1 + ln tf) * (ln((1 + N) /
(1 + df)) + 1)``, with ``df`` read from the index. A paper's *score* is the share of the claim's
total weight that its title and abstract contain: 1.0 when it has every word and phrase, 0 when
none. A term no paper of the library has still counts in the total, with the highest weight, so
a claim about a subject the library barely holds ("Grok", "AA-Omniscience") needs more shared
words than one about the library's own subject.

Why this and not FTS5's BM25: BM25's idf is zero for a word in half the library or more, and a
library is gathered around its reader's subjects: in the sample, 40 of 68 papers say "credit
assignment", so the claims' own subject would count for nothing, and the credit-risk papers
(which share "credit" and "model") would rank among the credit-assignment ones. The smoothed
idf keeps every shared word's weight at 1 or more, rare words up to 5 times that. A phrase
counts apart from its words, so "credit assignment" outweighs "credit" and "assignment" alone.
:data:`THRESHOLD` is measured on the sample library and the seed dossier against a labelled
set (``tests/test_leads.py``, ``docs/claims.md``).

Bounded: a claim is read to :data:`CLAIM_READ` characters, a paper to its title and
:data:`~river_tui.store.similar.ABSTRACT_READ` characters; a term's document count to a quarter
of the library (at least :data:`COUNTED_FLOOR` papers): a word more common than that weighs as
if in a quarter.
"""

from __future__ import annotations

import functools
import json
import math
import sqlite3
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from river_tui.domain.claims import NEW_EVIDENCE
from river_tui.domain.quotes import split_sentences
from river_tui.store.db import now
from river_tui.store.similar import (
    ABSTRACT_READ,
    TITLE_READ,
    TOKENIZER,
    WORD,
    fts_quote,
    readable,
    telling,
)

__all__ = [
    "THRESHOLD",
    "ClaimTerms",
    "claim_terms",
    "find_leads",
    "listed_at",
    "paper_terms",
    "score",
]

THRESHOLD = 0.075
"""The least share of a claim's weight a paper must have to be listed under it."""
MIN_SHARED = 3
"""The fewest terms a paper must share with a claim: one or two rare words in common (a short
claim's "graphs") are a coincidence, whatever their share."""
CLAIM_READ = 4000
"""Characters of a claim's text and quotes read."""
SHOWN = 6
"""The shared words a lead keeps, rarest first."""
COUNTED_FLOOR = 1000
"""A term's document count is read to a quarter of the library, and at least this many."""
_GENERIC = frozenset(
    (
        *("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
        *("first", "second", "third", "us", "use", "used", "uses", "using", "also", "new"),
        *("show", "shows", "shown", "propose", "proposes", "proposed", "present", "presents"),
        *("paper", "papers", "work", "result", "results", "method", "methods", "approach"),
    )
)
"""Words of any abstract (numbers spelled out, "we propose a new method"): never counted."""


@dataclass(frozen=True, slots=True)
class ClaimTerms:
    """An active claim as weighted terms: each term or phrase (the index's terms, a space
    between), its weight, and how the claim spells it."""

    claim_id: int
    weights: dict[str, float]
    rarity: dict[str, float]
    """Each term's idf: the order in which shared terms are shown (rarest first)."""
    spelled: dict[str, str]
    total: float
    cites: frozenset[str]
    """The ids of the papers the claim already cites: never a lead."""


def _items(title: str, abstract: str) -> dict[str, tuple[int, str]]:
    """The terms and two-word phrases of a text: how often each occurs and its spelling."""
    texts = {"title": WORD.findall(title), "abstract": WORD.findall(abstract)}
    terms: dict[str, dict[int, str]] = {"title": {}, "abstract": {}}
    for term, column, offset in TOKENIZER.instances(title, abstract):
        terms[column][offset] = term
    found: dict[str, tuple[int, str]] = {}
    for column, tokens in texts.items():
        _span_items(found, terms[column], tokens, range(len(tokens)))
    return found


def _span_items(
    found: dict[str, tuple[int, str]], terms: dict[int, str], tokens: list[str], span: range
) -> None:
    """Add to ``found`` the terms and phrases of tokens ``span`` (the index's ``terms`` by
    token number, the ``tokens`` as written)."""
    kept = {
        offset: (terms[offset], tokens[offset])
        for offset in span
        if offset in terms and _counts(terms[offset], tokens[offset])
    }
    for offset, (term, spelled) in kept.items():
        _add(found, term, spelled)
        if (after := kept.get(offset + 1)) is not None:
            _add(found, f"{term} {after[0]}", f"{spelled} {after[1]}")


def _add(found: dict[str, tuple[int, str]], key: str, spelled: str) -> None:
    count, first = found.get(key, (0, spelled))
    found[key] = (count + 1, first)


@functools.lru_cache(maxsize=1 << 16)
def _counts(term: str, spelled: str) -> bool:
    return telling(term, spelled) and spelled.casefold() not in _GENERIC


def claim_terms(conn: sqlite3.Connection) -> list[ClaimTerms]:
    """Every active claim as weighted terms, against the library as it is now."""
    papers = int(conn.execute("SELECT COALESCE(MAX(pk), 0) FROM papers").fetchone()[0])
    cap = max(COUNTED_FLOOR, papers // 4)
    df: dict[str, int] = {}
    out = []
    for claim_id, text in conn.execute(
        "SELECT id, text FROM claims WHERE status = 'active' ORDER BY id"
    ).fetchall():
        quoted = conn.execute(
            "SELECT quote_exact, paper_id FROM claim_sources WHERE claim_id = ? "
            "AND removed_on IS NULL",
            (claim_id,),
        ).fetchall()
        whole = "\n".join([text, *(q for q, _p in quoted if q)])[:CLAIM_READ]
        weights: dict[str, float] = {}
        rarity: dict[str, float] = {}
        spelled: dict[str, str] = {}
        for key, (count, spelling) in _items("", whole).items():
            if key not in df:
                df[key] = conn.execute(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? "
                    "LIMIT ?)",
                    ("{title abstract} : " + fts_quote(spelling), cap),
                ).fetchone()[0]
            rarity[key] = math.log((1 + papers) / (1 + df[key])) + 1
            weights[key] = (1 + math.log(count)) * rarity[key]
            spelled[key] = readable(spelling)
        cites = frozenset(p for _q, p in quoted if p)
        out.append(ClaimTerms(claim_id, weights, rarity, spelled, sum(weights.values()), cites))
    return out


def paper_terms(title: str, abstract: str) -> frozenset[str]:
    """The terms and two-word phrases of a paper's title and abstract."""
    return frozenset(_items(title, abstract))


def score(terms: ClaimTerms, paper: frozenset[str]) -> tuple[float, list[str]]:
    """The share of the claim's weight a paper's terms (:func:`paper_terms`) hold, and the
    shared terms, rarest in the library first."""
    if not terms.total:
        return 0.0, []
    shared = sorted(paper & terms.weights.keys(), key=lambda k: (-terms.rarity[k], k))
    return sum(terms.weights[k] for k in shared) / terms.total, shared


def listed_at(share: float, shared: list[str]) -> bool:
    """Whether a paper with this :func:`score` is listed under the claim."""
    return share >= THRESHOLD and len(shared) >= MIN_SHARED


def sentence_terms(abstract: str) -> list[tuple[str, frozenset[str]]]:
    """Each sentence of an abstract with its terms (for :func:`best_sentence`), the abstract
    cut into terms once."""
    terms = {offset: term for term, _column, offset in TOKENIZER.instances("", abstract)}
    words = list(WORD.finditer(abstract))
    tokens, starts = [w.group() for w in words], [w.start() for w in words]
    out = []
    for sentence in split_sentences(abstract):
        span = range(bisect_left(starts, sentence.start), bisect_left(starts, sentence.end))
        found: dict[str, tuple[int, str]] = {}
        _span_items(found, terms, tokens, span)
        out.append((sentence.text, frozenset(found)))
    return out


def best_sentence(terms: ClaimTerms, sentences: list[tuple[str, frozenset[str]]]) -> str:
    """The sentence holding the most of the claim's weight (the first of equals)."""
    best, most = "", -1.0
    for text, found in sentences:
        weight = sum(terms.weights[k] for k in found & terms.weights.keys())
        if weight > most:
            best, most = text, weight
    return best


def find_leads(
    conn: sqlite3.Connection, pks: Iterable[int], on: date, claims: list[ClaimTerms] | None = None
) -> int:
    """Compare the newly arrived papers ``pks`` with every active claim (``claims``, computed
    when not given) and list under each claim those it would list (:func:`listed_at`) that it
    does not cite and was not shown before. A claim given its first open lead is put under
    review (``new-evidence``) unless it is already. Returns the leads listed. Runs in the
    caller's transaction."""
    pks = list(pks)
    if not pks:
        return 0
    claims = claim_terms(conn) if claims is None else claims
    if not claims:
        return 0
    listed = 0
    for pk in pks:
        row = conn.execute(
            f"SELECT id, substr(title, 1, {TITLE_READ}), substr(abstract, 1, {ABSTRACT_READ}) "
            "FROM papers WHERE pk = ?",
            (pk,),
        ).fetchone()
        if row is None:
            continue
        paper_id, title, abstract = row
        found = paper_terms(title, abstract)
        sentences: list[tuple[str, frozenset[str]]] | None = None  # read for a first lead
        for terms in claims:
            if paper_id in terms.cites:
                continue
            share, shared = score(terms, found)
            if not listed_at(share, shared):
                continue
            words = [terms.spelled[k] for k in shared[:SHOWN]]
            sentences = sentence_terms(abstract) if sentences is None else sentences
            listed += conn.execute(
                "INSERT OR IGNORE INTO claim_leads(claim_id, paper_pk, score, sentence, shared, "
                "found_on) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    terms.claim_id,
                    pk,
                    round(share, 4),
                    best_sentence(terms, sentences) or title,
                    json.dumps(words, ensure_ascii=False),
                    on.isoformat(),
                ),
            ).rowcount
    for terms in claims:
        _flag(conn, terms.claim_id)
    return listed


def _flag(conn: sqlite3.Connection, claim_id: int) -> None:
    """A claim with an undecided lead is under review, unless it already is."""
    conn.execute(
        "UPDATE claims SET review = ? WHERE id = ? AND review IS NULL AND EXISTS "
        "(SELECT 1 FROM claim_leads WHERE claim_id = ? AND decided IS NULL)",
        (NEW_EVIDENCE, claim_id, claim_id),
    )


def decide(conn: sqlite3.Connection, claim_id: int, pk: int, decision: str) -> bool:
    """Mark a lead ``attached`` or ``dismissed``; a claim left with no undecided lead is no
    longer under review for new evidence. False when there was no such undecided lead."""
    changed = conn.execute(
        "UPDATE claim_leads SET decided = ?, decided_at = ? WHERE claim_id = ? AND paper_pk = ? "
        "AND decided IS NULL",
        (decision, now(), claim_id, pk),
    ).rowcount
    conn.execute(
        "UPDATE claims SET review = NULL WHERE id = ? AND review = ? AND NOT EXISTS "
        "(SELECT 1 FROM claim_leads WHERE claim_id = ? AND decided IS NULL)",
        (claim_id, NEW_EVIDENCE, claim_id),
    )
    return bool(changed)
