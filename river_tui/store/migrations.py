"""Versioned schema migrations. Append new steps; never edit a released one.

Paper metadata (``papers`` and what hangs off it) is written by imports and refreshes; user
state (``triage``, ``paper_tags``, ``paper_notes``, dossiers, claims, events) lives in tables
that those writers never touch. ``claim_events`` refuses UPDATE and DELETE in the database itself.

A step is an SQL script, or a Python function of the connection for what SQL cannot say
(step 9 cleans text with River's own rules); either runs in the step's one transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from river_tui.store.clean_rows import clean_every_row
from river_tui.store.db import LibraryError, transaction

Step = str | Callable[[sqlite3.Connection], None]
"""An SQL script (statements run in order), or a function given the connection."""

MIGRATIONS: list[tuple[int, str, Step]] = [
    (
        1,
        "papers, user state, dossiers, claims, events, posts",
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        -- Paper metadata: owned by imports and refreshes.
        CREATE TABLE papers (
            pk INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,            -- arXiv id without version, or prov:<hash>
            arxiv_id TEXT UNIQUE,
            version INTEGER,
            title TEXT NOT NULL,
            title_key TEXT NOT NULL,            -- normalized title, for merging
            abstract TEXT NOT NULL DEFAULT '',
            authors TEXT NOT NULL DEFAULT '[]', -- JSON array of names
            author_count INTEGER,
            published TEXT,                     -- ISO date
            updated TEXT,
            categories TEXT NOT NULL DEFAULT '[]',
            primary_category TEXT,
            links TEXT NOT NULL DEFAULT '[]',   -- JSON array of {label, url}
            upvotes INTEGER,
            organization TEXT,
            extra TEXT NOT NULL DEFAULT '{}',
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        CREATE INDEX papers_title_key ON papers(title_key);
        CREATE INDEX papers_published ON papers(published DESC, pk DESC);

        CREATE TABLE paper_aliases (
            alias TEXT PRIMARY KEY,
            paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE
        );

        CREATE VIRTUAL TABLE papers_fts USING fts5(
            title, abstract, authors, content='papers', content_rowid='pk',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER papers_fts_ai AFTER INSERT ON papers BEGIN
            INSERT INTO papers_fts(rowid, title, abstract, authors)
            VALUES (new.pk, new.title, new.abstract, new.authors);
        END;
        CREATE TRIGGER papers_fts_ad AFTER DELETE ON papers BEGIN
            INSERT INTO papers_fts(papers_fts, rowid, title, abstract, authors)
            VALUES ('delete', old.pk, old.title, old.abstract, old.authors);
        END;
        CREATE TRIGGER papers_fts_au AFTER UPDATE OF title, abstract, authors ON papers BEGIN
            INSERT INTO papers_fts(papers_fts, rowid, title, abstract, authors)
            VALUES ('delete', old.pk, old.title, old.abstract, old.authors);
            INSERT INTO papers_fts(rowid, title, abstract, authors)
            VALUES (new.pk, new.title, new.abstract, new.authors);
        END;

        CREATE TABLE discoveries (
            id INTEGER PRIMARY KEY,
            paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
            source TEXT NOT NULL,               -- hf-page, hf-api, arxiv-api, arxiv-rss, feed
            origin TEXT NOT NULL DEFAULT '',    -- file sha256 or request URL
            seen_at TEXT NOT NULL,
            signal TEXT NOT NULL DEFAULT '{}',  -- JSON: upvotes then, announce type, ...
            UNIQUE (paper_pk, source, origin)
        );

        CREATE TABLE beat_matches (
            paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
            beat TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('match', 'excluded')),
            score REAL NOT NULL,
            hits TEXT NOT NULL,                 -- JSON [{term, field, count}]
            excluded_by TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (paper_pk, beat)
        );
        CREATE INDEX beat_matches_beat ON beat_matches(beat, verdict);

        -- User state: never written by imports or refreshes of paper metadata.
        CREATE TABLE triage (
            paper_pk INTEGER PRIMARY KEY REFERENCES papers(pk) ON DELETE CASCADE,
            state TEXT NOT NULL DEFAULT 'new'
                CHECK (state IN ('new', 'read', 'skipped', 'archived')),
            starred INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
            updated_at TEXT NOT NULL
        );
        CREATE TABLE paper_tags (
            paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (paper_pk, tag)
        );
        CREATE INDEX paper_tags_tag ON paper_tags(tag);

        CREATE TABLE dossiers (
            slug TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('seedling', 'budding', 'evergreen')),
            importance INTEGER NOT NULL CHECK (importance BETWEEN 0 AND 10),
            created TEXT,
            last_tended TEXT,
            canonical TEXT NOT NULL DEFAULT '',
            agent TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            operator TEXT NOT NULL DEFAULT '',
            accountable TEXT NOT NULL DEFAULT '',
            oversight TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            dossier_slug TEXT NOT NULL REFERENCES dossiers(slug),
            position INTEGER NOT NULL,
            text TEXT NOT NULL,
            badge TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'superseded', 'retracted')),
            UNIQUE (dossier_slug, position)
        );
        CREATE TABLE claim_sources (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('paper', 'web')),
            url TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            paper_id TEXT,                      -- canonical arXiv id when the URL names one
            quote_exact TEXT,
            quote_prefix TEXT,
            quote_suffix TEXT,
            quote_start INTEGER,
            quote_end INTEGER
        );
        CREATE TABLE claim_events (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            on_date TEXT NOT NULL,
            action TEXT NOT NULL,
            badge TEXT,
            note TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL
        );
        CREATE TRIGGER claim_events_no_update BEFORE UPDATE ON claim_events BEGIN
            SELECT RAISE(ABORT, 'claim events are append-only: UPDATE refused');
        END;
        CREATE TRIGGER claim_events_no_delete BEFORE DELETE ON claim_events BEGIN
            SELECT RAISE(ABORT, 'claim events are append-only: DELETE refused');
        END;

        CREATE TABLE posts (
            id TEXT PRIMARY KEY,                -- sha256 of tag, handle and body
            tag TEXT NOT NULL,
            position INTEGER NOT NULL,
            author TEXT NOT NULL,
            handle TEXT NOT NULL,
            beat TEXT NOT NULL,
            age TEXT NOT NULL,
            badge TEXT NOT NULL,
            body TEXT NOT NULL,
            imported_at TEXT NOT NULL
        );
        CREATE TABLE post_sources (
            post_id TEXT NOT NULL REFERENCES posts(id),
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('paper', 'web')),
            url TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            paper_id TEXT,
            PRIMARY KEY (post_id, position)
        );

        CREATE TABLE imports (
            sha256 TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            shape TEXT NOT NULL,
            imported_at TEXT NOT NULL
        );
        """,
    ),
]

