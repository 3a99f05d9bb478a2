"""The ``river`` command. User errors are one line on stderr and a non-zero exit status."""

from __future__ import annotations

import argparse
import functools
import gc
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from river_tui import __version__
from river_tui.domain import QueryError, Source, TriageState
from river_tui.domain.text import without_surrogates
from river_tui.exports.atomic import ExportError
from river_tui.settings import Settings, SettingsError, load_settings
from river_tui.sources import ImportFailure
from river_tui.store.db import describe, is_fault
from river_tui.store.library import Library, LibraryError
from river_tui.terminal import inert_output, underlying

RELATIONS = ("supports", "contradicts", "context")
"""How an attached paper bears on its claim (``domain.claims.Relation``, a seam: the claims
modules are not loaded to start the reader; tests/test_cli.py checks the two agree)."""

HARVEST_FORMATS = ("arXivRaw", "arXiv")
"""The metadata formats ``river harvest`` asks for (``sources.oai_pmh.FORMATS``, a seam: the
parsers are not loaded to start the reader; tests/test_harvest.py checks the two agree)."""

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 70, 130


class UsageError(Exception):
    """A command line that asks for something impossible (exit status 2)."""


def _db_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=Path,
        default=default,
        help="the library file (default: $RIVER_DB, else library.db in the user data folder)",
    )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line, its text arguments made safe (:func:`_text_arguments`)."""
    args = _reader_args(sys.argv[1:] if argv is None else argv)
    return _text_arguments(args if args is not None else _parser().parse_args(argv))


def _reader_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The command line that opens the reader (``river``, ``river --db PATH``) as the whole
    parser reads it, without building that parser (5 ms of the first screen, whose budget
    is 1.5 times an empty Textual app's); None for any other, which the parser reads."""
    if not argv:
        return argparse.Namespace(db=None, command=None)
    if len(argv) == 2 and argv[0] == "--db":
        path = argv[1]
    elif len(argv) == 1 and argv[0].startswith("--db="):
        path = argv[0].removeprefix("--db=")
    else:
        return None
    if not path or path.startswith("-"):
        return None  # the parser says what is wrong with it
    return argparse.Namespace(db=Path(path), command=None)


@functools.cache
def _parser() -> argparse.ArgumentParser:
    """The parser, built once per process: building it takes 9 ms (argparse looks up a
    translation for every help text), paid once by ``river``, but by every call of
    :func:`main` in a process that calls it many times (the tests call it thousands)."""
    return build_parser()


