"""The keys as data: what a node or a class answers to, with the user's ``[keys]`` applied.

Light (Textual's bindings only), so the panes, the search bar and the palette read their keys
without loading the help screen, which lists them all."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App
from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode


def keyed(bindings: BindingsMap, app: App[object]) -> list[Binding]:
    """``bindings`` with the app's keymap applied, as key dispatch applies it (Textual overlays
    the keymap on a copy each time it builds the binding chain; there is no public accessor for
    either the keymap or a node's merged bindings)."""
    bindings = bindings.copy()
    if app._keymap:
        bindings.apply_keymap(app._keymap)
    return [binding for _key, binding in bindings]


def bindings_of(node: DOMNode) -> list[Binding]:
    """The bindings a node answers to, with the user's keymap applied."""
    return keyed(node._bindings, node.app)


def binding_ids(classes: Iterable[type[DOMNode]]) -> set[str]:
    """Every binding id the classes declare (with the bindings they inherit)."""
    return {binding.id for cls in classes for _key, binding in cls._merge_bindings() if binding.id}


# -- the dossier keys (ui/components/tending.py answers them) --------------------------------
DOSSIER_HELP = "Dossiers and the river"

TENDING_BINDINGS: list[BindingType] = [
    Binding("D", "dossiers", "List the dossiers", show=False, id="dossier.list"),
    Binding("M", "toggle_page", "Dossier: claims or its page", show=False, id="dossier.page"),
    Binding("B", "rebadge", "Re-badge a claim", show=False, id="dossier.rebadge"),
    Binding("V", "requote", "Quote a paper's new version", show=False, id="dossier.requote"),
    Binding("W", "weigh", "Attach or dismiss new evidence", show=False, id="dossier.weigh"),
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
