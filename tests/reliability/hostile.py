"""Hostile documents in every shape River imports (used by tests/test_reliability_hostile.py).

Every builder takes the hostile strings and returns the bytes of a file River would import:
a saved Hugging Face page, a Hugging Face API response, an arXiv API (Atom) response, an arXiv
RSS feed, a lab's RSS feed, a dossier, a river page and a River backup.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

# Terminal attacks and disguises, each as a source might send it.
PAYLOADS = {
    "csi": "\x1b[31mred\x1b[0m \x1b[6n \x1b[2J\x1b[H",
    "osc52": "\x1b]52;c;cHduZWQ=\x07",
    "osc8": "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\",
    "osc0": "\x1b]0;owned title\x07",
    "dcs": "\x1bP+q544e\x1b\\ \x1b_apc\x1b\\ \x1b^pm\x1b\\ \x1bXsos\x1b\\",
    "c1": "\x9b31m \x9d0;t\x9c \x90q\x9c \x85 \x8d",
    "controls": "bell\x07 nul\x00 bs\x08 del\x7f vt\x0b ff\x0c cr\r lone",
    "bidi": "abc\u202egnp.exe\u202c \u2066iso\u2069 \u200f\u200e\u061c",
    "zero-width": "zero\u200bwidth\u200d\ufeff\u2060joined",
    "markup": "[bold]bold[/] [link=https://evil.example]x[/link] [TODO] [/] [[ ]] [red",
}
HOSTILE = " ".join(f"<{name}> {text}" for name, text in PAYLOADS.items())
# Only what XML 1.0 allows in a document (no C0 controls but tab, newline, CR; ESC is out).
XML_LEGAL = (
    # C1 last: feedparser reads some C1 bytes as Windows-1252 and may drop what follows them.
    " ".join(PAYLOADS[name] for name in ("markup", "bidi", "zero-width", "c1")) + " \u0085 tab\tend"
)
MARKUP = "[link=https://evil.example]x[/link]"  # must survive literally
INVALID_UTF8 = b"bad \xff\xfe \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 bytes"


@dataclass(frozen=True)
class Strings:
    title: str
    abstract: str
    authors: tuple[str, ...]
    extra: str  # what goes into every other field the format has

    @staticmethod
    def of(text: str, authors: int = 3) -> Strings:
        return Strings(
            f"Hostile title {text}", f"Abstract {text}", (f"Ann {text}",) * authors, text
        )


_HF_TITLE = 300  # a saved page's title is one line of at most 400 characters


def hf_page(s: Strings) -> bytes:
    return (
        "Daily Papers\n\nbyAK and the research community\n\nJun 16\n\n"
        f"{s.title.replace(chr(10), ' ')[:_HF_TITLE]}\n\n{s.abstract}\n\n"
        f"{s.extra.replace(chr(10), ' ')} org\n·\nSep 19, 2024 7\n"
    ).encode()


def hf_json(s: Strings) -> bytes:
    paper = {  # in the order the API sends them
        "id": "2612.00001",
        "authors": [{"name": a, "hidden": False} for a in s.authors],
        "publishedAt": "2026-06-11T00:00:00.000Z",
        "submittedOnDailyAt": "2026-06-12T00:00:00.000Z",
        "title": s.title,
        "summary": s.abstract,
        "upvotes": 3,
        "githubRepo": f"https://github.com/x/{s.extra}",
        "projectPage": f"https://example.org/{s.extra}",
        "ai_keywords": [s.extra, "fine"],
        "ai_summary": s.extra,
        "organization": {"fullname": s.extra, "name": s.extra},
    }
    return json.dumps([{"paper": paper, "numComments": 2, "title": s.title}]).encode()


def arxiv_atom(s: Strings) -> bytes:
    authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in s.authors)
    x = escape(s.extra)
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
        "<id>https://arxiv.org/api/x</id><title>arXiv Query</title>\n"
        "<opensearch:itemsPerPage>10</opensearch:itemsPerPage>"
        "<opensearch:totalResults>1</opensearch:totalResults>"
        "<opensearch:startIndex>0</opensearch:startIndex>\n"
        "<entry><id>http://arxiv.org/abs/2612.00002v1</id>"
        f"<title>{escape(s.title)}</title><summary>{escape(s.abstract)}</summary>"
        f'<link href="https://arxiv.org/abs/2612.00002v1" rel="alternate" type="text/html"/>'
        f'<link href="https://arxiv.org/pdf/{x}" rel="related" type="application/pdf" title="pdf"/>'
        f'<category term="{x}" scheme="http://arxiv.org/schemas/atom"/>'
        "<published>2026-06-10T00:00:00Z</published><updated>2026-06-10T00:00:00Z</updated>"
        f"<arxiv:comment>{x}</arxiv:comment><arxiv:journal_ref>{x}</arxiv:journal_ref>"
        f'<arxiv:primary_category term="{x}"/>{authors}'
        f"<author><name>Aff Author</name><arxiv:affiliation>{x}</arxiv:affiliation></author>"
        "</entry></feed>\n"
    ).encode()


def arxiv_rss(s: Strings) -> bytes:
    x = escape(s.extra)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel>'
        "<title>cs.LG updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.LG</link>"
        "<description>x</description>"
        f"<item><title>{escape(s.title)}</title><link>https://arxiv.org/abs/2612.00003</link>"
        "<description>arXiv:2612.00003v1 Announce Type: new \n"
        f"Abstract: {escape(s.abstract)}</description>"
        '<guid isPermaLink="false">oai:arXiv.org:2612.00003v1</guid>'
        f"<category>{x}</category><pubDate>Mon, 27 Apr 2026 00:00:00 -0400</pubDate>"
        f"<arxiv:announce_type>{x}</arxiv:announce_type><arxiv:DOI>{x}</arxiv:DOI>"
        f"<dc:creator>{escape(', '.join(s.authors))}</dc:creator></item>"
        "</channel></rss>\n"
    ).encode()


def feed(s: Strings) -> bytes:
    x = escape(s.extra)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{x}</title><link>https://lab.example.org/</link><description>{x}</description>"
        f"<item><title>{escape(s.title)}</title><link>https://lab.example.org/post/{x}</link>"
        f"<description>{escape('<p>' + s.abstract + '</p>')}</description>"
        f"<author>{escape(s.authors[0])}</author><category>{x}</category>"
        "<pubDate>Mon, 27 Apr 2026 00:00:00 -0400</pubDate></item>"
        "</channel></rss>\n"
    ).encode()


def dossier(s: Strings) -> bytes:
    x = s.extra.replace("\n", " ")
    return (
        f"# {s.title.replace(chr(10), ' ')}\n\n"
        f"> 🤖 Authored by an AI agent — **{x}** ({x}, operated by {x}, accountable: {x}, {x}).\n\n"
        "- **status:** seedling  ·  **importance:** 5/10\n"
        "- **created:** 2026-06-04  ·  **last tended:** 2026-06-04\n"
        f"- **canonical:** /dossier/hostile-{x}\n\n"
        "## Claims\n\n"
        f"### [caveat] {s.abstract.replace(chr(10), ' ')}\n\n"
        "**Sources:**\n"
        f"- `paper` [{x}](https://arxiv.org/abs/2606.05152) — “{x}”\n\n"
        "**Provenance history** (how this claim ripened):\n"
        f"- `2026-06-04` **asserted as caveat** — {x}\n"
    ).encode()


def river_page(s: Strings) -> bytes:
    x = s.extra.replace("\n", " ")
    return (
        f"#hostile-{x}\n\n1 posts · newest first · all tags\n\n"
        "🐎\n"
        f"{x} Frontier capability @juno · 4d{x.split()[0]} caveat{x.split()[0]}\n\n"
        f"{s.title.replace(chr(10), ' ')[:_HF_TITLE]}\n\n{s.abstract}\n\n"
        f"{x} arxiv.org/abs/2606.05152 paper\n\n"
        "The Collagen River — a private, local knowledge feed.\n"
    ).encode()


def backup(s: Strings) -> bytes:
    x = s.extra
    source = {"kind": "paper", "url": "https://arxiv.org/abs/2606.05152", "label": x}
    document = {
        "format": "river-backup",
        "version": 1,
        "papers": [
            {
                "title": s.title,
                "abstract": s.abstract,
                "arxiv": {"id": "2612.00004", "version": 1},
                "authors": list(s.authors),
                "categories": [x],
                "primary_category": x,
                "links": [{"label": x, "url": f"https://example.org/{x}"}],
                "organization": x,
                "extra": {x: x, "list": [x]},
                "state": "read",
                "starred": True,
                "tags": [x, "fine"],
                "aliases": [x],
                "discoveries": [
                    {
                        "source": x,
                        "seen_at": "2026-06-01T00:00:00+00:00",
                        "origin": x,
                        "signal": {x: x},
                    }
                ],
            }
        ],
        "dossiers": [
            {
                "slug": f"hostile-{x}",
                "title": s.title,
                "authorship": {"agent": x, "model": x},
                "canonical": x,
                "claims": [
                    {
                        "text": s.abstract,
                        "badge": "caveat",
                        "sources": [source | {"quote": {"exact": x, "prefix": x}}],
                        "events": [{"on": "2026-06-04", "action": x, "badge": x, "note": x}],
                    }
                ],
            }
        ],
        "posts": [
            {
                "tag": x,
                "author": x,
                "handle": x,
                "beat": x,
                "age": x,
                "badge": x,
                "body": s.abstract,
                "sources": [source],
                "avatar": x,
            }
        ],
    }
    return json.dumps(document).encode()


FORMATS: dict[str, Callable[[Strings], bytes]] = {
    "hf-page": hf_page,
    "hf-json": hf_json,
    "arxiv-atom": arxiv_atom,
    "arxiv-rss": arxiv_rss,
    "feed": feed,
    "dossier": dossier,
    "river-page": river_page,
    "backup": backup,
}
XML_FORMATS = frozenset({"arxiv-atom", "arxiv-rss", "feed"})
SUFFIX = {"hf-json": ".json", "backup": ".json", "dossier": ".md"} | dict.fromkeys(
    XML_FORMATS, ".xml"
)


def with_invalid_utf8(data: bytes) -> bytes:
    """Invalid UTF-8 spliced in where the title is."""
    return data.replace(b"Hostile title", b"Hostile title " + INVALID_UTF8, 1)


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + ']>\n<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
    "<opensearch:totalResults>1</opensearch:totalResults>"
    "<entry><id>http://arxiv.org/abs/2612.00009v1</id><title>&lol9;</title></entry></feed>\n"
).encode()
ONE_LINE_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;">]><rss version="2.0"><channel><title>&c;</title><item>'
    b"<title>&c;</title><link>https://lab.example.org/x</link></item></channel></rss>"
)
XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<rss version="2.0"><channel><title>Lab</title><item><title>&xxe;</title>'
    b"<link>https://lab.example.org/x</link></item></channel></rss>\n"
)
XXE_PARAMETER = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd">'
    b"%remote;]>\n"
    b'<rss version="2.0"><channel><title>Lab</title><item><title>t</title>'
    b"<link>https://lab.example.org/x</link></item></channel></rss>\n"
)
# An external entity in EBCDIC (cp037): not ASCII-compatible, so a guard that reads the bytes
# as ASCII sees no markup (a refresh of it as a [[feed]] found "1 new"). `river import` hands
# the parsers an XML file's own bytes when it declares an encoding other than UTF-8, so these
# too.
XXE_EBCDIC = (
    '<?xml version="1.0" encoding="cp037"?>\n'
    '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n'
    '<rss version="2.0"><channel><title>Lab</title><item><title>&xxe;</title>'
    "<link>https://lab.example.org/x</link></item></channel></rss>\n"
).encode("cp037")
# The same attacks in feeds that are not well-formed, which River reads leniently: HTML's named
# entities with no DTD that defines them, and a comment before the XML declaration (expat
# cannot reach the root: feedparser's lenient reading decides the shape).
LENIENT_LAUGHS = b"<!-- <b>a lab's feed</b> -->\n" + ONE_LINE_LAUGHS.replace(
    b"<title>&c;</title><item>", b"<title>&c; &nbsp;</title><item>"
)
LENIENT_XXE = XXE.replace(b"<title>Lab</title>", b"<title>Caf&eacute;</title>")
ENTITY_ATTACKS = {
    "billion-laughs": BILLION_LAUGHS,
    "one-line-laughs": ONE_LINE_LAUGHS,
    "xxe-file": XXE,
    "xxe-parameter": XXE_PARAMETER,
    "xxe-ebcdic": XXE_EBCDIC,
    "lenient-laughs": LENIENT_LAUGHS,
    "lenient-xxe": LENIENT_XXE,
}
