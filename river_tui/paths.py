"""Where River keeps things: the library, the user's config, and the bundled data."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "river"
PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The user's data folder (``RIVER_DATA_DIR`` overrides the platform's)."""
    return Path(os.environ.get("RIVER_DATA_DIR") or platformdirs.user_data_dir(APP))


def config_dir() -> Path:
    """The user's config folder (``RIVER_CONFIG_DIR`` overrides the platform's)."""
    return Path(os.environ.get("RIVER_CONFIG_DIR") or platformdirs.user_config_dir(APP))


def default_db_path() -> Path:
    """``RIVER_DB`` if set, else ``library.db`` in the user's data folder."""
    env = os.environ.get("RIVER_DB")
    return Path(env).expanduser() if env else data_dir() / "library.db"


def bundled_data_dir() -> Path:
    """The shipped ``data/`` folder: inside the wheel, or beside the package in a checkout."""
    for candidate in (PACKAGE_DIR / "_data", PACKAGE_DIR.parent / "data"):
        if (candidate / "beats.toml").is_file():
            return candidate
    raise FileNotFoundError("River's bundled data folder is missing (data/beats.toml)")


def sample_dir() -> Path:
    return bundled_data_dir() / "sample"
