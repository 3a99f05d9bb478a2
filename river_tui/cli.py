"""The ``river`` command. User errors are one line on stderr and a non-zero exit status."""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from river_tui import __version__
from river_tui.domain import QueryError, Source, TriageState, normalize_tag
from river_tui.domain.text import display, display_json, without_surrogates
from river_tui.exports.atomic import ExportError, check_target, write_atomic
from river_tui.remembered import UI_STATE
from river_tui.settings import Settings, SettingsError, load_settings
from river_tui.sources import ImportFailure

# Each command imports what only it needs (the parsers, the refresh, the exporters) when it
# runs: `river` alone opens the reader, and its first screen should not wait for them.
from river_tui.store.db import describe, is_fault
from river_tui.store.library import Library, LibraryError, PaperFilter
from river_tui.terminal import inert_output, underlying

if TYPE_CHECKING:
    import argparse

    from river_tui.domain import Dossier

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


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


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace | SimpleNamespace:
    """The command line. Opening the reader (``river``, ``river --db PATH``), the start that is
    timed, is read without argparse: importing it and building the commands' eleven parsers
    took 5-7 ms before the first screen. Anything else goes to the whole parser, which gives
    the messages and the help (``tests/test_cli.py`` holds the two to the same answers)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    match argv:
        case []:
            return SimpleNamespace(command=None, db=None)
        case ["--db", str(path)] if path and not path.startswith("-"):
            return SimpleNamespace(command=None, db=Path(path))
        case [str(option)] if option.startswith("--db=") and option[5:6] not in ("", "-"):
            return SimpleNamespace(command=None, db=Path(option.removeprefix("--db=")))
    return _text_arguments(build_parser().parse_args(argv))


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
    import argparse

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

    p = sub.add_parser("list", parents=[common], help="list papers, newest first")
    p.add_argument("--beat", metavar="B", help="only papers on this beat")
    p.add_argument("--tag", metavar="T", help="only papers with this tag (yours or a beat's)")
    p.add_argument(
        "--state", metavar="S", choices=[s.value for s in TriageState], help="new, read, ..."
    )
    p.add_argument(
        "--query",
        "-q",
        metavar="Q",
        help='search: words, "phrases", -word (or NOT word), OR, AND, ti: au: abs: cat: tag: beat: '
        "is:new|read|skipped|archived|starred|promoted since:DATE before:DATE "
        "(a query starting with - needs --query=-…)",
    )
    p.add_argument("--limit", type=_limit, default=-1, metavar="N", help="at most N papers")
    p.add_argument("--json", action="store_true", help="a JSON array instead of lines")

    p = sub.add_parser("show", parents=[common], help="everything about one paper")
    p.add_argument("id", metavar="ID", help="arXiv id (any version), provisional id or alias")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("refresh", parents=[common], help="fetch new papers from the sources")
    p.add_argument("--beat", metavar="B", help="only this beat's queries")
    p.add_argument(
        "--source",
        metavar="S",
        choices=[s.value for s in Source],
        help="hf, arxiv, arxiv-rss, feed",
    )
    p.add_argument("--force", action="store_true", help="ask again what was answered today")

    p = sub.add_parser("export", parents=[common], help="write a dossier or BibTeX")
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
    e = what.add_parser("bibtex", parents=[common], help="BibTeX entries with arXiv eprints")
    e.add_argument("--dossier", metavar="SLUG", help="the papers a dossier's claims cite")
    e.add_argument("--query", "-q", metavar="Q", help="the papers a search finds")
    e.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here, not stdout")
    e.add_argument("--force", action="store_true", help="replace FILE if it exists")

    p = sub.add_parser("doctor", parents=[common], help="paths, counts and an integrity check")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("backup", parents=[common], help="copy the library safely, even while open")
    p.add_argument("path", type=Path, metavar="PATH", help="the copy to write")
    p.add_argument("--force", action="store_true", help="replace PATH if it exists")
    return parser


def _limit(text: str) -> int:
    """``--limit``: a whole number of papers, 0 or more (argparse reports the error)."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= value <= 2**31:
        raise argparse.ArgumentTypeError(f"give a number of papers from 0 to {2**31}")
    return value


