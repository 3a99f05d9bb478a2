"""Several processes writing one library at once: does every change land?

    python tests/reliability/contention.py --db /tmp/c.db --roles triage,claims --count 1000

Makes (or reuses) a library at ``--db`` with 60 papers, starts one ``contend.py`` process per
role, lets them all go at the same moment, and prints one JSON object: each process's report,
the changes found in the library, and whether "database is locked" surfaced anywhere. Exits 0
when every process landed all its changes. See docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from river_tui.domain import ArxivId, Discovery, Paper
from river_tui.store.library import Library

HERE = Path(__file__).resolve().parent
WORKER = HERE / "contend.py"


def prepare(db: Path, papers: int = 60) -> None:
    with Library.open(db) as lib, lib.transaction():
        titles = lib.title_index()
        seen = datetime.now(UTC)
        for k in range(papers):
            paper = Paper(
                title=f"Seed paper number {k} about subject {k * 7919 % 1000}",
                abstract="A paper to triage.",
                arxiv=ArxivId(f"2601.{k:05d}", 1),
            )
            lib.upsert_paper(paper, Discovery("seed", seen, "seed"), titles)


def counts(db: Path) -> dict[str, int]:
    with Library.open(db) as lib:
        c = lib.counts()
        integrity = lib.health().integrity
    return {
        "decisions": c["decisions"],
        "claim_events": c["claim_events"],
        "papers": c["papers"],
        "integrity_ok": integrity == ["ok"],
    }


def run(db: Path, roles: list[str], count: int, timeout: float = 240.0) -> dict[str, object]:
    if not db.exists():
        prepare(db)
    before = counts(db)
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(db), role, str(count)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role in roles
    ]
    for proc in procs:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if line != "ready":
            raise RuntimeError(f"a worker did not start: {line!r} {proc.stderr.read()}")
    started = time.monotonic()
    start_at = time.time() + 0.25  # the barrier: everyone goes at this moment
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(f"{start_at}\n")
        proc.stdin.flush()
    reports = []
    for role, proc in zip(roles, procs, strict=True):
        out, err = proc.communicate(timeout=timeout)
        last = out.strip().splitlines()[-1] if out.strip() else "{}"
        report = json.loads(last)
        report |= {"role": role, "exit": proc.returncode, "stderr": err.strip()}
        reports.append(report)
    wall = time.monotonic() - started
    after = counts(db)
    text = json.dumps(reports)
    return {
        "roles": roles,
        "count": count,
        "reports": reports,
        "wall_seconds": round(wall, 3),
        "before": before,
        "after": after,
        "locked_surfaced": "locked" in text or "busy" in text,
        "ok": all(r["exit"] == 0 and r["done"] == count for r in reports),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--roles", default="triage,claims")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1, help="repeat this many times")
    args = parser.parse_args()
    results = [run(args.db, args.roles.split(","), args.count) for _ in range(args.runs)]
    print(json.dumps(results if args.runs > 1 else results[0], indent=2))
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
