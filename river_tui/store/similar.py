"""Papers like a given one: a "more like this" query over the full-text index (``papers_fts``).

The paper's title and abstract are cut into the index's own terms (the same Porter-stemmed
tokenizer, run on an in-memory table: "assigning" and "assignment" are one term, ``assign``).
Each term, and each two-word phrase the paper repeats or has in its title, is weighted by how
often the paper uses it (a title's count :data:`TITLE_WEIGHT` times) and how rare it is in the
library (its document count, read from the index): ``(1 + ln tf) * (ln((1 + N) / (1 + df)) +
1)``. The heaviest :data:`TERMS` are matched with OR, and the papers come best first by BM25 (a
title's hits weigh :data:`TITLE_WEIGHT` times an abstract's), the paper itself left out. The
why of each paper is the query's words and phrases it contains, heaviest first, spelled as the
paper asked about spells them (in lower case, but for words with capitals inside: ``GRPO``).

Bounded: the paper is read to :data:`TITLE_READ` and :data:`ABSTRACT_READ` characters; each
term's document count is read to :data:`COMMON_SHARE` of the library (at least
:data:`COMMON_FLOOR` papers) at most: a word in more papers than that is too common to tell
papers apart, and is not searched for. English function words, words of one letter and words
with a digit (sizes, versions, years) are never searched for. No decision is needed, and
nothing is written: the library is only read.

A view of similar papers reads its list several times (its page, its count, whether a paper is
still in it): the last few lists are kept (:func:`ranked`), for as long as the library gets no
new paper; so are the document counts of the words weighed (:data:`KEPT_COUNTS`), which the
next paper asked about mostly shares.
"""

from __future__ import annotations

import math
import re
import sqlite3
import threading
import unicodedata
from collections import Counter, OrderedDict
from dataclasses import dataclass

__all__ = [
    "ABSTRACT_READ",
    "MOST",
    "TERMS",
    "TITLE_READ",
    "TOKENIZER",
    "VIEW",
    "WORD",
    "Similar",
    "fts_quote",
    "ranked",
    "readable",
    "similar",
    "telling",
]

MOST = 500
"""The most papers one answer lists (``river similar --limit`` above it lists this many)."""
VIEW = 50
"""The papers the reader's view of similar papers lists."""
TERMS = 25
"""The most words the query searches for."""
TITLE_READ = 500
ABSTRACT_READ = 3000
"""Characters of the paper's title and abstract read (an arXiv abstract has at most 1,920)."""
COMMON_SHARE = 0.03
COMMON_FLOOR = 1000
"""A word in more than this share of the library (and more than the floor) is too common to
be searched for."""
TITLE_WEIGHT = 3
"""A word of the title counts this many times; its hits weigh this much more in BM25."""
KEPT_LISTS = 16
"""Lists kept for :func:`ranked` (across connections of the same process)."""

# Mirrors papers_fts (store/migrations.py): the same tokenizer gives the same terms.
_TOKENIZE = "porter unicode61 remove_diacritics 2"
WORD = re.compile(r"[^\W_]+")
"""A token as unicode61 cuts them: a run of letters and digits."""
_FUNCTION_WORDS = """a about above after again against all also am an and any are as at be
because been before being below between both but by can could did do does doing down during
each either few for from further had has have having he her here hers herself him himself his
how i if in into is it its itself just may me might more most must my myself neither no nor not
now of off on once only or other our ours ourselves out over own same shall she should so some
such than that the their theirs them themselves then there these they this those through thus
to too under until up upon very via was we were what when where which while who whom why will
with within without would yet you your yours yourself yourselves"""
_STOPWORDS = frozenset(_FUNCTION_WORDS.split())
"""English words that say nothing of a paper's subject: never searched for (each would cost
a full probe of the index to be found common)."""


@dataclass(frozen=True, slots=True)
class Similar:
    """A paper like the one asked about: its BM25 score (higher is closer; only comparable
    within one answer) and the query's words it contains, heaviest first."""

    pk: int
    score: float
    shared: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Term:
    stem: str
    """The index's term."""
    word: str
    """The term as the paper spells it (the index's stem when the spelling is not found)."""
    query: str
    """A word of the paper that the index reads as this term (what MATCH is given)."""
    weight: float