def _open(db: Path, config: Settings, create: bool = True) -> Library:
    """The library at ``db``; ``create=False`` (commands that only read): one that is not
    there is an error, instead of a new empty library (and folders) at a mistyped path."""
    if not create and not Path(db).exists():
        raise LibraryError(f"{db}: no library here yet (`river` or `river import FILE` makes one)")
    return Library.open(db, config.beats)


def cmd_import(args: argparse.Namespace, config: Settings) -> int:
    from river_tui.importing import import_file

    status = EXIT_OK
    with _open(args.db, config) as library:
        for path in args.files:
            try:
                report = import_file(library, path, args.as_of, config.badges)
            except ImportFailure as exc:
                print(f"river: {exc}", file=sys.stderr)
                status = EXIT_ERROR
                continue
            print(report.summary())
    return status


def cmd_list(args: argparse.Namespace, config: Settings) -> int:
    from river_tui.report import paper_json, render_summary_line

    if args.beat and args.beat not in {b.name for b in config.beats}:
        known = ", ".join(b.name for b in config.beats)
        raise UsageError(f"no beat named {args.beat!r} (beats: {known})")
    flt = PaperFilter(
        beat=args.beat,
        tag=args.tag,
        state=TriageState(args.state) if args.state else None,
        query=args.query,
    )
    with _open(args.db, config, create=False) as library:
        summaries = library.papers(flt, limit=args.limit)
        if args.json:
            records = [library.record(s.pk) for s in summaries]
            out = [paper_json(r) for r in records if r is not None]
            print(display_json(out, indent=2))
        else:
            for summary in summaries:
                print(render_summary_line(summary))
    return EXIT_OK


def cmd_show(args: argparse.Namespace, config: Settings) -> int:
    from river_tui.report import paper_json, render_record

    with _open(args.db, config, create=False) as library:
        record = library.find(args.id)
        if record is None:
            raise UsageError(f"no paper with id {args.id!r} in {args.db}")
        if args.json:
            print(display_json(paper_json(record, full=True), indent=2))
        else:
            print(render_record(record))
    return EXIT_OK


def cmd_refresh(args: argparse.Namespace, config: Settings) -> int:
    from river_tui.progress import progress_for, summary_table
    from river_tui.refresh import Refresher, make_fetcher, plan

    if args.beat and args.beat not in {b.name for b in config.beats}:
        raise UsageError(f"no beat named {args.beat!r}")
    jobs = plan(
        config.beats, config.sources, args.beat, Source(args.source) if args.source else None
    )
    if not jobs:
        raise UsageError("nothing to refresh: no beat or feed asks these sources")
    with (
        _open(args.db, config) as library,
        make_fetcher(config.sources, config.paths.data_dir) as fetcher,
        progress_for(sys.stderr) as progress,
    ):
        report = Refresher(library, fetcher, config.sources).run(
            jobs, force=args.force, on_event=progress
        )
    if report.offline:
        print("river: offline: no source could be reached; nothing changed", file=sys.stderr)
        return EXIT_ERROR
    print(summary_table(report))
    return EXIT_OK if report.ok else EXIT_ERROR


def _river_text(library: Library, config: Settings, tag: str | None, beat: str | None) -> str:
    from river_tui.exports.river_md import render_river

    if beat is not None:
        match = next((b for b in config.beats if b.name.casefold() == beat.casefold()), None)
        if match is None:
            raise UsageError(f"no beat named {beat!r}")
        posts = [p for p in library.posts() if p.beat.casefold() == match.name.casefold()]
        return render_river(normalize_tag(match.tags[0] if match.tags else match.slug), posts)
    tag = normalize_tag(tag or "")
    return render_river(tag, library.posts(tag))


def _dossier(library: Library, slug: str) -> Dossier:
    """The dossier ``slug`` names; a :class:`UsageError` listing the dossiers when none does."""
    dossier = library.dossier(slug)
    if dossier is None:
        known = ", ".join(d.slug for d in library.dossiers()) or "none"
        raise UsageError(f"no dossier {slug!r} (dossiers: {known})")
    return dossier


