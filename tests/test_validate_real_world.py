"""The real catalogue's partner files validate as the real catalogue accepted them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bmz_collection.cli.main import main
from bmz_collection.core.loading import load_mapping
from bmz_collection.engine.validate import check_collection
from bmz_collection.io.fsio import FileTree

from .realworld import REAL_WORLD, needs_real_world, partner_files

pytestmark = needs_real_world


def test_there_are_twelve_partners() -> None:
    assert len(partner_files()) == 12


@pytest.mark.parametrize("path", partner_files(), ids=lambda p: p.parent.name)
def test_partner_collection_validates(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert ": error:" not in out


def test_all_111_entries_resolve_with_the_published_ids() -> None:
    ids = []
    for path in partner_files():
        partner = path.parent.name
        result = check_collection(
            path.read_bytes(),
            path.name,
            FileTree(path.parent),
            collection_id=partner,
            display=path.name,
        )
        assert result.ok, [f.one_line() for f in result.findings if f.is_error]
        ids.extend(e.id for e in result.entries)
    assert len(ids) == len(set(ids)) == 111
    # ids as the catalogue published them: the partner's id, then the entry's own id verbatim
    assert "qupath/QuPath" in ids
    assert "zero/Notebook_U-Net_3D_ZeroCostDL4Mic" in ids or any(i.startswith("zero/") for i in ids)
    assert "imjoy/HPA-Single-Cell" in ids


def with_placeholders(src_dir: Path, dest: Path, names: list[str]) -> Path:
    """A copy of a real folder in a temporary place, plus empty stand-ins for the files its
    RDFs reference that SOURCES.md says were never saved (documentation, covers)."""
    shutil.copytree(src_dir, dest)
    for name in names:
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).write_bytes(b"")
    return dest


RECORDS = sorted((REAL_WORLD / "resources").rglob("resource.yaml")) if REAL_WORLD.is_dir() else []


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.parent.name)
def test_real_catalogue_records_validate(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(path)]) == 0, capsys.readouterr().out


SPEC_EXAMPLES = REAL_WORLD / "resources" / "spec-bioimage-io" / "example_descriptions"


@pytest.mark.parametrize(
    ("folder", "placeholders"),
    [
        (
            "models/unet2d_nuclei_broad",
            # the model's own files, which the example folder does not carry: the RDF names
            # them relative to itself, so each must exist inside the repository
            [
                "README.md",
                "cover0.png",
                "test_input.npy",
                "test_input.png",
                "test_output.npy",
                "test_output.png",
                "weights.onnx",
                "weights.pt",
                "unet2d.py",
                "environment.yaml",
            ],
        ),
        ("datasets/covid_if_training_data", []),
    ],
)
def test_real_model_and_dataset_rdfs_validate(
    folder: str, placeholders: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = with_placeholders(SPEC_EXAMPLES / folder, tmp_path / "repo", placeholders)
    (copy / ".git").mkdir()  # the repository root that relative paths must stay inside
    code = main(["validate", str(copy)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert ": error:" not in out


def test_real_model_files_must_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The 0.5 example model without its files: each one is named, at its place in the RDF."""
    copy = with_placeholders(
        SPEC_EXAMPLES / "models/unet2d_nuclei_broad", tmp_path / "repo", ["README.md", "cover0.png"]
    )
    (copy / ".git").mkdir()
    (copy / "v0_4_9.bioimageio.yaml").unlink()
    assert main(["validate", str(copy / "bioimageio.yaml")]) == 1
    out = capsys.readouterr().out
    assert [line.split(": error: ", 1)[1] for line in out.splitlines()] == [
        "test input 'test_input.npy' does not exist (inputs[0].test_tensor.source) [path-missing]",
        "sample input 'test_input.png' does not exist (inputs[0].sample_tensor.source) "
        "[path-missing]",
        "test output 'test_output.npy' does not exist (outputs[0].test_tensor.source) "
        "[path-missing]",
        "sample output 'test_output.png' does not exist (outputs[0].sample_tensor.source) "
        "[path-missing]",
        "onnx weights 'weights.onnx' does not exist (weights.onnx.source) [path-missing]",
        "architecture 'unet2d.py' does not exist (weights.pytorch_state_dict.architecture.source) "
        "[path-missing]",
        "dependencies 'environment.yaml' does not exist "
        "(weights.pytorch_state_dict.dependencies.source) [path-missing]",
        "torchscript weights 'weights.pt' does not exist (weights.torchscript.source) "
        "[path-missing]",
    ]


def test_history_dangling_rdf_source_is_the_only_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = REAL_WORLD / "_history" / "deepimagej@0bf9e0ec"
    unsaved = []
    for model in history.glob("*/model.yaml"):
        data = load_mapping(model.read_bytes(), str(model)).data
        refs = [data.get("documentation"), *(data.get("covers") or [])]
        refs += (data.get("attachments") or {}).get("files") or []
        for key in ("test_inputs", "test_outputs", "sample_inputs", "sample_outputs"):
            refs += data.get(key) or []
        for weights in (data.get("weights") or {}).values():
            refs += [weights.get("source"), *(weights.get("attachments") or {}).get("files", [])]
        unsaved += [
            f"{model.parent.name}/{ref}"
            for ref in refs
            if isinstance(ref, str) and not ref.startswith("http")
        ]
    copy = with_placeholders(history, tmp_path / "repo", unsaved)
    (copy / ".git").mkdir()
    code = main(["validate", str(copy / "manifest.bioimage.io.yaml")])
    errors = [line for line in capsys.readouterr().out.splitlines() if ": error:" in line]
    assert code == 1
    assert errors == [
        f"{copy}/manifest.bioimage.io.yaml:199:17: error: rdf_source "
        "'u-net_hela_segmentation/model.yaml' does not exist "
        "(collection[5].rdf_source) [path-missing]"
    ]
