"""Tending the claims of the dossier shown, by keys: re-badge, edit, add or remove a source,
supersede, retract, quote a newer version, attach or dismiss new evidence. Also the list of
dossiers, a dossier's page (its Markdown export) and the river's superseded and retracted
claims on request.

Each tending picks a claim of the dossier shown (as cards or as its page), asks for what it
needs in small dialogs, one after the other (awaited in a worker), then for a short reason, and
makes one library call: the store appends the event in the same transaction. A refusal (a
retracted claim, an unchanged text, a source already cited) is a notification, never a
traceback."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.notifications import SeverityLevel
from textual.screen import Screen

from river_tui.domain.badges import BadgeError
from river_tui.domain.claims import NEW_EVIDENCE, Relation, SourceLink
from river_tui.domain.quotes import quote_of, recheck, split_sentences
from river_tui.reader.actions import shorten
from river_tui.reader.claims import SOURCE_KINDS, evidence_source, typed_source
from river_tui.reader.views import NavKind, NavTarget
from river_tui.store.library import Library, LibraryError
from river_tui.ui.keys import bindings_of
from river_tui.ui.render import DIM, badge_prompt

if TYPE_CHECKING:  # the claims modules and the dialogs load when first used
    from river_tui.domain.claims import Claim, Dossier, Lead, SourceLink
    from river_tui.ui.components.reader import ReaderScreen

TEND_GROUP = "tend"


def claim_prompt(claim: Claim) -> Text:
    """``caveat  #12  the claim's text``; a superseded or retracted claim dimmed, so marked."""
    out = badge_prompt(claim.badge)
    out.append(f"  #{claim.id}  ", style=DIM)
    out.append(shorten(claim.text, 90))
    if not claim.active:
        out.append(f"  · {claim.status}", style="bold #ff8700")
        out.stylize("dim")
    return out


RELATION_SAYS = {
    Relation.SUPPORTS: "supports the claim",
    Relation.CONTRADICTS: "contradicts it",
    Relation.CONTEXT: "gives it context",
}


def lead_prompt(lead: Lead) -> Text:
    """``42%  title`` then the paper's sentence that shares most with the claim."""
    out = Text(f"{lead.score:.0%}  ", style="bold #ffd75f")
    out.append(shorten(lead.title, 90))
    out.append("\n      " + shorten(lead.sentence, 110), style=DIM)
    return out


def source_prompt(source: SourceLink, quotes: int) -> Text:
    out = Text(f"{source.kind:<5} ", style="bold #d787ff")
    if source.label:
        out.append(shorten(source.label, 50))
        out.append("  ")
    out.append(source.url, style=DIM)
    if quotes > 1:
        out.append(f"  ({quotes} quotes)", style=DIM)
    return out