MIGRATIONS.append(
    (
        2,
        "web feed items; the fetch log (conditional GET validators, asked-today)",
        """
        ALTER TABLE papers ADD COLUMN kind TEXT NOT NULL DEFAULT 'paper'
            CHECK (kind IN ('paper', 'web'));
        ALTER TABLE papers ADD COLUMN url TEXT;
        CREATE INDEX papers_kind ON papers(kind);

        -- One row per request River makes to a source (its latest outcome).
        CREATE TABLE fetches (
            key TEXT PRIMARY KEY,               -- source + URL + sorted params
            source TEXT NOT NULL,
            url TEXT NOT NULL,
            fetched_at TEXT NOT NULL,           -- when the last request was answered
            ok_at TEXT,                         -- when it last succeeded
            status INTEGER,
            etag TEXT,
            last_modified TEXT,
            items INTEGER NOT NULL DEFAULT 0,
            error TEXT
        );
        """,
    )
)

MIGRATIONS.append(
    (
        3,
        "the triage decision log (undo across restarts); beats assigned by hand",
        """
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('state', 'star', 'tag', 'beat')),
            paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            batch INTEGER,                      -- one user action over many papers (mark all)
            undoes INTEGER REFERENCES decisions(id)
        );
        CREATE INDEX decisions_undoes ON decisions(undoes);
        CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions BEGIN
            SELECT RAISE(ABORT, 'decisions are append-only: UPDATE refused');
        END;

        CREATE TABLE manual_beats (
            paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
            beat TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (paper_pk, beat)
        );
        CREATE INDEX manual_beats_beat ON manual_beats(beat);
        CREATE INDEX triage_state ON triage(state, starred);
        -- The stream's order (newest first, undated last) without a sort of every match.
        CREATE INDEX papers_newest ON papers(published IS NULL, published DESC, pk DESC);
        """,
    )
)

MIGRATIONS.append(
    (
        4,
        "the avatar of a river post",
        """
        ALTER TABLE posts ADD COLUMN avatar TEXT NOT NULL DEFAULT '';
        """,
    )
)

MIGRATIONS.append(
    (
        5,
        "tending claims: a removed source is kept with its removal date; events keep the text",
        """
        ALTER TABLE claim_sources ADD COLUMN removed_on TEXT;
        ALTER TABLE claim_events ADD COLUMN text TEXT;  -- the claim's text after an edit
        CREATE INDEX claim_sources_paper ON claim_sources(paper_id);
        """,
    )
)

