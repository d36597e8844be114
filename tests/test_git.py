"""The git layer: the hardened git calls and ``GitTree`` over git objects."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bmz_collection.core import limits
from bmz_collection.core.tree import Kind
from bmz_collection.io.git import objects, process

from .gitrepos import git, make_central, make_partner

pytestmark = pytest.mark.usefixtures("git_env")


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str]:
    """A repository with files, folders, symlinks in every direction and a gitlink."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "--quiet", "-b", "main")
    (root / "docs").mkdir()
    (root / "docs" / "a.md").write_text("hello\n")
    (root / "big.bin").write_bytes(b"x" * 5000)
    os.symlink("docs", root / "docs-link")
    os.symlink("docs/a.md", root / "file-link")
    os.symlink("../outside.md", root / "up-link")
    os.symlink("/etc/passwd", root / "abs-link")
    os.symlink("nowhere.md", root / "dangling")
    os.symlink("loop-b", root / "loop-a")
    os.symlink("loop-a", root / "loop-b")
    os.symlink("a.md", root / "docs" / "sibling")
    os.symlink("../../etc", root / "docs" / "escape")
    git(root, "add", "-A")
    sub = make_partner(tmp_path, "sub")
    git(root, "update-index", "--add", "--cacheinfo", f"160000,{sub.head()},vendored")
    git(root, "commit", "--quiet", "-m", "tree")
    return root / ".git", git(root, "rev-parse", "HEAD")


@pytest.mark.parametrize(
    ("relpath", "kind"),
    [
        ("", Kind.DIR),
        ("docs", Kind.DIR),
        ("docs/a.md", Kind.FILE),
        ("docs-link", Kind.DIR),
        ("docs-link/a.md", Kind.FILE),
        ("file-link", Kind.FILE),
        ("docs/sibling", Kind.FILE),
        ("up-link", Kind.OUTSIDE),
        ("abs-link", Kind.OUTSIDE),
        ("docs/escape", Kind.OUTSIDE),
        ("dangling", Kind.MISSING),
        ("loop-a", Kind.MISSING),
        ("vendored", Kind.MISSING),
        ("vendored/collection.yaml", Kind.MISSING),
        ("missing.md", Kind.MISSING),
        ("docs/a.md/deeper", Kind.MISSING),
        ("bad\nname", Kind.MISSING),
    ],
)
def test_git_tree_kinds(repo: tuple[Path, str], relpath: str, kind: Kind) -> None:
    git_dir, commit = repo
    with objects.tree_at(git_dir, commit) as tree:
        assert tree.kind(relpath) is kind


def test_git_tree_reads_blobs_through_inside_links(repo: tuple[Path, str]) -> None:
    git_dir, commit = repo
    with objects.tree_at(git_dir, commit) as tree:
        assert tree.has_commit()
        assert tree.read("docs/a.md") == b"hello\n"
        assert tree.read("file-link") == b"hello\n"
        assert tree.read("docs-link/a.md") == b"hello\n"
        with pytest.raises(PermissionError):
            tree.read("up-link")
        with pytest.raises(FileNotFoundError):
            tree.read("vendored")
        with pytest.raises(FileNotFoundError):
            tree.read("docs")


def test_git_tree_reads_objects_not_the_working_tree(repo: tuple[Path, str]) -> None:
    git_dir, commit = repo
    (git_dir.parent / "docs" / "a.md").write_text("changed on disk\n")
    with objects.tree_at(git_dir, commit) as tree:
        assert tree.read("docs/a.md") == b"hello\n"


