"""Opening and copying a paper's links, under the link rule (:mod:`river_tui.domain.links`).

No Textual here: the reader decides with these, then calls the browser off the UI thread (a
browser can take seconds to start) and says what happened."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from enum import StrEnum

from river_tui.domain.links import web_url
from river_tui.domain.text import clean_line

Browser = Callable[[str], bool]
"""Opens a web link; True when a browser took it (``webbrowser.open``'s answer)."""

SHOWN = 200
"""The most of a link a message shows, in characters."""


def system_browser(url: str) -> bool:
    """The user's browser, in a new tab, through :mod:`webbrowser`. False: none was found or
    none would take the link."""
    return webbrowser.open(url, new=2)


class Outcome(StrEnum):
    OPENED = "opened"
    NO_BROWSER = "no browser"
    REFUSED = "refused"


def open_link(url: str, browser: Browser) -> Outcome:
    """Give ``url`` to ``browser`` if it is a web link (never otherwise)."""
    link = web_url(url)
    if link is None:
        return Outcome.REFUSED
    return Outcome.OPENED if browser(link) else Outcome.NO_BROWSER


def shown(url: str) -> str:
    """``url`` as a message shows it: one line, inert, at most :data:`SHOWN` characters."""
    text = clean_line(url[: SHOWN * 4])
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def refused(url: str, doing: str) -> str:
    """Why ``url`` is not opened or copied (``doing``: ``opened``, ``copied``)."""
    return f"Not {doing}: {shown(url)} is not a web link (only http and https links are)."


def no_browser(url: str) -> str:
    return f"No browser could be started for {shown(url)}."
