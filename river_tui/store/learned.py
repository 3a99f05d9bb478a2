"""What River has learned, as kept in the library: each paper's features, how rare each
feature is, and each model's weights and scores (schema step 10).

All of it is derived data: it is computed from the papers and the reader's decisions
(:mod:`river_tui.store.learning`), rebuilt whenever missing or stale, and :meth:`Learned.forget`
drops it without losing anything the reader did. The model ``''`` is the reader's; a beat's
name is the model of the decisions on that beat's papers."""

from __future__ import annotations

import hashlib
import sqlite3
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import astuple, dataclass
from datetime import UTC, datetime

from river_tui.domain.beats import Beat
from river_tui.domain.interest import (
    ENCODING,
    MIN_EACH,
    Example,
    Reason,
    decode,
    explain,
    numbers,
)
from river_tui.store.db import rows_in
from river_tui.store.learning import examples, labels

READER = ""
"""The reader's model (every decision); any other model is a beat's."""
BEST = 5_000
"""How many of each model's best-scored papers ``learned_best`` keeps (with every paper tied
with the last): the first pages of a view in the for-you order walk them
(:func:`river_tui.store.papers.list_papers`)."""
ENCODED = "learned.encoding"
"""The ``meta`` key naming how the stored features were computed
(:data:`river_tui.domain.interest.ENCODING`)."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """One model as last trained."""

    model: str
    decisions: str
    papers: int
    kept: int
    let_go: int
    intercept: float
    trained: str


def digest(labels: Mapping[int, bool]) -> str:
    """A short fingerprint of a set of decisions: a model fitted on others is stale."""
    text = ",".join(f"{pk}{'+' if kept else '-'}" for pk, kept in sorted(labels.items()))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


class Learned:
    """The learned tables of one open library (its connection, its thread). Writes run in
    ``begin()``: the library's transaction, which refuses a read-only library with its one
    line."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        begin: Callable[[], AbstractContextManager[sqlite3.Connection]],
    ) -> None:
        self.conn = conn
        self.begin = begin
        self._idf: tuple[int, array] | None = None

    # -- features ------------------------------------------------------------------------------
    def without_features(self, limit: int, after: int = 0) -> list[Example]:
        """Up to ``limit`` papers whose features are not computed yet, the first after row
        ``after`` in row order: a caller going through them all passes the last row it was
        given, so no paper is looked at twice (each batch from the first row again was
        quadratic: at a million papers, 500 million rows looked at)."""
        if not after and not self.missing_features():
            return []
        pks = [
            pk
            for (pk,) in self.conn.execute(
                "SELECT p.pk FROM papers p WHERE p.pk > ? AND p.kind = 'paper' AND NOT EXISTS "
                "(SELECT 1 FROM paper_features f WHERE f.paper_pk = p.pk) ORDER BY p.pk LIMIT ?",
                (after, limit),
            )
        ]
        return list(examples(self.conn, pks)) if pks else []

    def save_features(self, rows: Iterable[tuple[int, bytes]]) -> None:
        with self.begin():
            self.conn.executemany(
                "INSERT OR REPLACE INTO paper_features(paper_pk, features) VALUES (?, ?)", rows
            )

    def papers(self) -> int:
        """Papers whose features are known (what the weighting counts)."""
        return int(self.conn.execute("SELECT COUNT(*) FROM paper_features").fetchone()[0])

    def features_key(self) -> tuple[int, int, int]:
        """Which papers have features: (how many, their pks' sum, the largest pk). Features
        are computed once and go with their paper, so the same key is the same features."""
        row = self.conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(paper_pk), 0), COALESCE(MAX(paper_pk), 0) "
            "FROM paper_features"
        ).fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def features(self, pks: Iterable[int] | None = None) -> Iterator[tuple[int, bytes]]:
        """(pk, stored features) of every paper, or of ``pks`` (in no set order)."""
        if pks is None:
            yield from self.conn.execute("SELECT paper_pk, features FROM paper_features")
            return
        sql = "SELECT paper_pk, features FROM paper_features WHERE paper_pk IN ({marks})"
        yield from rows_in(self.conn, sql, pks)

    # -- the weighting -------------------------------------------------------------------------
    def idf(self) -> tuple[int, bytes] | None:
        """(papers counted, float32 idf per column) as last computed."""
        row = self.conn.execute("SELECT papers, idf FROM learned_idf WHERE id = 1").fetchone()
        return (int(row[0]), bytes(row[1])) if row else None

    def save_idf(self, papers: int, idf: bytes) -> None:
        with self.begin():
            self.conn.execute(
                "INSERT OR REPLACE INTO learned_idf(id, papers, idf) VALUES (1, ?, ?)",
                (papers, idf),
            )

    # -- decisions -----------------------------------------------------------------------------
    def labels_by_model(self, beats: Sequence[Beat]) -> dict[str, dict[int, bool]]:
        """Each model's decisions (pk -> kept): the reader's are every decision
        (:func:`river_tui.store.learning.labels`); a beat's, those on its papers."""
        everything = labels(self.conn)
        beats_of = self.beats_of(everything)
        by_model = {READER: everything}
        for beat in beats:
            by_model[beat.name] = {
                pk: k for pk, k in everything.items() if beat.name in beats_of.get(pk, ())
            }
        return by_model

    def stale(
        self, wanted: Mapping[str, Mapping[int, bool]], force: bool = False
    ) -> dict[str, Mapping[int, bool]]:
        """The models of ``wanted`` (model -> its decisions) to fit again: those with enough
        decisions and none stored, those stored whose decisions changed or that scored fewer
        papers than have features, every one with ``force``; a model stored whose decisions
        fell short is stale too (it is dropped)."""
        models, papers = self.models(), self.papers()
        return {
            model: labels
            for model, labels in wanted.items()
            if (model in models or enough(labels))
            and (
                force
                or model not in models
                or models[model].decisions != digest(labels)
                or models[model].papers != papers
            )
        }

    def to_learn(self, wanted: Mapping[str, Mapping[int, bool]]) -> bool:
        """Some model of ``wanted`` is stored or has decisions enough: features are needed.
        (No decision, no features: a library nobody decided in costs nothing.)"""
        models = self.models()
        return any(model in models or enough(labels) for model, labels in wanted.items())

    def encoded_as_now(self) -> bool:
        """The stored features were computed as :func:`~river_tui.learning.model.encode`
        computes them now (:data:`~river_tui.domain.interest.ENCODING`)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (ENCODED,)).fetchone()
        return row is not None and row[0] == ENCODING

    def encode_again(self) -> None:
        """Forget everything learned and record the features as computed now: they will be
        computed again."""
        with self.begin():
            self.forget()
            self.conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (ENCODED, ENCODING)
            )

    def up_to_date(self, wanted: Mapping[str, Mapping[int, bool]]) -> bool:
        """Nothing of ``wanted`` is to learn (plain SQL: no model is loaded to know it)."""
        return not self.to_learn(wanted) or (
            self.encoded_as_now() and not self.missing_features() and not self.stale(wanted)
        )

    def missing_features(self) -> bool:
        """A paper has no features yet (it arrived since the last update). Features are
        only ever computed for papers (kind ``paper``, which never changes) and go with
        them: counting both says it."""
        papers = self.conn.execute("SELECT COUNT(*) FROM papers WHERE kind = 'paper'").fetchone()
        return int(papers[0]) != self.papers()

    def beats_of(self, pks: Iterable[int]) -> dict[int, set[str]]:
        """The beats each of ``pks`` is on: matched by the beat's rule or put there by hand
        (as :func:`~river_tui.store.predicates.beat_predicate` says, read paper by paper:
        a few hundred decided papers, not every match of every beat)."""
        found: dict[int, set[str]] = {}
        pks = list(pks)
        for sql in (
            "SELECT paper_pk, beat FROM beat_matches WHERE verdict = 'match' "
            "AND paper_pk IN ({marks})",
            "SELECT paper_pk, beat FROM manual_beats WHERE paper_pk IN ({marks})",
        ):
            for pk, beat in rows_in(self.conn, sql, pks):
                found.setdefault(pk, set()).add(beat)
        return found

    # -- models --------------------------------------------------------------------------------
    def models(self) -> dict[str, ModelInfo]:
        return {
            row[0]: ModelInfo(*row)
            for row in self.conn.execute(
                "SELECT model, decisions, papers, kept, let_go, intercept, trained FROM learned"
            )
        }

    def save_models(
        self,
        trained: Sequence[tuple[ModelInfo, list[tuple[int, str, float]]]],
        scores: Mapping[str, Iterable[tuple[int, float]]],
        dropped: Iterable[str] = (),
    ) -> None:
        """Replace the models of ``trained`` (each with its weights: column, name, weight) and
        their ``scores`` (model -> (pk, score)), and drop the models of ``dropped``, in one
        transaction: a reader sees the old models or the new, never half."""
        with self.begin():
            for model in dropped:
                self.conn.execute("DELETE FROM learned_best WHERE model = ?", (model,))
                self.conn.execute("DELETE FROM learned_scores WHERE model = ?", (model,))
                self.conn.execute("DELETE FROM learned_weights WHERE model = ?", (model,))
                self.conn.execute("DELETE FROM learned WHERE model = ?", (model,))
            for info, weights in trained:
                # Rows updated in place, not deleted and written again: that would check each
                # score's paper and model again (100,000 papers: 0.15 s a model, not 0.45).
                # Every paper with features is scored, so no old score is left behind.
                self.conn.execute(
                    "INSERT INTO learned(model, decisions, papers, kept, let_go, intercept, "
                    "trained) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(model) DO UPDATE SET "
                    "decisions = excluded.decisions, papers = excluded.papers, "
                    "kept = excluded.kept, let_go = excluded.let_go, "
                    "intercept = excluded.intercept, trained = excluded.trained",
                    astuple(info),
                )
                self.conn.execute("DELETE FROM learned_weights WHERE model = ?", (info.model,))
                self.conn.executemany(
                    "INSERT INTO learned_weights(model, feature, name, weight) VALUES (?, ?, ?, ?)",
                    ((info.model, c, n[:200], w) for c, n, w in weights),
                )
                self.conn.executemany(
                    "INSERT INTO learned_scores(model, paper_pk, score) VALUES (?, ?, ?) "
                    "ON CONFLICT(model, paper_pk) DO UPDATE SET score = excluded.score",
                    ((info.model, pk, s) for pk, s in scores.get(info.model, ())),
                )
                self._keep_best(info.model)

    def _keep_best(self, model: str) -> None:
        """Write ``model``'s :data:`BEST` best-scored papers (and their ties) as its scores now
        stand (100,000 papers: 15 ms a model; an index of the scores cost 0.4 s)."""
        self.conn.execute("DELETE FROM learned_best WHERE model = ?", (model,))
        bound = self.conn.execute(
            "SELECT score FROM learned_scores WHERE model = ? ORDER BY score DESC LIMIT 1 OFFSET ?",
            (model, BEST - 1),
        ).fetchone()
        self.conn.execute(
            "INSERT INTO learned_best(model, score, paper_pk) SELECT model, score, paper_pk "
            "FROM learned_scores WHERE model = ? AND score >= ?",
            (model, -1e308 if bound is None else bound[0]),
        )

    def weights(self, model: str, columns: Iterable[int]) -> dict[int, tuple[str, float]]:
        """column -> (name, weight) of ``model``, for the ``columns`` it weighs."""
        sql = (
            "SELECT feature, name, weight FROM learned_weights "
            "WHERE model = ? AND feature IN ({marks})"
        )
        return {c: (n, w) for c, n, w in rows_in(self.conn, sql, columns, before=[model])}

    def score(self, model: str, pk: int) -> float | None:
        row = self.conn.execute(
            "SELECT score FROM learned_scores WHERE model = ? AND paper_pk = ?", (model, pk)
        ).fetchone()
        return float(row[0]) if row else None

    def model_for(self, beat: str | None) -> str | None:
        """The model a view of ``beat`` (or of no beat) is ordered by: the beat's if it has
        one, else the reader's; None when there is none."""
        models = self.models()
        if beat and beat in models:
            return beat
        return READER if READER in models else None

    def why(self, model: str, pk: int, most: int = 3) -> list[Reason]:
        """What moved paper ``pk``'s score under ``model`` most (empty: it has no features or
        the model weighs none of them). The library's idf (5 MB) is read again only when it
        was counted again."""
        row = self.conn.execute(
            "SELECT features FROM paper_features WHERE paper_pk = ?", (pk,)
        ).fetchone()
        counted = self.conn.execute("SELECT papers FROM learned_idf WHERE id = 1").fetchone()
        if row is None or counted is None:
            return []
        if self._idf is None or self._idf[0] != counted[0]:
            stored = self.idf()
            if stored is None:  # forgotten between the two reads
                return []
            self._idf = (stored[0], numbers(stored[1], "f"))
        features = bytes(row[0])
        columns = numbers(decode(features)[0], "i")
        return explain(features, self._idf[1], self.weights(model, columns), most)

    def forget(self) -> int:
        """Drop everything learned (it is rebuilt from the decisions when next needed); the
        number of models dropped."""
        with self.begin():
            models = int(self.conn.execute("SELECT COUNT(*) FROM learned").fetchone()[0])
            for table in (
                "learned_best",
                "learned_scores",
                "learned_weights",
                "learned",
                "learned_idf",
            ):
                self.conn.execute(f"DELETE FROM {table}")
            self.conn.execute("DELETE FROM paper_features")
        return models


def enough(labels: Mapping[int, bool]) -> bool:
    """Decisions enough for a model: :data:`MIN_EACH` kept and as many let go."""
    kept = sum(labels.values())
    return kept >= MIN_EACH and len(labels) - kept >= MIN_EACH


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
