"""Telling the seed document shapes apart."""

from __future__ import annotations

import pytest

from river_tui.sources.detect import Shape, detect_shape

from conftest import seed


@pytest.mark.parametrize(
    ("prefix", "shape"),
    [
        ("000", Shape.RIVER_PAGE),
        ("001", Shape.HF_PAGE),
        ("002", Shape.HF_PAGE),
        ("003", Shape.HF_PAGE),
        ("004", Shape.DOSSIER),
    ],
)
def test_seed_shapes(prefix: str, shape: Shape) -> None:
    assert detect_shape(seed(prefix).read_text(encoding="utf-8")) is shape


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n",
        "The river was high this spring.\n\nWe walked along it for an hour.",
        "# Notes\n\nA heading and a paragraph are not a dossier.",
        "Daily Papers are fun to read.",
    ],
)
def test_unknown_text(text: str) -> None:
    assert detect_shape(text) is None


def test_shape_values() -> None:
    assert [s.value for s in Shape] == ["hf-page", "river-page", "dossier"]
