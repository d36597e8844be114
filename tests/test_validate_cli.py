"""`bmz validate` driven as a user drives it: exit codes, output formats, one line per finding."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bmz_collection.cli.main import main

GOOD_APP = """\
format_version: 0.2.3
type: application
name: Good app
description: An application that passes.
authors:
  - name: A. Author
cite:
  - text: A paper
    doi: 10.5281/zenodo.1
source: https://example.org/app
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["validate", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path / "rdf.yaml", GOOD_APP)
    code, out, err = run(capsys, str(f))
    assert (code, out) == (0, "")
    assert err == "1 file checked: 0 error(s), 0 warning(s)\n"


def test_error_line_format_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path / "rdf.yaml", GOOD_APP.replace("name: Good app\n", ""))
    code, out, _ = run(capsys, str(f))
    assert code == 1
    assert out == f'{f}:1:1: error: "name" is a required property [schema-required]\n'


def test_unreadable_yaml_exits_2_but_other_files_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path / "a" / "rdf.yaml", "name: [unclosed\n")
    good = write(
        tmp_path / "b" / "rdf.yaml", GOOD_APP.replace("type: application", "type: nonsense")
    )
    code, out, _ = run(capsys, str(bad), str(good))
    assert code == 2
    lines = out.splitlines()
    assert lines[0].startswith(f"{bad}:2:1: error: ")
    assert lines[0].endswith("[yaml-syntax]")
    assert lines[1] == f"{good}:2:7: warning: unknown type 'nonsense' (type) [type-unknown]"


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(tmp_path / "nope.yaml"))
    assert (code, out) == (2, "")
    assert err == f"bmz validate: error: no such file or folder: {tmp_path / 'nope.yaml'}\n"


def test_strict_turns_warnings_into_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = write(tmp_path / "rdf.yaml", GOOD_APP.replace("type: application", "type: nonsense"))
    assert run(capsys, str(f))[0] == 0
    code, out, _ = run(capsys, "--strict", str(f))
    assert code == 1
    assert ": error: unknown type 'nonsense'" in out


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path / "rdf.yaml", GOOD_APP.replace("type: application", "type: nonsense"))
    code, out, _ = run(capsys, "--format", "json", str(f))
    assert code == 0
    assert json.loads(out) == {
        "files_checked": 1,
        "errors": 0,
        "warnings": 1,
        "findings": [
            {
                "file": str(f),
                "line": 2,
                "column": 7,
                "severity": "warning",
                "rule": "type-unknown",
                "location": "type",
                "message": "unknown type 'nonsense'",
            }
        ],
    }


def test_github_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path / "rdf.yaml", GOOD_APP.replace("name: Good app\n", ""))
    code, out, _ = run(capsys, "--format", "github", str(f))
    assert code == 1
    assert out.splitlines()[0] == (
        f'::error file={f},line=1,col=1,title=schema-required::"name" is a required property'
    )


def test_folders_are_searched_for_rdf_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "x" / "rdf.yaml", GOOD_APP)
    write(tmp_path / "x" / "notes.yaml", "not: [an rdf\n")  # not an RDF name: ignored
    code, _, err = run(capsys, str(tmp_path))
    assert code == 0
    assert err.startswith("1 file checked")


def test_no_traceback_on_hostile_input(tmp_path: Path) -> None:
    f = tmp_path / "rdf.yaml"
    f.write_bytes(b"a: &a [" + b"*a," * 5 + b"]\n\xff\xfe")
    proc = subprocess.run(
        [sys.executable, "-m", "bmz_collection", "validate", str(f)], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stdout.count("\n") == 1


def test_help_explains_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate", "--help"])
    assert info.value.code == 0
    assert "Exit codes: 0 valid, 1 findings" in capsys.readouterr().out
