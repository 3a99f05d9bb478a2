"""The link rule: which addresses River treats as web links, whatever brought them (a feed, an
API, a backup, a dossier, the reader's typing).

A web link is what River opens in a browser, copies (``y``, the BibTeX ``url``) and writes as a
link in an export. Everything else a source calls a link (``file:``, ``javascript:``,
``data:``, a ``--browser-option``, ``river:`` ids) is kept and shown as plain text, never
opened or copied as a link. The rule is :func:`web_url`; nothing else decides.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, unquote, urlsplit

WEB_SCHEMES = ("http", "https")
MAX_URL = 8192
"""The longest web link, in characters. Longer ones are refused: no browser needs one, and a
command line cannot carry one of 128 KiB (Linux's limit on one argument)."""

_ASCII = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%"
)
"""The ASCII characters RFC 3986 allows in a URI (unreserved, reserved and '%'). Space, the
quote, angle brackets, backslash, caret, backtick, braces and the bar are not among them."""


def _allowed(char: str) -> bool:
    """An ASCII character of :data:`_ASCII`, or another (RFC 3987 allows letters and the like
    in an IRI) that is not a control, format (bidi, zero-width), surrogate, private-use,
    unassigned or space character."""
    if char.isascii():
        return char in _ASCII
    return unicodedata.category(char)[0] not in "CZ"


_PLAIN_WEB_URL = re.compile(
    r"[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(?:[/?#][-A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%]*)?"
)
"""A web link whose host is plain ASCII, with no user, port or IPv6 address: what
:func:`web_url` accepts without taking it apart (most links a feed has)."""
_URI_ASCII = re.compile(r"[-A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%]*")
"""Text of :data:`_ASCII` characters only."""


def web_url(text: str | None) -> str | None:
    """``text`` itself if it is a web link, else None.

    A web link starts with ``http://`` or ``https://`` (any case), names a host, has a valid
    port if any, is at most :data:`MAX_URL` characters long, and holds no whitespace, control,
    format or other invisible character, nor an ASCII character RFC 3986 does not allow in a
    URI (space ``"<>\\^`{|}``). Since it starts with its scheme, no program can read it as an
    option (``--renderer-cmd-prefix=…``)."""
    if not text or len(text) > MAX_URL:
        return None
    if _PLAIN_WEB_URL.fullmatch(text):  # a host, no port to check: no need to take it apart
        return text
    if text.isascii():
        if not _URI_ASCII.fullmatch(text):
            return None
    elif not all(map(_allowed, text)):
        return None
    scheme, separator, _rest = text.partition("://")
    if not separator or scheme.lower() not in WEB_SCHEMES:
        return None
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (raises ValueError for a port that is not one)
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return text


def quoted_web_url(text: str) -> str | None:
    """``text`` as a web link: itself if it is one, else with the characters a URI may not
    hold percent-encoded (a space as ``%20``, as a browser sends it), if that is one. For a
    source whose links are addresses typed by people (a feed's item links)."""
    return web_url(text) or web_url(quote(text, safe="".join(sorted(_ASCII))))


def is_web_url(text: str | None) -> bool:
    """Whether ``text`` is a web link (:func:`web_url`)."""
    return web_url(text) is not None


ARXIV_TITLE_SEARCH = "https://arxiv.org/search/?searchtype=title&query="
"""arXiv's search by title: the link a claim cites a paper River knows only by its title with
(until a refresh learns its arXiv id), and which a dossier read back turns into that paper."""


def title_search_url(title: str) -> str:
    """arXiv's title search for ``title``: a real link that finds the paper."""
    return ARXIV_TITLE_SEARCH + quote(" ".join(title.split()), safe="")


def searched_title(url: str) -> str | None:
    """The title a :func:`title_search_url` searches for; None for any other address."""
    if not url.startswith(ARXIV_TITLE_SEARCH):
        return None
    return unquote(url.removeprefix(ARXIV_TITLE_SEARCH)).strip() or None
