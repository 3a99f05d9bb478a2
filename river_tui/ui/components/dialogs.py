"""Small dialogs: pick one of a list (a beat for a paper, a claim, a badge), type a name or a
reason, write a text (a claim, a note), answer yes or no."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from river_tui.reader.actions import shorten
from river_tui.ui.render import DIM

T = TypeVar("T")


def as_text(text: Text | str) -> Text:
    """``text`` as ``Text``: a string is taken as it is, never read as markup."""
    return Text(text) if isinstance(text, str) else text


class OptionPicker(ModalScreen[T]):
    """A dialog around one list (an ``OptionList``, or what ``LIST`` names): it has the focus
    from the start, on option ``start``, and ``j``/``k`` move in it (the subclasses bind them,
    each with its own ids; :data:`PICK_BINDINGS` are the pickers')."""

    LIST: ClassVar[type[Widget]] = OptionList
    start = 0

    def on_mount(self) -> None:
        self.start_list()

    def start_list(self) -> None:
        """Highlight option ``start`` and focus the list (a subclass with another list does
        its own: Textual runs every class's ``on_mount``, so this hook is overridden instead)."""
        options = self.query_one(OptionList)
        count = options.option_count
        options.highlighted = min(self.start, count - 1) if count else None
        options.focus()

    def action_move(self, step: int) -> None:
        options = self.query_one(self.LIST)
        if step > 0:
            options.action_cursor_down()  # type: ignore[attr-defined]
        else:
            options.action_cursor_up()  # type: ignore[attr-defined]


QUIT = Binding("q", "app.quit", "Quit", show=False, id="quit")
"""'q' on the help and the pickers. The app's own 'q' is an ordinary binding (a 'q' typed
right after 't' is the tag's, not a quit), and a modal screen hears no ordinary binding of the
app: these dialogs bind it again, with the same id, so ``[keys]`` remaps both. Not the yes/no
question: it guards unsaved text ("Discard this claim?"), which a quit would throw away."""

PICK_BINDINGS: list[BindingType] = [
    QUIT,
    Binding("escape", "dismiss", "Cancel", id="pick.cancel"),
    Binding("j", "move(1)", "Down", show=False, id="pick.down"),
    Binding("k", "move(-1)", "Up", show=False, id="pick.up"),
]


@dataclass(frozen=True, slots=True)
class BeatChoice:
    beat: str
    remove: bool = False
    """The paper is on this beat by hand: choosing it takes it off."""


class BeatScreen(OptionPicker[BeatChoice | None]):
    """Every beat of the config; Enter puts the paper on the highlighted one (or takes it off
    when it was put there by hand)."""

    HELP_GROUP = "Beat picker"
    BINDINGS: ClassVar[list[BindingType]] = [
        QUIT,
        Binding("escape", "dismiss", "Cancel", id="beat.cancel"),
        Binding("j", "move(1)", "Down", show=False, id="beat.down"),
        Binding("k", "move(-1)", "Up", show=False, id="beat.up"),
    ]

    def __init__(
        self, title: str, beats: Sequence[str], manual: Sequence[str], matched: Sequence[str]
    ) -> None:
        super().__init__()
        self.paper_title = title
        self.beats = list(beats)
        self.manual = set(manual)
        self.matched = set(matched) - self.manual

    def compose(self) -> ComposeResult:
        with Vertical(id="beat-box", classes="dialog") as box:
            box.border_title = "Put on a beat"
            box.border_subtitle = "Enter chooses · Esc cancels"
            yield Static(Text(shorten(self.paper_title, 200), style="bold"), markup=False)
            yield OptionList(*(Option(self._prompt(b)) for b in self.beats), markup=False)

    def _prompt(self, beat: str) -> Text:
        if beat in self.manual:
            out = Text("✓ ", style="bold #5fd75f")
            out.append(beat)
            out.append("  on it by hand: Enter takes it off", style=DIM)
        elif beat in self.matched:
            out = Text("· ", style=DIM)
            out.append(beat)
            out.append("  matched by its terms", style=DIM)
        else:
            out = Text("  ")
            out.append(beat)
        return out

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        beat = self.beats[event.option_index]
        self.dismiss(BeatChoice(beat, remove=beat in self.manual))


class NameScreen(ModalScreen[str | None]):
    """Asks for a name (Enter) or nothing (Escape). Enter on an empty field gives None too,
    unless ``allow_empty`` (then ``""``: only Escape cancels)."""

    HELP_GROUP = "Name"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Cancel", id="name.cancel"),
    ]

    def __init__(
        self,
        title: str,
        about: Text | str,
        value: str = "",
        placeholder: str = "name",
        allow_empty: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.about = about
        self.value = value
        self.placeholder = placeholder
        self.allow_empty = allow_empty

    def compose(self) -> ComposeResult:
        with Vertical(id="name-box", classes="dialog") as box:
            box.border_title = self.title_text
            box.border_subtitle = "Enter saves · Esc cancels"
            about = as_text(self.about)
            yield Static(about, markup=False)
            yield Input(value=self.value, placeholder=self.placeholder)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        self.dismiss(value if value or self.allow_empty else None)


class ConfirmScreen(ModalScreen[bool]):
    """A question answered by ``y`` (True) or ``n``/Escape (False)."""

    HELP_GROUP = "Confirm"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog") as box:
            box.border_title = "Confirm"
            box.border_subtitle = "y yes · n or Esc no"
            yield Static(Text(self.question), markup=False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class TextDialog(ModalScreen[str | None]):
    """A text area in a dialog, starting from ``value`` with the cursor at its end: Ctrl+S
    saves (what :meth:`accepted` gives; None keeps the dialog open), Escape cancels, asking
    ``DISCARD`` first when the text was changed. A subclass binds ``save`` and ``cancel``
    with ids of its own, names its box and text area, and says what goes above the text."""

    BOX_ID: ClassVar[str]
    AREA_ID: ClassVar[str]
    SUBTITLE: ClassVar[str] = "Ctrl+S saves · Esc cancels · F7 selects all"
    DISCARD: ClassVar[str] = "Discard this text?"

    def __init__(self, value: str = "") -> None:
        super().__init__()
        self.value = value

    def box_title(self) -> str:
        raise NotImplementedError

    def heading(self) -> ComposeResult:
        """What is shown above the text."""
        raise NotImplementedError

    def accepted(self, text: str) -> str | None:
        """What Ctrl+S gives for ``text``, or None to keep the dialog open (after saying why)."""
        return text

    def compose(self) -> ComposeResult:
        with Vertical(id=self.BOX_ID, classes="dialog") as box:
            box.border_title = self.box_title()
            box.border_subtitle = self.SUBTITLE
            yield from self.heading()
            yield TextArea(self.value, tab_behavior="focus", soft_wrap=True, id=self.AREA_ID)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)
        area.focus()

    @property
    def text(self) -> str:
        """The text as it is now, as typed."""
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        saved = self.accepted(self.text)
        if saved is not None:
            self.dismiss(saved)

    def action_cancel(self) -> None:
        if self.text.strip() == self.value.strip():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(self.DISCARD), answered)


class PickScreen(OptionPicker[int | None]):
    """Choose one of ``options`` (Enter: its index; Escape: None)."""

    HELP_GROUP = "Picker"
    BINDINGS: ClassVar[list[BindingType]] = PICK_BINDINGS

    def __init__(
        self, title: str, about: Text | str, options: Sequence[Text], highlighted: int = 0
    ) -> None:
        super().__init__()
        self.title_text = title
        self.about = about
        self.prompts = list(options)
        self.start = highlighted

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-box", classes="dialog") as box:
            box.border_title = self.title_text
            box.border_subtitle = "Enter chooses · Esc cancels"
            yield Static(as_text(self.about))
            yield OptionList(*(Option(p) for p in self.prompts), markup=False)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_index)
