"""`bmz validate` driven as a user drives it: exit codes, output formats, one line per finding."""

from __future__ import annotations

import json
import os
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


def test_invalid_yaml_is_a_finding_and_other_files_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path / "a" / "rdf.yaml", "name: [unclosed\n")
    good = write(
        tmp_path / "b" / "rdf.yaml", GOOD_APP.replace("type: application", "type: nonsense")
    )
    code, out, _ = run(capsys, str(bad), str(good))
    assert code == 1  # a readable file's content: a finding (issue 13); 2 is for unreadable
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


def test_yml_is_an_rdf_name_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "collection.yml", PARTNER.format(entries="collection: []\n"))
    code, out, err = run(capsys, str(tmp_path))
    assert (code, out, err) == (0, "", "1 file checked: 0 error(s), 0 warning(s)\n")


def test_a_folder_without_rdf_files_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "notes.yaml", "a: 1\n")
    code, out, err = run(capsys, str(tmp_path))
    assert (code, out) == (2, "")
    assert err == (
        f"bmz validate: error: no RDF file in {tmp_path}: folders are searched for rdf.yaml, "
        "*.rdf.yaml, bioimageio.yaml, *.bioimageio.yaml, *.bioimage.io.yaml, collection*.yaml, "
        "manifest*.yaml (or .yml); a file named on the command line is taken whatever its name\n"
    )


PARTNER = """\
format_version: 0.2.3
type: collection
name: Partner
description: A partner collection.
config:
  id: partner
  logo: https://example.org/logo.png
{entries}"""

MODEL_04 = """\
format_version: 0.4.10
type: model
name: U-Net
description: Segments nuclei.
authors: [{name: A. Author}]
cite: [{text: A paper, doi: 10.5281/zenodo.1}]
license: MIT
documentation: README.md
timestamp: 2024-03-01T10:00:00Z
test_inputs: [data/in.npy]
test_outputs: [data/out.npy]
sample_inputs: [data/in.png]
sample_outputs: [data/out.png]
attachments: {files: [extra/notes.txt]}
inputs: [{name: raw, axes: bcyx, data_type: float32, shape: [1, 1, 64, 64]}]
outputs: [{name: mask, axes: bcyx, data_type: float32, shape: [1, 1, 64, 64]}]
weights:
  torchscript:
    source: weights/model.pt
  onnx:
    source: https://zenodo.org/record/1/files/model.onnx
"""


def test_model_files_must_exist_inside_the_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".git").mkdir()
    model = write(tmp_path / "models" / "unet" / "rdf.yaml", MODEL_04)
    write(tmp_path / "models" / "unet" / "README.md", "# U-Net\n")
    for name in ("data/in.npy", "data/out.png", "extra/notes.txt"):
        write(tmp_path / "models" / "unet" / name, "")
    collection = write(
        tmp_path / "collection.yaml",
        PARTNER.format(entries="collection:\n  - id: unet\n    rdf_source: models/unet/rdf.yaml\n"),
    )
    code, out, _ = run(capsys, str(collection))
    assert code == 1
    assert out.splitlines() == [
        f"{model}:11:16: error: test output 'data/out.npy' does not exist "
        "(test_outputs[0]) [path-missing]",
        f"{model}:12:17: error: sample input 'data/in.png' does not exist "
        "(sample_inputs[0]) [path-missing]",
        f"{model}:19:13: error: torchscript weights 'weights/model.pt' does not exist "
        "(weights.torchscript.source) [path-missing]",
    ]
    model.write_text(MODEL_04.replace("weights/model.pt", "../../../secret.pt"))
    code, out, _ = run(capsys, str(model))
    assert (
        f"{model}:19:13: error: torchscript weights '../../../secret.pt' leaves the repository; "
        "use a path relative to the RDF's folder (weights.torchscript.source) [path-outside]"
    ) in out.splitlines()


def test_an_entry_level_error_points_at_the_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The entry's remote rdf_source is not fetched, so it inherits the root's
    `type: collection`: the entry is what to fix, not the collection's own `type` line."""
    collection = write(
        tmp_path / "collection.yaml",
        PARTNER.format(
            entries="collection:\n"
            "  - id: app\n"
            "    type: application\n"
            "    name: App\n"
            "    description: An app.\n"
            "    source: https://example.org/app\n"
            "  - id: remote\n"
            "    rdf_source: https://example.org/remote/rdf.yaml\n"
        ),
    )
    code, out, _ = run(capsys, str(collection))
    assert code == 1
    assert out.splitlines()[0] == (
        f"{collection}:14:5: error: entry resolves to `type: collection` (set its own `type`; "
        "nested collections are not supported) (collection[1].type) [type-collection]"
    )


def test_default_type_outside_resource_types_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As in the real ilastik collection: one tab (application), opened on another (model)."""
    collection = write(
        tmp_path / "collection.yaml",
        PARTNER.replace(
            "  logo: https://example.org/logo.png\n",
            "  logo: https://example.org/logo.png\n"
            "  resource_types:\n    - application\n  default_type: model\n",
        ).format(entries="collection: []\n"),
    )
    code, out, _ = run(capsys, str(collection))
    assert code == 0
    assert out == (
        f"{collection}:10:17: warning: default_type 'model' is not one of resource_types "
        "(application): the partner's page would open on an empty tab (config.default_type) "
        "[default-type-unlisted]\n"
    )
    code, out, _ = run(capsys, "--strict", str(collection))
    assert code == 1


OLD_WARNINGS_NEW_ERRORS = """\
format_version: 0.2.3
type: nonsense
name: Odd app
description: An application with an old warning and new errors.
authors:
  - name: A. Author
    orcid: 0000-0002-1825-0098
cite:
  - text: A paper
    doi: 10.5281/zenodo.1
documentation: missing.md
source: https://example.org/app
"""


def test_errors_come_first_and_the_count_line_last(tmp_path: Path) -> None:
    """A failing commit (the bmz-validate hook, its output and errors in one stream as
    pre-commit shows them): every file's errors, then the warnings, then the counts."""
    (tmp_path / ".git").mkdir()
    write(tmp_path / "a" / "rdf.yaml", OLD_WARNINGS_NEW_ERRORS)
    write(
        tmp_path / "b" / "rdf.yaml",
        OLD_WARNINGS_NEW_ERRORS.replace("documentation: missing.md\n", ""),
    )
    hook = Path(sys.executable).parent / "bmz-validate"
    proc = subprocess.run(
        [str(hook), "a/rdf.yaml", "b/rdf.yaml"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.returncode == 1
    orcid = (
        "error: ORCID iD '0000-0002-1825-0098' has a wrong check digit (expected '7'): a typo? "
        "(authors[0].orcid) [orcid-checksum]"
    )
    assert proc.stdout.splitlines() == [
        f"a/rdf.yaml:7:12: {orcid}",
        "a/rdf.yaml:11:16: error: documentation 'missing.md' does not exist (documentation) "
        "[path-missing]",
        f"b/rdf.yaml:7:12: {orcid}",
        "a/rdf.yaml:2:7: warning: unknown type 'nonsense' (type) [type-unknown]",
        "b/rdf.yaml:2:7: warning: unknown type 'nonsense' (type) [type-unknown]",
        "2 files checked: 3 error(s), 2 warning(s)",
    ]


def test_github_annotations_put_errors_first_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".git").mkdir()
    f = write(tmp_path / "rdf.yaml", OLD_WARNINGS_NEW_ERRORS)
    code, out, _ = run(capsys, "--format", "github", str(f))
    assert code == 1
    assert [line.split(" ", 1)[0] for line in out.splitlines()] == [
        "::error",
        "::error",
        "::warning",
        "1",  # the count line
    ]


def test_no_traceback_on_hostile_input(tmp_path: Path) -> None:
    f = tmp_path / "rdf.yaml"
    f.write_bytes(b"a: &a [" + b"*a," * 5 + b"]\n\xff\xfe")
    proc = subprocess.run(
        [sys.executable, "-m", "bmz_collection", "validate", str(f)], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stdout.count("\n") == 1


def test_help_explains_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate", "--help"])
    assert info.value.code == 0
    assert "Exit codes: 0 valid, 1 findings" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("a: 1\na: 2\n", "yaml-duplicate-key"),
        ("? [1, 2]\n: x\n", "yaml-key-type"),
        ("a: !!python/object:os.system x\n", "yaml-tag"),
    ],
)
def test_content_load_errors_are_findings_and_unreadable_files_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, rule: str
) -> None:
    """As check-jsonschema and yamllint: what a readable file says is a finding (exit 1);
    2 stays for usage errors and files that cannot be read."""
    f = write(tmp_path / "rdf.yaml", text)
    code, out, _ = run(capsys, str(f))
    assert code == 1, out
    assert out.rstrip().endswith(f"[{rule}]")
    fifo = tmp_path / "fifo" / "rdf.yaml"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    code, out, _ = run(capsys, str(fifo))
    assert code == 2, out
    assert "[file-unreadable]" in out


@pytest.mark.usefixtures("git_env")
def test_a_referenced_file_git_does_not_carry_is_an_error_in_a_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The catalogue reads commits: a documentation or cover file that exists on disk but
    is not in git's index (never added, or ignored) would be missing there, so the hook says
    so before the push. Outside a repository every file on disk counts."""
    repo = tmp_path / "partner"
    rdf = write(
        repo / "app" / "rdf.yaml",
        GOOD_APP + "documentation: README.md\ncovers: [cover.png]\nlicense: MIT\n",
    )
    write(repo / "app" / "README.md", "# App\n")
    write(repo / "app" / "cover.png", "png")
    write(repo / ".gitignore", "*.png\n")
    subprocess.run(["git", "init", "--quiet", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "app/rdf.yaml"], check=True)
    code, out, _ = run(capsys, str(rdf))
    assert code == 1
    why = "is not in git (`git add` it, or check the name's case): the catalogue reads your "
    why += "commits, which do not carry it"
    assert out.splitlines() == [
        f"{rdf}:11:16: error: documentation 'README.md' {why} (documentation) [path-untracked]",
        f"{rdf}:12:10: error: cover 'cover.png' {why} (covers[0]) [path-untracked]",
    ]
    subprocess.run(["git", "-C", str(repo), "add", "app/README.md"], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "--force", "app/cover.png"], check=True)
    assert run(capsys, str(rdf))[0] == 0
    (repo / ".git").rename(repo / "not-git")  # no repository: the files on disk count
    assert run(capsys, str(rdf))[0] == 0


@pytest.mark.usefixtures("git_env")
@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_tracked_symlink_to_a_file_git_does_not_carry_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Git stores the link, not its target: the catalogue follows it to nothing."""
    repo = tmp_path / "partner"
    rdf = write(repo / "rdf.yaml", GOOD_APP + "documentation: link.md\nlicense: MIT\n")
    write(repo / "notes.md", "# Notes\n")
    (repo / "link.md").symlink_to("notes.md")
    subprocess.run(["git", "init", "--quiet", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "rdf.yaml", "link.md"], check=True)
    code, out, _ = run(capsys, str(rdf))
    assert code == 1
    assert "documentation 'link.md' is not in git" in out and "[path-untracked]" in out
    subprocess.run(["git", "-C", str(repo), "add", "notes.md"], check=True)
    assert run(capsys, str(rdf))[0] == 0


@pytest.mark.usefixtures("git_env")
def test_a_hook_index_is_the_one_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`git commit -a` runs the hooks with GIT_INDEX_FILE set to the index it commits from:
    a file added there (not in the main index) is carried by that commit."""
    repo = tmp_path / "partner"
    rdf = write(repo / "rdf.yaml", GOOD_APP + "documentation: README.md\nlicense: MIT\n")
    write(repo / "README.md", "# App\n")
    subprocess.run(["git", "init", "--quiet", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "rdf.yaml"], check=True)
    assert run(capsys, str(rdf))[0] == 1  # the main index lacks README.md
    hook_index = repo / ".git" / "next-index"
    env = {**os.environ, "GIT_INDEX_FILE": str(hook_index)}
    subprocess.run(["git", "-C", str(repo), "add", "rdf.yaml", "README.md"], check=True, env=env)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GIT_INDEX_FILE", ".git/next-index")  # relative, as git sets it
    assert run(capsys, str(rdf))[0] == 0
