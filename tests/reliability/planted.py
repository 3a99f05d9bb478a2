"""A small library with text planted straight into every field River shows, with sqlite3.

This is what a library written by an older River (before text was made inert on the way in),
or edited by hand with sqlite3, holds: River's cleaning is bypassed, so whatever River prints or
draws from it is only as inert as its output boundary makes it.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

from river_tui.domain import TriageState
from river_tui.importing import import_file
from river_tui.settings import bundled_data_dir, read_beats
from river_tui.store.library import Library, PaperFilter

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
AS_OF = date(2026, 11, 22)
PAPERS = 3
"""How many of the seed's papers the library keeps (a small library: cheap to copy and list)."""
DOSSIER = "hostile-dossier"
TAG = "hostile-tag"
PAPER = "prov:hostile"
# The payloads of issue 16, finding 3: an OSC 0 (sets the terminal's title) and an OSC 52
# (sets the clipboard; tmux: the paste buffer) in an HF githubRepo link.
OSC_TITLE = "\x1b]0;OLD-PWNED\x07"
OSC_CLIPBOARD = "\x1b]52;c;T0xELVBXTkVE\x07"
PAYLOAD = f"https://github.com/x/y{OSC_TITLE}{OSC_CLIPBOARD}"


def build(db: Path) -> Path:
    """A library made by this River: three papers, a river page, a dossier, user state (the
    first paper read, starred, tagged and put on a beat by hand), with the bundled beats."""
    seeds = {p.name[:3]: p for p in SEEDS.glob("*.txt")}
    beats = read_beats(bundled_data_dir() / "beats.toml")  # what a test's config gives
    with Library.open(db, beats) as lib:
        for prefix in ("000", "003", "004"):
            import_file(lib, seeds[prefix], AS_OF)
        pks = [s.pk for s in lib.papers(PaperFilter())]
        with lib.transaction():
            lib.conn.executemany("DELETE FROM papers WHERE pk = ?", [(pk,) for pk in pks[PAPERS:]])
        first = pks[0]
        lib.set_state(first, TriageState.READ)
        lib.set_starred(first, True)
        lib.add_tag(first, TAG)
        lib.assign_beat(first, lib.beats[0].name)
        with lib.transaction():
            lib.conn.execute("PRAGMA defer_foreign_keys = ON")
            lib.conn.execute("UPDATE papers SET id = ? WHERE pk = ?", (PAPER, first))
            lib.conn.execute("UPDATE dossiers SET slug = ?", (DOSSIER,))
            lib.conn.execute("UPDATE claims SET dossier_slug = ?", (DOSSIER,))
            lib.conn.execute("UPDATE posts SET tag = ?", (TAG,))
    return db


def copy(base: Path, dest: Path) -> Path:
    """A copy of a closed library (its WAL checkpointed when River closed it)."""
    shutil.copyfile(base, dest)
    return dest


def plant(db: Path, text: str) -> None:
    """Put ``text`` raw into every stored field River shows: papers (title, abstract, authors,
    organization, url, links, categories, extra, aliases, sightings), beats, tags, dossiers,
    claims, sources, events, posts, saved searches, the fetch log's errors and import names.
    Identifiers the tests look things up by (the first paper's id, the dossier's slug, the
    river's tag) are kept; a second dossier and an alias carry ``text`` as their keys."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA synchronous = OFF")  # a test's copy: no need to wait for the disk
        with conn:
            _plant(conn, text)
    finally:
        conn.close()


def _plant(conn: sqlite3.Connection, t: str) -> None:
    def run(sql: str, *args: object) -> None:
        conn.execute(sql, args)

    words = json.dumps([t, f"{t} b"], ensure_ascii=False)
    run(
        "UPDATE papers SET title = ?, abstract = ?, authors = ?, organization = ?, url = ?, "
        "links = ?, categories = ?, primary_category = ?, extra = ?",
        f"Title {t}",
        f"Abstract {t}\n\n{t}",
        words,
        t,
        f"https://example.org/{t}",
        json.dumps(
            [{"label": t, "url": PAYLOAD}, {"label": "code", "url": f"https://x.org/{t}"}],
            ensure_ascii=False,
        ),
        words,
        t,
        json.dumps({t: t, "githubRepo": PAYLOAD, "list": [t]}, ensure_ascii=False),
    )
    run("UPDATE discoveries SET source = ?, origin = ?, signal = ?", t, t, json.dumps({t: t}))
    hits = json.dumps([{"term": t, "field": "title", "count": 1}], ensure_ascii=False)
    run("UPDATE beat_matches SET beat = beat || ?, hits = ?, excluded_by = ?", t, hits, hits)
    run("UPDATE manual_beats SET beat = beat || ?", t)
    run("INSERT OR IGNORE INTO paper_tags SELECT pk, ?, '2026-01-01' FROM papers", t)
    run("INSERT OR IGNORE INTO paper_aliases SELECT ?, pk FROM papers LIMIT 1", t)
    run(
        "UPDATE dossiers SET title = ?, canonical = ?, agent = ?, model = ?, operator = ?, "
        "accountable = ?, oversight = ?",
        *[t] * 7,
    )
    run(
        "INSERT OR IGNORE INTO dossiers(slug, title, status, importance, canonical) "
        "VALUES (?, ?, 'seedling', 3, ?)",
        t,
        t,
        t,
    )
    run("UPDATE claims SET text = ?, badge = ?", f"Claim {t}\n{t}", t)
    run(
        "UPDATE claim_sources SET url = ?, label = ?, paper_id = ?, quote_exact = ?, "
        "quote_prefix = ?, quote_suffix = ?",
        PAYLOAD + t,
        t,
        t,
        t,
        t,
        t,
    )
    run(
        "INSERT INTO claim_events(claim_id, on_date, action, badge, note, recorded_at, text) "
        "SELECT id, '2026-01-02', ?, ?, ?, '2026-01-02T00:00:00+00:00', ? FROM claims",
        t,
        t,
        t,
        t,
    )
    run(
        "UPDATE posts SET author = ?, handle = ?, beat = ?, age = ?, badge = ?, body = ?, "
        "avatar = ?",
        *[t] * 5,
        f"Body {t}\n\n{t}",
        t,
    )
    run("UPDATE post_sources SET url = ?, label = ?, paper_id = ?", PAYLOAD + t, t, t)
    run("UPDATE imports SET path = ?", t)
    run(
        "INSERT OR REPLACE INTO fetches(key, source, url, fetched_at, items, error) "
        "VALUES (?, 'feed', ?, '2026-01-01T00:00:00+00:00', 0, ?)",
        t,
        t,
        t,
    )
    run(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('saved_searches', ?)",
        json.dumps({t: t}, ensure_ascii=False),
    )
