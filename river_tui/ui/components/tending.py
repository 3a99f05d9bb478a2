"""Tending the claims of the dossier shown, by keys, as a base of the reader screen: re-badge,
edit, add or remove a source, supersede, retract. Also the list of dossiers, a dossier's page
(its Markdown export) and the river's superseded and retracted claims on request.

Each tending picks a claim of the dossier shown (as cards or as its page), asks for what it
needs in small dialogs, one after the other (awaited in a worker), then for a short reason, and
makes one library call: the store appends the event in the same transaction. A refusal (a
retracted claim, an unchanged text, a source already cited) is a notification, never a
traceback."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.screen import Screen

from river_tui.domain.badges import BadgeError
from river_tui.reader.actions import shorten
from river_tui.reader.views import NavKind, NavTarget
from river_tui.store.library import Library, LibraryError
from river_tui.ui.components.detail import DetailPane
from river_tui.ui.render import DIM, badge_prompt

if TYPE_CHECKING:  # the claims modules and the dialogs load when first used
    from river_tui.domain.claims import Claim, Dossier, Post, SourceLink

TEND_GROUP = "tend"
DOSSIER_HELP = "Dossiers and the river"

TENDING_BINDINGS: list[BindingType] = [
    Binding("D", "dossiers", "List the dossiers", show=False, id="dossier.list"),
    Binding("M", "toggle_page", "Dossier: claims or its page", show=False, id="dossier.page"),
    Binding("B", "rebadge", "Re-badge a claim", show=False, id="dossier.rebadge"),
    Binding("E", "edit_claim", "Edit a claim's text", show=False, id="dossier.edit"),
    Binding("L", "add_source", "Add a source to a claim", show=False, id="dossier.add-source"),
    Binding(
        "U", "remove_source", "Remove a claim's source", show=False, id="dossier.remove-source"
    ),
    Binding("N", "supersede", "Supersede a claim", show=False, id="dossier.supersede"),
    Binding("X", "retract", "Retract a claim", show=False, id="dossier.retract"),
    Binding(
        "H",
        "toggle_history",
        "River: superseded and retracted claims",
        show=False,
        id="river.history",
    ),
]


def claim_text_screen(title: str, about: Text, text: str) -> Screen[str | None]:
    """The dialog for a claim's text (a text area: loaded when first used)."""
    from river_tui.ui.components.dossiers import ClaimTextScreen

    return ClaimTextScreen(title, about, text)


def pick_screen(*args: Any, **kwargs: Any) -> Screen[int | None]:
    """A ``PickScreen`` (the dialogs load when first opened)."""
    from river_tui.ui.components.dialogs import PickScreen

    return PickScreen(*args, **kwargs)


def name_screen(*args: Any, **kwargs: Any) -> Screen[str | None]:
    """A ``NameScreen`` (the dialogs load when first opened)."""
    from river_tui.ui.components.dialogs import NameScreen

    return NameScreen(*args, **kwargs)


def claim_prompt(claim: Claim) -> Text:
    """``caveat  #12  the claim's text``; a superseded or retracted claim dimmed, so marked."""
    out = badge_prompt(claim.badge)
    out.append(f"  #{claim.id}  ", style=DIM)
    out.append(shorten(claim.text, 90))
    if not claim.active:
        out.append(f"  · {claim.status}", style="bold #ff8700")
        out.stylize("dim")
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


