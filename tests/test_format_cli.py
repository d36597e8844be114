"""`bmz format` and the `bmz-format` hook driven as a user drives them: exit codes, --check,
--diff, files left alone when canonical or on any error, atomic writes, the guarantees
enforced before writing, the style from pyproject.toml, folders, parallel runs."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import bmz_collection.core.formatting.guarantees as guarantees
from bmz_collection.cli.main import main
from bmz_collection.core import limits
from bmz_collection.core.formatting.style import Style, _format_table_py310
from bmz_collection.core.rdfnames import RDF_FILES_REGEX, is_rdf_name
from bmz_collection.engine import batch
from bmz_collection_hooks.format import main as hook_main

MESSY = """\
# a partner's collection, edited by hand
format_version: 0.2.3
config:
    id: messy   # the partner id
tags: [a, b]
collection:
- id: one
  name: One\x20\x20
-   id: two
    name: Two
"""
CANONICAL = """\
# a partner's collection, edited by hand
format_version: 0.2.3
config:
  id: messy   # the partner id
tags: [a, b]
collection:
  - id: one
    name: One
  - id: two
    name: Two
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["format", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(path: Path) -> tuple[bytes, int, int]:
    st = path.stat()
    return path.read_bytes(), st.st_mtime_ns, stat.S_IMODE(st.st_mode)


def age(path: Path) -> None:
    """Set the file's times in the past, so an unwanted rewrite would show."""
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))


# -- fixing -----------------------------------------------------------------------------------


