"""One of several processes writing the same library at once (driven by ``contention.py``).

    python tests/reliability/contend.py DB ROLE COUNT

Opens the library, prints ``ready``, waits for a line on stdin giving the moment to start
(``time.time()``; every process gets the same one, so they start together), then makes COUNT
changes through :class:`Library`, each its own transaction, and prints one JSON line:
``{"role": ..., "done": N, "errors": [...], "seconds": ...}``. Exits 0
only when all COUNT changes landed.

``RIVER_TEST_NO_LOCK_RETRY=1`` turns off River's retry of ``BEGIN IMMEDIATE`` (only SQLite's
5 s busy timeout is left), to measure what the retry is for.

Roles:

* ``triage``: state, star and tag changes on the papers already in the library (each one
  changes something, so each appends one decision);
* ``claims``: claim events in the dossier ``contend`` (asserts, rebadges, edits: one event each);
* ``refresh``: new papers upserted 25 to a transaction, as a refresh does (one per paper).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime

from river_tui.domain import ArxivId, Discovery, Paper, TriageState
from river_tui.domain.claims import Dossier
from river_tui.store import db as store_db
from river_tui.store.library import Library, LibraryError

if os.environ.get("RIVER_TEST_NO_LOCK_RETRY"):
    # How River behaved before BEGIN IMMEDIATE was retried: SQLite's busy timeout alone.
    store_db.WRITE_LOCK_PATIENCE_S = 0.0

DAY = date(2026, 6, 1)


def triage(lib: Library, count: int) -> Iterator[int]:
    rows = lib.conn.execute(
        "SELECT p.pk, COALESCE(t.state, 'new'), COALESCE(t.starred, 0) FROM papers p "
        "LEFT JOIN triage t ON t.paper_pk = p.pk ORDER BY p.pk LIMIT 100"
    ).fetchall()
    if not rows:
        raise RuntimeError("the library has no papers to triage")
    pks = [pk for pk, _, _ in rows]
    state = {pk: TriageState(s) for pk, s, _ in rows}
    starred = {pk: bool(s) for pk, _, s in rows}
    for i in range(count):
        pk = pks[i % len(pks)]
        if i % 3 == 0:
            new = TriageState.READ if state[pk] is not TriageState.READ else TriageState.NEW
            changed = lib.set_state(pk, new)
            state[pk] = new
        elif i % 3 == 1:
            changed = lib.set_starred(pk, not starred[pk])
            starred[pk] = not starred[pk]
        else:
            changed = lib.add_tag(pk, f"contend-{os.getpid()}-{i}")
        if not changed:
            raise RuntimeError(f"change {i} on paper {pk} changed nothing")
        yield 1


def claims(lib: Library, count: int) -> Iterator[int]:
    try:  # several claims processes share the dossier: the first one creates it
        lib.create_dossier(Dossier(slug="contend", title="Contention", created=DAY))
    except LibraryError:
        if lib.dossier("contend") is None:
            raise
    claim = None
    badge = "caveat"
    for i in range(count):
        if claim is None or i % 50 == 0:
            claim = lib.assert_claim("contend", f"Claim asserted at change {i}.", badge, [], DAY)
        elif i % 2:
            badge = "supported" if badge == "caveat" else "caveat"
            lib.rebadge(claim, badge, f"change {i}", DAY)
        else:
            lib.edit_claim(claim, f"Claim edited at change {i}.", f"change {i}", DAY)
        yield 1


def refresh(lib: Library, count: int, page: int = 25) -> Iterator[int]:
    done = 0
    seen = datetime.now(UTC)
    stamp = f"{os.getpid() % 1000:03d}"
    while done < count:
        size = min(page, count - done)
        with lib.transaction():
            titles = lib.title_index()
            for k in range(done, done + size):
                paper = Paper(
                    title=f"Contended paper {stamp}-{k} on distinct topic {k}",
                    abstract=f"Abstract {k}.",
                    arxiv=ArxivId(f"9{stamp}.{k:05d}", 1),
                    authors=(f"Author {k}",),
                )
                lib.upsert_paper(paper, Discovery("contend", seen, f"contend-{stamp}"), titles)
        done += size
        yield size


ROLES = {"triage": triage, "claims": claims, "refresh": refresh}


def main() -> int:
    db, role, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    errors: list[str] = []
    done = 0
    with Library.open(db) as lib:
        print("ready", flush=True)
        go = sys.stdin.readline().strip()  # the moment to start at (time.time()), or nothing
        time.sleep(max(0.0, float(go or 0) - time.time()))
        started, began = time.monotonic(), time.time()
        try:
            for landed in ROLES[role](lib, count):
                done += landed
        except Exception as exc:  # reported, not raised: the parent reads the JSON line
            errors.append(f"{type(exc).__name__}: {exc}")
        seconds = time.monotonic() - started
    report = {"role": role, "done": done, "errors": errors, "seconds": round(seconds, 3)}
    print(json.dumps(report | {"began": began, "ended": began + seconds}))
    return 0 if done == count and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
