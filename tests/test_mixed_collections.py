"""A 0.2.x partner collection whose entries move to 0.3 one by one: what a 0.3 entry inherits
from the collection is converted as bioimageio.spec converts it, and the resolved entry is one
the library accepts; what cannot be converted is reported at the collection's field."""

from __future__ import annotations

from pathlib import Path

import pytest

from bmz_collection.cli.main import main
from bmz_collection.engine.validate import check_collection
from bmz_collection.io.fsio import FileTree

from . import spec_corpus, spec_oracle

MIXED = """\
format_version: 0.2.3
type: collection
id: mixed
name: Mixed partner
description: Old and new entries side by side.
license: MIT
documentation: README.md  # 0.2-style: a plain path
authors: [Jane Doe]
cite:
  - text: The paper
    doi: https://doi.org/10.5281/zenodo.5749843
download_url: https://example.org/all.zip
collection:
  - id: old-app
    type: application
    name: Old app
  - id: new-app
    type: application
    format_version: 0.3.4
    name: New app
"""


def test_a_0_3_entry_inherits_converted_fields(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# docs\n")
    raw = MIXED.encode()
    result = check_collection(
        raw, "collection.yaml", FileTree(tmp_path), collection_id=None, display="c"
    )
    assert [f.one_line() for f in result.findings if f.is_error] == []
    old, new = (e.data for e in result.entries)
    assert old["documentation"] == "README.md" and old["authors"] == ["Jane Doe"]
    assert new["documentation"] == {"source": "README.md"}
    assert new["authors"] == [{"name": "Jane Doe"}]
    assert new["cite"] == [{"text": "The paper", "doi": "10.5281/zenodo.5749843"}]
    assert "download_url" not in new and old["download_url"]
    # bioimageio.spec accepts the resolved 0.3 entry as it is
    path = spec_corpus.write(tmp_path / "resolved", new)
    assert spec_oracle.accepts(path)


def test_what_cannot_be_converted_is_reported_at_the_collection_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "collection.yaml"
    path.write_text(MIXED.replace("README.md  #", "docs/index.html  #"))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.html").touch()
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    errors = [line for line in out.splitlines() if ": error: " in line]
    assert errors == [
        # for the 0.2.x entry, by the 0.2 rule; for the 0.3 entry, by the 0.3 schema
        f"{path}:7:16: error: documentation 'docs/index.html' must be a Markdown file ending in"
        " .md (documentation) [documentation-not-md]",
        f"{path}:7:16: error: documentation must be a Markdown file: `source: <URL or relative"
        " path ending in .md>` (documentation.source) [documentation-not-md]",
    ]


def test_a_0_2_entry_keeps_the_0_2_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "collection.yaml"
    path.write_text(MIXED.replace("    format_version: 0.3.4\n", ""))
    (tmp_path / "README.md").touch()
    assert main(["validate", str(path)]) == 0
    assert "[author-as-string]" in capsys.readouterr().out
