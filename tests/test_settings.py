"""The settings: config.toml and beats.toml name the right file, line and key in every error."""

from __future__ import annotations

import ast
import dataclasses
import os
import tomllib
from pathlib import Path

import pytest

from river_tui import cli
from river_tui.domain import Source
from river_tui.refresh import plan
from river_tui.settings import SourceSettings, load_settings
from river_tui.settings.toml import Key, key_lines

from conftest import ROOT


def config_dir() -> Path:
    folder = Path(os.environ["RIVER_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def river_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """What ``river list`` says on stderr (it fails: the settings are bad)."""
    status = cli.main(["--db", str(tmp_path / "x.db"), "list"])
    err = capsys.readouterr().err
    assert status == cli.EXIT_ERROR, err
    assert "Traceback" not in err and len(err.splitlines()) == 1
    return err.strip()


LINE_11 = """\
# River's settings. Each [[feed]] needs a url = "https://…" (an http(s) URL).
[sources]
contact = "me@example.org"

[[feed]]
name = "A lab"
url = "https://lab.example.org/feed.xml"

[[feed]]
name = "Another lab"
url = "ftp://other.example.org/feed.xml"
"""


def test_a_bad_feed_url_on_line_11_is_reported_on_line_11(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's case: a comment on line 1 mentions ``url``; the bad ``[[feed]] url`` is on
    line 11. It was reported as config.toml:1."""
    path = config_dir() / "config.toml"
    path.write_text(LINE_11, encoding="utf-8")
    assert river_error(tmp_path, capsys) == (
        f"river: {path}:11: feed #2, key 'url': expected an http(s) URL with a host, "
        "got 'ftp://other.example.org/feed.xml'"
    )


@pytest.mark.parametrize(
    ("text", "line", "where"),
    [
        pytest.param(
            '[sources]\ncontact = "hf_url = x"\n\nhf_url = "ftp://x"\n',
            4,
            "key 'sources.hf_url'",
            id="the-key-in-a-string-before-it",
        ),
        pytest.param(
            '[sources]\ncontact = """\nhf_url = is not set here\n"""\nhf_url = "ftp://x"\n',
            5,
            "key 'sources.hf_url'",
            id="the-key-in-a-multi-line-string",
        ),
        pytest.param(
            "# [refresh] interval_minutes = 5\n[refresh]  # interval_minutes\n"
            "max_results = 5\ninterval_minutes = -1\n",
            4,
            "key 'refresh.interval_minutes'",
            id="the-key-in-comments",
        ),
        pytest.param(
            '[[feed]]\nurl = "https://a.org"\n[[feed]]\nurl = "https://b.org"\n'
            '[[feed]]\nname = "url"\nurl = "file:///etc/passwd"\n',
            7,
            "feed #3, key 'url'",
            id="the-third-entry-of-an-array-of-tables",
        ),
        pytest.param(
            '[keys]\n"help" = "?"\n"stream.star" = "s"\n"stream" = "+++"\n',
            4,
            "key 'keys.stream'",
            id="a-quoted-key-that-prefixes-another",
        ),
        pytest.param(
            '[reader]\nmark_read_after_seconds = 1\n[badges]\nvocabulary = [\n  "claim", # reader\n'
            "  7,\n]\n",
            4,
            "key 'badges.vocabulary'",
            id="a-multi-line-array",
        ),
        pytest.param(
            '[reader]\n# move_on: true or false\nmove_on = "yes"\n',
            3,
            "key 'reader.move_on'",
            id="move-on-not-a-boolean",
        ),
    ],
)
def test_a_bad_setting_is_found_by_the_files_structure_not_its_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int, where: str
) -> None:
    path = config_dir() / "config.toml"
    path.write_text(text, encoding="utf-8")
    assert river_error(tmp_path, capsys).startswith(f"river: {path}:{line}: {where}: ")


@pytest.mark.parametrize(
    ("text", "line", "where"),
    [
        pytest.param(
            '[[beat]]\nname = "A"\ndescription = "include = what a beat needs"\ninclude = ["x"]\n'
            '\n[[beat]]\nname = "B"\n# include: the terms\ntags = ["b"]\ninclude = "x"\n',
            10,
            "beat #2, key 'include'",
            id="include-in-a-string-and-a-comment",
        ),
        pytest.param(
            '[[beat]]\nname = "A"\ninclude = ["x"]\n[beat.queries]\narxiv = "hff"\n'
            '# hff is a typo for hf\nhff = "credit"\n',
            7,
            "beat #1, key 'hff'",
            id="an-unknown-source-named-in-a-value-and-a-comment-first",
        ),
        pytest.param(
            '[[beat]]\nname = "A"\ninclude = ["x"]\n\n[[beat]]\ninclude = ["y"]\n'
            'tags = ["name"]\nname = "A"\n',
            8,
            "beat #2, key 'name'",
            id="a-name-defined-twice",
        ),
    ],
)
def test_a_bad_beat_is_found_by_the_files_structure_not_its_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int, where: str
) -> None:
    path = config_dir() / "beats.toml"
    path.write_text(text, encoding="utf-8")
    assert river_error(tmp_path, capsys).startswith(f"river: {path}:{line}: {where}: ")


TRICKY = """\
# url = "a comment"
[sources]   # [feed] in a comment
contact = "url = x"   # url
hf_url = \"\"\"
url = not a key \"\"\"
'a.b'."c\\u0064" = 1
arr = [ 1, # url
  [2, {x = 3}], "]" ,
  1979-05-27 07:32:00Z ]

[[feed]]
name = 'x'
url = 'https://a'
[[feed]]
url = "http://"
[feed.extra]
url = 1
[[feed]]
  [ keys ]
"stream.star" = "s"
lit = '''
x = 1
'''
after = \"\"\"a\"\"\"\"\"
z = { a.b = [ 1,
  2 ] }
"""


def paths(value: object, key: Key = ()) -> list[Key]:
    """Every key path in what tomllib read, arrays' elements included."""
    found = [key] if key else []
    if isinstance(value, dict):
        for name, item in value.items():
            found += paths(item, (*key, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*key, index))
    return found


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(TRICKY, id="tricky"),
        pytest.param((ROOT / "data" / "beats.toml").read_text(encoding="utf-8"), id="beats"),
        pytest.param((ROOT / "pyproject.toml").read_text(encoding="utf-8"), id="pyproject"),
    ],
)
def test_every_key_tomllib_reads_is_found_on_the_line_that_names_it(text: str) -> None:
    lines = key_lines(text)
    source = text.splitlines()
    for key in paths(tomllib.loads(text)):
        assert key in lines, key
        name, line = key[-1], source[lines[key] - 1]
        if isinstance(name, str) and "\\" not in line:  # a name with escapes reads otherwise
            assert name in line, (key, lines[key])


def test_the_tricky_documents_lines() -> None:
    lines = key_lines(TRICKY)
    assert lines[("sources", "hf_url")] == 4
    assert lines[("sources", "a.b", "cd")] == 6
    assert lines[("sources", "arr", 3)] == 9
    assert lines[("feed", 1, "url")] == 15
    assert lines[("feed", 1, "extra", "url")] == 17
    assert lines[("feed", 2)] == 18
    assert lines[("keys", "stream.star")] == 20
    assert lines[("keys", "after")] == 24
    assert lines[("keys", "z", "a", "b", 1)] == 26


# -- one model, read in one place ------------------------------------------------------------


