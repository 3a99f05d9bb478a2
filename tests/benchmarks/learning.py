"""Learning from decisions: how long River takes to learn, and what it costs in memory.

    .venv/bin/python tests/benchmarks/learning.py LIBRARY [--decisions 100] [--json OUT]

On a copy of LIBRARY (its decisions cleared, what it learned forgotten), in this process, the
way the reader's learning child runs it (``learning.train.update`` with the features it holds
between updates, ``learning.train.Held``):

1. ``first``: ``--decisions`` papers drawn at random decided (kept when their first category
   is the most common one, else let go, through ``Library.mark``), then the first update:
   every paper's features computed and stored, the weighting counted, the models fitted and
   every paper scored. Once per library (a paper's features are computed once).
2. ``decisions``: the same update forced (``force=True``) in a process that holds nothing
   yet (the first update after the reader opens, or ``river learn``): every paper's stored
   features read and weighted, the reader's model and each beat's with enough decisions
   fitted again, every paper scored under each, all stored. Training and scoring everything
   (target <= 5 s at 100,000). ``decisions_held``: the same, from the held features.
3. ``one_more``: one more paper starred (one on a beat: two models stale), then the update
   the reader's child makes first, of the For you view's model (``only={""}``), then the
   first page of that view (``PaperFilter(state=new, sort=for-you)``, 50 rows): what passes
   between a decision and the view's new order (target <= 1 s). ``one_more_rest``: the
   update after it, of the other models.
4. ``why``: the why of the 50 papers of that page (what the detail pane shows), each.

Memory: the process's resident set (``VmRSS``) before, after (the held features still kept:
what the learning child keeps while the reader is open) and its peak (``VmHWM``), in MB.
The floor in the same run: the same update with nothing stale
(``idle``), and the library's plain first page (``PaperFilter(state=new)``).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _common import (
    isolate_env,
    load_average,
    machine,
    proc_status_mb,
    summary,
    write_result,
)


def _timed(call):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = call()
    return round(time.perf_counter() - start, 3), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("library", type=Path)
    parser.add_argument("--decisions", type=int, default=100)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args(argv)
    isolate_env()
    from river_tui.domain import TriageState
    from river_tui.learning.train import Held, update
    from river_tui.settings import load_settings
    from river_tui.store.library import Library
    from river_tui.store.papers import PaperFilter, Sort

    out: dict[str, object] = {"machine": machine(), "load_before": load_average()}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "library.db"
        with Library.open(args.library.resolve()) as source:
            source.backup(path)
        rss_before = proc_status_mb("VmRSS")
        with Library.open(path, load_settings().beats) as library:
            library.conn.execute("DELETE FROM triage")
            library.conn.execute("DELETE FROM paper_tags")
            library.conn.execute("DELETE FROM manual_beats")
            library.conn.commit()
            library.learned.forget()
            papers = library.count()
            out["papers"] = papers
            out["library_mb"] = round(path.stat().st_size / 1e6, 1)
            rows = library.conn.execute("SELECT pk, categories FROM papers").fetchall()
            first_category = {pk: (cats or '[""]').split('"')[1] for pk, cats in rows}
            interest = Counter(first_category.values()).most_common(1)[0][0]
            drawn = random.Random(7).sample(sorted(first_category), args.decisions)
            kept = [pk for pk in drawn if first_category[pk] == interest]
            library.mark(kept, starred=True)
            library.mark([pk for pk in drawn if pk not in set(kept)], state=TriageState.SKIPPED)
            out["interest"] = interest
            held = Held()
            out["first_s"], first = _timed(lambda: update(library, held=held))
            out["features_mb"] = round(
                library.conn.execute("SELECT SUM(length(features)) FROM paper_features").fetchone()[
                    0
                ]
                / 1e6,
                1,
            )
            out["decisions_s"], outcome = _timed(lambda: update(library, force=True))
            out["models"] = {m or "for you": list(kl) for m, kl in outcome.trained.items()}
            out["decisions_held_s"], _ = _timed(lambda: update(library, force=True, held=held))
            out["held_mb"] = round(
                sum(
                    p.nbytes + m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
                    for p, m in held.chunks
                )
                / 1e6,
                1,
            )
            out["idle_s"], _ = _timed(lambda: update(library, held=held))
            decided = set(drawn)
            on_a_beat = library.learned.beats_of(pk for pk in first_category if pk not in decided)
            library.mark([min(on_a_beat)], starred=True)
            for_you = PaperFilter(state=TriageState.NEW, sort=Sort.FOR_YOU)
            out["one_more_update_s"], visible = _timed(
                lambda: update(library, held=held, only={""})
            )
            out["one_more_page_s"], page = _timed(lambda: library.papers(for_you, limit=50))
            out["one_more_s"] = round(out["one_more_update_s"] + out["one_more_page_s"], 3)
            out["one_more_rest_s"], rest = _timed(lambda: update(library, held=held))
            out["one_more_models"] = [sorted(visible.trained), sorted(rest.trained)]
            out["plain_page_s"], _ = _timed(
                lambda: library.papers(PaperFilter(state=TriageState.NEW), limit=50)
            )
            whys = []
            for summary_row in page:
                started = time.perf_counter()  # _timed rounds to milliseconds
                library.learned.why("", summary_row.pk)
                whys.append((time.perf_counter() - started) * 1000)
            out["why_ms"] = {k: round(v, 2) for k, v in summary(whys).items()}
            out["first_encoded"] = first.encoded
            out["rss_after_mb"] = round(proc_status_mb("VmRSS"), 1)  # held still kept
        out["rss_before_mb"] = round(rss_before, 1)
        out["rss_peak_mb"] = round(proc_status_mb("VmHWM"), 1)
    out["load_after"] = load_average()
    print(
        f"{out['papers']:,} papers: first {out['first_s']} s (features {out['features_mb']} MB), "
        f"{args.decisions} decisions {out['decisions_s']} s ({len(out['models'])} models; "
        f"held {out['decisions_held_s']} s, {out['held_mb']} MB), "
        f"one more {out['one_more_update_s']} + page {out['one_more_page_s']} s "
        f"(the rest {out['one_more_rest_s']} s), "
        f"idle {out['idle_s']} s, why median {out['why_ms']['median']} ms, "
        f"peak RSS {out['rss_peak_mb']} MB",
        file=sys.stderr,
    )
    write_result(args.json, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
