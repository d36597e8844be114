"""The published hooks, run by real pre-commit from another repository (`pre-commit try-repo`).

pre-commit installs this project into its own virtualenv; pip gets the wheels of our
dependencies from the wheelhouse `make` builds next to .venv, with the index switched off, so
the test itself uses no network.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .gitrepos import git

PROJECT = Path(__file__).resolve().parents[1]
WHEELHOUSE = Path(sys.prefix) / "wheelhouse"
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"

pytestmark = [
    pytest.mark.slow,  # pre-commit builds an environment per hook: tens of seconds
    pytest.mark.skipif(
        not WHEELHOUSE.is_dir(), reason=f"no {WHEELHOUSE}: run `make test`, which builds it"
    ),
]

COLLECTION = """\
format_version: 0.2.3
type: collection
name: Try Collection
description: A partner collection used to try the hooks.
config:
  id: try
  name: Try
  logo: https://example.org/logo.png
collection:
  - id: an-app
    type: application
    name: An app
    description: Does things.
    source: https://example.org/app
"""


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("pre-commit-home")


def try_repo(repo: Path, home: Path, *hooks: str) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo`` of this project with ``hooks`` (none: every published hook)."""
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(WHEELHOUSE),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    return subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(PROJECT), *hooks, "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def partner(tmp_path: Path, git_env: None) -> Path:
    repo = tmp_path / "partner"
    repo.mkdir()
    git(repo, "init", "--quiet")
    (repo / "collection.yaml").write_text(COLLECTION)
    (repo / "notes.yaml").write_text("not: [an rdf\n")  # not an RDF name: the hooks skip it
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "init")
    return repo


def test_validate_hook_passes_then_points_at_the_line(partner: Path, pre_commit_home: Path) -> None:
    ok = try_repo(partner, pre_commit_home, "bmz-validate")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "bmz validate" in ok.stdout and "Passed" in ok.stdout

    (partner / "collection.yaml").write_text(
        COLLECTION.replace("    type: application\n", "    type: collection\n")
    )
    git(partner, "add", "-A")
    bad = try_repo(partner, pre_commit_home, "bmz-validate")
    assert bad.returncode == 1
    assert "collection.yaml:11:11: error: " in bad.stdout
    assert "[type-collection]" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr


def test_format_hook_fixes_the_file(partner: Path, pre_commit_home: Path) -> None:
    (partner / "collection.yaml").write_text(
        COLLECTION.replace("  - id: an-app", "  - id:   an-app   ")
    )
    git(partner, "add", "-A")
    first = try_repo(partner, pre_commit_home, "bmz-format")
    assert first.returncode == 1  # a fixer that changed files fails the run, as pre-commit expects
    assert "files were modified by this hook" in first.stdout
    assert (partner / "collection.yaml").read_text() == COLLECTION.replace(
        "  - id: an-app", "  - id:   an-app"
    )
    git(partner, "add", "-A")
    second = try_repo(partner, pre_commit_home, "bmz-format")
    assert second.returncode == 0, second.stdout


def test_every_hook_in_a_partner_repository(partner: Path, pre_commit_home: Path) -> None:
    """try-repo without a hook id runs the central repository's hook too: it says what it is
    for and which hooks a partner uses, and the partner's own hooks pass."""
    run = try_repo(partner, pre_commit_home)
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert (
        f"bmz-check-collection: error: {partner} is a partner repository (collection.yaml lists "
        "its own resources): the bmz-check-collection hook checks the merged collection.yaml of "
        "a central catalogue repository; in a partner repository use the bmz-validate and "
        "bmz-format hooks only"
    ) in lines
    status = dict(line.split("...", 1) for line in lines if line.startswith("bmz "))
    assert {name: result.strip(".") for name, result in status.items()} == {
        "bmz validate": "Passed",
        "bmz format": "Passed",
        "bmz check collection": "Failed",
    }
    assert "Traceback" not in run.stdout + run.stderr
