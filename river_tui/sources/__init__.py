"""One module per source. Parsing and HTTP only: no SQL, no Textual. Returns domain records."""


class SourceError(Exception):
    """A source could not be read: the message is one clear line for the user."""


class ParseError(SourceError):
    """Content that is not in the shape the parser expects."""
