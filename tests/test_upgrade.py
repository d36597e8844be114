"""`bmz format --upgrade`: 0.2.0/0.2.1 typed lists become one `collection`, losslessly."""

from __future__ import annotations

from pathlib import Path

import pytest

from bmz_collection.cli.main import main
from bmz_collection.engine.upgrade import upgrade_text
from bmz_collection.engine.validate import check_collection
from bmz_collection.io.fsio import FileTree

OLD = """\
# An ImJoy-era partner collection
format_version: 0.2.1
type: collection
name: Old Partner
description: Resources listed by type, as format 0.2.1 did.
cite: [{text: A paper, doi: 10.5281/zenodo.1}]
documentation: https://example.org/docs.md
tags: [old]
config: {id: old, logo: "https://example.org/logo.png"}
application:
  # the first app
  - id: app-one   # inline note
    name: App one
    description: The first app.
    source: https://example.org/a
dataset:
- id: ds
  type: dataset
  name: A dataset
  description: Some images.
  source: https://example.org/ds
"""

UPGRADED = """\
# An ImJoy-era partner collection
format_version: 0.2.2
type: collection
name: Old Partner
description: Resources listed by type, as format 0.2.1 did.
cite: [{text: A paper, doi: 10.5281/zenodo.1}]
documentation: https://example.org/docs.md
tags: [old]
config: {id: old, logo: "https://example.org/logo.png"}
collection:
  # the first app
  - id: app-one   # inline note
    type: application
    name: App one
    description: The first app.
    source: https://example.org/a
  - id: ds
    type: dataset
    name: A dataset
    description: Some images.
    source: https://example.org/ds
"""


def entries(text: str, tmp_path: Path) -> list[tuple[str, dict[str, object]]]:
    result = check_collection(
        text.encode(), "collection.yaml", FileTree(tmp_path), collection_id="old", display="c"
    )
    assert result.ok, [f.one_line() for f in result.findings]
    return [
        (e.id, {k: v for k, v in e.data.items() if k != "format_version"}) for e in result.entries
    ]


def test_typed_lists_move_into_collection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "collection.yaml"
    path.write_text(OLD)
    assert main(["format", "--upgrade", str(path)]) == 1
    assert path.read_text() == UPGRADED
    assert capsys.readouterr().out == f"reformatted {path}\n"
    assert entries(UPGRADED, tmp_path) == entries(OLD, tmp_path)
    assert main(["format", "--upgrade", str(path)]) == 0  # nothing left to do


def test_check_upgrade_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "collection.yaml"
    path.write_text(OLD)
    assert main(["format", "--check", "--upgrade", str(path)]) == 1
    assert path.read_text() == OLD
    assert main(["format", "--check", str(path)]) == 1  # not canonical either: `- id: ds`


@pytest.mark.parametrize(
    "text",
    [
        UPGRADED,
        OLD.replace("format_version: 0.2.1", "format_version: 0.2.3"),  # not ours to touch
        "format_version: 0.2.1\ntype: application\nname: a\ndescription: b\n",
    ],
)
def test_nothing_to_upgrade_leaves_the_text(text: str) -> None:
    assert upgrade_text(text) == text
