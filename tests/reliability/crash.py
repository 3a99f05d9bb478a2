"""Kill writers with SIGKILL at random moments; check nothing acknowledged was lost.

    python tests/reliability/crash.py --kills 1000 --seed 7      # RIVER_CRASH_KILLS / _SEED

Each round forks two writers on the same library and SIGKILLs both at random moments:

* the *editor* makes triage decisions (state, star, tag), saves notes (up to 20 kB, one over
  the other, or cleared) and claim edits (assert, rebadge, edit), one transaction each,
  through :class:`Library`; after each COMMIT returns it appends what it did (the decision or
  event id) to a side file and fsyncs it: an *acknowledged* edit;
* the *refresher* upserts pages of 20 papers (drawn from a pool of 1,000, with new abstracts:
  the library stays the same size however long the run), one transaction per page, as a
  refresh does, noting each page before its transaction starts and acknowledging it after the
  commit.

After each round (both writers dead) the library is opened again and checked:
``PRAGMA integrity_check`` is ``ok``; every acknowledged edit is there, exactly as
acknowledged; every page is all there or not there at all; and the user state agrees with its
own log (each paper's state, star, tags and note are what its last decisions say; each claim's badge
and text are what its last events say), so no transaction landed in part.

Prints one JSON summary and exits 0 when nothing was lost. See docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from river_tui.domain import ArxivId, Discovery, Paper, TriageState
from river_tui.domain.claims import Dossier
from river_tui.store.library import Library

PAGE = 20
POOL = 1000
DAY = date(2026, 6, 1)
BADGES = ("claim", "caveat", "supported", "contested")
STATES = tuple(TriageState)


# -- the writers (run in forked children) ----------------------------------------------------


class Acks:
    """An append-only side file: one JSON line per acknowledged edit, fsynced before the next."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def write(self, record: dict[str, object]) -> None:
        os.write(self.fd, (json.dumps(record) + "\n").encode())
        os.fsync(self.fd)


def editor(db: Path, acks: Acks, rng: random.Random) -> None:
    with Library.open(db) as lib:
        pks = [r[0] for r in lib.conn.execute("SELECT pk FROM papers WHERE id LIKE '2601.%'")]
        claims = [
            r[0]
            for r in lib.conn.execute(
                "SELECT id FROM claims WHERE dossier_slug = 'crash' AND status = 'active'"
            )
        ]
        n = 0
        parent = os.getppid()
        while os.getppid() == parent:  # the campaign is gone: stop
            n += 1
            pk = rng.choice(pks)
            kind = rng.random()
            with lib.transaction() as conn:
                if kind < 0.25:
                    state = rng.choice(STATES)
                    changed = lib.set_state(pk, state)
                    record = {"t": "d", "pk": pk, "a": "state", "after": str(state)}
                elif kind < 0.4:
                    starred = rng.random() < 0.5
                    changed = lib.set_starred(pk, starred)
                    record = {"t": "d", "pk": pk, "a": "star", "after": str(int(starred))}
                elif kind < 0.55:
                    tag = f"t{os.getpid()}-{n}"
                    changed = lib.add_tag(pk, tag)
                    record = {"t": "d", "pk": pk, "a": "tag", "after": tag}
                elif kind < 0.7:
                    # A note of up to 20 kB (a save writes the note and logs both texts), or
                    # cleared now and then.
                    note = (
                        ""
                        if rng.random() < 0.1
                        else f"Note {os.getpid()}-{n}. " * (rng.randint(1, 1000))
                    )
                    changed = lib.set_note(pk, note)
                    record = {"t": "d", "pk": pk, "a": "note", "after": note.strip()}
                elif kind < 0.8 or not claims:
                    text = f"Claim {os.getpid()}-{n}."
                    claim = lib.assert_claim("crash", text, rng.choice(BADGES), [], DAY)
                    claims.append(claim)
                    changed, record = True, {"t": "c", "id": claim, "text": text}
                elif kind < 0.9:
                    claim = rng.choice(claims)
                    row = conn.execute("SELECT badge FROM claims WHERE id = ?", (claim,)).fetchone()
                    badge = rng.choice([b for b in BADGES if b != row[0]])
                    lib.rebadge(claim, badge, f"edit {n}", DAY)
                    changed, record = True, {"t": "e", "c": claim, "a": "rebadged", "b": badge}
                else:
                    claim = rng.choice(claims)
                    lib.edit_claim(claim, f"Edited {os.getpid()}-{n}.", f"edit {n}", DAY)
                    changed, record = True, {"t": "e", "c": claim, "a": "edited", "b": None}
                if changed and record["t"] == "d":
                    record["id"] = conn.execute("SELECT MAX(id) FROM decisions").fetchone()[0]
                elif record["t"] == "e":
                    record["id"] = conn.execute("SELECT MAX(id) FROM claim_events").fetchone()[0]
            # COMMIT has returned: the edit is acknowledged.
            if changed:
                acks.write(record)


