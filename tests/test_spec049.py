"""The 0.2.x world still agrees with bioimageio.spec 0.4.9, the library the real catalogue
validated with: on the 111 resources of the 12 real partners, and on the real-data quirks that
0.4.9 accepted and 0.5.14.3's 0.2 classes reject (row `0.2-quirks` of docs/spec-differences.md)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from bmz_collection.cli.main import main

from . import spec049, spec_corpus, spec_oracle
from .realworld import needs_real_world

pytestmark = [needs_real_world, spec049.needs_spec049]


def bmz_errors(paths: list[Path]) -> dict[Path, list[str]]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(["validate", "--format", "json", *map(str, paths)])
    found: dict[Path, list[str]] = {p: [] for p in paths}
    for f in json.loads(out.getvalue())["findings"]:
        if f["severity"] == "error":
            found[Path(f["file"])].append(f["rule"])
    return found


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Path, str | None]]:
    """(name, the resolved resource as a stand-alone file, 0.4.9's error) for the 111."""
    root = tmp_path_factory.mktemp("world02")
    resources = spec_corpus.real_resources()
    paths = [spec_corpus.write(root / name, data) for name, data in resources]
    theirs = spec049.errors([data for _, data in resources], root)
    return [
        (name, path, err) for (name, _), path, err in zip(resources, paths, theirs, strict=True)
    ]


def test_the_111_real_resources_agree_with_bioimageio_spec_049(
    real: list[tuple[str, Path, str | None]],
) -> None:
    assert len(real) == 111
    ours = bmz_errors([path for _, path, _ in real])
    disagree = [
        (name, err, ours[path]) for name, path, err in real if (err is None) != (not ours[path])
    ]
    assert disagree == []
    assert all(err is None for _, _, err in real)  # the real catalogue accepted all of them


def test_row_0_2_quirks_accepted_as_049_did(
    real: list[tuple[str, Path, str | None]], capsys: pytest.CaptureFixture[str]
) -> None:
    """DOIs given as arXiv URLs (ZeroCostDL4Mic) and an unknown key (Fiji's `passive`): 0.4.9
    accepted them, the 0.2 classes of 0.5.14.3 reject them, bmz accepts them with a warning
    where the data is dubious."""
    quirky = {
        "zero__Notebook_Detectron2_ZeroCostDL4Mic": "doi-is-url",
        "zero__Notebook_DRMIME_ZeroCostDL4Mic": "doi-is-url",
        "fiji__Fiji": None,
    }
    for name, path, err in real:
        if name not in quirky:
            continue
        assert err is None, name
        assert not spec_oracle.accepts(path), name
        assert main(["validate", str(path)]) == 0, name
        out = capsys.readouterr().out
        if quirky[name]:
            assert "warning: this URL is not a DOI" in out and f"[{quirky[name]}]" in out