def _text_arguments(args: argparse.Namespace) -> argparse.Namespace:
    """The command line's boundary for bytes that are not UTF-8: Python gives them as lone
    surrogates (surrogateescape), which no query, lookup or message can use. Every text
    argument gets U+FFFD for each; a path (``Path``) keeps its bytes, to open the file by them
    (it is shown and stored in a printable form where that happens)."""
    for name, value in vars(args).items():
        if isinstance(value, str):
            setattr(args, name, without_surrogates(value))
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            setattr(args, name, [without_surrogates(v) for v in value])
    return args


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="river",
        description="River: a private, local knowledge feed for research papers. "
        "With no command, opens the reader.",
    )
    parser.add_argument("--version", action="version", version=f"river {__version__}")
    _db_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # --db also works after the command name; SUPPRESS keeps it from overwriting the first.
    common = argparse.ArgumentParser(add_help=False)
    _db_option(common, argparse.SUPPRESS)

    p = sub.add_parser("import", parents=[common], help="import saved pages and dossiers")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--as-of",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the day a saved page was saved, for dates shown without a year "
        "(default: the file's modification date)",
    )
    p.add_argument(
        "--category",
        action="append",
        default=[],
        metavar="PATTERN",
        help="arXiv's metadata snapshot: keep only the papers with a category matching "
        "PATTERN, a shell pattern such as 'cs.*' (any of a paper's categories may match; "
        "several patterns apart by commas, or the option again)",
    )

    p = sub.add_parser(
        "harvest",
        parents=[common],
        help="arXiv's metadata over OAI-PMH, page by page; run again, it goes on where it stopped",
    )
    p.add_argument(
        "--set", metavar="SET", help="an OAI-PMH set: cs, math, physics:hep-th… (default: all)"
    )
    p.add_argument(
        "--from",
        dest="since",
        type=_day,
        metavar="YYYY-MM-DD",
        help="only records arXiv changed on or after this day",
    )
    p.add_argument(
        "--until", type=_day, metavar="YYYY-MM-DD", help="only records changed up to this day"
    )
    p.add_argument(
        "--format",
        choices=HARVEST_FORMATS,
        default=HARVEST_FORMATS[0],
        help="arXivRaw (the default: every version's date) or arXiv",
    )
    p.add_argument(
        "--restart",
        action="store_true",
        help="start at the first page, forgetting where a harvest with these arguments stopped",
    )

    p = sub.add_parser("list", parents=[common], help="list papers, newest first")
    _paper_filter_options(p)
    p.add_argument(
        "--sort",
        choices=["newest", "upvotes", "relevance", "for-you"],
        default="newest",
        help="newest first (the default), most upvoted, the beats' score, or your model's "
        "(for-you: learned from your decisions; --json gives each paper's score and why)",
    )
    p.add_argument("--limit", type=_limit, default=-1, metavar="N", help="at most N papers")
    p.add_argument("--json", action="store_true", help="a JSON array instead of lines")

    p = sub.add_parser("similar", parents=[common], help="the papers most like one paper")
    p.add_argument("id", metavar="ID", help="arXiv id (any version), provisional id or alias")
    p.add_argument("--limit", type=_limit, default=10, metavar="N", help="at most N (10)")
    p.add_argument("--json", action="store_true", help="a JSON array instead of lines")

    p = sub.add_parser(
        "learn", parents=[common], help="learn from your decisions now, and say what was learned"
    )
    p.add_argument(
        "--reset",
        action="store_true",
        help="forget what was learned (your decisions stay; it is learned again when next used)",
    )

    p = sub.add_parser(
        "mark", parents=[common], help="star, read, skip or archive papers (undoable with u)"
    )
    p.add_argument(
        "ids", nargs="+", metavar="ID", help="arXiv or provisional ids; - reads them from stdin"
    )
    how = p.add_mutually_exclusive_group(required=True)
    for flag, what in (
        ("--star", "star them"),
        ("--unstar", "take their star away"),
        ("--read", "mark them read"),
        ("--skip", "skip them"),
        ("--archive", "archive them"),
        ("--new", "mark them new again"),
    ):
        how.add_argument(flag, dest="how", action="store_const", const=flag[2:], help=what)

    p = sub.add_parser("follow", parents=[common], help="follow an author: new papers are marked")
    p.add_argument("name", nargs="?", metavar="NAME", help='the name, e.g. "R. Sutton"')
    p.add_argument("--list", action="store_true", help="list the authors followed")
    p = sub.add_parser("unfollow", parents=[common], help="stop following an author")
    p.add_argument("name", metavar="NAME", help="a name a followed author matches")

    p = sub.add_parser("claims", parents=[common], help="the claims of the dossiers")
    p.add_argument("--dossier", metavar="SLUG", help="only this dossier's")
    p.add_argument(
        "--needs-review",
        action="store_true",
        help="only the claims a newer version of a cited paper put under review",
    )
    p.add_argument("--json", action="store_true", help="a JSON array instead of lines")

    p = sub.add_parser("claim", parents=[common], help="decide about one claim")
    claim = p.add_subparsers(dest="claim_command", metavar="WHAT", required=True)
    a = claim.add_parser(
        "add", parents=[common], help="a new claim quoting a sentence of a paper's abstract"
    )
    a.add_argument("--dossier", required=True, metavar="SLUG", help="the dossier it goes in")
    a.add_argument("--paper", required=True, metavar="ID", help="the paper it quotes")
    a.add_argument(
        "--quote", required=True, metavar="SENTENCE", help="a sentence of its abstract, exactly"
    )
    a.add_argument("--badge", required=True, metavar="BADGE", help="its provenance badge")
    a.add_argument("--text", required=True, metavar="TEXT", help="the claim")
    r = claim.add_parser(
        "review", parents=[common], help="answer a review: keep the claim as it is, or retract it"
    )
    r.add_argument("claim_id", type=int, metavar="CLAIM", help="the claim's number (river claims)")
    decision = r.add_mutually_exclusive_group(required=True)
    decision.add_argument("--accept", action="store_true", help="keep it as it is")
    decision.add_argument("--retract", action="store_true", help="retract it (needs --reason)")
    r.add_argument("--reason", default="", metavar="TEXT", help="why (the history keeps it)")
    e = claim.add_parser(
        "evidence",
        parents=[common],
        help="decide about a paper listed under a claim as new evidence: attach or dismiss it",
    )
    e.add_argument("claim_id", type=int, metavar="CLAIM", help="the claim's number (river claims)")
    e.add_argument("paper", metavar="ID", help="the paper listed under it (river claims --json)")
    decision = e.add_mutually_exclusive_group(required=True)
    decision.add_argument(
        "--attach",
        choices=RELATIONS,
        metavar="RELATION",
        help="cite it, quoting its sentence that shares most: supports, contradicts or context",
    )
    decision.add_argument(
        "--dismiss", action="store_true", help="never list it for this claim again"
    )

    p = sub.add_parser("show", parents=[common], help="everything about one paper")
    p.add_argument("id", metavar="ID", help="arXiv id (any version), provisional id or alias")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "note", parents=[common], help="print, write or clear a paper's note (undoable with u)"
    )
    p.add_argument("id", metavar="ID", help="arXiv id (any version), provisional id or alias")
    how = p.add_mutually_exclusive_group()
    how.add_argument(
        "text", nargs="?", metavar="TEXT", help="the note (Markdown); - reads it from stdin"
    )
    how.add_argument("--edit", action="store_true", help="edit it in $VISUAL or $EDITOR")
    how.add_argument("--clear", action="store_true", help="remove it")

    p = sub.add_parser("refresh", parents=[common], help="fetch new papers from the sources")
    p.add_argument("--beat", metavar="B", help="only this beat's queries")
    p.add_argument(
        "--source",
        metavar="S",
        choices=[s.value for s in Source],
        help="hf, arxiv, arxiv-rss, feed",
    )
    p.add_argument("--force", action="store_true", help="ask again what was answered today")

    p = sub.add_parser(
        "export", parents=[common], help="write a dossier, the river, a backup or citations"
    )
    what = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    e = what.add_parser("dossier", parents=[common], help="a dossier as Markdown")
    e.add_argument("slug", metavar="SLUG")
    e.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here, not stdout")
    e.add_argument("--force", action="store_true", help="replace FILE if it exists")
    e = what.add_parser("river", parents=[common], help="a tag's or a beat's river page")
    which = e.add_mutually_exclusive_group(required=True)
    which.add_argument("--tag", metavar="T", help="the river of this tag")
    which.add_argument("--beat", metavar="B", help="the posts on this beat")
    e.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here, not stdout")
    e.add_argument("--force", action="store_true", help="replace FILE if it exists")
    e = what.add_parser("json", parents=[common], help="the whole library, for backup")
    e.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here, not stdout")
    e.add_argument("--force", action="store_true", help="replace FILE if it exists")
    for name, about in CITATION_FORMATS.items():
        e = what.add_parser(name, parents=[common], help=about)
        _paper_filter_options(e)
        e.add_argument("--dossier", metavar="SLUG", help="only papers a dossier's claims cite")
        e.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here, not stdout")
        e.add_argument("--force", action="store_true", help="replace FILE if it exists")

    p = sub.add_parser("beats", parents=[common], help="term suggestions for a beat; add a term")
    act = p.add_subparsers(dest="beats_command", metavar="ACTION", required=True)
    b = act.add_parser(
        "suggest", parents=[common], help="include and exclude terms learned from your decisions"
    )
    b.add_argument("beat", metavar="BEAT", help="the beat's name")
    b.add_argument("--json", action="store_true", help="a JSON array instead of lines")
    b = act.add_parser("add", parents=[common], help="add a term to a beat in your beats.toml")
    b.add_argument("beat", metavar="BEAT", help="the beat's name")
    term = b.add_mutually_exclusive_group(required=True)
    term.add_argument("--include", metavar="TERM", help="a word or phrase that brings papers in")
    term.add_argument("--exclude", metavar="TERM", help="a word or phrase that keeps papers out")
    b.add_argument(
        "--dry-run", action="store_true", help="only list the papers that would join and leave"
    )

    p = sub.add_parser(
        "feeds", parents=[common], help="the feeds followed: list, add, rename, remove, OPML"
    )
    act = p.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    f = act.add_parser("list", parents=[common], help="each feed with its last fetch")
    f.add_argument("--json", action="store_true", help="a JSON array instead of lines")
    f = act.add_parser("add", parents=[common], help="follow a feed (fetched once to check it)")
    f.add_argument("url", metavar="URL", help="the feed's address (RSS or Atom)")
    f.add_argument("--name", metavar="NAME", help="its name (default: the feed's own title)")
    f.add_argument(
        "--no-check", action="store_true", help="add it without fetching it first (offline)"
    )
    f = act.add_parser("rename", parents=[common], help="give a feed another name")
    f.add_argument("name", metavar="NAME", help="the feed's name (or its URL)")
    f.add_argument("new", metavar="NEW", help="its new name")
    f = act.add_parser("remove", parents=[common], help="stop following a feed (its papers stay)")
    f.add_argument("name", metavar="NAME", help="the feed's name (or its URL)")
    f = act.add_parser(
        "import", parents=[common], help="follow the feeds of an OPML file (from any reader)"
    )
    f.add_argument("file", type=Path, metavar="FILE.opml")
    f = act.add_parser("export", parents=[common], help="the feeds as OPML 2.0")
    f.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here, not stdout")
    f.add_argument("--force", action="store_true", help="replace FILE if it exists")

    p = sub.add_parser("doctor", parents=[common], help="paths, counts and an integrity check")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("backup", parents=[common], help="copy the library safely, even while open")
    p.add_argument("path", type=Path, metavar="PATH", help="the copy to write")
    p.add_argument("--force", action="store_true", help="replace PATH if it exists")
    return parser


