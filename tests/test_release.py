"""The project's home and release tag are one constant each, and everything that names them
(pyproject.toml, the README, the partner guide, the scaffold, the workflows) says the same."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import bmz_collection
from bmz_collection import PROJECT_URL, RELEASE_TAG, REQUIREMENT, __version__
from bmz_collection.cli.main import main
from bmz_collection.core.loading import parse
from bmz_collection.engine import workflows

PROJECT = Path(__file__).resolve().parents[1]


def test_the_constants() -> None:
    assert PROJECT_URL == "https://github.com/bioimage-io/bmz-collection"
    assert f"v{__version__}" == RELEASE_TAG
    assert f"bmz-collection @ git+{PROJECT_URL}@{RELEASE_TAG}" == REQUIREMENT


def test_pyproject_reads_the_version_and_names_the_home() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    dynamic = project["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "bmz_collection.__version__"}
    urls = project["project"]["urls"]
    assert urls["Source"] == urls["Homepage"] == PROJECT_URL
    assert urls["Issues"] == f"{PROJECT_URL}/issues"


def test_readme_and_partner_guide_name_this_release() -> None:
    readme = (PROJECT / "README.md").read_text()
    assert f"  - repo: {PROJECT_URL}\n    rev: {RELEASE_TAG}\n" in readme
    guide = (PROJECT / "docs" / "partners.md").read_text()
    assert f'pip install "{REQUIREMENT}"\n' in guide
    for name in ("README.md", "docs/partners.md", "docs/releasing.md", "docs/CONTRIBUTING.md"):
        assert "<org>" not in (PROJECT / name).read_text(), name


def test_no_placeholder_home_in_the_code() -> None:
    package = Path(bmz_collection.__file__).parent
    for path in [*package.rglob("*.py"), *package.rglob("*.yml")]:
        assert "<org>" not in path.read_text(), path


def test_central_workflows_install_this_release() -> None:
    for relpath, text in workflows.central_workflows().items():
        data = parse(text.decode(), relpath)
        assert data["env"] == {"BMZ_REQUIREMENT": REQUIREMENT}, relpath


def test_partner_init_pins_this_release_unless_told_otherwise(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    git_env: None,
) -> None:
    base = ["partner", "init", "--id", "acme", "--name", "Acme", "--maintainer", "ada"]
    base += ["--logo", "https://example.org/logo.png", "--no-input"]
    assert main([*base, str(tmp_path / "default")]) == 0
    assert (
        (tmp_path / "default" / ".pre-commit-config.yaml")
        .read_text()
        .endswith(
            f"repos:\n  - repo: {PROJECT_URL}\n    rev: {RELEASE_TAG}\n    hooks:\n"
            "      - id: bmz-validate\n      - id: bmz-format\n"
        )
    )
    custom = [*base, "--hooks-repo", "https://example.org/fork.git", "--hooks-rev", "v9.9.9"]
    assert main([*custom, str(tmp_path / "custom")]) == 0
    assert (
        (tmp_path / "custom" / ".pre-commit-config.yaml")
        .read_text()
        .endswith(
            "repos:\n  - repo: https://example.org/fork.git\n    rev: v9.9.9\n    hooks:\n"
            "      - id: bmz-validate\n      - id: bmz-format\n"
        )
    )
    capsys.readouterr()


def test_bmz_version_is_the_package_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bmz_collection", "--version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out == f"bmz {__version__}\n"
