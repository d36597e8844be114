"""``core.limits`` is where every bound is read: lowering one there changes what the loader,
``bmz validate`` (files on disk), sync's git reads and the summary accept, and nothing else
holds a copy of it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from bmz_collection.cli.validate import validate_paths
from bmz_collection.core import limits
from bmz_collection.core.loading import LoadError, load_mapping
from bmz_collection.engine.changes import PartnerChange, ResourceChanges, Summary
from bmz_collection.io.fsio import read_bounded
from bmz_collection.report import summary

PACKAGE = Path(__file__).resolve().parents[1] / "tools" / "bmz_collection"


def refusal(raw: bytes) -> str:
    with pytest.raises(LoadError) as info:
        load_mapping(raw, "f.yaml")
    return f"{info.value.finding.rule}: {info.value.finding.message}"


def test_the_loader_reads_its_bounds_from_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as m:
        m.setattr(limits, "MAX_BYTES", 20)
        assert refusal(b"name: " + b"x" * 20 + b"\n") == (
            "yaml-too-large: file is 27 bytes, over the limit of 20"
        )
    with monkeypatch.context() as m:
        m.setattr(limits, "MAX_DEPTH", 3)
        assert refusal(b"a: [[[[1]]]]\n") == "yaml-too-deep: nesting deeper than 3 levels"
    with monkeypatch.context() as m:
        m.setattr(limits, "MAX_NODES", 10)
        assert refusal(b"a: &x [1, 2, 3, 4]\nb: [*x, *x, *x]\n").startswith(
            "yaml-too-many-nodes: document expands to more than 10 nodes"
        )
    assert load_mapping(b"a: &x [1, 2, 3, 4]\nb: [*x, *x, *x]\n", "f.yaml").data["b"][2] == [
        1,
        2,
        3,
        4,
    ]


def test_validate_reads_the_file_size_bound_from_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rdf = tmp_path / "rdf.yaml"
    rdf.write_text("format_version: 0.2.3\ntype: application\nname: n\n", encoding="utf-8")
    monkeypatch.setattr(limits, "MAX_BYTES", 16)
    out = io.StringIO()
    assert validate_paths([rdf], fmt="text", strict=False, out=out, err=None) == 2
    assert out.getvalue() == (
        f"{rdf}: error: file is {rdf.stat().st_size} bytes, over the limit of 16 [yaml-too-large]\n"
    )
    with pytest.raises(OSError, match="over the limit of 16"):
        read_bounded(rdf)  # never read past the bound


def test_the_summary_reads_its_sizes_from_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_ITEMS", 2)
    added = [f"p/r{i}" for i in range(5)]
    change = PartnerChange("p", "updated", "1" * 40, "2" * 40)
    change.changes = ResourceChanges(added=added)
    text = summary.render(Summary("t", [change], 5))
    assert "`p/r1`" in text and "`p/r2`" not in text
    assert "- … and 3 more" in text


def test_no_module_keeps_its_own_copy_of_a_bound() -> None:
    """A bound defined again elsewhere would drift from the one validate and sync share."""
    names = [n for n in vars(limits) if n.isupper()]
    pattern = re.compile(rf"^_?({'|'.join(names)})\s*(:[^=]*)?=", re.MULTILINE)
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if p.name != "limits.py" and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    assert "MAX_BLOB" in names and "MAX_BYTES" in names and "FETCH_TIMEOUT" in names


def test_sync_reads_its_bounds_from_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    from bmz_collection.engine.sync import Options
    from bmz_collection.io.git.process import Git

    monkeypatch.setattr(limits, "FETCH_TIMEOUT", 7.0)
    monkeypatch.setattr(limits, "SYNC_JOBS", 3)
    monkeypatch.setattr(limits, "DEFAULT_TIMEOUT", 5.0)
    assert (Options().timeout, Options().jobs) == (7.0, 3)
    assert Git().timeout == 5.0


def test_a_partner_file_between_the_old_bounds_is_refused_by_validate_as_by_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sync refuses partner files over MAX_BLOB (read from git objects); the hook used to take
    them up to MAX_BYTES. Both bounds lowered so the file is small; the central collection
    (generated, read only from disk) keeps the loader's bound."""
    monkeypatch.setattr(limits, "MAX_BLOB", 200)
    monkeypatch.setattr(limits, "MAX_BYTES", 100_000)
    rdf = tmp_path / "rdf.yaml"
    rdf.write_text(
        "format_version: 0.2.3\ntype: application\nname: n\ndescription: " + "d" * 300 + "\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    assert validate_paths([rdf], fmt="text", strict=False, out=out, err=None) == 1
    assert "over the limit of 200 for a partner file" in out.getvalue()
    assert "[yaml-too-large]" in out.getvalue()
