"""One module per source. Parsing and HTTP only: no SQL, no Textual. Returns domain records."""

from collections.abc import Callable
from typing import TypeVar

from river_tui.domain.text import clean_line

T = TypeVar("T")

MAX_MESSAGE = 500


class SourceError(Exception):
    """A source could not be read: the message is one clear line for the user.

    The message may quote what the source sent, so it is made inert (one line, no control or
    escape sequences) and cut to ``MAX_MESSAGE`` characters when it is shown."""

    def __str__(self) -> str:
        message = clean_line(super().__str__())
        return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"


class ImportFailure(Exception):
    """A file River cannot import. The message is one line that names the file."""


class ParseError(SourceError):
    """Content that is not in the shape the parser expects."""


def parse_with(parse: Callable[..., T], *args: object) -> T:
    """``parse(*args)``, with a ``ValueError`` the parser did not foresee (a number of 5,000
    digits: Python refuses to convert it) reported as a :class:`ParseError` of this one
    document, so one bad answer never stops a refresh or an import of other files."""
    try:
        return parse(*args)
    except SourceError:
        raise
    except (ValueError, OverflowError, RecursionError) as exc:
        raise ParseError(f"could not read it: {exc}") from None
