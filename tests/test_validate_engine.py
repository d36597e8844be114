"""The validate engine returns results and prints nothing; the reporter renders them; the CLI
alone picks the exit code (0 valid, 1 errors, 2 unreadable)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bmz_collection.cli.validate import exit_code
from bmz_collection.engine.validate import check_paths
from bmz_collection.report import findings as report

APP = """\
format_version: 0.2.3
type: {type}
name: An app
description: An application.
authors:
  - name: A. Author
cite:
  - text: A paper
    doi: 10.5281/zenodo.1
source: https://example.org/app
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_engine_returns_findings_per_file_and_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path / "a" / "rdf.yaml", APP.format(type="application"))
    odd = write(tmp_path / "b" / "rdf.yaml", APP.format(type="nonsense"))
    bad = write(tmp_path / "c" / "rdf.yaml", "name: [unclosed\n")
    v = check_paths([tmp_path])
    assert capsys.readouterr() == ("", "")  # the engine never writes
    assert [(r.file, r.readable, len(r.findings)) for r in v.files] == [
        (str(good), True, 0),
        (str(odd), True, 1),
        (str(bad), True, 1),  # readable: invalid YAML is a finding, not an unreadable file
    ]
    assert (v.files_checked, v.errors, v.warnings, v.readable) == (3, 1, 1, True)
    assert [f.rule for f in v.findings] == ["type-unknown", "yaml-syntax"]
    assert exit_code(v) == 1


def test_exit_codes_come_from_the_result(tmp_path: Path) -> None:
    odd = write(tmp_path / "rdf.yaml", APP.format(type="nonsense"))
    assert exit_code(check_paths([odd])) == 0  # a warning only
    strict = check_paths([odd], strict=True)
    assert (strict.errors, strict.warnings) == (1, 0)
    assert exit_code(strict) == 1


def test_the_reporter_renders_one_result_in_each_format(tmp_path: Path) -> None:
    odd = write(tmp_path / "rdf.yaml", APP.format(type="nonsense"))
    v = check_paths([odd])
    text, err = io.StringIO(), io.StringIO()
    report.write(v, "text", text, err)
    assert text.getvalue() == f"{odd}:2:7: warning: unknown type 'nonsense' (type) [type-unknown]\n"
    assert err.getvalue() == "1 file checked: 0 error(s), 1 warning(s)\n"
    out, err = io.StringIO(), io.StringIO()
    report.write(v, "json", out, err)
    doc = json.loads(out.getvalue())
    assert (doc["files_checked"], doc["errors"], doc["warnings"]) == (1, 0, 1)
    assert err.getvalue() == ""  # the counts are in the JSON document
