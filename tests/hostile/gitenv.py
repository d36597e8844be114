"""Helpers shared by the module-scoped test worlds (corpus, faults, crashes): an isolated git
and fixture git calls that never run hooks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ..gitrepos import ENV_KEYS, git

__all__ = ["bmz", "copy_tree", "git", "isolate_git"]


def isolate_git(mp: pytest.MonkeyPatch, root: Path) -> None:
    """Own global config, no system config, fixed identity and dates (as ``git_env``), for a
    fixture wider than one test."""
    config = root / "gitconfig"
    template = root / "git-template"  # no sample hooks: repositories half the size to copy
    template.mkdir(exist_ok=True)
    config.write_text(
        f"[init]\n\tdefaultBranch = main\n\ttemplateDir = {template}\n"
        "[advice]\n\tdetachedHead = false\n"
    )
    for key in (*ENV_KEYS, "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        mp.delenv(key, raising=False)
    mp.setenv("GIT_CONFIG_GLOBAL", str(config))
    mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        mp.setenv(f"GIT_{who}_NAME", "Partner")
        mp.setenv(f"GIT_{who}_EMAIL", "partner@example.org")
        mp.setenv(f"GIT_{who}_DATE", "2024-01-01T00:00:00Z")


def copy_tree(source: Path, target: Path) -> None:
    """``cp -a``: several times faster than ``shutil.copytree`` on repositories."""
    subprocess.run(["cp", "-a", str(source), str(target)], check=True)


def bmz(
    cwd: Path, *argv: str, timeout: float = 120, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """``bmz`` as a process; ``timeout`` guards against a hang, it is not a timing assertion."""
    proc = subprocess.run(
        [sys.executable, "-m", "bmz_collection", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    return (
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )
