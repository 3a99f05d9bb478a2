"""The layers stay apart: domain, store and sources never import Textual (nor the UI)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "river_tui"
FENCED = ("domain", "store", "sources", "learning")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", FENCED)
def test_layer_source_never_names_textual_or_the_ui(layer: str) -> None:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, f"no modules in {layer}"
    for path in files:
        for name in imported_modules(path):
            assert not name.startswith(("textual", "river_tui.ui")), f"{path} imports {name}"


def test_the_reader_session_names_no_textual_nor_the_ui() -> None:
    """``river_tui.reader`` is plain Python: the screens draw it, it never draws."""
    files = sorted((PACKAGE / "reader").rglob("*.py"))
    assert files, "no modules in reader"
    for path in files:
        for name in imported_modules(path):
            assert not name.startswith(("textual", "river_tui.ui")), f"{path} imports {name}"


def test_domain_does_no_io_and_no_sql() -> None:
    for path in sorted((PACKAGE / "domain").rglob("*.py")):
        for name in imported_modules(path):
            assert name.split(".")[0] not in {
                "sqlite3",
                "sqlite_utils",
                "httpx",
                "os",
                "pathlib",
            }, f"{path} imports {name}"


def test_only_the_store_speaks_sql() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.is_relative_to(PACKAGE / "store"):
            continue
        names = imported_modules(path)
        assert not names & {"sqlite3", "sqlite_utils"}, f"{path} imports SQLite directly"


def test_importing_the_core_loads_no_textual() -> None:
    code = (
        "import sys\n"
        "import river_tui.domain, river_tui.store.library, river_tui.sources.detect\n"
        "import river_tui.importing, river_tui.cli, river_tui.reader.views\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


# The seams: what the reader's first screen does without, each costing 10 ms or more to import
# on top of what it loads anyway (``python tests/benchmarks/import_seams.py`` measures each
# group). Each module is imported where it is first used; anything cheaper is imported at the
# top of the module that uses it.
SEAMS: dict[str, tuple[str, ...]] = {
    "the importers (the parsers, their sandbox)": ("river_tui.importing", "river_tui.snapshot"),
    "writing papers (merge-on-write, its title rule, rapidfuzz)": (
        "river_tui.store.ingest",
        "river_tui.domain.merge",
        "rapidfuzz",
    ),
    "feeds (feedparser)": ("feedparser", "river_tui.sources.feed"),
    "the refresh (httpx, its runner and progress bar)": (
        "httpx",
        "river_tui.refresh.runner",
        "river_tui.refresh.harvest",
        "river_tui.progress",
        "river_tui.bulk_progress",
    ),
    "sqlite-utils (river doctor)": ("sqlite_utils",),
    "the command line's commands (reports, exporters)": ("river_tui.commands",),
    "the screens pushed over the reader": (
        "river_tui.ui.components.dialogs",
        "river_tui.ui.components.tagger",
        "river_tui.ui.components.dossiers",
        "river_tui.ui.components.claim_editor",
        "river_tui.ui.components.help",
        "river_tui.ui.components.palette",
        "river_tui.ui.components.suggestions",
        "river_tui.ui.components.authors",
        "river_tui.ui.components.note_editor",
        "river_tui.reader.notes",
    ),
    "learning (scikit-learn)": (
        "sklearn",
        "river_tui.learning.model",
        "river_tui.learning.suggest",
    ),
    "editing beats.toml (tomlkit)": (
        "tomlkit",
        "river_tui.settings.editor",
        "river_tui.beat_terms",
    ),
    "managing the feeds (tomlkit, OPML, defusedxml)": (
        "river_tui.feeds",
        "river_tui.feeds_command",
        "river_tui.settings.feeds",
        "river_tui.sources.opml",
        "river_tui.exports.opml",
        "river_tui.ui.components.feeds",
        "defusedxml",
    ),
    "dossiers and claims": (
        "river_tui.domain.claims",
        "river_tui.store.claims",
        "river_tui.store.tending",
        "river_tui.reader.claims",
        "textual.widgets._markdown",
        "river_tui.ui.components.tending",
    ),
}
LOADED_WHEN_FIRST_USED = tuple(module for group in SEAMS.values() for module in group)


def test_the_reader_starts_without_the_claims_dialogs_or_network_modules() -> None:
    """What the ``river`` command imports before the reader's first screen: none of the
    modules for dossiers and claims, the dialogs, the help, the palette, the search bar, the
    importers, the write path of papers (ids, merging), the search language, the triage log,
    the doctor, the refresh or the network:
    each loads when first used (docs/performance.md,
    "Start-up", has what they cost)."""
    code = (
        "import sys\n"
        "import river_tui.cli, river_tui.ui.app\n"
        f"print(','.join(m for m in {LOADED_WHEN_FIRST_USED!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_the_reader_paints_its_first_screen_without_them(tmp_path: Path) -> None:
    """The same list, at the moment the reader's first screen is painted: ``river --db PATH``
    run (headless) on a library with papers, stopped by the first thing River does after that
    frame (the session starts counting the views). Importing the modules proves less: a module
    could still be loaded by composing, mounting or showing the first page."""
    from datetime import date

    from river_tui.importing import import_file
    from river_tui.settings import load_settings
    from river_tui.store.library import Library

    from conftest import seed

    library = tmp_path / "lib.db"
    with Library.open(library, load_settings().beats) as lib:
        import_file(lib, seed("003"), date(2026, 6, 12))
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text("[refresh]\ninterval_minutes = 0\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from river_tui import cli\n"
        "from river_tui.ui.app import RiverApp\n"
        "from river_tui.reader.session import ReaderSession\n"
        "def first_frame_painted(self):\n"
        f"    print(','.join(m for m in {LOADED_WHEN_FIRST_USED!r} if m in sys.modules))\n"
        "    print('rows', self.rows.count)\n"
        "    self.listener.app.exit()\n"
        "ReaderSession.refresh_counts = first_frame_painted\n"
        "run = RiverApp.run\n"
        "RiverApp.run = lambda self, *a, **k: run(self, *a, **{**k, 'headless': True})\n"
        f"sys.exit(cli.main(['--db', {str(library)!r}]))\n"
    )
    env = {**os.environ, "RIVER_CONFIG_DIR": str(config), "RIVER_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    loaded, rows = result.stdout.splitlines()
    assert loaded == ""
    assert rows != "rows 0"  # the stream was filled


def test_every_fixture_is_in_the_repository_with_its_provenance() -> None:
    """A clone with nothing beside it runs every test: no test reads the project's shared
    folder beside the repository, every link under tests/fixtures stays inside the
    repository, and SOURCES.md names each recording."""
    root = Path(__file__).resolve().parent.parent
    fixtures = root / "tests" / "fixtures"
    for path in fixtures.rglob("*"):
        assert path.resolve().is_relative_to(root), f"{path} points outside the repository"
        assert path.exists(), f"{path} is a broken link"
    sources = (fixtures / "real" / "SOURCES.md").read_text(encoding="utf-8")
    for path in (fixtures / "real").iterdir():
        assert path.name == "SOURCES.md" or path.name in sources, path.name
    corpus = (fixtures / "corpus" / "SOURCES.md").read_text(encoding="utf-8")
    for path in (fixtures / "corpus").iterdir():
        assert path.name == "SOURCES.md" or path.name in corpus, path.name
    for path in (root / "tests").rglob("*.py"):
        if path == Path(__file__).resolve():
            continue
        text = path.read_text(encoding="utf-8")
        # The sibling folder named as a path or joined from its parts.
        sibling = ("/".join(("..", "shared")), '/ "' + 'shared"')
        assert not any(name in text for name in sibling), path
