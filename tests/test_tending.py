"""Tending claims: every change is an appended event; nothing is deleted or rewritten."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from river_tui.domain.claims import Authorship, ClaimStatus, Dossier, Quote, SourceLink
from river_tui.exports.dossier_md import render_dossier
from river_tui.importing import import_file
from river_tui.settings import load_settings
from river_tui.sources import ImportFailure
from river_tui.sources.dossier_md import parse_dossier
from river_tui.store.library import Library, LibraryError, PaperFilter

from conftest import seed

D1, D2, D3 = date(2026, 6, 4), date(2026, 6, 10), date(2026, 6, 20)
PAPER = SourceLink.make(
    "paper",
    "https://arxiv.org/abs/2606.05152",
    "Reinforcement Learning from Rich Feedback with Distributional DAgger",
    Quote("DistIL uses a forward cross-entropy objective", "", " that admits", 120, 166),
)


@pytest.fixture
def library(tmp_path: Path):
    with Library.open(tmp_path / "lib.db", load_settings().beats) as lib:
        lib.create_dossier(
            Dossier(
                slug="rlvr",
                title="RLVR has a ceiling",
                created=D1,
                canonical="/dossier/rlvr",
                authorship=Authorship(
                    "Juno", "claude-opus-4-8", "Collagen", "Marc", "human-on-loop"
                ),
            )
        )
        yield lib


def history(lib: Library, slug: str = "rlvr") -> list[list[str]]:
    dossier = lib.dossier(slug)
    return [[f"{e.on} {e.headline} — {e.note}" for e in c.events] for c in dossier.claims]


def test_a_claims_whole_life_is_appended(library: Library) -> None:
    claim = library.assert_claim("rlvr", "Binary rewards cap RLVR.", "caveat", [PAPER], D1)
    library.rebadge(claim, "supported", "Second lab replicated it.", D2)
    library.edit_claim(claim, "Binary rewards provably cap RLVR.", "Sharper wording.", D2)
    library.add_source(claim, SourceLink.make("web", "https://lambda.ai/blog", "Blog"), "", D2)
    library.remove_source(claim, "https://lambda.ai/blog", "Blog post was a repost.", D2)
    successor = library.supersede(
        claim, "Binary rewards cap RLVR below 70%.", "contested", "New numbers.", D3
    )
    assert history(library) == [
        [
            "2026-06-04 asserted as caveat — First asserted.",
            "2026-06-10 rebadged as supported — Second lab replicated it.",
            "2026-06-10 edited — Sharper wording.",
            "2026-06-10 sourced — Blog",
            "2026-06-10 unsourced — Blog post was a repost.",
            "2026-06-20 superseded — New numbers.",
        ],
        ["2026-06-20 asserted as contested — Supersedes an earlier claim: New numbers."],
    ]
    dossier = library.dossier("rlvr")
    old, new = dossier.claims
    assert (old.status, new.status) == (ClaimStatus.SUPERSEDED, ClaimStatus.ACTIVE)
    assert old.text == "Binary rewards provably cap RLVR."
    assert [s.url for s in new.sources] == [PAPER.url]
    assert new.sources[0].quote == PAPER.quote
    assert dossier.last_tended == D3
    assert new.id == successor
    # The removed source is still in the file, with the day it was removed.
    removed = library.conn.execute("SELECT removed_on FROM claim_sources WHERE url LIKE '%lambda%'")
    assert removed.fetchone()[0] == "2026-06-10"
    # Every revision's text is kept with its event.
    texts = [
        r[0]
        for r in library.conn.execute(
            "SELECT text FROM claim_events WHERE text IS NOT NULL ORDER BY id"
        )
    ]
    assert texts[:2] == ["Binary rewards cap RLVR.", "Binary rewards provably cap RLVR."]


def test_retracted_and_superseded_claims_refuse_further_tending(library: Library) -> None:
    claim = library.assert_claim("rlvr", "A claim.", "claim", [], D1)
    library.retract(claim, "Misread the table.", D2)
    with pytest.raises(LibraryError, match="is retracted"):
        library.rebadge(claim, "supported", "x", D3)
    assert library.dossier("rlvr").claims[0].status is ClaimStatus.RETRACTED


def test_tending_survives_export_and_import(library: Library, tmp_path: Path) -> None:
    claim = library.assert_claim("rlvr", "Binary rewards cap RLVR.", "caveat", [PAPER], D1)
    library.rebadge(claim, "supported", "Replicated.", D2)
    library.retract(claim, "Retracted after review.", D3)
    text = render_dossier(library.dossier("rlvr"))
    again = parse_dossier(text)
    assert again.claims[0].status is ClaimStatus.RETRACTED
    assert [e.headline for e in again.claims[0].events] == [
        "asserted as caveat",
        "rebadged as supported",
        "retracted",
    ]
    with Library.open(tmp_path / "other.db", load_settings().beats) as other:
        path = tmp_path / "d.md"
        path.write_text(text, encoding="utf-8")
        import_file(other, path, D3)
        assert render_dossier(other.dossier("rlvr")) == text


def test_a_cited_paper_counts_as_promoted(library: Library, tmp_path: Path) -> None:
    import_file(library, seed("002"), D3)
    pk = library.papers(PaperFilter(query="CAPO"))[0].pk
    paper_id = library.record(pk).id
    assert library.count(PaperFilter(query="is:promoted")) == 0
    library.assert_claim(
        "rlvr",
        "CAPO gives token-level credit.",
        "claim",
        [SourceLink.make("paper", f"river:{paper_id}", "CAPO")],
        D1,
    )
    promoted = library.papers(PaperFilter(query="is:promoted"))
    assert [p.pk for p in promoted] == [pk]
    assert [p.pk for p in library.papers(PaperFilter(dossier="rlvr"))] == [pk]
    assert paper_id.startswith("prov:")
    with pytest.raises(sqlite3.IntegrityError):
        library.conn.execute("DELETE FROM claim_events")


def test_a_paper_whose_source_was_removed_is_no_longer_cited(library: Library) -> None:
    import_file(library, seed("002"), D3)
    pk = library.papers(PaperFilter(query="CAPO"))[0].pk
    url = f"river:{library.record(pk).id}"
    claim = library.assert_claim(
        "rlvr", "CAPO gives token-level credit.", "claim", [SourceLink.make("paper", url, "")], D1
    )
    library.remove_source(claim, url, "Wrong paper.", D2)
    assert library.count(PaperFilter(query="is:promoted")) == 0
    assert library.count(PaperFilter(dossier="rlvr")) == 0
    library.add_source(claim, SourceLink.make("paper", url, "CAPO"), "It was right.", D3)
    assert [p.pk for p in library.papers(PaperFilter(dossier="rlvr"))] == [pk]
    assert library.count(PaperFilter(query="is:promoted")) == 1


def test_importing_an_older_copy_of_a_dossier_reverts_no_tending(
    library: Library, tmp_path: Path
) -> None:
    import_file(library, seed("004"), D1)
    (dossier,) = [d for d in library.dossiers() if d.slug != "rlvr"]
    first, second, third = (c.id for c in library.dossier(dossier.slug).claims)
    assert first and second and third
    library.edit_claim(first, "A sharper claim.", "sharper", D2)
    library.retract(second, "misread", D2)
    library.rebadge(third, "refuted", "replicated badly", D2)
    tended = render_dossier(library.dossier(dossier.slug))

    # The file as it was (and a copy cut short): nothing in it is newer than the library.
    cut = tmp_path / "cut.txt"
    cut.write_text(seed("004").read_text(encoding="utf-8")[:2000], encoding="utf-8")
    for path in (seed("004"), cut):
        with contextlib.suppress(ImportFailure):
            import_file(library, path, D3)
        assert render_dossier(library.dossier(dossier.slug)) == tended, path

    # A copy carrying a newer event of its own (tended elsewhere) does update the claim.
    with Library.open(tmp_path / "elsewhere.db", load_settings().beats) as other:
        import_file(other, seed("004"), D1)
        mine = other.dossier(dossier.slug).claims[0].id
        assert mine is not None
        other.edit_claim(mine, "Elsewhere, this.", "from the other library", D3)
        moved = tmp_path / "moved.md"
        moved.write_text(render_dossier(other.dossier(dossier.slug)), encoding="utf-8")
    import_file(library, moved, D3)
    assert library.dossier(dossier.slug).claims[0].text == "Elsewhere, this."

    # A claim retracted here stays retracted, whatever a copy tended elsewhere says of it.
    with Library.open(tmp_path / "third.db", load_settings().beats) as other:
        import_file(other, seed("004"), D1)
        theirs = other.dossier(dossier.slug).claims[1].id
        assert theirs is not None
        other.rebadge(theirs, "supported", "replicated elsewhere", D3)
        moved.write_text(render_dossier(other.dossier(dossier.slug)), encoding="utf-8")
    before = library.dossier(dossier.slug).claims[1]
    import_file(library, moved, D3)
    claim = library.dossier(dossier.slug).claims[1]
    assert claim.status is ClaimStatus.RETRACTED
    assert [e.headline for e in claim.events][-2:] == ["retracted", "rebadged as supported"]
    assert (claim.text, claim.badge) == (before.text, before.badge)  # not re-badged either
    assert claim.badge != "supported"


def test_new_dossier_slugs_are_unique(library: Library) -> None:
    with pytest.raises(LibraryError, match="already exists"):
        library.create_dossier(Dossier(slug="rlvr", title="Again"))


def test_a_source_already_cited_is_refused_and_a_removed_one_comes_back(library: Library) -> None:
    web = SourceLink.make("web", "https://lambda.ai/blog", "Blog")
    claim = library.assert_claim("rlvr", "A claim.", "claim", [web], D1)
    with pytest.raises(LibraryError, match=r"already cites https://lambda\.ai/blog"):
        library.add_source(claim, web, "again", D2)
    library.remove_source(claim, web.url, "A repost.", D2)
    assert library.dossier("rlvr").claims[0].sources == []
    library.add_source(claim, SourceLink.make("web", web.url, "The blog"), "It was not.", D3)
    (source,) = library.dossier("rlvr").claims[0].sources
    assert (source.url, source.label) == (web.url, "The blog")
    assert history(library) == [
        [
            "2026-06-04 asserted as claim — First asserted.",
            "2026-06-10 unsourced — A repost.",
            "2026-06-20 sourced — It was not.",
        ]
    ]
