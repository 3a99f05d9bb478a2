"""Reading a TOML file River keeps, with one-line errors, and finding where each key is.

:mod:`tomllib` gives the values but not their places. :func:`key_lines` reads the structure of a
document tomllib has accepted: the table headers, the entries of each array of tables
(``[[feed]]``, counted), the keys of key/value pairs and of inline tables, and the elements of
arrays, skipping comments and strings. It maps each key's path, e.g. ``("feed", 1, "url")``
(the second ``[[feed]]``'s ``url``), to the line that defines it. A key's text elsewhere (in a
comment, in a string, in another table) is never mistaken for the key.
"""

from __future__ import annotations

import bisect
import tomllib
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

Key = tuple[str | int, ...]
"""A key's path from the document's root: names, and 0-based indexes into arrays."""


class SettingsError(Exception):
    """A settings file or variable River cannot use: one line naming the file, line and key
    (or the variable)."""


@dataclass(frozen=True, slots=True)
class TomlFile:
    """One TOML file as read: its values, its text, and errors that name its lines."""

    path: Path
    data: dict
    text: str
    _lines: dict[Key, int] = field(default_factory=dict, repr=False, compare=False)

    def line(self, key: Key) -> int:
        """The line that defines ``key``; for a key the file leaves out, the line of the
        nearest table around it that it has (1 when none)."""
        if not self._lines:
            self._lines.update(key_lines(self.text) or {(): 1})
        for end in range(len(key), 0, -1):
            if (line := self._lines.get(key[:end])) is not None:
                return line
        return 1

    def error(self, key: Key, problem: str) -> SettingsError:
        """``FILE:LINE: key 'sources.hf_url': …``; in an entry of an array of tables,
        ``FILE:LINE: feed #2, key 'url': …`` (the entry, counted from 1, and the key's name)."""
        names = [part for part in key if isinstance(part, str)]
        match key:
            case (str(table), int(index), *_rest) if len(names) > 1:
                where = f"{table} #{index + 1}, key '{names[-1]}'"
            case _:
                where = f"key '{'.'.join(names)}'"
        return SettingsError(f"{self.path}:{self.line(key)}: {where}: {problem}")


def read_toml(path: Path) -> TomlFile:
    """The TOML document at ``path``. Raises :class:`SettingsError` with one line naming the
    file when it cannot be read, is not UTF-8, is not TOML, or nests arrays or tables deeper
    than Python's recursion reaches (``x = [[[…]]]``; tomllib recurses)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise SettingsError(f"{path}: not UTF-8 text: {exc.reason}") from None
    try:
        return TomlFile(path, tomllib.loads(text), text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message already ends with "(at line N, column M)".
        raise SettingsError(f"{path}: {exc}") from None
    except RecursionError:
        raise SettingsError(f"{path}: arrays or tables nested too deeply to read") from None


def key_lines(text: str) -> dict[Key, int]:
    """Where each key of ``text`` (a document tomllib accepts) is defined: its path -> line
    (1-based). A table's path is the line of its first header or dotted key; an entry of an
    array of tables, its ``[[…]]`` header; an array's element, the line it starts on."""
    scanner = _Scanner(text)
    # A document tomllib does not accept (or nests too deeply): keep what was found.
    with suppress(IndexError, ValueError, RecursionError):
        scanner.document()
    return scanner.lines


_SPACE = " \t"
_BLANK = " \t\r\n"
_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_SCALAR_END = ",]}#\r\n"