MIGRATIONS.append(
    (
        6,
        "an index for the stream sorted by upvotes",
        """
        CREATE INDEX papers_upvotes ON papers(
            COALESCE(upvotes, -1) DESC, published IS NULL, published DESC, pk DESC
        );
        """,
    )
)

MIGRATIONS.append(
    (
        7,
        "type-ahead: the full-text index keeps two-letter prefixes",
        """
        -- A word being typed is searched as a prefix from its second letter ("in"*): without a
        -- prefix index FTS5 merges the lists of every indexed word that starts so (30-50 ms
        -- at 100,000 papers), with one it reads one list (10-13 ms). The index grows by 70%.
        -- The triggers on papers name the table, so they write to the new one.
        DROP TABLE papers_fts;
        CREATE VIRTUAL TABLE papers_fts USING fts5(
            title, abstract, authors, content='papers', content_rowid='pk',
            tokenize='porter unicode61 remove_diacritics 2', prefix='2'
        );
        INSERT INTO papers_fts(papers_fts) VALUES ('rebuild');
        """,
    )
)

MIGRATIONS.append(
    (
        8,
        "the fetch log keeps the time a source asked to be asked again (Retry-After)",
        """
        -- Set when a source's 429 or 503 named a time (Retry-After) the refresh did not wait
        -- for; no refresh asks that host (arXiv: either of its hosts) before it, a week at
        -- most. Cleared by its next answer.
        ALTER TABLE fetches ADD COLUMN retry_at TEXT;
        """,
    )
)


def _make_text_inert(conn: sqlite3.Connection) -> None:
    """Every text column of every table through the rules text is cleaned with now as it comes
    in (JSON columns decoded, cleaned, encoded again): ``store/clean_rows.py``. ``claim_events``
    and ``decisions`` refuse UPDATE: their triggers are dropped and created again, as they
    were, inside this step's transaction."""
    done = clean_every_row(conn)
    conn.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('migration.9.cleaned', ?)",
        (f"{done.rows} rows cleaned, {done.merged} merged, {done.kept_keys} kept their key",),
    )


MIGRATIONS.append(
    (
        9,
        "text stored by an older River made inert (every text column; the append-only "
        "triggers of claim_events and decisions dropped and made again around it)",
        _make_text_inert,
    )
)

MIGRATIONS.append(
    (
        10,
        "what River learns from the reader's decisions: each paper's features, the models and "
        "their scores (derived data, rebuilt whenever missing or stale)",
        """
        -- A paper's features (river_tui/learning/model.py encode): its hashed column numbers
        -- (int32 each) then their counts (one byte each). From its own text only.
        CREATE TABLE paper_features (
            paper_pk INTEGER PRIMARY KEY REFERENCES papers(pk) ON DELETE CASCADE,
            features BLOB NOT NULL
        );
        -- How rare each column is in the library (float32 per column), as of ``papers``.
        CREATE TABLE learned_idf (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            papers INTEGER NOT NULL,
            idf BLOB NOT NULL
        );
        -- One row per model: '' is the reader's, a beat's name that beat's (its decisions).
        CREATE TABLE learned (
            model TEXT PRIMARY KEY,
            decisions TEXT NOT NULL,       -- a digest of the decisions it was fitted on
            papers INTEGER NOT NULL,       -- the library's papers when it scored them
            kept INTEGER NOT NULL,
            let_go INTEGER NOT NULL,
            intercept REAL NOT NULL,
            trained TEXT NOT NULL
        );
        CREATE TABLE learned_weights (
            model TEXT NOT NULL REFERENCES learned(model) ON DELETE CASCADE,
            feature INTEGER NOT NULL,
            name TEXT NOT NULL,
            weight REAL NOT NULL,
            PRIMARY KEY (model, feature)
        ) WITHOUT ROWID;
        CREATE TABLE learned_scores (
            model TEXT NOT NULL REFERENCES learned(model) ON DELETE CASCADE,
            paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
            score REAL NOT NULL,
            PRIMARY KEY (model, paper_pk)
        ) WITHOUT ROWID;
        CREATE INDEX learned_scores_order ON learned_scores(model, score DESC, paper_pk DESC);
        """,
    )
)

MIGRATIONS.append(
    (
        11,
        "followed authors",
        """
        -- The authors the reader follows: the name as the reader chose or typed it, and its
        -- key (domain/authors.py: surname and given names as they are compared).
        CREATE TABLE followed_authors (
            key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            followed_at TEXT NOT NULL
        );
        """,
    )
)