CITATION_FORMATS = {
    "bibtex": "BibTeX entries with arXiv eprints",
    "ris": "RIS records (Zotero, EndNote, Mendeley)",
    "csl-json": "CSL-JSON items (pandoc, Zotero)",
}
"""The citation formats ``river export`` writes, and what each is."""


def _paper_filter_options(p: argparse.ArgumentParser) -> None:
    """The options that choose papers, for ``river list`` and the citation exports
    (``commands.paper_filter`` reads them)."""
    p.add_argument("--beat", metavar="B", help="only papers on this beat")
    p.add_argument("--tag", metavar="T", help="only papers with this tag (yours or a beat's)")
    p.add_argument(
        "--state",
        metavar="S",
        choices=[*(s.value for s in TriageState), "starred"],
        help="new, read, skipped, archived, or starred",
    )
    p.add_argument(
        "--query",
        "-q",
        metavar="Q",
        help='search: words, "phrases", -word (or NOT word), OR, AND, ti: au: abs: cat: tag: beat: '
        "is:new|read|skipped|archived|starred|promoted since:DATE before:DATE note:WORD "
        "has:note (a query starting with - needs --query=-…)",
    )
    p.add_argument(
        "--author",
        metavar="NAME",
        help='only papers by this author ("R. Sutton" is also "Sutton, Richard S.")',
    )


