"""Every real file in ../shared/real-world (read there, never copied) formats with its data
preserved, every comment kept and no change on a second run; each asserted per file, here,
independently of the formatter's own run-time checks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bmz_collection.core.formatting import Style, comments, format_text
from bmz_collection.core.loading import decode, parse

from .realworld import REAL_WORLD, needs_real_world

FILES = sorted(REAL_WORLD.rglob("*.yaml")) if REAL_WORLD.is_dir() else []


def same(a: Any, b: Any) -> bool:
    """Equal data with types and key order (JSON text tells 1, 1.0 and true apart)."""
    return json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)


def ink(text: str) -> str:
    return re.sub(r"[ \t\r\n]", "", text)


@needs_real_world
def test_the_real_world_folder_has_the_files_we_expect() -> None:
    assert len(FILES) >= 29


@needs_real_world
@pytest.mark.parametrize(
    "style", [Style(), Style(4), Style(2, False)], ids=["default", "4", "flush"]
)
@pytest.mark.parametrize("path", FILES, ids=[str(f.relative_to(REAL_WORLD)) for f in FILES])
def test_real_file_formats_safely(path: Path, style: Style) -> None:
    text = decode(path.read_bytes(), str(path))
    out = format_text(text, style, file=str(path))

    # data preserved
    assert same(parse(out, "formatted"), parse(text, "original"))
    # every comment kept, in order, on its own line or after content as before
    assert comments(out) == comments(text)
    if "#" in text:
        assert comments(text)
    # only white space moved: every other character is still there, in order
    assert ink(out) == ink(text)
    # idempotent
    assert format_text(out, style) == out
    # canonical
    assert out.endswith("\n") and not out.endswith("\n\n")
    assert "\r" not in out and "\t" not in out
    assert all(line == line.rstrip() for line in out.split("\n"))


@needs_real_world
def test_real_files_change_only_the_lines_that_need_it() -> None:
    """Reviewers see content, not churn: the files already written in 2-space style with
    indented sequences come back unchanged, byte for byte."""
    unchanged = {
        "central/collection_rdf_template.yaml",
        "zero/manifest.bioimage.io.yaml",
        "resources/spec-bioimage-io/example_descriptions/datasets/covid_if_training_data/bioimageio.yaml",
        "resources/spec-bioimage-io/example_descriptions/models/unet2d_nuclei_broad/v0_4_9.bioimageio.yaml",
    }
    for name in unchanged:
        text = (REAL_WORLD / name).read_text(encoding="utf-8")
        assert format_text(text) == text, name
    ilastik = (REAL_WORLD / "ilastik/collection.yaml").read_text(encoding="utf-8")
    out = format_text(ilastik)
    changed = [a for a, b in zip(ilastik.split("\n"), out.split("\n"), strict=True) if a != b]
    assert changed and all(a.startswith("    - {") for a in changed)