MIGRATIONS.append(
    (
        12,
        "learned data read and written faster",
        """
        -- COUNT(*) reads the smallest b-tree: this one, not the table's 128 MB of features
        -- (100,000 papers: 0.1 ms instead of 50).
        CREATE INDEX paper_features_count ON paper_features(paper_pk);
        -- The for-you order is read by joining scores to the view's papers; this index only
        -- doubled what a model's scores cost to write.
        DROP INDEX learned_scores_order;
        """,
    )
)

MIGRATIONS.append(
    (
        13,
        "the arXiv versions of each paper; claims follow them",
        """
        -- Each arXiv version of a paper River has seen, as the source that brought it gave
        -- it: a claim quoting the paper is checked against a newer one. The papers row keeps
        -- the newest; this keeps every one (the first sighting of each, never rewritten).
        CREATE TABLE paper_versions (
            paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            dated TEXT,                      -- the version's date (arXiv: updated, v1 published)
            title TEXT NOT NULL,
            abstract TEXT NOT NULL,
            comment TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (paper_pk, version)
        );
        -- What a library already holds: each arXiv paper's version as stored.
        INSERT INTO paper_versions(paper_pk, version, dated, title, abstract, comment, source,
                                   seen_at)
        SELECT pk, version, COALESCE(updated, published), title, abstract,
               COALESCE(json_extract(extra, '$.comment'), ''), 'library', last_seen
        FROM papers WHERE arxiv_id IS NOT NULL AND version IS NOT NULL AND json_valid(extra);
        -- The arXiv version a source's quote was taken from (NULL: taken before River kept it).
        ALTER TABLE claim_sources ADD COLUMN quoted_version INTEGER;
        -- Who wrote an event: the reader, or River (a new version re-checked a quote).
        ALTER TABLE claim_events ADD COLUMN actor TEXT NOT NULL DEFAULT 'you'
            CHECK (actor IN ('you', 'river'));
        -- What River found that waits for the reader's decision (moved, changed, gone,
        -- withdrawn); NULL when nothing does.
        ALTER TABLE claims ADD COLUMN review TEXT;
        """,
    )
)

MIGRATIONS.append(
    (
        14,
        "new evidence: papers that may bear on a claim; a source's relation to its claim",
        """
        -- A newly arrived paper that shares enough of an active claim's words
        -- (river_tui/store/leads.py): listed under the claim until the reader attaches it as a
        -- source or dismisses it; a dismissed paper is never listed again for that claim.
        CREATE TABLE claim_leads (
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
            score REAL NOT NULL,             -- the share of the claim's weighted words (0-1)
            sentence TEXT NOT NULL,          -- the paper's sentence sharing most of them
            shared TEXT NOT NULL DEFAULT '[]', -- JSON: those words, heaviest first
            found_on TEXT NOT NULL,
            decided TEXT CHECK (decided IN ('attached', 'dismissed')),
            decided_at TEXT,
            PRIMARY KEY (claim_id, paper_pk)
        );
        -- How a source attached from new evidence bears on its claim; NULL for the sources
        -- the claim was made from.
        ALTER TABLE claim_sources ADD COLUMN relation TEXT
            CHECK (relation IN ('supports', 'contradicts', 'context'));
        """,
    )
)

