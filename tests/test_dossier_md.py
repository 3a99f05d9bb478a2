"""Dossiers in Markdown (seed 004)."""

from __future__ import annotations

from datetime import date

import pytest

from river_tui.domain.claims import Authorship, ClaimEvent, ClaimStatus, Dossier, DossierStatus
from river_tui.sources import ParseError
from river_tui.sources.dossier_md import looks_like_dossier, parse_dossier

from conftest import seed


def _text() -> str:
    return seed("004").read_text(encoding="utf-8")


@pytest.fixture
def dossier() -> Dossier:
    return parse_dossier(_text())


def test_header_fields(dossier: Dossier) -> None:
    assert dossier.title == (
        "The capability frontier is shifting from model scale to training methodology — "
        "small models with better credit assignment are beating frontier systems"
    )
    assert dossier.status is DossierStatus.SEEDLING
    assert dossier.importance == 5
    assert dossier.created == date(2026, 6, 4)
    assert dossier.last_tended == date(2026, 6, 4)
    assert dossier.canonical == "/dossier/training-methodology-frontier-shift"
    assert dossier.slug == "training-methodology-frontier-shift"


def test_authorship(dossier: Dossier) -> None:
    assert dossier.authorship == Authorship(
        agent="Juno",
        model="claude-opus-4-8",
        operator="Collagen (Lyra Forge)",
        accountable="Marc (@lavallee)",
        oversight="human-on-loop",
    )


def test_claims(dossier: Dossier) -> None:
    assert len(dossier.claims) == 3
    for claim in dossier.claims:
        assert claim.badge == "caveat"
        assert claim.status is ClaimStatus.ACTIVE
        assert claim.events == [
            ClaimEvent(
                on=date(2026, 6, 4), action="asserted", badge="caveat", note="First asserted."
            )
        ]
        assert "Provenance history" not in claim.text
        assert "\n" not in claim.text
    first, second, third = dossier.claims
    assert first.text.startswith("Lambda Labs presented AgentFlow")
    assert first.text.endswith(
        "The ceiling on small-model capability is higher than anyone priced in."
    )
    assert second.text.startswith("The dominant RLVR recipe for reasoning models")
    assert third.text.startswith("xAI's Grok 4.20 Multi-Agent Beta")


def test_slug_falls_back_to_title() -> None:
    text = "\n".join(line for line in _text().splitlines() if "canonical" not in line)
    dossier = parse_dossier(text)
    assert dossier.canonical == ""
    assert dossier.slug.startswith("the-capability-frontier-is-shifting")


def test_defaults_and_later_events() -> None:
    text = """## Claims

### A claim without a badge or history

### [supported] Another claim

**Provenance history** (how this claim ripened):
- `2026-06-04` **asserted as claim** — First asserted.
- `2026-06-09` **re-badged as supported** — Replicated.
- `2026-07-01` **retracted** — Withdrawn by the author.
"""
    dossier = parse_dossier(text)
    assert dossier.title == ""
    assert dossier.slug == "untitled"
    assert (dossier.status, dossier.importance, dossier.created) == ("seedling", 5, None)
    assert dossier.authorship == Authorship()
    bare, other = dossier.claims
    assert (bare.badge, bare.events) == ("claim", [])
    assert other.badge == "supported"
    assert [e.headline for e in other.events] == [
        "asserted as claim",
        "re-badged as supported",
        "retracted",
    ]
    assert other.events[2].badge is None
    assert other.events[2].note == "Withdrawn by the author."
    assert other.status is ClaimStatus.RETRACTED


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("**importance:** 5/10", "**importance:** 11/10", "importance"),
        ("**importance:** 5/10", "**importance:** lots", "importance"),
        ("**status:** seedling", "**status:** wilted", "status"),
        ("**created:** 2026-06-04", "**created:** 2026-13-04", "created"),
        ("**last tended:** 2026-06-04", "**last tended:** yesterday", "last tended"),
    ],
)
def test_bad_values_name_the_line_and_key(old: str, new: str, key: str) -> None:
    text = _text()
    assert old in text
    line = next(n for n, text_line in enumerate(text.splitlines(), 1) if old in text_line)
    with pytest.raises(ParseError, match=rf"line {line}: bad {key}"):
        parse_dossier(text.replace(old, new))


def test_bad_event_date_names_the_line() -> None:
    text = _text().replace("`2026-06-04` **asserted", "`2026-06-31` **asserted", 1)
    with pytest.raises(ParseError, match=r"line 14: bad provenance date"):
        parse_dossier(text)


@pytest.mark.parametrize("text", ["", "Just some prose.\n\nMore prose.", "- **status:** seedling"])
def test_not_a_dossier_raises(text: str) -> None:
    with pytest.raises(ParseError, match="not a dossier"):
        parse_dossier(text)


def test_detection() -> None:
    assert looks_like_dossier(_text())
    for prefix in ("000", "001", "002", "003"):
        assert not looks_like_dossier(seed(prefix).read_text(encoding="utf-8"))
    assert not looks_like_dossier("# A README\n\nSome text.")
    assert not looks_like_dossier("")
