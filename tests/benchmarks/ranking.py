"""How well the "for you" order finds what a reader wants: simulated readers on real abstracts.

    .venv/bin/python tests/benchmarks/ranking.py [--draws 10] [--decisions 20 50 100] [--json OUT]

The library is the 2,000 real arXiv records of ``tests/fixtures/corpus`` (mostly physics and
mathematics, April 2007), written by River (``Library.upsert_paper``) with their categories
withheld: a category is the reader's hidden interest, which the model is not shown. A reader
keeps the papers of their interest and lets go of the rest. For each interest and each number
of decisions N, each draw copies the library, has the reader decide on N papers drawn at
random (``Library.mark``: a star or a skip, the decisions River logs), then ranks every paper
not decided on with River's own path (``learning.train.update``, then the library's
``for-you`` order). Reported per interest and N, over
the draws (a draw whose N papers hold fewer than 3 of the interest is drawn again): precision
at 20 and ROC AUC, beside three baselines ranked on the same draw:

- newest first (the stream's default order);
- the beats' term score (``Sort.RELEVANCE``, River's default beats);
- plain TF-IDF + logistic regression on the abstract (scikit-learn's defaults: the method of
  the strongest peer, arxiv-subscription-viewer).

Then an ablation at the largest N: River's model on the words alone, on the authors alone, and
on both (categories and organizations are withheld or absent in this corpus).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from _child import isolate_env  # noqa: E402
from _common import load_average, machine, write_result  # noqa: E402

from river_tui.domain import Discovery, Paper, TriageState, parse_arxiv_id  # noqa: E402
from river_tui.domain.interest import Example  # noqa: E402
from river_tui.learning.ranking import rank  # noqa: E402
from river_tui.learning.train import update  # noqa: E402
from river_tui.settings import load_settings  # noqa: E402
from river_tui.store.library import Library  # noqa: E402
from river_tui.store.papers import PaperFilter, Sort  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "corpus" / "arxiv_snapshot_sample_2000.jsonl"
INTERESTS = {
    "astro-ph": "astrophysics (astro-ph*)",
    "quant-ph": "quantum physics",
    "hep-th": "high-energy theory",
    "cs": "computer science (cs.*)",
}
"""Primary categories a reader may care about; the share of each is reported."""


def build(path: Path) -> dict[str, str]:
    """The corpus as a River library at ``path`` (categories withheld): paper id -> primary
    category."""
    primary: dict[str, str] = {}
    seen = Discovery("corpus", datetime(2026, 12, 1, tzinfo=UTC), origin=str(CORPUS.name))
    with Library.open(path, load_settings().beats) as lib, lib.transaction():
        titles = lib.title_index()
        for line in CORPUS.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            names = [
                " ".join(p for p in (first, last) if p)
                for last, first, *_ in record["authors_parsed"]
            ]
            created = parsedate_to_datetime(record["versions"][0]["created"]).date()
            paper = Paper(
                title=" ".join(record["title"].split()),
                abstract=" ".join(record["abstract"].split()),
                arxiv=parse_arxiv_id(record["id"]),
                authors=tuple(names),
                published=created,
            )
            written = lib.upsert_paper(paper, seen, titles)
            primary[lib.record(written.pk).id] = record["categories"].split()[0]
    return primary


def liked(category: str, interest: str) -> bool:
    return category == interest or category.startswith(interest + ".")


def metrics(order: Sequence[int], interesting: set[int]) -> tuple[float, float]:
    """Precision at 20 and ROC AUC of ``order`` (best first) against ``interesting``."""
    truth = [pk in interesting for pk in order]
    ranks = np.linspace(1.0, 0.0, num=len(order))
    return sum(truth[:20]) / 20, float(roc_auc_score(truth, ranks))


def plain_tfidf(decided: list[Example], kept: list[bool], rest: list[Example]) -> list[int]:
    vectorizer = TfidfVectorizer()
    x = vectorizer.fit_transform([e.abstract for e in decided])
    model = LogisticRegression().fit(x, kept)
    scores = model.decision_function(vectorizer.transform([e.abstract for e in rest]))
    return [rest[i].pk for i in np.argsort(-scores, kind="stable")]


def ablated(
    keep: Callable[[Example], Example],
    decided: list[Example],
    kept: list[bool],
    rest: list[Example],
) -> list[int]:
    labels = {e.pk: k for e, k in zip(decided, kept, strict=True)}
    return rank([keep(e) for e in [*decided, *rest]], labels)


ABLATIONS: dict[str, Callable[[Example], Example]] = {
    "words and authors (River)": lambda e: e,
    "words only": lambda e: replace(e, authors=()),
    "authors only": lambda e: replace(e, title="", abstract=""),
}


def one_draw(
    base: Path,
    folder: Path,
    interest: str,
    category_of: dict[int, str],
    n: int,
    seed: int,
    ablation: bool,
) -> dict[str, tuple[float, float]] | None:
    """One reader's N decisions and every order's (precision at 20, AUC); None when the draw
    holds fewer than 3 papers of the interest or fewer than 3 others."""
    pks = sorted(category_of)
    drawn = random.Random(seed).sample(pks, n)
    kept_pks = [pk for pk in drawn if liked(category_of[pk], interest)]
    if len(kept_pks) < 3 or n - len(kept_pks) < 3:
        return None
    path = folder / f"draw-{interest}-{n}-{seed}.db"
    with Library.open(base) as source:
        source.backup(path)
    decided_pks, kept_set = set(drawn), set(kept_pks)
    interesting = {pk for pk in pks if liked(category_of[pk], interest)} - decided_pks
    out: dict[str, tuple[float, float]] = {}
    with Library.open(path, load_settings().beats) as lib:
        lib.mark(kept_pks, starred=True)
        lib.mark([pk for pk in drawn if pk not in kept_set], state=TriageState.SKIPPED)
        rest_pks = [pk for pk in pks if pk not in decided_pks]
        update(lib)
        learned = [
            s.pk for s in lib.papers(PaperFilter(sort=Sort.FOR_YOU)) if s.pk not in decided_pks
        ]
        out["River: for you"] = metrics(learned, interesting)
        newest = [
            s.pk for s in lib.papers(PaperFilter(sort=Sort.NEWEST)) if s.pk not in decided_pks
        ]
        out["newest first"] = metrics(newest, interesting)
        beats = lib.papers(PaperFilter(sort=Sort.RELEVANCE))
        out["the beats' score"] = metrics(
            [s.pk for s in beats if s.pk not in decided_pks], interesting
        )
        decided = lib.examples(drawn)
        kept = [e.pk in kept_set for e in decided]
        rest = lib.examples(rest_pks)
        out["TF-IDF + LR on the abstract"] = metrics(plain_tfidf(decided, kept, rest), interesting)
        if ablation:
            for name, keep in ABLATIONS.items():
                out[f"ablation: {name}"] = metrics(ablated(keep, decided, kept, rest), interesting)
    path.unlink()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10)
    parser.add_argument("--decisions", type=int, nargs="+", default=[20, 50, 100])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    isolate_env()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = folder / "corpus.db"
        category_by_id = build(base)
        with Library.open(base) as lib:
            category_of = {s.pk: category_by_id[s.id] for s in lib.papers()}
        for interest in INTERESTS:
            share = sum(liked(c, interest) for c in category_of.values()) / len(category_of)
            per_n: dict[str, object] = {}
            for n in args.decisions:
                ablation = n == max(args.decisions)
                draws, seed = [], 0
                while len(draws) < args.draws and seed < 50 * args.draws:
                    seed += 1
                    found = one_draw(base, folder, interest, category_of, n, seed, ablation)
                    if found is not None:
                        draws.append(found)
                per_n[str(n)] = {
                    order: {
                        "precision_at_20": round(statistics.mean(d[order][0] for d in draws), 3),
                        "auc": round(statistics.mean(d[order][1] for d in draws), 3),
                    }
                    for order in draws[0]
                } | {"draws": len(draws)}
                print(f"{interest} N={n}: {len(draws)} draws", file=sys.stderr)
            results[interest] = {"share": round(share, 3), "by_decisions": per_n}
    result = {
        "benchmark": "ranking",
        "corpus": str(CORPUS.relative_to(ROOT)),
        "papers": len(category_of),
        "draws": args.draws,
        "interests": results,
        "load_average": load_average(),
        "machine": machine(),
        "day": date.today().isoformat(),
    }
    write_result(str(args.json) if args.json else None, result)


if __name__ == "__main__":
    main()
