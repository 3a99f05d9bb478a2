"""The claim editor: promote a paper to a claim in a dossier, quoting its abstract."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, SelectionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from river_tui.domain import PaperRecord
from river_tui.domain.badges import BadgeError
from river_tui.domain.beats import slugify
from river_tui.domain.claims import Dossier
from river_tui.domain.quotes import split_sentences
from river_tui.reader.actions import shorten
from river_tui.reader.claims import new_dossier, paper_sources
from river_tui.store.claims import DossierSummary
from river_tui.store.library import Library, LibraryError
from river_tui.ui.components.dialogs import ConfirmScreen, NameScreen
from river_tui.ui.render import DIM, badge_prompt

NEW_DOSSIER = "New dossier…"


@dataclass(frozen=True, slots=True)
class Saved:
    """What the editor wrote: claim ``claim_id`` in dossier ``slug`` (titled ``title``)."""

    slug: str
    title: str
    claim_id: int


def dossier_prompt(summary: DossierSummary | Dossier) -> Text:
    out = Text(summary.title, style="bold")
    out.append(f"  {summary.status} · importance {summary.importance}/10", style=DIM)
    return out


class ClaimEditor(ModalScreen[Saved | None]):
    """Dossier, quoted sentences, claim text and badge for one paper; Ctrl+S writes the claim
    (and the new dossier, if one was named) and dismisses with :class:`Saved`."""

    HELP_GROUP = "Claim editor"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save the claim", priority=True, id="claim.save"),
        Binding("escape", "cancel", "Cancel", id="claim.cancel"),
    ]

    def __init__(
        self, library: Library, record: PaperRecord, badges: Sequence[str], today: date
    ) -> None:
        super().__init__()
        self.library = library
        self.record = record
        self.badges = list(badges)
        self.today = today
        self.dossiers: list[DossierSummary | Dossier] = list(library.dossiers())
        self.created: Dossier | None = None
        """A new dossier named here, written on save."""
        self.sentences = split_sentences(record.paper.abstract)

    def compose(self) -> ComposeResult:
        # Scrolls when the terminal is shorter than the editor: Tab brings each part into view.
        with VerticalScroll(id="claim-box", classes="dialog", can_focus=False) as box:
            box.border_title = "Promote to a claim"
            box.border_subtitle = "Tab: next · Space: tick · Ctrl+S: save · Esc"
            yield Static(Text(shorten(self.record.paper.title, 200), style="bold"), markup=False)
            yield Label("Dossier", classes="claim-label")
            yield OptionList(markup=False, id="claim-dossier")
            yield Label("Evidence: sentences of the abstract to quote", classes="claim-label")
            yield SelectionList[int](
                *(Selection(Text(s.text), i) for i, s in enumerate(self.sentences)),
                id="claim-evidence",
            )
            # The list shows a sentence on one line, cut: the ones ticked are shown whole.
            yield Static("", id="claim-quoted", markup=False)
            yield Label("Claim", classes="claim-label")
            yield TextArea(id="claim-text", tab_behavior="focus", soft_wrap=True)
            yield Label("Badge", classes="claim-label")
            yield OptionList(
                *(Option(badge_prompt(b)) for b in self.badges), markup=False, id="claim-badge"
            )

    @on(SelectionList.SelectedChanged, "#claim-evidence")
    def _show_quoted(self) -> None:
        quoted = Text()
        for n, index in enumerate(self.picked):
            quoted.append("\n" if n else "")
            quoted.append(f"“{self.sentences[index].text}”", style="italic")
        self.query_one("#claim-quoted", Static).update(quoted)

    def on_mount(self) -> None:
        self._fill_dossiers(0 if self.dossiers else None)
        badges = self.query_one("#claim-badge", OptionList)
        badges.highlighted = self.badges.index("claim") if "claim" in self.badges else 0
        self.query_one("#claim-dossier", OptionList).focus()

    def _fill_dossiers(self, highlighted: int | None) -> None:
        options = self.query_one("#claim-dossier", OptionList)
        prompts = [dossier_prompt(d) for d in self.dossiers]
        prompts.append(Text(NEW_DOSSIER, style="italic"))
        options.set_options(Option(p) for p in prompts)
        options.highlighted = len(self.dossiers) if highlighted is None else highlighted

    # -- the parts --------------------------------------------------------------------------------
    @property
    def dossier(self) -> DossierSummary | Dossier | None:
        index = self.query_one("#claim-dossier", OptionList).highlighted
        return self.dossiers[index] if index is not None and index < len(self.dossiers) else None

    @property
    def badge(self) -> str:
        index = self.query_one("#claim-badge", OptionList).highlighted
        return self.badges[index or 0]

    @property
    def text(self) -> str:
        return self.query_one("#claim-text", TextArea).text.strip()

    @property
    def picked(self) -> list[int]:
        return sorted(self.query_one("#claim-evidence", SelectionList).selected)

    @property
    def dirty(self) -> bool:
        return bool(self.text or self.picked or self.created)

    @on(OptionList.OptionSelected, "#claim-dossier")
    def _dossier_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.dossiers):
            self.focus_next()
            return
        self.app.push_screen(NameScreen("New dossier", "Title of the new dossier"), self._named)

    def _named(self, title: str | None) -> None:
        if not title:
            return
        slug = slugify(title)
        for index, known in enumerate(self.dossiers):
            if known.slug == slug:
                self.notify(f"The dossier {known.title!r} is already there: chosen.", markup=False)
                self._fill_dossiers(index)
                return
        self.created = new_dossier(title, self.today)
        self.dossiers.append(self.created)
        self._fill_dossiers(len(self.dossiers) - 1)
        self.focus_next()

    @on(OptionList.OptionSelected, "#claim-badge")
    def _badge_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()

    # -- save and cancel --------------------------------------------------------------------------
    def action_save(self) -> None:
        text = self.text
        if not text:
            self.notify("Write the claim first: an empty claim is not saved.", markup=False)
            self.query_one("#claim-text", TextArea).focus()
            return
        target = self.dossier
        if target is None:
            self.notify("Choose a dossier, or name a new one, first.", markup=False)
            self.query_one("#claim-dossier", OptionList).focus()
            return
        picked = [self.sentences[i] for i in self.picked]
        sources = paper_sources(self.record, picked)
        try:
            if target is self.created:
                self.library.create_dossier(target)
                self.created = None
            claim_id = self.library.assert_claim(target.slug, text, self.badge, sources, self.today)
        except (LibraryError, BadgeError, ValueError) as exc:
            self.notify(f"Not saved: {exc}", severity="error", markup=False)
            return
        self.dismiss(Saved(target.slug, target.title, claim_id))

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard this claim?"), answered)