def test_git_tree_refuses_huge_blobs(
    repo: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    git_dir, commit = repo
    monkeypatch.setattr(limits, "MAX_BLOB", 1000)
    with objects.tree_at(git_dir, commit) as tree:
        with pytest.raises(OSError, match="over the limit"):
            tree.read("big.bin")
        assert tree.read("docs/a.md") == b"hello\n"  # the process is still in step


def test_git_tree_of_an_unknown_commit(repo: tuple[Path, str]) -> None:
    git_dir, _ = repo
    with objects.tree_at(git_dir, "1" * 40) as tree:
        assert not tree.has_commit()
        assert tree.kind("docs/a.md") is Kind.MISSING


def test_git_itself_refuses_other_transports(tmp_path: Path) -> None:
    """Defence in depth: even if a URL got past check_url, git would not speak ext::."""
    marker = tmp_path / "pwned"
    g = process.Git(tmp_path, allow_local=True)
    res = g.run("ls-remote", f"ext::sh -c touch% {marker}", check=False)
    assert res.returncode != 0
    assert not marker.exists()


def test_file_transport_needs_allow_local(tmp_path: Path) -> None:
    p = make_partner(tmp_path, "p")
    assert process.Git(tmp_path).run("ls-remote", f"file://{p.path}", check=False).returncode != 0
    assert (
        process.Git(tmp_path, allow_local=True).run("ls-remote", f"file://{p.path}").returncode == 0
    )


def test_the_environment_is_hardened(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {
        "GIT_DIR": "/elsewhere",
        "GIT_WORK_TREE": "/elsewhere",
        "GIT_INDEX_FILE": "/elsewhere/index",
        "GIT_CONFIG_PARAMETERS": "'core.hookspath'='/x'",
        "GIT_SSH_COMMAND": "evil",
        "GIT_ASKPASS": "evil",
        "SSH_ASKPASS": "evil",
    }.items():
        monkeypatch.setenv(key, value)
    env = process.hardened_env(allow_local=False)
    for key in (
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_CONFIG_PARAMETERS",
        "GIT_SSH_COMMAND",
        "GIT_ASKPASS",
        "SSH_ASKPASS",
    ):
        assert key not in env
    assert env["GIT_TERMINAL_PROMPT"] == "0"
    assert env["GIT_ALLOW_PROTOCOL"] == "https"
    assert env["GIT_CONFIG_GLOBAL"] == os.environ["GIT_CONFIG_GLOBAL"]
    assert process.hardened_env(allow_local=True)["GIT_ALLOW_PROTOCOL"] == "https:file"
    argv = process.Git().argv(["status"])
    assert "core.hooksPath=/dev/null" in argv
    assert "submodule.recurse=false" in argv


def test_a_timeout_kills_the_whole_process_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pidfile = tmp_path / "child.pid"
    script = f"sleep 60 & echo $! > {pidfile}; wait"
    monkeypatch.setattr(process.Git, "argv", lambda self, args: ["sh", "-c", script])
    with pytest.raises(process.GitTimeout, match="no answer within 1 s"):
        process.Git(tmp_path, timeout=1).run("fetch")  # raised only when the timeout fired
    child = int(pidfile.read_text())
    for _ in range(100):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        # a zombie until its reaper (init) collects it: look at its state
        state = (
            Path(f"/proc/{child}/stat").read_text().split()[2]
            if Path(f"/proc/{child}/stat").exists()
            else "Z"
        )
        if state == "Z":
            break
        time.sleep(0.05)
    else:
        pytest.fail("the grandchild survived the timeout")


def test_hooks_of_a_partner_module_never_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    central = make_central(tmp_path, capsys)
    p = make_partner(tmp_path, "alpha")
    assert central.add(p)[0] == 0
    marker = tmp_path / "hook-ran"
    hooks = central.root / ".git" / "modules" / "partners" / "alpha" / "hooks"
    hooks.mkdir(exist_ok=True)
    for name in ("post-checkout", "reference-transaction", "post-merge"):
        hook = hooks / name
        hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
        hook.chmod(0o755)
    p.write_collection(
        [
            {
                "id": "x",
                "type": "application",
                "name": "X",
                "description": "X.",
                "source": "https://example.org/x",
            }
        ]
    )
    p.commit()
    code, out, err = central.sync()
    assert code == 0, out + err
    assert central.pins()["alpha"] == p.head()
    assert not marker.exists()
    # the partner working tree follows the pin (checkout ran, its hook did not)
    assert git(central.root / "partners" / "alpha", "rev-parse", "HEAD") == p.head()


def test_nested_submodules_of_a_partner_are_not_cloned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    central = make_central(tmp_path, capsys)
    inner = make_partner(tmp_path, "inner")
    p = make_partner(tmp_path, "alpha")
    git(p.path, "submodule", "add", "--quiet", inner.url, "nested")
    p.commit("with a submodule")
    assert central.add(p)[0] == 0
    assert not (central.root / "partners" / "alpha" / "nested" / "collection.yaml").exists()
    assert not (central.root / ".git" / "modules" / "partners" / "alpha" / "modules").exists()


def test_git_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(process.GitError, match="git is not installed"):
        process.Git(tmp_path).run("status")
