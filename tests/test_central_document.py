"""The central collection.yaml loaded slice by slice: the same data and the same positions as
loading it whole, and the whole load whenever the slices could differ from it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bmz_collection.cli.main import main
from bmz_collection.core import central_document
from bmz_collection.core.central import MARKER
from bmz_collection.core.findings import DocPath, Finding, Severity
from bmz_collection.core.loading import LoadError, load_mapping

HEAD = """\
# the hand-written head
format_version: 0.2.3
type: collection
id: central
name: Central
description: every partner's resources
config:
  partners:
    - id: alpha
      repository: https://github.com/alpha/models
"""

DETAILS = """\
partners:
  - id: alpha
    name: Alpha
    logo: https://example.org/alpha.png
    url: https://bioimage.io/#/?partner=alpha
    resources: 3
"""

ENTRIES = [
    """\
  - id: alpha/one
    type: model
    name: One
    description: >-
      folded text over
      two lines
    authors:
      - name: A. Author
        orcid: 0000-0002-1825-0097
    tags: [a, "b c", 3]
""",
    """\
  - id: alpha/two
    type: dataset
    name: 'Two: quoted'
    description: |
      literal

      with an empty line
    covers:
      - docs/missing.png
    license: GPL-3.0
    extra: {nested: {deeper: [1, 2.5, true, null, 2024-01-02]}}
""",
    """\
  - id: alpha/three
    type: application
    name: Three
    description: "double
      quoted over lines"
    authors:
      - name: B. Author
        orcid: 0000-0002-1825-0098
""",
]


def central_text(entries: list[str] = ENTRIES, details: str = DETAILS) -> str:
    return HEAD + MARKER + "\n" + details + "collection:\n" + "".join(entries)


def paths(value: Any, path: DocPath = ()) -> Iterator[DocPath]:
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from paths(v, (*path, i))


def where(doc: Any, path: DocPath, *, key: bool = False) -> tuple[int | None, int | None]:
    found = doc.locate(Finding("c.yaml", Severity.ERROR, "r", "m", path), key=key)
    return found.line, found.column


@pytest.mark.parametrize("slice_chars", [1, 10_000])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_sliced_load_is_the_whole_load(
    slice_chars: int, newline: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same data; every node, key and missing path positioned where the whole load puts it."""
    monkeypatch.setattr(central_document, "SLICE_CHARS", slice_chars)
    raw = central_text().replace("\n", newline).encode()
    sliced = central_document.load(raw, "c.yaml")
    whole = load_mapping(raw, "c.yaml")
    assert sliced is not None
    assert sliced.data == whole.data
    assert len(sliced.data["collection"]) == 3
    all_paths = [*paths(whole.data), ("collection", 7), ("collection", 1, "missing", 0), ("x",)]
    for path in all_paths:
        for key in (False, True):
            assert where(sliced, path, key=key) == where(whole, path, key=key), (path, key)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (HEAD + "collection:\n" + "".join(ENTRIES), "no marker"),
        (central_text([*ENTRIES[:1], "# a comment at the margin\n", *ENTRIES[1:]]), "comment"),
        (central_text([*ENTRIES, "other: key after the entries\n"]), "a key after the entries"),
        (
            central_text(
                [ENTRIES[0].replace("name: One", "name: &n One"), "  - id: x\n    name: *n\n"]
            ),
            "an alias into another entry",
        ),
        (central_text([ENTRIES[0], "  - id: a\n    id: b\n"]), "a duplicate key"),
        (central_text([ENTRIES[0], "  - id: [unclosed\n"]), "a syntax error"),
        (central_text([ENTRIES[0].replace("tags:", "<<: {x: 1}\n    tags:")]), "a merge key"),
        (central_text(["  -\n    id: x\n"]), "an entry not in the generated layout"),
        (central_text([]), "no entries"),
    ],
)
def test_anything_but_the_generated_layout_loads_whole(
    text: str, why: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(central_document, "SLICE_CHARS", 1)  # every entry a slice of its own
    assert central_document.load(text.encode(), "c.yaml") is None, why


def test_errors_are_the_whole_loads() -> None:
    """A slice that does not load leaves the file to the whole load and its exact finding."""
    raw = central_text([ENTRIES[0], "  - id: a\n    id: b\n"]).encode()
    assert central_document.load(raw, "c.yaml") is None
    with pytest.raises(LoadError) as info:
        load_mapping(raw, "c.yaml")
    assert info.value.finding.rule == "yaml-duplicate-key"


def test_validate_reports_the_same_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`bmz validate` on a central file: findings inside entries (a bad ORCID, a missing
    cover, a deprecated licence) at the lines a whole load gives."""
    path = tmp_path / "collection.yaml"
    path.write_text(central_text())

    def run() -> tuple[int, str]:
        code = main(["validate", "-q", str(path)])
        return code, capsys.readouterr().out

    sliced = run()
    monkeypatch.setattr(central_document, "load", lambda raw, file: None)
    whole = run()
    assert sliced == whole
    assert sliced[0] == 1
    assert ":47:16: error: ORCID" in sliced[1]  # alpha/three's, in the last slice
    assert "[path-missing]" in sliced[1] and "[license-deprecated]" in sliced[1]