class _Scanner:
    """One pass over a valid document, recording the line of every key path."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lines: dict[Key, int] = {}
        self.entries: dict[Key, int] = {}
        """Each array of tables: how many ``[[…]]`` entries it has had so far."""
        self.newlines = [i for i, c in enumerate(text) if c == "\n"]

    def line(self) -> int:
        return bisect.bisect_left(self.newlines, self.pos) + 1

    def record(self, key: Key, line: int) -> None:
        for end in range(1, len(key) + 1):
            self.lines.setdefault(key[:end], line)

    def document(self) -> None:
        table: Key = ()
        text = self.text
        while True:
            self.skip(_BLANK, comments=True)
            if self.pos >= len(text):
                return
            line = self.line()
            if text.startswith("[[", self.pos):
                self.pos += 2
                table = self.entry(self.key(), line)
                self.pos = text.index("]]", self.pos) + 2
            elif text[self.pos] == "[":
                self.pos += 1
                table = self.resolve(self.key())
                self.record(table, line)
                self.pos = text.index("]", self.pos) + 1
            else:
                self.pair(table)

    def entry(self, names: list[str], line: int) -> Key:
        """A ``[[…]]`` header: the next entry of that array of tables."""
        array = (*self.resolve(names[:-1]), names[-1])
        index = self.entries.get(array, 0)
        self.entries[array] = index + 1
        self.record((*array, index), line)
        return (*array, index)

    def resolve(self, names: list[str]) -> Key:
        """A header's names as a path: a name of an array of tables means its last entry."""
        key: Key = ()
        for name in names:
            key = (*key, name)
            if key in self.entries:
                key = (*key, self.entries[key] - 1)
        return key

    def pair(self, table: Key) -> None:
        """``key = value`` (``a.b = value`` too), in ``table``."""
        line = self.line()
        key = (*table, *self.key())
        self.record(key, line)
        self.pos = self.text.index("=", self.pos) + 1
        self.skip(_SPACE)
        self.value(key)

    def key(self) -> list[str]:
        """A key's names: bare, "basic" or 'literal', separated by dots."""
        names: list[str] = []
        text = self.text
        while True:
            self.skip(_SPACE)
            start = self.pos
            if text[start] in "\"'":
                self.string()
                quoted = text[start : self.pos]
                names.append(tomllib.loads(f"k = {quoted}")["k"])  # tomllib decodes escapes
            else:
                while text[self.pos] in _BARE:
                    self.pos += 1
                names.append(text[start : self.pos])
            self.skip(_SPACE)
            if text[self.pos] != ".":
                return names
            self.pos += 1

    def value(self, key: Key) -> None:
        text = self.text
        char = text[self.pos]
        if char == "[":
            self.pos += 1
            index = 0
            while True:
                self.skip(_BLANK, comments=True)
                if text[self.pos] == "]":
                    self.pos += 1
                    return
                if text[self.pos] == ",":
                    self.pos += 1
                    continue
                self.record((*key, index), self.line())
                self.value((*key, index))
                index += 1
        elif char == "{":
            self.pos += 1
            while True:
                self.skip(_BLANK, comments=True)
                if text[self.pos] == "}":
                    self.pos += 1
                    return
                if text[self.pos] == ",":
                    self.pos += 1
                    continue
                self.pair(key)
        elif char in "\"'":
            self.string()
        else:  # a number, a date and time, a boolean: none holds , ] } # or a line break
            while self.pos < len(text) and text[self.pos] not in _SCALAR_END:
                self.pos += 1

    def string(self) -> None:
        """Past one string: basic or literal, on one line or on several."""
        text = self.text
        quote = text[self.pos]
        if text.startswith(quote * 3, self.pos):
            self.pos = self.closing(quote * 3, self.pos + 3)
            while self.pos < len(text) and text[self.pos] == quote:  # up to two more belong
                self.pos += 1
        else:
            self.pos = self.closing(quote, self.pos + 1)

    def closing(self, delimiter: str, pos: int) -> int:
        """Just past the ``delimiter`` that ends a string begun before ``pos``."""
        text = self.text
        if delimiter[0] == "'":  # literal: no escapes
            return text.index(delimiter, pos) + len(delimiter)
        while not text.startswith(delimiter, pos):
            pos += 2 if text[pos] == "\\" else 1
        return pos + len(delimiter)

    def skip(self, chars: str, comments: bool = False) -> None:
        text = self.text
        while self.pos < len(text):
            if text[self.pos] in chars:
                self.pos += 1
            elif comments and text[self.pos] == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return
