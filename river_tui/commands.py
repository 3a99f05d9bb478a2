"""The ``river`` command's commands (every one but opening the reader): what each reads and
prints. ``river_tui.cli`` parses the command line and loads this module only when a command is
given (a seam: the reports, the exporters and what they load cost about 15 ms that the reader's
first screen does without)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, replace
from datetime import UTC, date, datetime
from pathlib import Path

from river_tui.cli import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, UsageError
from river_tui.domain import Source, TriageState, normalize_tag
from river_tui.domain.authors import Following, author_key, followed_in
from river_tui.domain.beats import beat_named
from river_tui.domain.claims import Claim, Dossier, SourceLink
from river_tui.domain.notes import NoteTooLong
from river_tui.domain.papers import DETAIL
from river_tui.domain.text import counted, display, display_json
from river_tui.exports.atomic import ExportError, check_target, write_output
from river_tui.exports.backup_json import render_backup
from river_tui.exports.bibtex import render_bibtex
from river_tui.exports.csl_json import render_csl_json
from river_tui.exports.dossier_md import render_dossier
from river_tui.exports.ris import render_ris
from river_tui.exports.river_md import render_river
from river_tui.reader.actions import summary_of
from river_tui.remembered import UI_STATE
from river_tui.report import paper_json, render_health, render_record, render_summary_line
from river_tui.settings import Settings
from river_tui.sources import ImportFailure
from river_tui.store.backup import part_of_library
from river_tui.store.learned import READER
from river_tui.store.library import Library, LibraryError, PaperFilter
from river_tui.store.papers import Sort


def _open(db: Path, config: Settings, create: bool = True) -> Library:
    """The library at ``db``; ``create=False`` (commands that only read): one that is not
    there is an error, instead of a new empty library (and folders) at a mistyped path."""
    if not create and not Path(db).exists():
        raise LibraryError(f"{db}: no library here yet (`river` or `river import FILE` makes one)")
    return Library.open(db, config.beats)


def cmd_import(args: argparse.Namespace, config: Settings) -> int:
    # A seam: the parsers (tests/test_layers.py) and Rich's progress bar.
    from river_tui.bulk_progress import count_bar
    from river_tui.importing import import_file

    status = EXIT_OK
    categories = tuple(args.category)
    with _open(args.db, config) as library:
        for path in args.files:
            try:
                with count_bar(str(path), "records") as bar:
                    report = import_file(
                        library, path, args.as_of, config.badges, categories, bar.show
                    )
            except ImportFailure as exc:
                print(f"river: {exc}", file=sys.stderr)
                status = EXIT_ERROR
                continue
            print(report.summary())
            if getattr(report, "interrupted", False):
                return EXIT_INTERRUPTED
    return status


def cmd_harvest(args: argparse.Namespace, config: Settings) -> int:
    # A seam: httpx, the parsers and Rich's progress bar (tests/test_layers.py).
    from river_tui.bulk_progress import count_bar
    from river_tui.refresh import make_fetcher
    from river_tui.refresh.harvest import LIMITS, Harvester, HarvestRequest

    request = HarvestRequest(args.set, args.since, args.until, args.format)
    with (
        _open(args.db, config) as library,
        make_fetcher(config.sources, config.paths.data_dir, **LIMITS) as fetcher,
        count_bar(f"harvest of {request.describe()}", "records") as bar,
    ):
        harvester = Harvester(library, fetcher, config.sources)
        try:
            report = harvester.run(
                request,
                restart=args.restart,
                on_page=lambda p: bar.show(p.done, p.complete, p.records),
            )
        except KeyboardInterrupt:
            print(
                "river: harvest interrupted; the same command goes on from the last page stored",
                file=sys.stderr,
            )
            return EXIT_INTERRUPTED
    print(report.summary())
    if report.error is None:
        return EXIT_OK
    if "badResumptionToken" in report.error:
        then = "run it again with --restart to start over (what was stored stays)"
    else:
        then = "the same command goes on from the last page stored"
    print(f"river: harvest stopped: {report.error}; {then}", file=sys.stderr)
    return EXIT_ERROR


STARRED = "starred"
"""``river list --state starred``: the starred papers, whatever their state."""


def _beat(name: str | None, config: Settings) -> str | None:
    """The beat a ``--beat`` names (any case, or a unique start of its name); None for none."""
    if name is None:
        return None
    try:
        return beat_named(name, config.beats).name
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def paper_filter(args: argparse.Namespace, config: Settings) -> PaperFilter:
    """The papers ``--beat``, ``--tag``, ``--state``, ``--query``, ``--author`` (and the
    exports' ``--dossier``) choose: ``river list`` and the citation exports read them alike."""
    starred = args.state == STARRED
    return PaperFilter(
        beat=_beat(args.beat, config),
        tag=args.tag,
        state=TriageState(args.state) if args.state and not starred else None,
        starred=True if starred else None,
        query=args.query,
        author=_author_name(args.author),
        dossier=getattr(args, "dossier", None),
    )


def cmd_list(args: argparse.Namespace, config: Settings) -> int:
    flt = replace(paper_filter(args, config), sort=Sort(args.sort))
    with _open(args.db, config, create=False) as library:
        model = _learn(library, flt.beat) if flt.sort is Sort.FOR_YOU else None
        summaries = library.papers(flt, limit=args.limit)
        if args.json:
            following = library.following() if model is not None else Following(())
            out = []
            for summary in summaries:
                record = library.record(summary.pk)
                if record is None:
                    continue
                item = paper_json(record)
                if model is not None:
                    item["score"] = library.learned.score(model, summary.pk)
                    item["why"] = [asdict(r) for r in library.learned.why(model, summary.pk)]
                    item["followed"] = followed_in(record.paper.authors, following)
                out.append(item)
            print(display_json(out, indent=2))
        else:
            for summary in summaries:
                print(render_summary_line(summary))
    if not summaries:
        print("river: no paper matches", file=sys.stderr)  # said, not an error
    return EXIT_OK


def _learn(library: Library, beat: str | None) -> str | None:
    """Bring what River learned up to date; the model the order comes from (None, said why
    on standard error, when there is none: the order is the beats' score)."""
    from river_tui.learning.train import update  # a seam: scikit-learn

    outcome = update(library)
    model = library.learned.model_for(beat)
    if model is None:
        why = outcome.why_not(READER, library.decision_labels())
        print(f"river: for you {why}; ordered by the beats' score", file=sys.stderr)
    return model


def cmd_similar(args: argparse.Namespace, config: Settings) -> int:
    with _open(args.db, config, create=False) as library:
        pk = library.resolve(args.id)
        if pk is None:
            raise UsageError(f"no paper with id {args.id!r} in {args.db}")
        found = library.similar(pk, args.limit)
        summaries = {}
        for f in found:
            if (other := library.record(f.pk, DETAIL)) is not None:
                summaries[f.pk] = summary_of(other)
        found = [f for f in found if f.pk in summaries]
        if args.json:
            out = [
                {
                    "id": summaries[f.pk].id,
                    "title": summaries[f.pk].title,
                    "similarity": f.score,
                    "shared": list(f.shared),
                }
                for f in found
            ]
            print(display_json(out, indent=2))
        else:
            for f in found:
                print(f"{render_summary_line(summaries[f.pk])}  ({', '.join(f.shared[:5])})")
    return EXIT_OK


def cmd_mark(args: argparse.Namespace, config: Settings) -> int:
    ids = [i for i in args.ids if i != "-"]
    if "-" in args.ids:  # bytes that are not UTF-8 read as U+FFFD, as in an argument
        ids += sys.stdin.buffer.read().decode("utf-8", errors="replace").split()
    if not ids:
        raise UsageError("no paper ids given")
    state, starred = MARKS[args.how]
    with _open(args.db, config, create=False) as library:
        pks = []
        for paper_id in ids:
            pk = library.resolve(paper_id)
            if pk is None:
                raise UsageError(f"no paper with id {paper_id!r} in {args.db}; nothing marked")
            pks.append(pk)
        changed = library.mark(dict.fromkeys(pks), state, starred)
    papers = counted(len(set(pks)), "paper")
    if changed:
        print(f"{papers} {MARKED[args.how]} ({changed} changed; u in the reader undoes it)")
    else:
        print(f"{papers}: already {MARKED[args.how]}, nothing changed")
    return EXIT_OK


MARKS: dict[str, tuple[TriageState | None, bool | None]] = {
    "star": (None, True),
    "unstar": (None, False),
    "read": (TriageState.READ, None),
    "skip": (TriageState.SKIPPED, None),
    "archive": (TriageState.ARCHIVED, None),
    "new": (TriageState.NEW, None),
}
"""What each flag of ``river mark`` sets: (state, starred)."""
MARKED = {
    "star": "starred",
    "unstar": "unstarred",
    "read": "marked read",
    "skip": "skipped",
    "archive": "archived",
    "new": "marked new",
}


def cmd_show(args: argparse.Namespace, config: Settings) -> int:
    with _open(args.db, config, create=False) as library:
        record = library.find(args.id)
        if record is None:
            raise UsageError(f"no paper with id {args.id!r} in {args.db}")
        if args.json:
            print(display_json(paper_json(record, full=True), indent=2))
        else:
            print(render_record(record))
    return EXIT_OK


def cmd_note(args: argparse.Namespace, config: Settings) -> int:
    """``river note ID``: the note printed; with TEXT (``-``: stdin), ``--edit`` or
    ``--clear``, written as one decision that ``u`` in the reader undoes."""
    from river_tui.reader.notes import EditorError, edit_in_editor

    writing = args.text is not None or args.edit or args.clear
    with _open(args.db, config, create=False) as library:
        pk = library.resolve(args.id)
        if pk is None:
            raise UsageError(f"no paper with id {args.id!r} in {args.db}; nothing changed")
        before = library.note(pk)
        if not writing:
            if before:
                print(before)
            else:
                print(f"river: {args.id} has no note", file=sys.stderr)
            return EXIT_OK
        if args.clear:
            text = ""
        elif args.edit:
            if not config.reader.editor:
                raise UsageError("--edit needs $VISUAL or $EDITOR; nothing changed")
            try:
                text = edit_in_editor(before, config.reader.editor)
            except EditorError as exc:
                raise LibraryError(f"{exc}; the note is unchanged") from None
        elif args.text == "-":  # bytes that are not UTF-8 read as U+FFFD, as in an argument
            text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
        else:
            text = args.text
        try:
            changed = library.set_note(pk, text)
        except NoteTooLong as exc:
            raise UsageError(f"{exc}; nothing changed") from None
        after = library.note(pk)
    if not changed:
        print(f"The note on {args.id} is unchanged." if after else f"{args.id} has no note.")
    elif not after:
        print(f"Note on {args.id} cleared (u in the reader undoes it).")
    else:
        print(
            f"Note on {args.id} {'saved' if before else 'written'}: "
            f"{counted(len(after), 'character')} (u in the reader undoes it)."
        )
    return EXIT_OK


def cmd_refresh(args: argparse.Namespace, config: Settings) -> int:
    # A seam: httpx, the parsers and Rich's progress bar (tests/test_layers.py).
    from river_tui.progress import progress_for, summary_table
    from river_tui.refresh import Refresher, make_fetcher, plan

    args.beat = _beat(args.beat, config)
    with _open(args.db, config) as library:
        jobs = plan(
            config.beats,
            config.sources,
            args.beat,
            Source(args.source) if args.source else None,
            watched=library.watched(),
        )
        if not jobs:
            raise UsageError("nothing to refresh: no beat or feed asks these sources")
        with (
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
    if beat is not None:
        match = next(b for b in config.beats if b.name == _beat(beat, config))
        posts = [p for p in library.posts() if p.beat.casefold() == match.name.casefold()]
        tag = normalize_tag(match.tags[0] if match.tags else match.slug)
        return render_river(tag, posts, datetime.now(UTC))
    from river_tui.reader.views import river_cards

    tag = normalize_tag(tag or "")
    return render_river(tag, river_cards(library, tag), datetime.now(UTC))  # as the reader


def _dossier(library: Library, slug: str) -> Dossier:
    """The dossier ``slug`` names; a :class:`UsageError` listing the dossiers when none does."""
    dossier = library.dossier(slug)
    if dossier is None:
        known = ", ".join(d.slug for d in library.dossiers()) or "none"
        raise UsageError(f"no dossier {slug!r} (dossiers: {known})")
    return dossier


def cmd_export(args: argparse.Namespace, config: Settings) -> int:
    if args.output is not None:
        if why := part_of_library(args.db, args.output):
            raise ExportError(f"{args.output}: {why}; choose another file")
        check_target(args.output, args.force)  # before the work of rendering, not after it
    with _open(args.db, config, create=False) as library:
        if args.what == "dossier":
            from river_tui.reader.claims import public_dossier

            text = render_dossier(public_dossier(_dossier(library, args.slug), library.find))
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
            text = _citations(library, args, config)
    # A file gets what stdout would: inert text (the JSON backup escapes instead, losslessly).
    text = display(text)
    write_output(text, args.output, args.force)
    return EXIT_OK


CITATIONS = {"bibtex": render_bibtex, "ris": render_ris, "csl-json": render_csl_json}
"""``river export FORMAT``'s renderers of citations."""


def _citations(library: Library, args: argparse.Namespace, config: Settings) -> str:
    """The papers the filters choose, in ``args.what``'s format, each under the key it has in
    every export (``Library.citation_keys``). With ``--dossier`` (one that does not exist is
    an error), a paper's link names the arXiv version its claims quote."""
    flt = paper_filter(args, config)
    quoted: dict[str, int] = {}
    if flt.dossier is not None:
        for source in (s for c in _dossier(library, flt.dossier).claims for s in c.sources):
            if source.paper_id and source.quote and source.quote.version:
                held = quoted.get(source.paper_id, 0)
                quoted[source.paper_id] = max(held, source.quote.version)
    records = [r for r in (library.record(s.pk) for s in library.papers(flt)) if r is not None]
    keys = library.citation_keys(r.pk for r in records)
    cited = [(keys[r.pk], r.paper) for r in records]
    if args.what == "bibtex":  # the reader's notes go in BibTeX's note
        return render_bibtex(cited, quoted, {keys[r.pk]: r.note for r in records if r.note})
    return CITATIONS[args.what](cited, quoted)


def cmd_doctor(args: argparse.Namespace, config: Settings) -> int:
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


def cmd_learn(args: argparse.Namespace, config: Settings) -> int:
    with _open(args.db, config, create=False) as library:
        if args.reset:
            dropped = library.learned.forget()
            print(f"forgot {counted(dropped, 'model')}; your decisions are kept")
            return EXIT_OK
        from river_tui.learning.train import update  # a seam: scikit-learn

        outcome = update(library, progress=lambda line: print(line, file=sys.stderr))
        labels = library.learned.labels_by_model(library.beats)
        models = library.learned.models()
        for model, decided in labels.items():
            name = "for you" if model == READER else f"beat {model}"
            if model in models:
                kept = sum(decided.values())
                done = "learned again" if model in outcome.trained else "up to date"
                print(f"{name}: {done}, from {kept} kept and {len(decided) - kept} let go")
            else:
                print(f"{name}: not learned: {outcome.why_not(model, decided)}")
    return EXIT_OK


def cmd_beats(args: argparse.Namespace, config: Settings) -> int:
    """``river beats suggest BEAT`` and ``river beats add BEAT --include|--exclude TERM``."""
    from river_tui.beat_terms import add_term, find_beat, preview
    from river_tui.domain.beat_terms import TermKind, TermRefused
    from river_tui.reader.suggest import preview_lines, suggestion_json

    try:
        beat = find_beat(config.beats, args.beat)
    except TermRefused as exc:
        raise UsageError(str(exc)) from None
    if args.beats_command == "suggest":
        # A seam: scikit-learn (tests/test_layers.py).
        from river_tui.learning.suggest import suggest

        with _open(args.db, config, create=False) as library:
            found = suggest(library, beat)
        if args.json:
            print(display_json([suggestion_json(s) for s in found], indent=2))
        elif not found:
            print(f"river: no term to suggest for {beat.name} yet", file=sys.stderr)
        for s in [] if args.json else found:
            print(f"{s.describe()}  (usefulness {s.usefulness})")
        return EXIT_OK
    kind = TermKind.INCLUDE if args.include is not None else TermKind.EXCLUDE
    term = args.include if args.include is not None else args.exclude
    with _open(args.db, config, create=not args.dry_run) as library:
        try:
            shown = preview(library, beat.name, kind, term)
            for line in preview_lines(shown):
                print(line)
            if args.dry_run:
                return EXIT_OK
            added = add_term(config, library, beat.name, kind, term)
        except TermRefused as exc:
            print(f"river: {exc}; nothing changed", file=sys.stderr)
            return EXIT_ERROR
    print(added.line)
    return EXIT_OK


def cmd_feeds(args: argparse.Namespace, config: Settings) -> int:
    """``river feeds ACTION``."""
    from river_tui import feeds_command  # a seam: tomlkit, OPML (tests/test_layers.py)

    return feeds_command.cmd_feeds(args, config)


def _author_name(name: str | None) -> str | None:
    """``--author`` or a name to follow, checked: one line for a name with nothing to match."""
    if name is not None and author_key(name) is None:
        raise UsageError(f"not an author's name: {name!r} (it needs a letter or a digit)")
    return name


def _papers_by(library: Library, name: str) -> str:
    """``12 papers in the library, 3 new``."""
    total, new = library.count_view(PaperFilter(author=name))
    if not total:
        return "no paper in the library yet"
    return f"{counted(total, 'paper')} in the library, {new} new"


def cmd_follow(args: argparse.Namespace, config: Settings) -> int:
    """``river follow NAME``: a name already followed (or one a followed author matches) is
    said and left; a name no paper has yet is followed all the same (its first paper will be
    marked). ``river follow --list``: one line per author."""
    if args.list == (args.name is not None):
        raise UsageError("give a NAME to follow, or --list (not both)")
    if args.list:
        with _open(args.db, config, create=False) as library:
            authors = library.followed()
            if not authors:
                print("No author is followed (river follow NAME follows one).")
            for author in authors:
                print(f"{author.name}: {_papers_by(library, author.name)}")
        return EXIT_OK
    name = _author_name(args.name)
    assert name is not None
    with _open(args.db, config, create=False) as library:
        try:
            already = library.follow(name)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if already is not None:
            same = "" if already.name == name.strip() else f" (as {already.name})"
            print(f"Already following {name.strip()}{same}.")
            return EXIT_OK
        print(f"Following {name.strip()}: {_papers_by(library, name)}.")
    return EXIT_OK


def cmd_unfollow(args: argparse.Namespace, config: Settings) -> int:
    """``river unfollow NAME``: every followed author the name matches; exit status 1 when
    none is."""
    name = _author_name(args.name)
    assert name is not None
    with _open(args.db, config, create=False) as library:
        gone = library.unfollow(name)
    if not gone:
        print(f"river: not following {name.strip()} (river follow --list)", file=sys.stderr)
        return EXIT_ERROR
    print(f"No longer following {', '.join(a.name for a in gone)}.")
    return EXIT_OK


def cmd_claims(args: argparse.Namespace, config: Settings) -> int:
    """``river claims``: each claim with its dossier, badge, text, sources (the paper, the
    version quoted, the quote), history and what waits for review."""
    with _open(args.db, config, create=False) as library:
        slugs = [d.slug for d in library.dossiers()]
        if args.dossier is not None:
            if args.dossier not in slugs:
                known = ", ".join(slugs) or "none yet"
                raise UsageError(f"no dossier {args.dossier!r} (dossiers: {known})")
            slugs = [args.dossier]
        if args.needs_review:
            found = [(slug, claim) for slug, claim in library.under_review() if slug in slugs]
        else:
            found = [
                (slug, claim)
                for slug in slugs
                if (dossier := library.dossier(slug)) is not None
                for claim in dossier.claims
            ]
        if args.json:  # each source as a link a reader can follow
            from river_tui.reader.claims import public_claim

            found = [(slug, public_claim(claim, library.find)) for slug, claim in found]
    if args.json:
        print(display_json([_claim_json(slug, claim) for slug, claim in found], indent=2))
        return EXIT_OK
    for slug, claim in found:
        review = f"  (needs review: {claim.review})" if claim.review else ""
        if claim.leads:
            review += f" ({counted(len(claim.leads), 'paper')} may bear on it)"
        status = "" if claim.active else f" ({claim.status})"
        print(f"#{claim.id} {slug} [{claim.badge}]{status} {claim.text}{review}")
    return EXIT_OK


def _claim_add(args: argparse.Namespace, config: Settings) -> int:
    """A claim quoting one sentence of a paper's abstract, as the claim editor makes it: the
    sentence must be one of the abstract's (spaces aside)."""
    from river_tui.domain.quotes import quote_of, sentence_of
    from river_tui.reader.actions import shorten
    from river_tui.reader.claims import paper_url

    try:
        badge = config.badges.check(args.badge)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    with _open(args.db, config, create=False) as library:
        record = library.find(args.paper)
        if record is None:
            raise UsageError(f"no paper with id {args.paper!r} in {args.db}")
        abstract = record.paper.abstract
        sentence = sentence_of(abstract, args.quote)
        if sentence is None:
            wanted = " ".join(args.quote.split())
            raise UsageError(f"not a sentence of {record.id}'s abstract: {shorten(wanted, 80)!r}")
        quote = replace(quote_of(abstract, sentence), version=record.paper.version)
        source = SourceLink.make("paper", paper_url(record), record.paper.title, quote)
        claim_id = library.assert_claim(args.dossier, args.text, badge, [source], date.today())
    print(f"Claim #{claim_id} added to {args.dossier}.")
    return EXIT_OK


def _claim_evidence(args: argparse.Namespace, config: Settings) -> int:
    """Attach a paper listed under a claim as new evidence, with a relation, or dismiss it."""
    from river_tui.reader.claims import evidence_source

    with _open(args.db, config, create=False) as library:
        record = library.find(args.paper)
        lead = None
        if record is not None:
            claim = library.claim(args.claim_id)
            lead = (
                next((x for x in claim.leads if x.paper_pk == record.pk), None) if claim else None
            )
        if record is None or lead is None:
            raise UsageError(
                f"{args.paper!r} is not listed under claim #{args.claim_id} as new evidence "
                "(river claims --needs-review --json lists them)"
            )
        if args.dismiss:
            library.dismiss(args.claim_id, record.pk)
            print(f"Dismissed for claim #{args.claim_id}.")
        else:
            source = evidence_source(record, lead.sentence, args.attach)
            library.attach(args.claim_id, record.pk, source, date.today())
            print(f"Attached to claim #{args.claim_id} as {args.attach}.")
    return EXIT_OK


def _claim_json(slug: str, claim: Claim) -> dict[str, object]:
    return {
        "id": claim.id,
        "dossier": slug,
        "badge": claim.badge,
        "status": str(claim.status),
        "text": claim.text,
        "review": claim.review,
        "sources": [
            {
                "kind": str(s.kind),
                "url": s.url,
                "label": s.label,
                "paper": s.paper_id,
                "version": s.quote.version if s.quote else None,
                "quote": s.quote.exact if s.quote else None,
                "relation": str(s.relation) if s.relation else None,
            }
            for s in claim.sources
        ],
        "may_bear": [
            {
                "paper": lead.paper_id,
                "title": lead.title,
                "score": lead.score,
                "sentence": lead.sentence,
                "shared": list(lead.shared),
            }
            for lead in claim.leads
        ],
        "events": [
            {
                "on": e.on.isoformat(),
                "action": e.action,
                "badge": e.badge,
                "note": e.note,
                "by": "River" if e.actor == "river" else "you",
            }
            for e in claim.events
        ],
    }


def cmd_claim(args: argparse.Namespace, config: Settings) -> int:
    """``river claim add …`` and ``river claim review CLAIM --accept | --retract …``."""
    if args.claim_command == "add":
        return _claim_add(args, config)
    if args.claim_command == "evidence":
        return _claim_evidence(args, config)
    reason = args.reason.strip()
    if args.retract and not reason:
        raise UsageError("a retraction needs a reason: --reason TEXT")
    with _open(args.db, config, create=False) as library:
        today = date.today()
        if args.accept:
            library.accept(args.claim_id, reason, today)
            print(f"Claim #{args.claim_id} kept as it is.")
        else:
            library.retract(args.claim_id, reason, today)
            print(f"Claim #{args.claim_id} retracted.")
    return EXIT_OK


COMMANDS = {
    "claim": cmd_claim,
    "claims": cmd_claims,
    "import": cmd_import,
    "harvest": cmd_harvest,
    "learn": cmd_learn,
    "mark": cmd_mark,
    "note": cmd_note,
    "similar": cmd_similar,
    "list": cmd_list,
    "show": cmd_show,
    "refresh": cmd_refresh,
    "export": cmd_export,
    "doctor": cmd_doctor,
    "backup": cmd_backup,
    "beats": cmd_beats,
    "follow": cmd_follow,
    "unfollow": cmd_unfollow,
    "feeds": cmd_feeds,
}
