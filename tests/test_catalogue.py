"""This repository is itself a central catalogue: its root `collection.yaml` registers the 12
real partners, `partners/` holds their submodules (none until the first sync with network:
"12 pending"), and its workflows are the ones `bmz init` writes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bmz_collection.cli.main import main as bmz
from bmz_collection.core import central
from bmz_collection.core.loading import parse
from bmz_collection.engine import workflows

from .realworld import REAL_WORLD, needs_real_world

PROJECT = Path(__file__).resolve().parents[1]
REGENERATE = (
    ".venv/bin/python -c 'from bmz_collection.engine import workflows as w; "
    '[open(p, "wb").write(d) for p, d in w.central_workflows(".").items()]\''
)


def is_git_checkout() -> bool:
    res = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    return res.returncode == 0 and Path(res.stdout.strip()).resolve() == PROJECT


def registry() -> list[central.Partner]:
    return central.read((PROJECT / central.FILE_NAME).read_bytes()).registry


@needs_real_world
def test_the_registry_is_the_real_catalogues() -> None:
    """Ids, repositories, branches and collection files as the real catalogue registers
    them (its template names repositories as owner/name on GitHub)."""
    template = REAL_WORLD / "central" / "collection_rdf_template.yaml"
    data = parse(template.read_text(encoding="utf-8"), str(template))
    real = [
        (
            p["id"],
            f"https://github.com/{p['repository']}",
            p["branch"],
            p["collection_file_name"],
        )
        for p in data["config"]["partners"]
    ]
    ours = [(p.id, p.repository, p.branch, p.collection_file_name) for p in registry()]
    assert len(real) == 12
    assert ours == real


def test_the_root_is_a_catalogue_with_every_partner_pending(
    capsys: pytest.CaptureFixture[str],
) -> None:
    if not is_git_checkout():
        pytest.skip("not a git checkout of the project")
    ids = [p.id for p in registry()]
    assert len(ids) == 12
    code = bmz(["sync", "--no-fetch", "--check", "--repo", str(PROJECT)])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert out.splitlines() == [
        f"partners/{pid}: pending: registered, not added yet (`bmz sync` adds it)" for pid in ids
    ]
    assert err.splitlines()[-1] == (
        "collection.yaml up to date: 0 resources from 12 partner(s); "
        "0 updated, 0 held back, 12 pending"
    )


def test_partner_submodules_are_never_cloned_by_git_itself() -> None:
    """Any partner submodule committed here is `update = none` (see test_hooks_try_repo)."""
    gitmodules = PROJECT / ".gitmodules"
    if not gitmodules.exists():
        return
    res = subprocess.run(
        ["git", "config", "--file", str(gitmodules), "--list"],
        capture_output=True,
        text=True,
        check=True,
    )
    config = dict(line.split("=", 1) for line in res.stdout.splitlines())
    for key, path in config.items():
        if key.endswith(".path") and path.startswith("partners/"):
            assert config[key.removesuffix(".path") + ".update"] == "none", path


def test_the_workflows_are_bmz_inits() -> None:
    for relpath, data in workflows.central_workflows(".").items():
        assert (PROJECT / relpath).read_bytes() == data, (
            f"{relpath} differs from its template; regenerate: {REGENERATE}"
        )
    assert (PROJECT / central.PARTNERS_DIR / "README.md").is_file()


def test_the_root_collection_is_valid_and_formatted(capsys: pytest.CaptureFixture[str]) -> None:
    root_file = str(PROJECT / central.FILE_NAME)
    assert bmz(["validate", "--strict", root_file]) == 0, capsys.readouterr()
    assert bmz(["format", "--check", root_file]) == 0, capsys.readouterr()
