"""A `bmz sync` killed with SIGKILL at any point leaves the previous complete collection.yaml
(or the new one), a sane repository, and the next run converges to the same bytes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .gitrepos import Central, entry, git, git_env, make_central, make_partner

__all__ = ["git_env"]
pytestmark = pytest.mark.usefixtures("git_env")


def bmz_sync(root: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bmz_collection", "sync", "--allow-local", "--repo", str(root)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def pins(root: Path) -> str:
    return git(root, "ls-files", "--stage", "--", "partners/", "collection.yaml")


@pytest.fixture
def scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, bytes, bytes, str]:
    """A committed central repository whose partners moved on: (template, old file, file an
    uninterrupted sync writes, index it stages)."""
    central: Central = make_central(tmp_path, capsys)
    alpha = make_partner(tmp_path, "alpha")
    beta = make_partner(tmp_path, "beta")
    for p in (alpha, beta):
        assert central.add(p)[0] == 0
    central.commit("partners")
    alpha.write_collection([entry("alpha-app-0", description="Changed."), entry("alpha-new")])
    alpha.commit()
    beta.write_collection([entry("beta-app-1")])
    beta.commit()
    template = tmp_path / "template"
    shutil.copytree(central.root, template, symlinks=True)
    reference = tmp_path / "reference"
    shutil.copytree(template, reference, symlinks=True)
    done = bmz_sync(reference)
    assert done.returncode == 0, done.stderr
    return (
        template,
        central.collection,
        (reference / "collection.yaml").read_bytes(),
        pins(reference),
    )


def check_recovery(root: Path, old: bytes, new: bytes, staged: str) -> None:
    current = (root / "collection.yaml").read_bytes()
    assert current in (old, new), "a torn collection.yaml"
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True
    )
    assert status.returncode == 0, status.stderr
    again = bmz_sync(root)
    assert again.returncode == 0, again.stdout + again.stderr
    assert (root / "collection.yaml").read_bytes() == new
    assert pins(root) == staged
    assert not list(root.glob(".bmz-tmp-*"))
    assert not (root / ".git" / "index.lock").exists()
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "bmz_collection",
            "sync",
            "--no-fetch",
            "--check",
            "--repo",
            str(root),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    dirty = git(root, "status", "--porcelain", "--ignore-submodules=none")
    assert all(line[1] == " " for line in dirty.splitlines()), dirty  # all staged, worktree clean


@pytest.mark.parametrize("point", ["before-write", "during-write", "after-write", "after-index"])
def test_killed_at_a_named_point(
    scenario: tuple[Path, bytes, bytes, str], tmp_path: Path, point: str
) -> None:
    template, old, new, staged = scenario
    root = tmp_path / f"run-{point}"
    shutil.copytree(template, root, symlinks=True)
    killed = bmz_sync(root, BMZ_CRASH_AT=point)
    assert killed.returncode == -signal.SIGKILL
    check_recovery(root, old, new, staged)


def test_killed_after_every_git_call(
    scenario: tuple[Path, bytes, bytes, str], tmp_path: Path
) -> None:
    template, old, new, staged = scenario
    calls = 0
    for n in range(1, 80):
        root = tmp_path / f"run-{n}"
        shutil.copytree(template, root, symlinks=True)
        killed = bmz_sync(root, BMZ_CRASH_AFTER_GIT_CALLS=str(n))
        if killed.returncode != -signal.SIGKILL:
            assert killed.returncode == 0, killed.stderr
            break
        calls = n
        check_recovery(root, old, new, staged)
        shutil.rmtree(root)
    else:
        pytest.fail("sync made more git calls than expected")
    assert calls >= 10, calls