class ClaimTending(Screen[None]):
    """The keys of the dossier shown. The reader supplies the library, the badges, the panes,
    :meth:`jump`, :meth:`river_posts`, :meth:`reload` and ``dossier_changed`` (from
    ``PaperActions``: a stub here would come first in the reader's order of bases)."""

    BINDINGS: ClassVar[list[BindingType]] = TENDING_BINDINGS

    library: Library
    badges: tuple[str, ...]
    dossier_slug: str | None
    busy: str
    detail: DetailPane

    dossier_as_page = False
    """The dossier shown is shown as its page (its Markdown export), not as cards."""
    river_history = False
    """Rivers show superseded and retracted claims too (dimmed)."""

    # -- supplied by the reader -----------------------------------------------------------------
    def jump(self, target: NavTarget) -> None:
        raise NotImplementedError

    def river_posts(self, tag: str) -> list[Post]:
        raise NotImplementedError

    def reload(self) -> None:
        """Counts, stream and detail again (a claim's sources decide which papers are cited)."""
        raise NotImplementedError

    def help_group_of(self, binding: Binding) -> str:
        if binding.id and binding.id.startswith(("dossier.", "river.")):
            return DOSSIER_HELP
        parent = getattr(super(), "help_group_of", None)
        return str(parent(binding)) if callable(parent) else "Panes"

    def _choose_first(self) -> str:
        from river_tui.ui.components.help import bindings_of  # loads with the help, not before

        keys = [self.app.get_key_display(b) for b in bindings_of(self) if b.id == "dossier.list"]
        return (
            f"Choose a dossier first ({keys[0]} lists them)." if keys else "Choose a dossier first."
        )

    def today(self) -> date:
        """The day an event is recorded on."""
        return date.today()

    # -- showing a dossier ----------------------------------------------------------------------
    def show_dossier(self, slug: str, page: bool = False, keep_scroll: bool = False) -> bool:
        """Show dossier ``slug`` in the detail pane, as claim cards or as its page (False: it is
        not in the library)."""
        dossier = self.library.dossier(slug)
        if dossier is None:
            return False
        self.dossier_slug, self.dossier_as_page = dossier.slug, page
        if page:
            self.detail.show_dossier_page(dossier, keep_scroll)
        else:
            self.detail.show_dossier(dossier, keep_scroll)
        return True

    def action_toggle_page(self) -> None:
        """The dossier shown, as cards or as its page."""
        if self.dossier_slug is None or not self.show_dossier(
            self.dossier_slug, page=not self.dossier_as_page
        ):
            self.notify(self._choose_first(), markup=False)

    def action_dossiers(self) -> None:
        self._flow(self._list_dossiers)

    async def _list_dossiers(self) -> None:
        from river_tui.ui.components.dossiers import DossierListScreen  # loads on first use

        listing = DossierListScreen(self.library.dossiers(), self.dossier_slug)
        slug = await self.app.push_screen_wait(listing)
        if slug is None:
            return
        self.jump(NavTarget(NavKind.DOSSIER, slug))  # its cited papers fill the stream
        self.show_dossier(slug, page=True)

    def action_toggle_history(self) -> None:
        """Show or hide the superseded and retracted claims on the rivers."""
        self.river_history = not self.river_history
        tag = self.detail.river
        if tag is not None:
            self.detail.show_posts(tag, self.river_posts(tag), keep_scroll=True)
        if self.river_history:
            self.notify("Rivers show superseded and retracted claims, dimmed.", markup=False)
        else:
            self.notify("Rivers hide superseded and retracted claims.", markup=False)

    # -- the tending flows ----------------------------------------------------------------------
    def action_rebadge(self) -> None:
        self._flow(self._rebadge)

    def action_edit_claim(self) -> None:
        self._flow(self._edit)

    def action_add_source(self) -> None:
        self._flow(self._add_source)

    def action_remove_source(self) -> None:
        self._flow(self._remove_source)

    def action_supersede(self) -> None:
        self._flow(self._supersede)

    def action_retract(self) -> None:
        self._flow(self._retract)

    @work(group=TEND_GROUP, exclusive=True)
    async def _flow(self, flow: Callable[[], Awaitable[None]]) -> None:
        if self.busy:
            self.notify(f"Still {self.busy}: try again in a moment.", markup=False)
            return
        await flow()

    async def _ask(self, screen: Screen[Any]) -> Any:
        return await self.app.push_screen_wait(screen)

    async def _pick_claim(self, title: str) -> tuple[Dossier, Claim] | None:
        """A claim of the dossier shown, chosen by the reader; None (said why) when there is
        none to tend, the reader cancelled, or the claim chosen is no longer active."""
        dossier = self.library.dossier(self.dossier_slug) if self.dossier_slug else None
        if dossier is None:
            self.notify(self._choose_first(), markup=False)
            return None
        claims = [c for c in dossier.claims if c.id is not None]
        active = [n for n, c in enumerate(claims) if c.active]
        if not active:
            self.notify("This dossier has no active claim to tend.", markup=False)
            return None
        prompts = [claim_prompt(c) for c in claims]
        about = Text(dossier.title, style="bold")
        index = await self._ask(pick_screen(title, about, prompts, active[0]))
        if index is None:
            return None
        claim = claims[index]
        if not claim.active:
            self.notify(
                f"Claim #{claim.id} is {claim.status}: it stays as history and is not tended "
                "again. Tend its successor instead.",
                severity="warning",
                markup=False,
            )
            return None
        return dossier, claim

    async def _reason(self, question: str, not_done: str) -> str | None:
        """A short reason, which is required: without one (Enter alone, or Escape) it says
        ``Not <not_done>: a reason is needed.`` and gives None."""
        reason = await self._ask(name_screen("Reason", question, placeholder="a short reason"))
        if not reason:
            self.notify(f"Not {not_done}: a reason is needed.", markup=False)
            return None
        return reason

    async def _optional_reason(self, question: str) -> str | None:
        """A short reason that may stay empty: Enter alone gives ``""``, Escape None."""
        screen = name_screen("Reason", question, placeholder="a short reason", allow_empty=True)
        return await self._ask(screen)

    def _tended(
        self, dossier: Dossier, change: Callable[[], Any], done: Callable[[Any], str]
    ) -> bool:
        """Make the change; say what happened (or why not) and show the dossier again."""
        try:
            result = change()
        except (LibraryError, BadgeError, ValueError) as exc:
            self.notify(f"Not changed: {exc}", severity="error", markup=False)
            return False
        self.notify(done(result), markup=False)
        self.dossier_changed()
        if self.dossier_slug == dossier.slug:
            self.show_dossier(dossier.slug, self.dossier_as_page, keep_scroll=True)
        self.reload()
        return True

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
        badges = [b for b in self.badges if b != claim.badge]
        about = self._about("New badge for ", claim)
        choice = await self._ask(pick_screen("Badge", about, [badge_prompt(b) for b in badges]))
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
        text = await self._ask(claim_text_screen("Edit the claim", about, claim.text))
        if text is None:
            return
        if text == claim.text.strip():
            self.notify("Not edited: the text is the same as before.", markup=False)
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
        from river_tui.domain.claims import SourceLink
        from river_tui.reader.claims import SOURCE_KINDS, typed_source

        kinds = list(SOURCE_KINDS)
        prompts = [
            Text(f"{kind:<6}", style="bold #d787ff") + Text(SOURCE_KINDS[kind]) for kind in kinds
        ]
        about = self._about("A source for ", claim)
        choice = await self._ask(pick_screen("Kind of source", about, prompts))
        if choice is None:
            return
        kind = kinds[choice]
        address = name_screen(
            f"A {kind} source", SOURCE_KINDS[kind].capitalize(), placeholder="address"
        )
        url = await self._ask(address)
        if url is None:
            return
        try:
            source = typed_source(kind, url)
        except ValueError as exc:
            self.notify(f"Not added: {exc}", severity="error", markup=False)
            return
        known = self.library.find(source.paper_id) if source.paper_id else None
        label = await self._ask(
            name_screen(
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
            self.notify(f"Claim #{claim.id} has no source to remove.", markup=False)
            return
        urls = list(by_url)
        prompts = [source_prompt(by_url[url][0], len(by_url[url])) for url in urls]
        about = self._about("Remove a source of ", claim)
        choice = await self._ask(pick_screen("Source to remove", about, prompts))
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
        text = await self._ask(claim_text_screen("The new claim", about, claim.text))
        if text is None:
            return
        badges = list(self.badges)
        current = badges.index(claim.badge) if claim.badge in badges else 0
        prompts = [badge_prompt(b) for b in badges]
        choice = await self._ask(pick_screen("Badge of the new claim", about, prompts, current))
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
