"""What the claim editor and the tending keys decide, without Textual: abstract sentences, quotes
with their offsets, the paper source a claim cites, a source typed by hand, a new dossier's
defaults, and a dossier's claims as river cards."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from river_tui.domain import PaperRecord, parse_arxiv_id
from river_tui.domain.beats import slugify
from river_tui.domain.claims import (
    RIVER_SCHEME,
    Claim,
    ClaimStatus,
    Dossier,
    DossierStatus,
    Post,
    SourceKind,
    SourceLink,
    age_since,
    event_time,
)
from river_tui.domain.links import title_search_url, web_url
from river_tui.domain.quotes import Sentence, quote_of, sentence_of
from river_tui.reader.actions import ARXIV_ABS


def paper_url(record: PaperRecord) -> str:
    """arXiv's abstract page for an arXiv paper, else ``river:<paper id>``."""
    arxiv = record.paper.arxiv
    return ARXIV_ABS + arxiv.canonical if arxiv else RIVER_SCHEME + record.id


def public_source(source: SourceLink, record: PaperRecord | None) -> SourceLink:
    """``source`` as a reader of an export follows it: a ``river:<id>`` paper source becomes
    a real link, arXiv's abstract page when the paper (``record``, found by that id) has an
    arXiv id, its own page when it has one, else arXiv's search for its title (which a dossier
    read back turns into the same paper). Any other source is itself."""
    if source.kind is not SourceKind.PAPER or not source.url.startswith(RIVER_SCHEME):
        return source
    paper = record.paper if record is not None else None
    if paper is not None and paper.arxiv is not None:
        url = ARXIV_ABS + paper.arxiv.canonical
    elif paper is not None and web_url(paper.url):
        url = paper.url or ""
    elif title := (paper.title if paper is not None else source.label):
        url = title_search_url(title)
    else:
        return source
    return replace(source, url=url)


def public_dossier(dossier: Dossier, find: Callable[[str], PaperRecord | None]) -> Dossier:
    """``dossier`` with every source as :func:`public_source` makes it (``find``: a paper by
    its River id)."""
    return replace(dossier, claims=[public_claim(c, find) for c in dossier.claims])


def public_claim(claim: Claim, find: Callable[[str], PaperRecord | None]) -> Claim:
    """``claim`` with every source as :func:`public_source` makes it."""
    return replace(claim, sources=[public_source(s, find(s.paper_id or "")) for s in claim.sources])


def evidence_source(record: PaperRecord, sentence: str, relation: str) -> SourceLink:
    """A paper listed as new evidence, as the source it becomes when attached: quoting its
    sentence that shares most with the claim, with ``relation``."""
    abstract = record.paper.abstract
    found = sentence_of(abstract, sentence)
    quote = quote_of(abstract, found) if found else None
    return SourceLink.make("paper", paper_url(record), record.paper.title, quote, relation)


def paper_sources(record: PaperRecord, picked: Sequence[Sentence]) -> list[SourceLink]:
    """One paper source per picked sentence (quoting it), or one unquoted source."""
    url, title, abstract = paper_url(record), record.paper.title, record.paper.abstract
    if not picked:
        return [SourceLink.make("paper", url, title)]
    return [SourceLink.make("paper", url, title, quote_of(abstract, s)) for s in picked]


def new_dossier(title: str, today: date) -> Dossier:
    """A seedling dossier of importance 5, created ``today``, at ``/dossier/<slug>``."""
    slug = slugify(title)
    return Dossier(
        slug=slug,
        title=title,
        status=DossierStatus.SEEDLING,
        importance=5,
        created=today,
        last_tended=today,
        canonical=f"/dossier/{slug}",
    )


SOURCE_KINDS = {
    SourceKind.PAPER: "an arXiv id or address, river:<paper id>, or any http(s) address",
    SourceKind.WEB: "a web page's http(s) address",
}
"""The kinds of source a claim may cite, and what each accepts (the reader is asked)."""


def typed_source(kind: str, url: str, label: str = "") -> SourceLink:
    """The source a reader typed: a ``paper`` is an arXiv id or URL (stored as arXiv's abstract
    page), ``river:<paper id>`` or any http(s) URL; a ``web`` source is an http(s) URL.
    Raises ``ValueError`` saying what is wrong."""
    url = url.strip()
    paper = SourceKind(kind) is SourceKind.PAPER
    if paper:
        arxiv = parse_arxiv_id(url)
        if arxiv is not None:
            return SourceLink.make(kind, ARXIV_ABS + arxiv.canonical, label)
        if url.startswith(RIVER_SCHEME) and len(url) > len(RIVER_SCHEME):
            return SourceLink.make(kind, url, label)
    if web_url(url) is None:
        expected = "an arXiv id, river:<paper id> or an http(s) URL" if paper else "an http(s) URL"
        raise ValueError(f"{url!r} is not {expected}")
    return SourceLink.make(kind, url, label)


@dataclass(slots=True)
class ClaimPost(Post):
    """A claim shown as a river card; a superseded or retracted one is shown dimmed."""

    status: ClaimStatus = ClaimStatus.ACTIVE

    def age_at(self, now: datetime) -> str:
        """In days: a claim's history is dated, not timed (``today``, ``3d``, ``2w``)."""
        if self.posted is None:
            return self.age
        days = age_since(self.posted, event_time(now.date()))
        return "today" if days == "now" else days

    @property
    def active(self) -> bool:
        """The claim is neither superseded nor retracted."""
        return self.status is ClaimStatus.ACTIVE


def claim_posts(
    tag: str,
    dossiers: Iterable[Dossier],
    tags_of: Callable[[str], Iterable[str]],
    include_inactive: bool = False,
) -> list[Post]:
    """River cards for the claims of every dossier with a claim that cites a paper carrying
    ``tag`` (``tags_of(paper id)``: the cited paper's tags, its beats' included). Only active
    claims, unless ``include_inactive``: then superseded and retracted ones too, marked so."""
    out: list[Post] = []
    for dossier in dossiers:
        cited = {
            source.paper_id
            for claim in dossier.claims
            for source in claim.sources
            if source.paper_id
        }
        if not any(tag in tags_of(paper_id) for paper_id in sorted(cited)):
            continue
        for claim in dossier.claims:
            active = claim.active
            if not active and not include_inactive:
                continue
            last = claim.events[-1] if claim.events else None
            beat = f"claim #{claim.id}" if claim.id is not None else "claim"
            beat = beat if active else f"{beat} · {claim.status}"
            out.append(
                ClaimPost(
                    tag=tag,
                    author=dossier.title,
                    handle=slugify(dossier.authorship.agent) if dossier.authorship.agent else "you",
                    beat=f"{beat} · {last.headline}" if last else beat,
                    age="",
                    badge=claim.badge,
                    body=claim.text,
                    sources=list(claim.sources),
                    posted=event_time(last.on) if last else None,
                    status=claim.status,
                )
            )
    return out
