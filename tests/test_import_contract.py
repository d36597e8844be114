"""The import contract of ``[tool.importlinter]`` (checked by ``make lint``): layers in one
direction (hooks -> cli -> report -> engine -> io -> core) and no cycles. These tests show the
contract holds for the project and breaks on a reversed import, also one inside a function."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

pytestmark = pytest.mark.skipif(
    not LINT_IMPORTS.exists(), reason="import-linter is not installed (the dev extra has it)"
)


def copy_project(tmp_path: Path) -> Path:
    """The two packages and the contract, in a folder that imports them from there only."""
    root = tmp_path / "project"
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(
        PROJECT / "tools" / "bmz_collection", root / "src" / "bmz_collection", ignore=skip
    )
    shutil.copytree(PROJECT / "hooks", root / "src" / "bmz_collection_hooks", ignore=skip)
    shutil.copy(PROJECT / "pyproject.toml", root / "pyproject.toml")
    return root


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def add_line(module: Path, line: str) -> None:
    module.write_text(module.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")


def test_the_project_keeps_the_contract() -> None:
    res = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Contracts: 2 kept, 0 broken." in res.stdout


def test_an_untouched_copy_keeps_the_contract(tmp_path: Path) -> None:
    """The control for the tests below: the copy itself is analysed, and passes."""
    root = copy_project(tmp_path)
    res = lint_imports(root)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Contracts: 2 kept, 0 broken." in res.stdout


def test_core_importing_the_engine_breaks_the_contract(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    add_line(
        root / "src" / "bmz_collection" / "core" / "limits.py",
        "from bmz_collection.engine import sync",
    )
    res = lint_imports(root)
    assert res.returncode != 0
    assert "bmz_collection.core is not allowed to import bmz_collection.engine" in res.stdout
    assert "bmz_collection.core.limits -> bmz_collection.engine.sync" in res.stdout
    assert "Contracts: 0 kept, 2 broken." in res.stdout  # the layers, and a cycle


def test_an_import_inside_a_function_counts(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    add_line(
        root / "src" / "bmz_collection" / "io" / "fsio.py",
        "def _late() -> None:\n    from bmz_collection.report import findings  # noqa: F401",
    )
    res = lint_imports(root)
    assert res.returncode != 0
    assert "bmz_collection.io is not allowed to import bmz_collection.report" in res.stdout
    assert "bmz_collection.io.fsio -> bmz_collection.report.findings" in res.stdout


def test_a_cycle_inside_one_layer_breaks_the_contract(tmp_path: Path) -> None:
    """``core.tree`` is imported by ``core.policy``; the reverse closes a cycle in one layer,
    which only the acyclic contract sees."""
    root = copy_project(tmp_path)
    add_line(
        root / "src" / "bmz_collection" / "core" / "tree.py",
        "from bmz_collection.core import policy",
    )
    res = lint_imports(root)
    assert res.returncode != 0
    assert "Contracts: 1 kept, 1 broken." in res.stdout
    assert "No cycles are allowed in bmz_collection.core." in res.stdout