MIGRATIONS.append(
    (
        15,
        "a note on each paper (searchable); the decision log takes notes",
        """
        -- The reader's note on a paper (river_tui/domain/notes.py): user state, written by the
        -- reader only, one row per paper that has one (clearing a note deletes its row).
        CREATE TABLE paper_notes (
            paper_pk INTEGER PRIMARY KEY REFERENCES papers(pk) ON DELETE CASCADE,
            text TEXT NOT NULL CHECK (text != ''),
            updated_at TEXT NOT NULL
        );
        -- note:WORD searches the notes as the papers' own index searches their text: the same
        -- tokenizer (stemmed) and a two-letter prefix index for type-ahead.
        CREATE VIRTUAL TABLE notes_fts USING fts5(
            text, content='paper_notes', content_rowid='paper_pk',
            tokenize='porter unicode61 remove_diacritics 2', prefix='2'
        );
        CREATE TRIGGER notes_fts_ai AFTER INSERT ON paper_notes BEGIN
            INSERT INTO notes_fts(rowid, text) VALUES (new.paper_pk, new.text);
        END;
        CREATE TRIGGER notes_fts_ad AFTER DELETE ON paper_notes BEGIN
            INSERT INTO notes_fts(notes_fts, rowid, text) VALUES ('delete', old.paper_pk, old.text);
        END;
        CREATE TRIGGER notes_fts_au AFTER UPDATE OF text ON paper_notes BEGIN
            INSERT INTO notes_fts(notes_fts, rowid, text) VALUES ('delete', old.paper_pk, old.text);
            INSERT INTO notes_fts(rowid, text) VALUES (new.paper_pk, new.text);
        END;
        -- A note saved is a decision (before and after: the texts), so u undoes it as it
        -- undoes a tag. SQLite cannot widen a CHECK in place: the log is copied, row for row
        -- (ids kept), into a table that takes 'note', and its index and trigger made again.
        -- The old table is renamed first, so the new one's own foreign key (undoes) names it.
        DROP TRIGGER decisions_no_update;
        ALTER TABLE decisions RENAME TO decisions_before_notes;
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('state', 'star', 'tag', 'beat', 'note')),
            paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            batch INTEGER,                      -- one user action over many papers (mark all)
            undoes INTEGER REFERENCES decisions(id)
        );
        INSERT INTO decisions(id, at, action, paper_pk, before, after, batch, undoes)
        SELECT id, at, action, paper_pk, before, after, batch, undoes
        FROM decisions_before_notes ORDER BY id;
        DROP TABLE decisions_before_notes;
        CREATE INDEX decisions_undoes ON decisions(undoes);
        CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions BEGIN
            SELECT RAISE(ABORT, 'decisions are append-only: UPDATE refused');
        END;
        """,
    )
)

MIGRATIONS.append(
    (
        16,
        "each model's best-scored papers, best first: the for-you order's first pages",
        """
        -- The papers each model scores highest (river_tui/store/learned.py BEST of them, and
        -- every paper tied with the last), written with the model's scores: the first pages
        -- of a view in the for-you order walk them best first instead of sorting every
        -- paper's score (a million papers: 2.45 s). An index of learned_scores by score
        -- would serve too, but made writing a model's scores three times as slow (schema
        -- step 12 dropped one for that).
        CREATE TABLE learned_best (
            model TEXT NOT NULL REFERENCES learned(model) ON DELETE CASCADE,
            score REAL NOT NULL,
            paper_pk INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
            PRIMARY KEY (model, score DESC, paper_pk)
        ) WITHOUT ROWID;
        -- What the library holds already: each model's 5,000 best (BEST) and their ties.
        WITH bounds AS MATERIALIZED (
            SELECT l.model, (SELECT s.score FROM learned_scores s WHERE s.model = l.model
                             ORDER BY s.score DESC LIMIT 1 OFFSET 4999) AS bound
            FROM learned l
        )
        INSERT INTO learned_best(model, score, paper_pk)
        SELECT s.model, s.score, s.paper_pk FROM bounds b JOIN learned_scores s
            ON s.model = b.model
        WHERE b.bound IS NULL OR s.score >= b.bound;
        """,
    )
)

LATEST = MIGRATIONS[-1][0]


def current_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _file_of(conn: sqlite3.Connection) -> str:
    """The file ``conn`` has open (``:memory:`` for none), to name it in a message."""
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return file or ":memory:"
    return ":memory:"


def _known_version(conn: sqlite3.Connection) -> int:
    """The library's schema version; refused if a newer River wrote it."""
    version = current_version(conn)
    if version > LATEST:
        raise LibraryError(
            f"{_file_of(conn)}: this library has schema version {version}, newer than this "
            f"River ({LATEST}): upgrade River"
        )
    return version


def migrate(conn: sqlite3.Connection, upto: int | None = None) -> int:
    """Bring the schema up to ``upto`` (default :data:`LATEST`), one transaction per step.

    Returns the version reached."""
    upto = LATEST if upto is None else upto
    version = _known_version(conn)
    for step, _title, script in MIGRATIONS:
        if step <= version or step > upto:
            continue
        with transaction(conn):
            # Another River may have run this step while this one waited for the write lock
            # (or upgraded the library past this River: refused, as above).
            if _known_version(conn) < step:
                if callable(script):
                    script(conn)
                else:
                    for statement in _statements(script):
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {step}")
                conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                    (f"migration.{step}", datetime.now(UTC).isoformat(timespec="seconds")),
                )
        version = step
    return version


def _statements(script: str) -> list[str]:
    """Split a script on statement boundaries (``sqlite3.complete_statement``), keeping triggers
    whole. ``executescript`` would COMMIT the surrounding transaction, so it is not used."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL in migration: {buffer.strip()[:60]}")
    return statements
