"""A `bmz format` killed with SIGKILL at any point leaves every file either as it was or
completely formatted, nothing else in the repository changed, and the next run converges to
the bytes of an uninterrupted run, leaving no temporary file behind.

The kills come from the test side (tests/hostile/crashpoints.py): in the middle of each atomic
write (half the temporary file written), just before and just after each rename, in one process
and with the forked workers `bmz format` uses for many files (the whole group is killed).
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bmz_collection.io import fsio

from .hostile import crashpoints
from .hostile.gitenv import git, isolate_git

pytestmark = pytest.mark.slow  # a real process killed at every crash point

MESSY = """\
# resource {i}, edited by hand
format_version: 0.2.3
type: application
name:   Resource {i}
description: >-
    Folded text that
    spans lines.
authors:
-   name: Author {i}   # first author
    affiliation: Somewhere\t
tags: [a,   b]
covers:
- cover.png\r
source: https://example.org/{i}
"""
CANONICAL = """\
format_version: 0.2.3
type: application
name: Canonical {i}
description: Already in the canonical layout.
tags:
  - a
source: https://example.org/c{i}
"""


def build(root: Path, files: int) -> Path:
    """A repository with ``files`` RDF files in nested folders: two thirds messy."""
    repo = root / "repo"
    repo.mkdir(parents=True)
    git(repo, "init", "--quiet", "-b", "main")
    for i in range(files):
        folder = repo / f"group-{i % 3}" / f"res-{i:03d}"
        folder.mkdir(parents=True)
        text = (CANONICAL if i % 3 == 2 else MESSY).format(i=i)
        (folder / "rdf.yaml").write_bytes(text.encode())
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "rdf files as people write them")
    return repo


def contents(repo: Path) -> dict[str, bytes]:
    return {
        p.relative_to(repo).as_posix(): p.read_bytes()
        for p in sorted(repo.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(repo).parts
    }


def run(repo: Path, plan: str, counter: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(crashpoints.__file__), str(counter), plan, "format", str(repo)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        start_new_session=True,
    )


def status(repo: Path) -> str:
    return git(repo, "status", "--porcelain", "--untracked-files=all")


@pytest.mark.parametrize(
    ("files", "every"),
    [pytest.param(6, 2, id="one-process"), pytest.param(60, 25, id="forked-workers")],
)
def test_format_killed_at_every_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: int, every: int
) -> None:
    isolate_git(monkeypatch, tmp_path)
    template = build(tmp_path / "template", files)
    old = contents(template)
    reference = tmp_path / "reference"
    shutil.copytree(template, reference, symlinks=True)
    counter = tmp_path / "events.json"
    done = run(reference, "count", counter)
    assert done.returncode == 1, done.stderr  # files were reformatted
    new = contents(reference)
    changed = {name for name in old if old[name] != new[name]}
    assert len(changed) == files - files // 3
    reference_status = status(reference)
    events = crashpoints.counts(counter)
    assert events["write"] == events["replace"] == events["replaced"] == len(changed), events

    for plan in crashpoints.sample(events, full=crashpoints.full(), every=every):
        repo = tmp_path / f"run-{plan.replace(':', '-')}"
        shutil.copytree(template, repo, symlinks=True)
        killed = run(repo, plan, tmp_path / f"{plan.replace(':', '-')}.json")
        assert killed.returncode == -signal.SIGKILL, (plan, killed.stdout, killed.stderr)
        # every file is the old or the new complete version; only temporary files are extra
        after = contents(repo)
        extra = {name for name in after if name not in old}
        assert all(Path(name).name.startswith(fsio.TEMP_PREFIX) for name in extra), extra
        for name in old:
            assert after[name] in (old[name], new[name]), (plan, name)
        assert not (repo / ".git" / "index.lock").exists()
        # the next run converges to the bytes of an uninterrupted run and cleans up
        again = run(repo, "count", tmp_path / f"again-{plan.replace(':', '-')}.json")
        assert again.returncode in (0, 1), again.stderr
        assert "Traceback" not in again.stderr
        assert contents(repo) == new, plan
        assert status(repo) == reference_status
        final = run(repo, "count", tmp_path / f"final-{plan.replace(':', '-')}.json")
        assert final.returncode == 0, final.stdout  # nothing left to do
        crashpoints.log(f"format, {files} files", plan)
        shutil.rmtree(repo)
