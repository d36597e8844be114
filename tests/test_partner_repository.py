"""The central repository's commands, run in a partner repository by mistake, say so: what
the command is for and what to run instead (exit 2, one line, nothing written)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bmz_collection.cli.main import main
from bmz_collection_hooks.check_collection import main as check_collection_hook

from .gitrepos import git

PARTNER = """\
format_version: 0.2.3
type: collection
name: Acme
description: A partner collection.
config:
  id: acme
  logo: https://example.org/logo.png
collection:
  - id: app
    type: application
    name: App
    description: An app.
    source: https://example.org/app
"""


@pytest.fixture
def partner(tmp_path: Path, git_env: None) -> Path:
    repo = tmp_path / "acme"
    repo.mkdir()
    git(repo, "init", "--quiet")
    (repo / "collection.yaml").write_text(PARTNER)
    (repo / "docs").mkdir()
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "init")
    return repo


def test_sync_in_a_partner_repository(
    partner: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(partner / "docs")  # anywhere inside it
    assert main(["sync"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"bmz sync: error: {partner} is a partner repository (collection.yaml lists its own "
        "resources): `bmz sync` updates a central catalogue repository from its partners' "
        "repositories; here, check your collection with `bmz validate collection.yaml`\n"
    )
    assert git(partner, "status", "--porcelain") == ""


def test_init_in_a_partner_repository(partner: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(partner)]) == 2
    assert capsys.readouterr().err == (
        f"bmz init: error: {partner} is a partner repository (collection.yaml lists its own "
        "resources): `bmz init` creates a central catalogue repository; create one in a folder "
        "of its own, and here check your collection with `bmz validate collection.yaml`\n"
    )
    assert git(partner, "status", "--porcelain") == ""
    assert sorted(p.name for p in partner.iterdir()) == [".git", "collection.yaml", "docs"]


def test_central_hook_in_a_partner_repository(
    partner: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check_collection_hook(["--repo", str(partner)]) == 2
    assert capsys.readouterr().err == (
        f"bmz-check-collection: error: {partner} is a partner repository (collection.yaml lists "
        "its own resources): the bmz-check-collection hook checks the merged collection.yaml of "
        "a central catalogue repository; in a partner repository use the bmz-validate and "
        "bmz-format hooks only\n"
    )


def test_a_partner_file_under_another_rdf_name(
    partner: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Several real partners name theirs manifest.bioimage.io.yaml (ZeroCostDL4Mic, HPA)."""
    git(partner, "mv", "collection.yaml", "manifest.bioimage.io.yaml")
    assert main(["sync", "--repo", str(partner)]) == 2
    assert capsys.readouterr().err == (
        f"bmz sync: error: {partner} is a partner repository (manifest.bioimage.io.yaml lists its "
        "own resources): `bmz sync` updates a central catalogue repository from its partners' "
        "repositories; here, check your collection with "
        "`bmz validate manifest.bioimage.io.yaml`\n"
    )


def test_a_central_repository_is_not_mistaken_for_one(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    git_env: None,
) -> None:
    central = tmp_path / "central"
    assert main(["init", str(central)]) == 0
    assert main(["sync", "--no-fetch", "--repo", str(central)]) == 0
    assert check_collection_hook(["--repo", str(central)]) == 0
    assert "partner repository" not in capsys.readouterr().err