def similar(conn: sqlite3.Connection, pk: int, limit: int = 10) -> list[Similar]:
    """The papers most like paper ``pk`` (at most ``limit``, and :data:`MOST`), best first,
    itself left out. Empty when the paper is not in the library or has no distinctive word."""
    limit = max(0, min(limit, MOST))
    row = conn.execute(
        f"SELECT substr(title, 1, {TITLE_READ}), substr(COALESCE(abstract, ''), 1, "
        f"{ABSTRACT_READ}) FROM papers WHERE pk = ?",
        (pk,),
    ).fetchone()
    if row is None or limit == 0:
        return []
    terms = _distinctive(conn, row[0] or "", row[1] or "")
    if not terms:
        return []
    query = "{title abstract} : (" + " OR ".join(fts_quote(t.query) for t in terms) + ")"
    found = conn.execute(
        "SELECT rowid, bm25(papers_fts, ?, 1.0, 0.0) AS score FROM papers_fts "
        "WHERE papers_fts MATCH ? AND rowid != ? ORDER BY score LIMIT ?",
        (float(TITLE_WEIGHT), query, pk, limit),
    ).fetchall()
    if not found:
        return []
    texts = conn.execute(
        f"SELECT pk, substr(title, 1, {TITLE_READ}), substr(COALESCE(abstract, ''), 1, "
        f"{ABSTRACT_READ}) FROM papers WHERE pk IN ({','.join('?' * len(found))})",
        [r[0] for r in found],
    ).fetchall()
    TOKENIZER.load(texts)
    holders = [TOKENIZER.holders(fts_quote(t.query)) for t in terms]
    return [
        Similar(
            p,
            float(f"{-score:.4g}"),
            tuple(t.word for t, h in zip(terms, holders, strict=True) if p in h),
        )
        for p, score in found
    ]


def fts_quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _distinctive(conn: sqlite3.Connection, title: str, abstract: str) -> list[_Term]:
    """The paper's :data:`TERMS` heaviest terms and two-word phrases (how often the paper uses
    it times how rare it is in the library), heaviest first. A phrase is weighed only when the
    paper repeats it or its title has it, and both its words are weighed."""
    papers = int(conn.execute("SELECT COALESCE(MAX(pk), 0) FROM papers").fetchone()[0])
    cap = max(COMMON_FLOOR, int(papers * COMMON_SHARE))
    counted = _counted(conn, papers)
    words, phrases = _candidates(title, abstract)
    terms: list[_Term] = []
    weighed: set[str] = set()
    for key, (count, spellings) in [*words.items(), *phrases.items()]:
        if " " in key and not all(part in weighed for part in key.split(" ")):
            continue
        word, query = _spelled(key, spellings)
        docs = counted.get(query)
        if docs is None:
            docs = conn.execute(
                "SELECT COUNT(*) FROM (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? LIMIT ?)",
                (fts_quote(query), cap),
            ).fetchone()[0]
            if len(counted) < KEPT_COUNTS:
                counted[query] = docs
        if not 1 < docs < cap:  # in this paper alone, or in too many
            continue
        terms.append(
            _Term(
                key, word, query, (1 + math.log(count)) * (math.log((1 + papers) / (1 + docs)) + 1)
            )
        )
        weighed.add(key)
    terms.sort(key=lambda t: (-t.weight, t.word))
    return terms[:TERMS]


def _spelled(key: str, spellings: Counter[str]) -> tuple[str, str]:
    """How a reader reads term or phrase ``key`` (the paper's most frequent spelling of it, in
    lower case unless it has capitals inside: ``GRPO``, ``DelTA``), and words the index reads
    as it (that spelling; the index's own terms when the paper's words were not cut as the
    index cuts them)."""
    spelled = spellings.most_common(1)[0][0]
    for stem, word in zip(key.split(" "), spelled.split(" "), strict=True):
        folded = unicodedata.normalize("NFKD", word.casefold())
        if not "".join(c for c in folded if not unicodedata.combining(c)).startswith(stem[:3]):
            return key, key
    return readable(spelled), spelled


def readable(spelled: str) -> str:
    """A term as a reader reads it: in lower case, but for words with capitals inside
    (``GRPO``, ``DelTA``)."""
    return " ".join(
        w if any(c.isupper() for c in w[1:]) else w.casefold() for w in spelled.split(" ")
    )


_Counts = dict[str, tuple[int, Counter[str]]]