def test_fix_rewrites_and_exits_1_then_0(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(repo / "collection.yaml", MESSY)
    code, out, _ = run(capsys, str(f))
    assert code == 1
    assert out == f"reformatted {f}\n"
    assert f.read_text(encoding="utf-8") == CANONICAL
    age(f)
    before = snapshot(f)
    code, out, _ = run(capsys, str(f))
    assert (code, out) == (0, "")
    assert snapshot(f) == before  # canonical: not rewritten, mtime kept


def test_canonical_file_is_never_rewritten(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(repo / "rdf.yaml", CANONICAL)
    age(f)
    before = snapshot(f)
    for args in ([], ["--check"], ["--diff"]):
        code, out, _ = run(capsys, *args, str(f))
        assert (code, out) == (0, "")
    assert snapshot(f) == before


def test_write_keeps_mode_and_leaves_no_temporary_file(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = write(repo / "rdf.yaml", MESSY)
    f.chmod(0o640)
    assert run(capsys, str(f))[0] == 1
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert sorted(p.name for p in repo.iterdir()) == [".git", "rdf.yaml"]


def test_write_is_atomic_a_rename_over_the_old_file(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Readers holding the old file keep seeing the old content: a new inode replaces it."""
    f = write(repo / "rdf.yaml", MESSY)
    inode = f.stat().st_ino
    with f.open("rb") as old:
        assert run(capsys, str(f))[0] == 1
        assert old.read() == MESSY.encode()
    assert f.stat().st_ino != inode


def test_symlink_stays_a_symlink(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = write(repo / "real" / "rdf.yaml", MESSY)
    link = repo / "rdf.yaml"
    link.symlink_to(target)
    assert run(capsys, str(link))[0] == 1
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == CANONICAL


# -- --check and --diff -----------------------------------------------------------------------


def test_check_lists_files_writes_nothing_exits_1(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messy = write(repo / "a" / "rdf.yaml", MESSY)
    clean = write(repo / "b" / "rdf.yaml", CANONICAL)
    before = snapshot(messy)
    code, out, err = run(capsys, "--check", str(messy), str(clean))
    assert code == 1
    assert out == f"would reformat {messy}\n"
    assert "1 file would be reformatted, 1 file left unchanged" in err
    assert snapshot(messy) == before


def test_diff_prints_a_patch_git_applies(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(repo / "collection.yaml", MESSY)
    before = snapshot(f)
    os.chdir(repo)
    code, out, err = run(capsys, "--diff", "collection.yaml")
    assert code == 1
    assert snapshot(f) == before
    assert out.startswith("--- a/collection.yaml\n+++ b/collection.yaml\n@@")
    assert "-    id: messy   # the partner id\n+  id: messy   # the partner id\n" in out
    assert "would reformat collection.yaml" in err
    subprocess.run(["git", "apply", "-"], input=out.encode(), cwd=repo, check=True)
    assert f.read_text(encoding="utf-8") == CANONICAL


def test_diff_marks_a_missing_final_newline(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(repo / "rdf.yaml", "a: 1\nb: 2")
    os.chdir(repo)
    code, out, _ = run(capsys, "--diff", "rdf.yaml")
    assert code == 1
    assert "-b: 2\n\\ No newline at end of file\n+b: 2\n" in out
    subprocess.run(["git", "apply", "-"], input=out.encode(), cwd=repo, check=True)
    assert f.read_text(encoding="utf-8") == "a: 1\nb: 2\n"


# -- unreadable input: exit 2, one line, file untouched ---------------------------------------

BAD: dict[str, tuple[str | bytes, str, str]] = {
    "syntax": ("a: [1, 2\n", "rdf.yaml:2:1: error:", "[yaml-syntax]"),
    "duplicate": ("a: 1\na: 2\n", "rdf.yaml:2:1: error:", "[yaml-duplicate-key]"),
    "tag": ("a: !!python/object:os.system x\n", "rdf.yaml:1:4: error:", "[yaml-tag]"),
    "utf8": (b"a: \xff\xfe\n", "rdf.yaml:1:4: error: invalid UTF-8", "[yaml-encoding]"),
    "not-mapping": ("- a\n- b\n", "rdf.yaml:1:1: error:", "[yaml-not-mapping]"),
    "empty": ("", "rdf.yaml:1:1: error:", "[yaml-not-mapping]"),
    "two-documents": ("a: 1\n---\nb: 2\n", "rdf.yaml:", "[yaml-multiple-documents]"),
    "bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
            for p, c in zip("abcde", "bcdef", strict=True)
        )
        + "g: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
        "rdf.yaml",
        "[yaml-too-many-nodes]",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.parametrize("mode", [[], ["--check"], ["--diff"]], ids=["fix", "check", "diff"])
def test_invalid_yaml_in_a_readable_file_is_a_finding_exit_1_with_one_line(
    repo: Path, capsys: pytest.CaptureFixture[str], case: str, mode: list[str]
) -> None:
    """Content, not an unreadable file: exit 1 as in yamllint and check-jsonschema (issue 13)."""
    text, start, rule = BAD[case]
    f = write(repo / "rdf.yaml", text)
    before = snapshot(f)
    os.chdir(repo)
    code, out, err = run(capsys, *mode, "rdf.yaml")
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(start) and lines[0].endswith(rule)
    assert "Traceback" not in err
    assert snapshot(f) == before


def test_invalid_yaml_in_a_real_process_shows_no_traceback(repo: Path) -> None:
    f = write(repo / "rdf.yaml", "a: 1\na: 2\n")
    proc = subprocess.run(
        [sys.executable, "-m", "bmz_collection", "format", str(f)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "[yaml-duplicate-key]" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_one_bad_file_does_not_stop_the_others(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(repo / "a" / "rdf.yaml", "a: [\n")
    good = write(repo / "b" / "rdf.yaml", MESSY)
    code, out, err = run(capsys, str(bad), str(good))
    assert code == 1
    assert out == f"reformatted {good}\n"
    assert "1 file not formatted" in err
    assert good.read_text(encoding="utf-8") == CANONICAL


def test_missing_path_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(repo / "nope.yaml"))
    assert code == 2
    assert err == f"bmz format: error: no such file or folder: {repo / 'nope.yaml'}\n"


def test_a_folder_given_as_a_file_name_pattern_match_is_not_read(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = repo / "rdf.yaml"
    os.mkfifo(fifo)
    code, _, err = run(capsys, str(fifo))
    assert code == 2
    assert "not a regular file [file-unreadable]" in err


# -- the guarantees are enforced before writing -----------------------------------------------


def _broken(change: Any) -> Any:
    real = guarantees.reindent

    def fake(text: str, style: Style) -> tuple[str, list[tuple[bool, str]]]:
        out, found = real(text, style)
        return change(out), found

    return fake


@pytest.mark.parametrize(
    ("change", "rule", "message"),
    [
        (lambda s: s.replace("name: One", "name: Eno"), "format-data", "collection[0].name"),
        (lambda s: "\n" + s, "format-idempotent", "formatting twice"),
        (
            lambda s: s.replace("   # the partner id", ""),
            "format-comments",
            "'# the partner id'",
        ),
        (lambda s: s.replace("tags: [a, b]", "tags: [a, b"), "format-data", "does not load"),
    ],
    ids=["data", "idempotent", "comment", "syntax"],
)
def test_a_failed_guarantee_writes_nothing_and_exits_2(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    change: Any,
    rule: str,
    message: str,
) -> None:
    monkeypatch.setattr(guarantees, "reindent", _broken(change))
    f = write(repo / "collection.yaml", MESSY)
    before = snapshot(f)
    code, out, err = run(capsys, str(f))
    assert code == 2
    assert out == ""
    assert err.startswith(f"{f}: error: ") and err.endswith(f"[{rule}]\n")
    assert message in err and "bug in bmz format" in err
    assert snapshot(f) == before


# -- style from pyproject.toml ----------------------------------------------------------------


def test_style_comes_from_the_repository_pyproject(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo / "pyproject.toml", "[project]\nname = 'x'\n\n[tool.bmz.format]\nindent = 4\n")
    f = write(repo / "sub" / "dir" / "rdf.yaml", "a:\n  b: 1\nc:\n- d\n")
    assert run(capsys, str(f))[0] == 1
    assert f.read_text(encoding="utf-8") == "a:\n    b: 1\nc:\n    - d\n"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("indent = 0", "indent must be between 1 and 8"),
        ("indent = 'two'", "indent must be an integer"),
        ("indent-sequences = 1", "indent-sequences must be true or false"),
        ("width = 80", "unknown setting 'width'"),
    ],
)
def test_bad_style_settings_exit_2_naming_the_file(
    repo: Path, capsys: pytest.CaptureFixture[str], table: str, message: str
) -> None:
    write(repo / "pyproject.toml", f"[tool.bmz.format]\n{table}\n")
    f = write(repo / "rdf.yaml", MESSY)
    before = snapshot(f)
    code, _, err = run(capsys, str(f))
    assert code == 2
    assert err.startswith(f"bmz format: error: {repo / 'pyproject.toml'}: [tool.bmz.format]: ")
    assert message in err and err.count("\n") == 1
    assert snapshot(f) == before


def test_a_pyproject_that_is_not_toml_exits_2(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo / "pyproject.toml", "[tool.bmz.format]\nindent = [\n")
    f = write(repo / "rdf.yaml", MESSY)
    code, _, err = run(capsys, str(f))
    assert code == 2
    assert err.startswith(f"bmz format: error: {repo / 'pyproject.toml'}: invalid TOML: ")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[tool.bmz.format]\n",
        "[tool.bmz.format]\nindent = 4  # four\nindent-sequences = false\n",
        "[tool.other]\nindent = 3\n[ tool.bmz.format ]\n# note\nindent = +3\n"
        "[tool.x]\nindent = 9\n",
    ],
)
def test_python_3_10_reader_agrees_with_tomllib(text: str) -> None:
    tomllib = pytest.importorskip("tomllib")
    expected = tomllib.loads(text).get("tool", {}).get("bmz", {}).get("format", {})
    assert _format_table_py310(text) == expected


def test_python_3_10_reader_refuses_what_it_cannot_read() -> None:
    with pytest.raises(ValueError, match=r"Python 3\.11"):
        _format_table_py310("[tool.bmz.format]\nindent = { value = 2 }\n")


# -- folders, names, parallel runs ------------------------------------------------------------


def test_folders_are_searched_for_rdf_names(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = [
        "rdf.yaml",
        "model.rdf.yaml",
        "bioimageio.yaml",
        "v0_4_9.bioimageio.yaml",
        "manifest.bioimage.io.yaml",
        "collection.yaml",
        "collection_rdf_template.yaml",
        "manifest.yaml",
        "rdf.yml",  # YAML's other extension: the same names
        "collection.yml",
    ]
    for n, name in enumerate(names):
        write(repo / f"d{n}" / name, MESSY)
    ignored = [
        write(repo / "other.yaml", MESSY),
        write(repo / "other.yml", MESSY),
        write(repo / ".hidden" / "rdf.yaml", MESSY),
        write(repo / "notes" / "config.yaml", MESSY),
        write(repo / "outside" / "elsewhere.yaml", MESSY),
    ]
    (repo / "linked").mkdir()
    (repo / "linked" / "rdf.yaml").symlink_to(ignored[-1])  # a walk does not follow links
    code, out, _ = run(capsys, "--check", str(repo))
    assert code == 1
    assert sorted(out.splitlines()) == sorted(
        f"would reformat {repo / f'd{n}' / name}" for n, name in enumerate(names)
    )
    assert all(f.read_text(encoding="utf-8") == MESSY for f in ignored)


def test_an_explicit_file_is_formatted_whatever_its_name(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = write(repo / "anything.yaml", MESSY)
    assert run(capsys, str(f))[0] == 1
    assert f.read_text(encoding="utf-8") == CANONICAL


def test_many_files_use_worker_processes_with_the_same_results(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "FORMAT_PARALLEL_MIN_FILES", 4)
    monkeypatch.setattr(batch, "cpus", lambda: 2)
    files = [
        write(repo / f"r{i:02d}" / "rdf.yaml", MESSY if i % 3 else CANONICAL) for i in range(24)
    ]
    write(repo / "r99" / "rdf.yaml", "a: [\n")
    code, out, err = run(capsys, str(repo))
    assert code == 1
    assert out.splitlines() == [f"reformatted {f}" for i, f in enumerate(files) if i % 3]
    assert "16 files reformatted, 8 files left unchanged, 1 file not formatted" in err
    assert all(f.read_text(encoding="utf-8") == CANONICAL for f in files)


# -- the hook ---------------------------------------------------------------------------------


def test_hook_formats_like_the_command(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(repo / "collection.yaml", MESSY)
    assert hook_main([str(f)]) == 1
    assert f.read_text(encoding="utf-8") == CANONICAL
    assert hook_main([str(f)]) == 0
    assert hook_main([]) == 0
    write(f, "a: [\n")
    assert hook_main([str(f)]) == 1
    assert capsys.readouterr().err.endswith("[yaml-syntax]\n")


def test_hook_definition_matches_the_rdf_names() -> None:
    import yaml  # the hooks file is plain YAML; PyYAML comes with pre-commit

    hooks = yaml.safe_load((Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "bmz-format")
    assert hook["entry"] == "bmz-format"
    assert hook["language"] == "python"
    assert hook["types"] == ["yaml"]
    assert hook["files"] == RDF_FILES_REGEX
    import re

    pattern = re.compile(hook["files"])
    for path in [
        "rdf.yaml",
        "a/b/model.rdf.yaml",
        "collection.yaml",
        "x/collection_rdf_template.yaml",
        "manifest.bioimage.io.yaml",
        "m/bioimageio.yaml",
        "v0_4_9.bioimageio.yaml",
        "other.yaml",
        "rdf.yml",
        "x/collection.yml",
        "other.yml",
        "a/mycollection.yaml",
        "collection.yaml/x.txt",
    ]:
        assert bool(pattern.search(path)) == is_rdf_name(path.rsplit("/", 1)[-1]), path


def test_central_collection_formats_only_its_hand_written_head(tmp_path: Path) -> None:
    from bmz_collection.core.central import MARKER

    generated = f"{MARKER}\npartners: []\ncollection:\n- id: a/b\n  name:   kept as generated\n"
    path = tmp_path / "collection.yaml"
    path.write_bytes(b"type: collection   \nconfig:\n    partners: []\n" + generated.encode())
    assert main(["format", str(path)]) == 1
    assert path.read_bytes() == b"type: collection\nconfig:\n  partners: []\n" + generated.encode()
    assert main(["format", "--check", str(path)]) == 0