def _day(text: str) -> str:
    """A day as OAI-PMH takes it: ``YYYY-MM-DD`` (argparse reports the error)."""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day written YYYY-MM-DD: {text!r}") from None


def _limit(text: str) -> int:
    """``--limit``: a whole number of papers, 0 or more (argparse reports the error)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= value <= 2**31:
        raise argparse.ArgumentTypeError(f"give a number of papers from 0 to {2**31}")
    return value


def cmd_tui(args: argparse.Namespace, config: Settings) -> int:
    from river_tui.ui.app import RiverApp  # Textual loads only for the reader.

    # Opened here so a bad library is a one-line error, not a traceback inside the TUI; the
    # reader then uses this connection (and closes it when it quits).
    library = Library.open(args.db, config.beats)
    app = RiverApp(
        db_path=Path(args.db), config=config, state_dir=config.paths.data_dir, library=library
    )
    # What start-up made so far (modules, classes, the config) lives as long as the reader: the
    # collector need not walk it again. It stays off until the reader's first frame is painted
    # (RiverApp.collector_on; see river_tui.launch).
    gc.freeze()
    app.run()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``river`` with ``argv``; everything it prints is made inert (river_tui.terminal)."""
    with inert_output():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    args = parse_args(argv)
    try:
        config = load_settings(db=args.db)
        args.db = config.paths.db
        if not args.command:
            return cmd_tui(args, config)
        gc.enable()  # only the reader's start-up runs without it (river_tui.launch)
        from river_tui import commands  # a seam: the reports and exporters (tests/test_layers.py)

        return commands.COMMANDS[args.command](args, config)
    except (UsageError, QueryError) as exc:
        print(f"river: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (LibraryError, SettingsError, ImportFailure, ExportError) as exc:
        print(f"river: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `river list | head`: the reader went away; nothing to report.
        underlying(sys.stderr).close()
        return EXIT_OK
    except Exception as exc:
        if is_fault(exc):
            # The file is damaged (or full, or read-only) under a read: not a bug in River.
            print(f"river: {args.db}: {describe(exc)}", file=sys.stderr)
            return EXIT_ERROR
        if os.environ.get("RIVER_DEBUG"):
            raise
        print(
            f"river: internal error: {type(exc).__name__}: {exc} "
            "(run again with RIVER_DEBUG=1 for the traceback, and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