def test_one_object_holds_every_setting_with_the_command_line_over_the_environment(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text(
        '[sources]\nhf_url = "https://hf.example.org/"\ncontact = "file@example.org"\n'
        '[refresh]\nmax_results = 7\n[keys]\nhelp = "f1"\n',
        encoding="utf-8",
    )
    env = {
        "RIVER_CONFIG_DIR": str(config),
        "RIVER_DATA_DIR": str(tmp_path / "data"),
        "RIVER_DB": str(tmp_path / "from-env.db"),
        "RIVER_CONTACT": "env@example.org",
    }
    settings = load_settings(env=env)
    assert settings.paths.db == tmp_path / "from-env.db"
    assert settings.paths.config == config / "config.toml"
    assert settings.paths.beats.name == "beats.toml" and settings.beats
    assert settings.sources.hf_url == "https://hf.example.org"  # the file, tidied
    assert settings.sources.contact == "env@example.org"  # the environment over the file
    assert settings.sources.max_results == 7
    assert settings.sources.interval_minutes == SourceSettings().interval_minutes  # the default
    assert dict(settings.reader.keys) == {"help": "f1"}
    assert load_settings(db=tmp_path / "given.db", env=env).paths.db == tmp_path / "given.db"
    without = load_settings(env={**env, "RIVER_DB": ""})
    assert without.paths.db == tmp_path / "data" / "library.db"
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.sources = SourceSettings()  # type: ignore[misc]
    with pytest.raises(TypeError):
        settings.reader.keys["help"] = "x"  # type: ignore[index]


SETTINGS = ROOT / "river_tui" / "settings"
ENVIRONMENT_ELSEWHERE = {
    # Read where every library connection opens, the reader's background ones too.
    "store/db.py": {"RIVER_READ_ONLY", "RIVER_MAX_PAGE_COUNT"},
    # Must work when the settings themselves fail.
    "cli.py": {"RIVER_DEBUG"},
}


def _modules() -> list[tuple[Path, ast.Module]]:
    package = ROOT / "river_tui"
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(package.rglob("*.py"))]


def test_one_module_reads_every_settings_file_and_the_environment() -> None:
    """tomllib and platformdirs are used by river_tui.settings alone; a TOML file is read
    elsewhere only for the bundled sample's manifest (data, not a setting); the environment
    is read by the settings, except the three variables that must be read where they act."""
    package = ROOT / "river_tui"
    for path, tree in _modules():
        name = path.relative_to(package).as_posix()
        in_settings = path.is_relative_to(SETTINGS)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                modules.append(getattr(node, "module", None) or "")
                assert in_settings or not {"tomllib", "platformdirs"} & set(modules), name
            if isinstance(node, ast.Name) and node.id == "read_toml" and not in_settings:
                assert name == "importing.py", name
            if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}:
                assert in_settings or name in ENVIRONMENT_ELSEWHERE, name
            variable = node.value if isinstance(node, ast.Constant) else None
            if isinstance(variable, str) and variable.startswith("RIVER_") and variable.isupper():
                assert in_settings or variable in ENVIRONMENT_ELSEWHERE.get(name, set()), name


# -- one spelling per name ---------------------------------------------------------------------


@pytest.mark.parametrize("key", ["arxiv-rss", "arxiv_rss"])
def test_the_rss_source_has_one_name_and_the_former_spelling_still_reads(
    tmp_path: Path, key: str
) -> None:
    """``arxiv-rss`` is the source's name in beats.toml as on the command line and in the fetch
    log; a beats.toml written for an earlier River says ``arxiv_rss`` and plans the same job."""
    (config_dir() / "beats.toml").write_text(
        f'[[beat]]\nname = "A"\ninclude = ["x"]\n[beat.queries]\n{key} = "cs.LG"\n',
        encoding="utf-8",
    )
    settings = load_settings()
    assert settings.beats[0].queries == {"arxiv-rss": "cs.LG"}
    (job,) = plan(settings.beats, settings.sources, source=Source("arxiv-rss"))
    assert job.source is Source.ARXIV_RSS and job.url.endswith("/cs.LG")
    assert job.key.startswith("arxiv-rss|")


def test_both_spellings_in_one_beat_are_an_error_on_the_second(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config_dir() / "beats.toml"
    path.write_text(
        '[[beat]]\nname = "A"\ninclude = ["x"]\n[beat.queries]\narxiv-rss = "cs.LG"\n'
        'arxiv_rss = "cs.AI"\n',
        encoding="utf-8",
    )
    assert river_error(tmp_path, capsys) == (
        f"river: {path}:6: beat #1, key 'arxiv_rss': given twice: 'arxiv_rss' is the former "
        "spelling of 'arxiv-rss'"
    )


def test_one_module_says_where_river_remembers_things() -> None:
    """The theme's file and the saved searches' key are named in river_tui.remembered alone:
    the reader and the CLI go through it."""
    for path, tree in _modules():
        if path.name == "remembered.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in {"ui.json", "saved_searches"}:
                raise AssertionError(f"{path} names {node.value!r}")