def refresher(db: Path, acks: Acks, rng: random.Random) -> None:
    seen = datetime.now(UTC)
    with Library.open(db) as lib:
        page = 0
        parent = os.getppid()
        while os.getppid() == parent:
            page += 1
            origin = f"crash-{os.getpid()}-{page}"
            acks.write({"t": "begin", "origin": origin})
            with lib.transaction():
                titles = lib.title_index()
                for k in rng.sample(range(POOL), PAGE):
                    paper = Paper(
                        title=f"Refreshed paper {k} about subject {k * 7919 % POOL}",
                        abstract=f"Fetched {origin}. " * rng.randint(1, 100),
                        arxiv=ArxivId(f"2602.{k:05d}", rng.randint(1, 3)),
                        authors=(f"Author {k}",),
                    )
                    lib.upsert_paper(paper, Discovery("crash", seen, origin), titles)
            acks.write({"t": "p", "origin": origin})


def fork(work: Callable[[Path, Acks, random.Random], None], db: Path, ack: Path, seed: int) -> int:
    pid = os.fork()
    if pid:
        return pid
    status = 0
    try:
        work(db, Acks(ack), random.Random(seed))
    except BaseException as exc:
        sys.stderr.write(f"{work.__name__} stopped by itself: {type(exc).__name__}: {exc}\n")
        status = 3
    os._exit(status)


# -- the checks (in the parent, with every writer dead) --------------------------------------


