"""A new partner's first commit, end to end: `bmz partner init` with its defaults, real
`pre-commit install`, `git commit`. The hooks come from the project's canonical URL at this
release's tag, as in a partner's repository; here git reaches that URL as a local clone of this
project (`url.<clone>.insteadOf`) carrying the tag, and pip gets our dependencies from the
wheelhouse `make` builds, so the test uses no network."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bmz_collection import PROJECT_URL, RELEASE_TAG, __version__
from bmz_collection.cli.main import main

from .gitrepos import git

PROJECT = Path(__file__).resolve().parents[1]
WHEELHOUSE = Path(sys.prefix) / "wheelhouse"
BIN = Path(sys.executable).parent

pytestmark = [
    pytest.mark.slow,  # pre-commit builds the hooks' environment: tens of seconds
    pytest.mark.skipif(
        not WHEELHOUSE.is_dir(), reason=f"no {WHEELHOUSE}: run `make test`, which builds it"
    ),
]


def clone_of_this_project(dest: Path) -> Path:
    """This project as git sees it (tracked files, with their uncommitted changes, as
    `pre-commit try-repo` takes them), committed and tagged with this release's tag."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached"], cwd=PROJECT, capture_output=True, check=True
    ).stdout.decode()
    for relpath in filter(None, listed.split("\0")):
        source = PROJECT / relpath
        if source.is_file():
            (dest / relpath).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / relpath)
    git(dest, "init", "--quiet")
    git(dest, "add", "-A")
    git(dest, "commit", "--quiet", "-m", f"bmz-collection {__version__}")
    git(dest, "tag", "-a", RELEASE_TAG, "-m", f"bmz-collection {__version__}")
    return dest


def test_a_fresh_scaffold_commits_with_its_hooks(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    git_env: None,
) -> None:
    clone = clone_of_this_project(tmp_path / "bmz-collection")
    partner = tmp_path / "acme"
    options = ["--id", "acme", "--name", "ACME Imaging Lab", "--maintainer", "ada"]
    code = main(
        ["partner", "init", str(partner), *options, "--logo", "https://e.org/l.png", "--no-input"]
    )
    assert code == 0, capsys.readouterr()
    config = (partner / ".pre-commit-config.yaml").read_text()
    assert f"  - repo: {PROJECT_URL}\n    rev: {RELEASE_TAG}\n" in config  # the defaults

    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(WHEELHOUSE),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        # git (also pre-commit's own, which drops other GIT_* variables) reaches the canonical
        # URL as the local clone
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{clone.as_uri()}.insteadOf",
        "GIT_CONFIG_VALUE_0": PROJECT_URL,
    }

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv, cwd=partner, env=env, capture_output=True, text=True, timeout=600
        )

    installed = run(str(BIN / "pre-commit"), "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    first = run("git", "commit", "-m", "Join the BioImage.IO catalogue")
    assert first.returncode == 0, first.stdout + first.stderr
    hooks_said = first.stderr.splitlines()  # git gives its hooks' output to stderr
    results = dict(line.split("...", 1) for line in hooks_said if line.startswith("bmz "))
    assert {name: result.strip(".") for name, result in results.items()} == {
        "bmz validate": "Passed",
        "bmz format": "Passed",
    }
    assert git(partner, "rev-list", "--count", "HEAD") == "1"
    assert git(partner, "status", "--porcelain") == ""
