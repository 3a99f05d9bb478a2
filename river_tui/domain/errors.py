"""The error of River's search language, apart from its parser (:mod:`river_tui.domain.query`):
the views and the CLI catch it without knowing the grammar."""

from __future__ import annotations


class QueryError(ValueError):
    """A query River cannot run: what is wrong (``message``) and where (``position``, 1-based,
    in characters of the query text), with an optional ``hint`` on what would be right."""

    def __init__(self, message: str, position: int, hint: str = "") -> None:
        self.message = message
        self.position = position
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.message} at {self.position}"
        return f"{text}; {self.hint}" if self.hint else text