class AckReader:
    """The acknowledgements in a side file, read incrementally (each round adds some)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.acks: list[dict[str, object]] = []

    def read(self) -> list[dict[str, object]]:
        if self.path.exists():
            with self.path.open("rb") as handle:
                handle.seek(self.offset)
                data = handle.read()
            # A line without its newline was never acknowledged (its writer died in write()).
            complete = data[: data.rfind(b"\n") + 1]
            self.offset += len(complete)
            self.acks += [json.loads(line) for line in complete.splitlines() if line]
        return self.acks


def check(db: Path, acks: list[dict[str, object]]) -> list[str]:
    """Every problem found (empty: nothing lost, nothing half-done)."""
    problems: list[str] = []
    with Library.open(db) as lib:
        conn = lib.conn
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems.append(f"integrity_check: {integrity[:3]}")
        decisions = {
            r[0]: (r[1], r[2], r[3])
            for r in conn.execute("SELECT id, paper_pk, action, after FROM decisions")
        }
        events = {
            r[0]: (r[1], r[2], r[3])
            for r in conn.execute("SELECT id, claim_id, action, badge FROM claim_events")
        }
        claims = {r[0]: r[1] for r in conn.execute("SELECT id, text FROM claims")}
        pages = dict(
            conn.execute(
                "SELECT origin, COUNT(*) FROM discoveries WHERE source = 'crash' GROUP BY origin"
            ).fetchall()
        )
        for ack in acks:
            kind = ack["t"]
            if kind == "d" and decisions.get(ack["id"]) != (ack["pk"], ack["a"], ack["after"]):
                problems.append(f"lost decision {ack}")
            elif kind == "e" and events.get(ack["id"], (None,) * 3)[:2] != (ack["c"], ack["a"]):
                problems.append(f"lost claim event {ack}")
            elif kind == "e" and ack["b"] is not None and events[ack["id"]][2] != ack["b"]:
                problems.append(f"claim event changed {ack}")
            elif kind == "c" and claims.get(ack["id"]) is None:
                problems.append(f"lost claim {ack}")
            elif kind == "p" and pages.get(ack["origin"]) != PAGE:
                problems.append(f"lost page {ack}: {pages.get(ack['origin'])} of {PAGE} papers")
        problems += [f"half a page: {o} has {n} papers" for o, n in pages.items() if n != PAGE]
        problems += consistency(conn)
    return problems


def consistency(conn) -> list[str]:
    """User state agrees with its append-only log: no transaction landed in part."""
    problems = []
    last: dict[tuple[int, str], str] = {}  # (paper, action) -> the last decision's value
    notes = dict(conn.execute("SELECT paper_pk, text FROM paper_notes").fetchall())
    tag_decisions: dict[int, set[str]] = {}
    for pk, action, after in conn.execute(
        "SELECT paper_pk, action, after FROM decisions ORDER BY id"
    ):
        last[(pk, action)] = after
        if action == "tag":
            tag_decisions.setdefault(pk, set()).add(after)
    tags: dict[int, set[str]] = {}
    for pk, tag in conn.execute("SELECT paper_pk, tag FROM paper_tags"):
        tags.setdefault(pk, set()).add(tag)
    rows = conn.execute(
        "SELECT p.pk, COALESCE(t.state, 'new'), COALESCE(t.starred, 0) FROM papers p "
        "LEFT JOIN triage t ON t.paper_pk = p.pk WHERE p.id LIKE '2601.%'"
    )
    for pk, state, starred in rows:
        logged = (last.get((pk, "state"), "new"), last.get((pk, "star"), "0"))
        if (state, str(starred)) != logged:
            problems.append(f"paper {pk}: state {state}/{starred}, log {logged}")
        if tags.get(pk, set()) != tag_decisions.get(pk, set()):
            problems.append(f"paper {pk}: tags {tags.get(pk)} but tag decisions differ")
        if notes.get(pk, "") != last.get((pk, "note"), ""):
            problems.append(f"paper {pk}: its note is not its last note decision's")
    badges: dict[int, str] = {}
    texts: dict[int, str] = {}
    for claim, badge, text in conn.execute(
        "SELECT claim_id, badge, text FROM claim_events ORDER BY id"
    ):
        if badge is not None:
            badges[claim] = badge
        if text is not None:
            texts[claim] = text
    for claim, badge, text in conn.execute("SELECT id, badge, text FROM claims"):
        if (badge, text) != (badges.get(claim), texts.get(claim)):
            problems.append(f"claim {claim}: {badge!r}/{text!r}, log {badges.get(claim)!r}")
    return problems


# -- the campaign ------------------------------------------------------------------------------


def prepare(db: Path) -> None:
    with Library.open(db) as lib:
        with lib.transaction():
            titles = lib.title_index()
            seen = datetime.now(UTC)
            for k in range(50):
                paper = Paper(
                    title=f"Crash-tested paper {k} on topic {k * 7919 % 1000}",
                    abstract="Something to triage.",
                    arxiv=ArxivId(f"2601.{k:05d}", 1),
                )
                lib.upsert_paper(paper, Discovery("seed", seen, "seed"), titles)
        lib.create_dossier(Dossier(slug="crash", title="Crash test", created=DAY))


def campaign(
    db: Path, kills: int, seed: int, min_delay: float, max_delay: float, progress: int = 0
) -> dict:
    rng = random.Random(seed)
    prepare(db)
    folder = db.parent
    editor_acks, refresher_acks = folder / "editor.acks", folder / "refresher.acks"
    readers = (AckReader(editor_acks), AckReader(refresher_acks))
    summary: dict[str, object] = {"kills": 0, "seed": seed, "rounds": kills}
    interrupted_pages = rolled_back_pages = wal_recoveries = died_early = 0
    problems: list[str] = []
    started = time.monotonic()
    for round_no in range(kills):
        # No connection may be open across fork(): the children get none of the parent's.
        pids = {
            "editor": fork(editor, db, editor_acks, rng.randrange(2**32)),
            "refresher": fork(refresher, db, refresher_acks, rng.randrange(2**32)),
        }
        order = list(pids.items())
        rng.shuffle(order)
        time.sleep(rng.uniform(min_delay, max_delay))
        for name, pid in order:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
                summary["kills"] = int(summary["kills"]) + 1
            else:
                died_early += 1
                problems.append(f"round {round_no}: the {name} ended by itself ({status})")
            time.sleep(rng.uniform(0, 0.02))
        wal = Path(f"{db}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            wal_recoveries += 1
        acks = [ack for reader in readers for ack in reader.read()]
        found = check(db, acks)
        problems += [f"round {round_no}: {p}" for p in found]
        begun = {a["origin"] for a in acks if a["t"] == "begin"}
        acked = {a["origin"] for a in acks if a["t"] == "p"}
        interrupted_pages = len(begun - acked)
        if found:
            break
        if progress and (round_no + 1) % progress == 0:
            print(
                f"{round_no + 1} rounds, {len(acks)} acknowledgements, "
                f"{time.monotonic() - started:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    with Library.open(db) as lib:
        rolled_back_pages = sum(
            1
            for origin in begun - acked
            if not lib.conn.execute(
                "SELECT 1 FROM discoveries WHERE origin = ?", (origin,)
            ).fetchone()
        )
        counts = lib.counts()
    all_acks = [ack for reader in readers for ack in reader.read()]
    summary |= {
        "seconds": round(time.monotonic() - started, 1),
        "acknowledged_edits": sum(1 for a in all_acks if a["t"] in ("d", "e", "c")),
        "acknowledged_pages": sum(1 for a in all_acks if a["t"] == "p"),
        "pages_cut_by_a_kill": interrupted_pages,
        "of_which_rolled_back": rolled_back_pages,
        "reopened_with_a_wal_to_recover": wal_recoveries,
        "writers_that_died_on_their_own": died_early,
        "decisions": counts["decisions"],
        "claim_events": counts["claim_events"],
        "papers": counts["papers"],
        "lost": len(problems),
        "problems": problems[:20],
    }
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=int(os.environ.get("RIVER_CRASH_KILLS", 50)))
    parser.add_argument(
        "--seed", type=int, default=int(os.environ.get("RIVER_CRASH_SEED", 20260601))
    )
    parser.add_argument("--min-delay", type=float, default=0.01)
    parser.add_argument("--max-delay", type=float, default=0.25)
    parser.add_argument("--dir", type=Path, help="where the library goes (default: a temp dir)")
    parser.add_argument("--progress", type=int, default=0, help="a line on stderr every N rounds")
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="river-crash-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "library.db"
    if db.exists():
        raise SystemExit(f"{db} exists: give an empty --dir")
    summary = campaign(db, args.kills, args.seed, args.min_delay, args.max_delay, args.progress)
    summary["library"] = str(db)
    print(json.dumps(summary, indent=2))
    return 0 if summary["lost"] == 0 and summary["kills"] >= args.kills else 1


if __name__ == "__main__":
    sys.exit(main())
