"""The detail pane: the highlighted paper's record, a dossier (as cards, or as its page), or a
river of posts."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from river_tui.domain.text import counted
from river_tui.ui.render import (
    claim_card,
    count_title,
    dossier_header,
    paper_detail,
    part_card,
    post_card,
)

if TYPE_CHECKING:  # claims and full records load with the first one shown, not at start
    from collections.abc import Callable, Sequence

    from river_tui.domain.claims import Claim, Dossier, Post
    from river_tui.domain.interest import Reason
    from river_tui.domain.papers import PaperRecord, Rest

    PartReader = Callable[[int, str, int, int], "str | list[str]"]

INACTIVE = "inactive"
"""The class of a card whose claim was superseded or retracted."""
PAGE = "page"
"""The class of a dossier page (a Markdown widget)."""


class DetailPane(VerticalScroll, can_focus=True):
    """A scrollable pane whose body and cards are replaced as the selection changes."""

    HELP_GROUP = "Detail pane"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="detail.down"),
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="detail.up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="detail.page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="detail.page-up"),
        Binding("home,g", "scroll_home", "Top", show=False, id="detail.top"),
        Binding("end,G", "scroll_end", "Bottom", show=False, id="detail.bottom"),
        Binding("plus", "more", "More of a paper cut to fit", show=False, id="detail.more"),
        # The reader's action, not a message: the focus is on the stream before the next key
        # typed is handled ('h j' at once moves the stream's cursor, not the detail's scroll).
        Binding("escape,left,h", "screen.focus_pane('stream')", "Back to papers", id="detail.back"),
    ]

    river: str | None = None
    """The tag of the river shown (None: something else is shown)."""
    reviewing: bool = False
    """The claims under review are shown."""
    note_for: Callable[[int], str] | None = None
    """A line to show above paper pk, "" for none (the reader sets it: the words a paper in a
    view of similar papers shares)."""
    part_reader: PartReader | None = None
    """Reads more of a cut paper (``Library.paper_part``; the reader sets it). None: ``+``
    shows nothing more."""
    followed_in: Callable[[Sequence[str]], list[str]] | None = None
    """The names of a paper's authors that are followed, marked on its authors line (the
    reader sets it). None: none is marked."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.paper_pk: int | None = None
        """The paper shown (None: something else)."""
        self._shown: tuple[PaperRecord, Sequence[Reason] | None] | None = None
        self.rests: list[Rest] = []
        """What the paper shown was cut of and ``+`` can still show, in order."""

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body", markup=False)

    @property
    def body(self) -> Static:
        return self.query_one("#detail-body", Static)

    def text(self) -> str:
        """Everything the pane shows, as plain text (the Text given to its Statics)."""
        parts = [static.content for static in self.query(Static)]
        return "\n".join(p.plain if isinstance(p, Text) else str(p) for p in parts)

    def _show(
        self,
        title: Text | str,
        body: Text,
        cards: list[Text] | None = None,
        keep_scroll: bool = False,
        dimmed: frozenset[int] = frozenset(),
    ) -> None:
        """``dimmed``: the indexes of the cards shown as no longer active."""
        self.river = None
        self.reviewing = False
        self.paper_pk = None
        self.rests = []
        self.border_title = Text(title) if isinstance(title, str) else title
        self.body.update(body)
        self.query(f".card, .{PAGE}").remove()
        if cards:
            self.mount_all(
                Static(card, classes=f"card {INACTIVE}" if n in dimmed else "card", markup=False)
                for n, card in enumerate(cards)
            )
        if not keep_scroll:
            self.scroll_home(animate=False)

    def show_paper(
        self,
        record: PaperRecord | None,
        keep_scroll: bool = False,
        why: Sequence[Reason] | None = None,
    ) -> None:
        """Show ``record``; ``keep_scroll``: the same paper again, changed (stay where the
        reader is); ``why``: what placed it in the for-you order."""
        if record is None:
            self._show("Paper", Text("No paper selected.", style="dim"))
        elif keep_scroll and record.pk == self.paper_pk:
            self.body.update(self._detail(record, why))  # the parts shown with `+` stay
        else:
            self._show("Paper", self._detail(record, why), keep_scroll=keep_scroll)
            self.paper_pk, self.rests = record.pk, record.rests()

    def on_resize(self) -> None:
        """A paper's fields wrap to the pane's width: drawn again at the new one."""
        if self._shown is not None and self._shown[0].pk == self.paper_pk:
            self.body.update(self._detail(*self._shown))

    def _detail(self, record: PaperRecord, why: Sequence[Reason] | None) -> Text:
        self._shown = (record, why)
        followed = self.followed_in(record.paper.authors) if self.followed_in else []
        width = self.scrollable_content_region.width or None  # None: not laid out yet
        body = paper_detail(record, followed=followed, why=why, width=width)
        note = self.note_for(record.pk) if self.note_for is not None else ""
        return Text.assemble((note, "italic"), "\n\n", body) if note else body

    def action_more(self) -> None:
        """Show the next part of what the paper shown was cut of: at most 20,000 bytes of its
        title or abstract, or 1,000 authors, read out of the library only now, as a card under
        what is shown."""
        if not self.rests or self.paper_pk is None or self.part_reader is None:
            self.notify("Nothing more to show.", markup=False)
            return
        rest = self.rests[0]
        part = self.part_reader(self.paper_pk, rest.field, rest.start, rest.step)
        taken = len(part) if isinstance(part, list) else len(part.encode("utf-8"))
        after = rest.after(taken)
        self.rests[0:1] = [after] if after is not None else []
        if part:
            card = Static(part_card(rest, part), classes="card", markup=False)
            self.mount(card)
            self.call_after_refresh(self.scroll_to_widget, card, animate=False, top=True)

    def show_dossier(self, dossier: Dossier, keep_scroll: bool = False) -> None:
        """The dossier's header, then a card per claim (superseded and retracted ones dimmed)."""
        cards = [claim_card(n, claim) for n, claim in enumerate(dossier.claims, start=1)]
        dimmed = frozenset(n for n, claim in enumerate(dossier.claims) if not claim.active)
        self._show("Dossier", dossier_header(dossier), cards, keep_scroll, dimmed)

    def show_dossier_page(self, markdown: str, keep_scroll: bool = False) -> None:
        """A dossier's page: its Markdown export, rendered (links are followed only by the
        link rule: the reader answers :class:`Markdown.LinkClicked`)."""
        from textual.widgets import Markdown  # a seam: only a dossier page needs it

        self._show("Dossier page", Text(""), keep_scroll=keep_scroll)
        self.mount(Markdown(markdown, open_links=False, classes=PAGE))

    @property
    def page_source(self) -> str | None:
        """The Markdown of the dossier page shown; None when none is."""
        from textual.widgets import Markdown

        pages = self.query(f".{PAGE}").results(Markdown)
        return next((page.source for page in pages), None)

    def show_posts(self, tag: str, posts: list[Post], keep_scroll: bool = False) -> None:
        """A river's cards; a superseded or retracted claim (shown on request) is dimmed."""
        title = count_title(f"River #{tag}", len(posts))
        intro = Text(f"#{tag}", style="bold")
        intro.append("  " + counted(len(posts), "post"), style="dim")
        dimmed = frozenset(n for n, post in enumerate(posts) if _inactive(post))
        cards = [post_card(post, dim=n in dimmed) for n, post in enumerate(posts)]
        self._show(title, intro, cards, keep_scroll, dimmed)
        self.river = tag

    def show_review(self, claims: list[tuple[str, Claim]], keep_scroll: bool = False) -> None:
        """The claims under review, each under its dossier's slug, with River's event that
        says what a newer version did to the quote, and the new papers that may bear on it."""
        title = count_title("Needs review", len(claims))
        intro = Text(
            "Claims whose quoted paper changed, or that new papers may bear on", style="bold"
        )
        intro.append("  " + counted(len(claims), "claim"), style="dim")
        cards = []
        for slug, claim in claims:
            card = Text(f"{slug}\n", style="dim")
            card.append_text(claim_card(claim.id or 0, claim))
            cards.append(card)
        self._show(title, intro, cards, keep_scroll)
        self.reviewing = True

    def show_message(self, title: str, message: str) -> None:
        self._show(title, Text(message, style="dim"))


def _inactive(post: Post) -> bool:
    from river_tui.reader.claims import ClaimPost  # the claims seam: a river is shown

    return isinstance(post, ClaimPost) and not post.active
