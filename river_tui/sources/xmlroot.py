"""The root element of an XML document, found the way a parser finds it.

expat (the standard library's XML parser) reads the head of the document up to the root's
start tag: the XML declaration, comments (whatever markup they quote), processing instructions
and the doctype are the parser's to skip, never a regular expression's. The root's name is
taken in its namespace (``{http://www.w3.org/2005/Atom}feed``), with the namespaces declared on
it.

Nothing outside the text is read: no external DTD or entity is fetched (parameter entities
off, no handler that would load one), and a doctype that declares an entity stops the reading
at once, with no root: :mod:`river_tui.sources.xmlguard` refuses such documents. Only
:data:`HEAD_CHARS` characters are read, so the time is bounded whatever the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.parsers import expat

HEAD_CHARS = 64 * 1024
"""How much of a document is read to find its root."""


@dataclass(frozen=True, slots=True)
class Root:
    """A document's root element: its namespace (``""`` for none), its local name as written,
    and the namespace URIs declared on it or before it."""

    namespace: str
    name: str
    namespaces: frozenset[str]


class _Found(Exception):
    def __init__(self, root: Root | None) -> None:
        self.root = root


def find_root(text: str) -> Root | None:
    """The root element of the XML document ``text`` starts with, or ``None`` when expat cannot
    reach it in the first :data:`HEAD_CHARS` characters (the prolog is not well-formed, it is
    that long, or it declares an entity).

    ``text`` is already decoded: expat is told it is UTF-8 whatever the XML declaration says
    (pyexpat does so for a ``str``)."""
    head = text[:HEAD_CHARS].lstrip("\ufeff \t\r\n")
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    declared: list[str] = []

    def namespace(prefix: str | None, uri: str | None) -> None:
        declared.append(uri or "")

    def start(name: str, attributes: object) -> None:
        uri, _, local = name.rpartition(" ")
        raise _Found(Root(uri, local, frozenset(declared)))

    def entity(*_declaration: object) -> None:
        raise _Found(None)

    parser.StartNamespaceDeclHandler = namespace
    parser.StartElementHandler = start
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    try:
        parser.Parse(head, False)
    except _Found as found:
        return found.root
    except expat.ExpatError:
        return None
    return None