def cmd_export(args: argparse.Namespace, config: Settings) -> int:
    from river_tui.exports.backup_json import render_backup
    from river_tui.exports.bibtex import render_bibtex
    from river_tui.exports.dossier_md import render_dossier
    from river_tui.store.backup import part_of_library

    if args.output is not None:
        if why := part_of_library(args.db, args.output):
            raise ExportError(f"{args.output}: {why}; choose another file")
        check_target(args.output, args.force)  # before the work of rendering, not after it
    with _open(args.db, config, create=False) as library:
        if args.what == "dossier":
            text = render_dossier(_dossier(library, args.slug))
        elif args.what == "river":
            text = _river_text(library, config, args.tag, args.beat)
        elif args.what == "json":
            records = [library.record(s.pk) for s in library.papers()]
            dossiers = [library.dossier(d.slug) for d in library.dossiers()]
            text = render_backup(
                [r for r in records if r is not None],
                [d for d in dossiers if d is not None],
                library.posts(),
            )
        else:
            if args.dossier is not None:
                _dossier(library, args.dossier)  # one that does not exist cites nothing
            flt = PaperFilter(dossier=args.dossier, query=args.query)
            records = [library.record(s.pk) for s in library.papers(flt)]
            text = render_bibtex([r.paper for r in records if r is not None])
    # A file gets what stdout would: inert text (the JSON backup escapes instead, losslessly).
    text = display(text)
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_atomic(args.output, text, force=args.force)
        print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace, config: Settings) -> int:
    from river_tui.report import render_health

    where = config.paths
    paths = {
        "library": str(args.db),
        "data folder": str(where.data_dir),
        "config folder": str(where.config_dir),
        "beats": str(where.beats),
        "settings": str(where.config or where.config_dir / "config.toml (not present)"),
        "theme": str(where.data_dir / UI_STATE),
    }
    if not Path(args.db).exists():
        missing = "library not created yet: `river` or `river import FILE` creates it"
        if args.json:
            print(json.dumps({"paths": paths, "ok": True, "library": None, "note": missing}))
        else:
            print(render_health(paths, None, len(config.beats)))
            print(missing)
        return EXIT_OK
    with _open(args.db, config) as library:
        health = library.health()
    if args.json:
        print(json.dumps({"paths": paths, "ok": health.ok, **asdict(health)}, indent=2))
    else:
        print(render_health(paths, health, len(config.beats)))
    return EXIT_OK if health.ok else EXIT_ERROR


def cmd_backup(args: argparse.Namespace, config: Settings) -> int:
    with _open(args.db, config, create=False) as library:
        written = library.backup(args.path, force=args.force)
    print(f"backed up {args.db} to {written}")
    return EXIT_OK


def cmd_tui(args: argparse.Namespace | SimpleNamespace, config: Settings) -> int:
    from river_tui.ui.app import RiverApp  # Textual loads only for the reader.

    # Opened here so a bad library is a one-line error, not a traceback inside the TUI; the
    # reader then uses this connection (and closes it when it quits).
    library = _open(args.db, config)
    app = RiverApp(
        db_path=Path(args.db), config=config, state_dir=config.paths.data_dir, library=library
    )
    # What start-up made so far (modules, classes, the config) lives as long as the reader: the
    # collector need not walk it again. It stays off until the reader's first frame is painted
    # (RiverApp.collector_on; see river_tui.launch).
    gc.freeze()
    app.run()
    return EXIT_OK


COMMANDS = {
    "import": cmd_import,
    "list": cmd_list,
    "show": cmd_show,
    "refresh": cmd_refresh,
    "export": cmd_export,
    "doctor": cmd_doctor,
    "backup": cmd_backup,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``river`` with ``argv``; everything it prints is made inert (river_tui.terminal)."""
    with inert_output():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    args = parse_args(argv)
    try:
        config = load_settings(db=args.db)
        args.db = config.paths.db
        command = COMMANDS.get(args.command or "", cmd_tui)
        if command is not cmd_tui:
            gc.enable()  # only the reader's start-up runs without it (river_tui.launch)
        return command(args, config)
    except (UsageError, QueryError) as exc:
        print(f"river: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (LibraryError, SettingsError, ImportFailure, ExportError) as exc:
        print(f"river: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
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