def _candidates(title: str, abstract: str) -> tuple[_Counts, _Counts]:
    """The paper's terms and two-word phrases (each the index's terms, a space between): how
    often each occurs (in the title: :data:`TITLE_WEIGHT` times) and how the paper spells it.
    Words of :data:`_STOPWORDS`, of one letter or with a digit (sizes, versions, years) are
    left out, and so are phrases the paper uses once, outside its title."""
    texts = {"title": WORD.findall(title), "abstract": WORD.findall(abstract)}
    terms: dict[str, dict[int, str]] = {"title": {}, "abstract": {}}
    for term, column, offset in TOKENIZER.instances(title, abstract):
        terms[column][offset] = term
    words: _Counts = {}
    phrases: _Counts = {}
    for column, tokens in texts.items():
        weight = TITLE_WEIGHT if column == "title" else 1
        kept = {
            offset: (term, tokens[offset])
            for offset, term in terms[column].items()
            if offset < len(tokens) and telling(term, tokens[offset])
        }
        for offset, (term, spelled) in kept.items():
            _add(words, term, spelled, weight)
            if (after := kept.get(offset + 1)) is not None:
                _add(phrases, f"{term} {after[0]}", f"{spelled} {after[1]}", weight)
    return words, {key: entry for key, entry in phrases.items() if entry[0] > 1}


def telling(term: str, spelled: str) -> bool:
    return (
        len(term) > 1
        and not any(c.isdigit() for c in term)
        and spelled.casefold() not in _STOPWORDS
    )


def _add(counts: _Counts, key: str, spelled: str, weight: int) -> None:
    count, spellings = counts.get(key, (0, Counter()))
    spellings[spelled] += 1
    counts[key] = (count + weight, spellings)


class _Tokenizer(threading.local):
    """An in-memory FTS5 table with the index's tokenizer, one per thread: it cuts a text
    into the index's terms, and finds terms in a few papers' texts, without writing to the
    library."""

    made: sqlite3.Connection | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's table, made when first used (not when River starts)."""
        if self.made is None:
            self.made = sqlite3.connect(":memory:", isolation_level=None)
            self.made.execute(
                f"CREATE VIRTUAL TABLE doc USING fts5(title, abstract, tokenize={_TOKENIZE!r})"
            )
            self.made.execute("CREATE VIRTUAL TABLE terms USING fts5vocab(doc, 'instance')")
        return self.made

    def instances(self, title: str, abstract: str) -> list[tuple[str, str, int]]:
        """(term, column, token number) of every token of the two texts."""
        self.conn.execute("DELETE FROM doc")
        self.conn.execute(
            "INSERT INTO doc(rowid, title, abstract) VALUES (1, ?, ?)", (title, abstract)
        )
        return self.conn.execute("SELECT term, col, offset FROM terms").fetchall()

    def load(self, texts: list[tuple[int, str, str]]) -> None:
        """Hold the (pk, title, abstract) of a few papers, for :meth:`holders`."""
        self.conn.execute("DELETE FROM doc")
        self.conn.executemany("INSERT INTO doc(rowid, title, abstract) VALUES (?, ?, ?)", texts)

    def holders(self, query: str) -> set[int]:
        """The pks of the papers held whose title or abstract match ``query``."""
        return {
            r[0] for r in self.conn.execute("SELECT rowid FROM doc WHERE doc MATCH ?", (query,))
        }


TOKENIZER = _Tokenizer()


_kept: OrderedDict[tuple[str, int], tuple[int, tuple[Similar, ...]]] = OrderedDict()
_kept_lock = threading.Lock()
KEPT_COUNTS = 50_000
"""Words whose document counts are kept for the next paper asked about (per library file,
until it has a new paper): a common word costs the most to count (at a million papers, 30,000
rows) and comes back with nearly every paper."""
_counts: OrderedDict[tuple[str, int], dict[str, int]] = OrderedDict()


def _counted(conn: sqlite3.Connection, newest: int) -> dict[str, int]:
    """The document counts (up to the cap) of the words counted before in the library of
    ``conn`` as it is (its newest paper ``newest``), each by the word MATCH was given: the
    dict to read them from and add to. An in-memory library keeps none."""
    file = next((r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"), "")
    if not file:
        return {}
    with _kept_lock:
        counted = _counts.setdefault((file, newest), {})
        _counts.move_to_end((file, newest))
        while len(_counts) > 4:  # a file's older states, other files
            _counts.popitem(last=False)
    return counted


def ranked(conn: sqlite3.Connection, pk: int) -> tuple[Similar, ...]:
    """The reader's view of papers like ``pk`` (:data:`VIEW` of them, best first). Kept, per
    library file, until the library has a new paper: the view's page, count and row lookups
    ask again and again."""
    file = next((r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"), "")
    newest = int(conn.execute("SELECT COALESCE(MAX(pk), 0) FROM papers").fetchone()[0])
    key = (file, pk)
    with _kept_lock:
        kept = _kept.get(key)
        if kept is not None and kept[0] == newest and file:
            _kept.move_to_end(key)
            return kept[1]
    found = tuple(similar(conn, pk, VIEW))
    with _kept_lock:
        _kept[key] = (newest, found)
        while len(_kept) > KEPT_LISTS:
            _kept.popitem(last=False)
    return found