class Tending:
    """The keys of the dossier shown, over the reader ``screen``: each flow asks in dialogs,
    one after the other (awaited in a worker of the screen), then makes one library call."""

    def __init__(self, screen: ReaderScreen) -> None:
        self.screen = screen
        self.session = screen.session

    @property
    def library(self) -> Library:
        return self.session.library

    def notify(self, message: str, severity: SeverityLevel = "information") -> None:
        self.screen.notify(message, severity=severity, markup=False)

    # The dialogs are a seam (tests/test_layers.py): each loads when first asked for.
    def _pick(
        self, title: str, about: Text | str, options: Sequence[Text], highlighted: int = 0
    ) -> Screen[int | None]:
        from river_tui.ui.components.dialogs import PickScreen

        return PickScreen(title, about, options, highlighted)

    def _name(
        self,
        title: str,
        about: Text | str,
        value: str = "",
        placeholder: str = "name",
        allow_empty: bool = False,
    ) -> Screen[str | None]:
        from river_tui.ui.components.dialogs import NameScreen

        return NameScreen(title, about, value, placeholder, allow_empty)

    def _text(self, title: str, about: Text, text: str) -> Screen[str | None]:
        from river_tui.ui.components.dossiers import ClaimTextScreen  # a text area

        return ClaimTextScreen(title, about, text)

    def _choose_first(self) -> str:
        screen = self.screen
        keys = [
            screen.app.get_key_display(b) for b in bindings_of(screen) if b.id == "dossier.list"
        ]
        return (
            f"Choose a dossier first ({keys[0]} lists them)." if keys else "Choose a dossier first."
        )

    def today(self) -> date:
        """The day an event is recorded on."""
        return date.today()

    # -- the dossier and the river shown --------------------------------------------------------
    def toggle_page(self) -> None:
        """The dossier shown, as cards or as its page."""
        screen = self.screen
        slug = screen.dossier_slug
        if slug is None or not screen.show_dossier(slug, page=not screen.dossier_as_page):
            self.notify(self._choose_first())

    def dossiers(self) -> None:
        self._flow(self._list_dossiers)

    async def _list_dossiers(self) -> None:
        from river_tui.ui.components.dossiers import DossierListScreen  # a seam: the dialogs

        screen = self.screen
        listing = DossierListScreen(self.library.dossiers(), screen.dossier_slug)
        slug = await screen.app.push_screen_wait(listing)
        if slug is None:
            return
        screen.jump(NavTarget(NavKind.DOSSIER, slug))  # its cited papers fill the stream
        screen.show_dossier(slug, page=True)

    def toggle_history(self) -> None:
        """Show or hide the superseded and retracted claims on the rivers."""
        self.session.river_history = not self.session.river_history
        detail = self.screen.detail
        tag = detail.river
        if tag is not None:
            detail.show_posts(tag, self.session.river_posts(tag), keep_scroll=True)
        if self.session.river_history:
            self.notify("Rivers show superseded and retracted claims, dimmed.")
        else:
            self.notify("Rivers hide superseded and retracted claims.")

    # -- the tending flows ----------------------------------------------------------------------
    def rebadge(self) -> None:
        self._flow(self._rebadge)

    def edit_claim(self) -> None:
        self._flow(self._edit)

    def add_source(self) -> None:
        self._flow(self._add_source)

    def remove_source(self) -> None:
        self._flow(self._remove_source)

    def supersede(self) -> None:
        self._flow(self._supersede)

    def retract(self) -> None:
        self._flow(self._retract)

    def requote(self) -> None:
        self._flow(self._requote)

    def weigh(self) -> None:
        self._flow(self._weigh)

    def _flow(self, flow: Callable[[], Awaitable[None]]) -> None:
        """Run ``flow`` (its dialogs awaited one after the other) in a worker of the screen;
        one at a time (a new one replaces one still asking)."""
        if self.session.decisions.busy:
            self.notify(f"Still {self.session.decisions.busy}: try again in a moment.")
            return
        self.screen.run_worker(flow(), group=TEND_GROUP, exclusive=True)

    async def _ask(self, screen: Screen[Any]) -> Any:
        return await self.screen.app.push_screen_wait(screen)

    async def _pick_claim(self, title: str) -> tuple[Dossier, Claim] | None:
        """A claim of the dossier shown, chosen by the reader; None (said why) when there is
        none to tend, the reader cancelled, or the claim chosen is no longer active."""
        slug = self.screen.dossier_slug
        dossier = self.library.dossier(slug) if slug else None
        if dossier is None:
            self.notify(self._choose_first())
            return None
        claims = [c for c in dossier.claims if c.id is not None]
        active = [n for n, c in enumerate(claims) if c.active]
        if not active:
            self.notify("This dossier has no active claim to tend.")
            return None
        prompts = [claim_prompt(c) for c in claims]
        about = Text(dossier.title, style="bold")
        index = await self._ask(self._pick(title, about, prompts, active[0]))
        if index is None:
            return None
        claim = claims[index]
        if not claim.active:
            self.notify(
                f"Claim #{claim.id} is {claim.status}: it stays as history and is not tended "
                "again. Tend its successor instead.",
                "warning",
            )
            return None
        return dossier, claim

    async def _reason(self, question: str, not_done: str) -> str | None:
        """A short reason, which is required: without one (Enter alone, or Escape) it says
        ``Not <not_done>: a reason is needed.`` and gives None."""
        reason = await self._ask(self._name("Reason", question, placeholder="a short reason"))
        if not reason:
            self.notify(f"Not {not_done}: a reason is needed.")
            return None
        return reason

    async def _optional_reason(self, question: str) -> str | None:
        """A short reason that may stay empty: Enter alone gives ``""``, Escape None."""
        screen = self._name("Reason", question, placeholder="a short reason", allow_empty=True)
        return await self._ask(screen)

    def _tended(
        self, dossier: Dossier, change: Callable[[], Any], done: Callable[[Any], str]
    ) -> bool:
        """Make the change; say what happened (or why not) and show the dossier again."""
        try:
            result = change()
        except (LibraryError, BadgeError, ValueError) as exc:
            self.notify(f"Not changed: {exc}", "error")
            return False
        self.notify(done(result))
        screen = self.screen
        if screen.dossier_slug == dossier.slug:
            screen.show_dossier(dossier.slug, screen.dossier_as_page, keep_scroll=True)
        elif screen.detail.reviewing:
            screen.detail.show_review(self.library.under_review(), keep_scroll=True)
        self.session.decisions.claim_changed()  # a claim's sources decide which papers are cited
        return True

    async def _pick_reviewed(
        self, title: str, keep: Callable[[Claim], bool], none: str
    ) -> tuple[Dossier, Claim] | None:
        """A claim under review that ``keep`` accepts (the reader's choice when there are
        several); None, said with ``none``, when there is none or the reader cancelled."""
        claims = [(slug, c) for slug, c in self.library.under_review() if keep(c)]
        if not claims:
            self.notify(none)
            return None
        index = 0
        if len(claims) > 1:
            prompts = [claim_prompt(c) for _slug, c in claims]
            index = await self._ask(self._pick(title, "Which claim?", prompts))
            if index is None:
                return None
        slug, claim = claims[index]
        dossier = self.library.dossier(slug)
        return (dossier, claim) if dossier is not None else None

    def _reviewing(self) -> bool:
        """The claims under review are shown (no dossier is)."""
        return self.screen.dossier_slug is None and self.screen.detail.reviewing

    @staticmethod
    def _about(lead: str, claim: Claim) -> Text:
        out = Text(lead)
        out.append(shorten(claim.text, 160), style="italic")
        return out

    async def _rebadge(self) -> None:
        picked = await self._pick_claim("Re-badge a claim")
        if picked is None:
            return
        dossier, claim = picked
        badges = [b for b in self.screen.badges if b != claim.badge]
        about = self._about("New badge for ", claim)
        choice = await self._ask(self._pick("Badge", about, [badge_prompt(b) for b in badges]))
        if choice is None:
            return
        badge = badges[choice]
        reason = await self._reason(f"Why is it {badge} now?", "re-badged")
        if reason is None:
            return
        assert claim.id is not None
        change = partial(self.library.rebadge, claim.id, badge, reason, self.today())
        self._tended(dossier, change, lambda _: f"Claim #{claim.id} is now {badge}.")

    async def _edit(self) -> None:
        picked = await self._pick_claim("Edit a claim")
        if picked is None:
            return
        dossier, claim = picked
        about = Text(f"Claim #{claim.id}: the event keeps the new text, every revision stays.")
        text = await self._ask(self._text("Edit the claim", about, claim.text))
        if text is None:
            return
        if text == claim.text.strip():
            self.notify("Not edited: the text is the same as before.")
            return
        reason = await self._reason("Why this edit?", "edited")
        if reason is None:
            return
        assert claim.id is not None
        change = partial(self.library.edit_claim, claim.id, text, reason, self.today())
        self._tended(dossier, change, lambda _: f"Claim #{claim.id} edited.")

    async def _add_source(self) -> None:
        picked = await self._pick_claim("Add a source")
        if picked is None:
            return
        dossier, claim = picked
        kinds = list(SOURCE_KINDS)
        prompts = [
            Text(f"{kind:<6}", style="bold #d787ff") + Text(SOURCE_KINDS[kind]) for kind in kinds
        ]
        about = self._about("A source for ", claim)
        choice = await self._ask(self._pick("Kind of source", about, prompts))
        if choice is None:
            return
        kind = kinds[choice]
        address = self._name(
            f"A {kind} source", SOURCE_KINDS[kind].capitalize(), placeholder="address"
        )
        url = await self._ask(address)
        if url is None:
            return
        try:
            source = typed_source(kind, url)
        except ValueError as exc:
            self.notify(f"Not added: {exc}", "error")
            return
        known = self.library.find(source.paper_id) if source.paper_id else None
        label = await self._ask(
            self._name(
                "Label",
                f"How the source is named ({source.url})",
                known.paper.title if known else "",
                "label (may stay empty)",
                allow_empty=True,
            )
        )
        if label is None:
            return
        reason = await self._optional_reason("Why this source? (Enter alone: its label says it)")
        if reason is None:
            return
        source = SourceLink.make(kind, source.url, label)
        assert claim.id is not None
        change = partial(self.library.add_source, claim.id, source, reason, self.today())
        self._tended(dossier, change, lambda _: f"Claim #{claim.id} cites {source.url} now.")

    async def _remove_source(self) -> None:
        picked = await self._pick_claim("Remove a source")
        if picked is None:
            return
        dossier, claim = picked
        # A paper quoted twice is one source per quote, removed together (by address).
        by_url: dict[str, list[SourceLink]] = {}
        for source in claim.sources:
            by_url.setdefault(source.url, []).append(source)
        if not by_url:
            self.notify(f"Claim #{claim.id} has no source to remove.")
            return
        urls = list(by_url)
        prompts = [source_prompt(by_url[url][0], len(by_url[url])) for url in urls]
        about = self._about("Remove a source of ", claim)
        choice = await self._ask(self._pick("Source to remove", about, prompts))
        if choice is None:
            return
        url = urls[choice]
        reason = await self._reason("Why remove it? (it is kept, marked removed)", "removed")
        if reason is None:
            return
        assert claim.id is not None
        change = partial(self.library.remove_source, claim.id, url, reason, self.today())
        self._tended(dossier, change, lambda _: f"Claim #{claim.id} no longer cites {url}.")

    async def _supersede(self) -> None:
        picked = await self._pick_claim("Supersede a claim")
        if picked is None:
            return
        dossier, claim = picked
        about = self._about("The claim that replaces ", claim)
        text = await self._ask(self._text("The new claim", about, claim.text))
        if text is None:
            return
        badges = list(self.screen.badges)
        current = badges.index(claim.badge) if claim.badge in badges else 0
        prompts = [badge_prompt(b) for b in badges]
        choice = await self._ask(self._pick("Badge of the new claim", about, prompts, current))
        if choice is None:
            return
        badge = badges[choice]
        reason = await self._reason("Why supersede it?", "superseded")
        if reason is None:
            return
        assert claim.id is not None
        change = partial(self.library.supersede, claim.id, text, badge, reason, self.today())
        self._tended(dossier, change, lambda new: f"Claim #{claim.id} superseded by #{new}.")

    async def _retract(self) -> None:
        picked = await self._pick_claim("Retract a claim")
        if picked is None:
            return
        dossier, claim = picked
        question = f"Why retract claim #{claim.id}? (it stays, dimmed)"
        reason = await self._reason(question, "retracted")
        if reason is None:
            return
        assert claim.id is not None
        change = partial(self.library.retract, claim.id, reason, self.today())
        self._tended(dossier, change, lambda _: f"Claim #{claim.id} retracted.")

    async def _requote(self) -> None:
        """``V``: a claim's quote replaced by a sentence of the newer version of its paper (the
        sentence River found closest first), after a reason that may stay empty."""
        title = "Quote a paper's new version"
        if self._reviewing():
            picked = await self._pick_reviewed(
                title,
                lambda c: c.review not in (None, NEW_EVIDENCE),
                "No claim here waits for a newer version's quote.",
            )
        else:
            picked = await self._pick_claim(title)
        if picked is None:
            return
        dossier, claim = picked
        quoted = [s for s in claim.sources if s.quote is not None and s.paper_id]
        if not quoted:
            self.notify(f"Claim #{claim.id} quotes no paper.")
            return
        source = quoted[0]
        if len(quoted) > 1:
            about = self._about("Which quote of ", claim)
            prompts = [source_prompt(s, 1) for s in quoted]
            choice = await self._ask(self._pick("Quote", about, prompts))
            if choice is None:
                return
            source = quoted[choice]
        record = self.library.find(source.paper_id or "")
        if record is None:
            self.notify(f"{source.paper_id} is not in the library.", "warning")
            return
        assert source.quote is not None
        abstract = record.paper.abstract
        sentences = split_sentences(abstract)
        if not sentences:
            self.notify(f"{source.paper_id} has no abstract to quote.", "warning")
            return
        found = recheck(source.quote, abstract).now
        closest = next((n for n, s in enumerate(sentences) if found and s.start == found.start), 0)
        version = record.paper.version
        about = self._about(
            f"A sentence of v{version} for " if version else "A sentence for ", claim
        )
        choice = await self._ask(
            self._pick("Quote", about, [Text(s.text) for s in sentences], closest)
        )
        if choice is None:
            return
        reason = await self._optional_reason("Why this sentence? (Enter alone: it is the new one)")
        if reason is None:
            return
        quote = replace(quote_of(abstract, sentences[choice]), version=version)
        new = SourceLink.make(str(source.kind), source.url, source.label, quote)
        assert claim.id is not None
        change = partial(self.library.requote, claim.id, source, new, reason, self.today())
        self._tended(dossier, change, lambda _: f"Claim #{claim.id} quotes v{version} now.")

    async def _weigh(self) -> None:
        """``W``: a paper listed under a claim as new evidence, attached as a source with a
        relation (quoting its sentence that shares most) or dismissed: a claim of the dossier
        shown, or of those under review when they are shown."""
        title, none = "Weigh new evidence", "No new paper is listed under a claim here."
        if self._reviewing():
            picked = await self._pick_reviewed(title, lambda c: bool(c.leads), none)
        else:
            picked = await self._pick_claim(title)
            if picked is not None and not picked[1].leads:
                self.notify(f"No new paper is listed under claim #{picked[1].id}.")
                picked = None
        if picked is None:
            return
        dossier, claim = picked
        about = self._about("Papers that may bear on ", claim)
        choice = await self._ask(
            self._pick("New evidence", about, [lead_prompt(x) for x in claim.leads])
        )
        if choice is None:
            return
        lead = claim.leads[choice]
        options = [Text(f"{r}: attach it as a source that {RELATION_SAYS[r]}") for r in Relation]
        options.append(Text("dismiss: never list it for this claim again"))
        decided = await self._ask(self._pick("Attach or dismiss", Text(lead.title), options))
        record = self.library.record(lead.paper_pk)
        if decided is None or record is None or claim.id is None:
            return
        if decided == len(Relation):
            change = partial(self.library.dismiss, claim.id, lead.paper_pk)
            done = f"Dismissed for claim #{claim.id}."
        else:
            relation = list(Relation)[decided]
            source = evidence_source(record, lead.sentence, relation)
            change = partial(self.library.attach, claim.id, lead.paper_pk, source, self.today())
            done = f"Attached to claim #{claim.id} as {relation}."
        self._tended(dossier, change, lambda _: done)
