"""Reading a repository's objects: commits, ancestry, subjects, and ``GitTree``, a ``Tree``
over one commit (partner files are read from git objects, never from a working tree)."""

from __future__ import annotations

import contextlib
import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from bmz_collection.core import limits
from bmz_collection.core.tree import Kind
from bmz_collection.io.git.process import Git, GitError, forget, kill, spawn


def resolve_commit(git_dir: Path, rev: str) -> str:
    git = Git(git_dir=git_dir)
    res = git.run(
        "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", check=False
    )
    if res.returncode != 0:
        raise GitError(f"no commit {rev!r}")
    return res.text.strip()


def has_commit(git_dir: Path, sha: str) -> bool:
    git = Git(git_dir=git_dir)
    return git.run("cat-file", "-e", f"{sha}^{{commit}}", check=False).returncode == 0


def is_ancestor(git_dir: Path, old: str, new: str) -> bool:
    git = Git(git_dir=git_dir)
    return git.run("merge-base", "--is-ancestor", old, new, check=False).returncode == 0


def commit_subjects(git_dir: Path, old: str, new: str, limit: int | None = None) -> list[str]:
    """Subjects of the commits from ``old`` (excluded) to ``new``, newest first (at most
    ``limit``, ``limits.MAX_COMMIT_SUBJECTS``)."""
    git = Git(git_dir=git_dir)
    count = limits.MAX_COMMIT_SUBJECTS if limit is None else limit
    res = git.run("log", f"--max-count={count}", "--format=%h %s", f"{old}..{new}", check=False)
    return res.text.splitlines() if res.returncode == 0 else []


class ShortRead(GitError):
    """``git cat-file`` ended in the middle of an answer (killed by the timer, or dead): what
    was read is not the object, so the caller must not use it (for sync: a fetch failure)."""


def _read_exactly(stream: IO[bytes], size: int, obj: str) -> bytes:
    """``size`` bytes and the newline after them, or ShortRead: ``read(size)`` returns less
    when the process ends mid-object, and a truncated YAML file can still parse."""
    data = stream.read(size + 1)
    if len(data) != size + 1 or data[-1:] != b"\n":
        raise ShortRead(
            f"git cat-file stopped after {max(len(data) - 1, 0)} of {size} bytes of {obj!r}"
        )
    return data[:size]


class GitTree:
    """A ``Tree`` over one commit of a repository, read from its objects through one
    ``git cat-file --batch-command --follow-symlinks`` process: symlinks are followed while
    they stay in the commit's tree (OUTSIDE when they leave it), gitlinks are not files."""

    def __init__(self, git_dir: Path, commit: str, *, timeout: float | None = None) -> None:
        self.git_dir = git_dir
        self.commit = commit
        self.timeout = limits.DEFAULT_TIMEOUT if timeout is None else timeout
        self._proc: subprocess.Popen[bytes] | None = None
        self._info: dict[str, tuple[Kind, int]] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> GitTree:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=limits.CLOSE_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired):
            kill(proc)
            proc.wait()
        finally:
            for stream in (proc.stdout, proc.stderr):
                if stream:
                    stream.close()
            forget(proc)

    def _process(self) -> subprocess.Popen[bytes]:
        if self._proc is None:
            git = Git(git_dir=self.git_dir)
            self._proc = spawn(
                git.argv(["cat-file", "--batch-command", "--follow-symlinks"]),
                None,
                git.env,
                subprocess.PIPE,
            )
        return self._proc

    def _ask(self, command: str, obj: str) -> tuple[str, bytes | None]:
        """One batch command; (kind word, content) where content is read for ``contents``."""
        proc = self._process()
        assert proc.stdin is not None and proc.stdout is not None
        timer = threading.Timer(self.timeout, kill, (proc,))
        timer.start()
        try:
            proc.stdin.write(f"{command} {obj}\n".encode())
            proc.stdin.flush()
            header = proc.stdout.readline().decode("utf-8", "surrogateescape")
            if not header.endswith("\n"):
                raise ShortRead(f"git cat-file stopped answering at {obj!r}")
            words = header.split()
            if len(words) == 2 and words[1] == "missing":
                return "missing", None
            if len(words) == 2 and words[0] in ("symlink", "dangling", "loop", "notdir"):
                _read_exactly(proc.stdout, int(words[1]), obj)
                return words[0], None
            if len(words) != 3:
                raise OSError(f"git cat-file: unexpected answer {header.strip()!r}")
            kind, size = words[1], int(words[2])
            if command == "contents":
                return kind, _read_exactly(proc.stdout, size, obj)
            return kind, str(size).encode()
        except BaseException:
            self.close()
            raise
        finally:
            timer.cancel()

    def _lookup(self, relpath: str) -> tuple[Kind, int]:
        if relpath in self._info:
            return self._info[relpath]
        if any(c in relpath for c in "\n\r\x00") or relpath.startswith("/"):
            found = (Kind.MISSING, 0)
        else:
            word, size = self._ask("info", f"{self.commit}:{relpath}")
            if word == "blob":
                found = (Kind.FILE, int(size or b"0"))
            elif word == "tree":
                found = (Kind.DIR, 0)
            elif word == "symlink":
                found = (Kind.OUTSIDE, 0)
            else:  # missing, dangling, loop, notdir, commit (a gitlink), tag
                found = (Kind.MISSING, 0)
        self._info[relpath] = found
        return found

    def has_commit(self) -> bool:
        """Whether the commit itself is in the repository (a pin may predate a clone)."""
        with self._lock:
            if not re.fullmatch(r"[0-9a-f]{40}", self.commit) or not self.git_dir.is_dir():
                return False  # e.g. a partner whose clone failed in a fresh clone
            return self._ask("info", self.commit)[0] == "commit"

    def kind(self, relpath: str) -> Kind:
        with self._lock:
            return self._lookup(relpath)[0]

    def read(self, relpath: str) -> bytes:
        with self._lock:
            kind, size = self._lookup(relpath)
            if kind is Kind.OUTSIDE:
                raise PermissionError(f"{relpath} leads outside the repository")
            if kind is not Kind.FILE:
                raise FileNotFoundError(2, "No such file", relpath)
            if size > limits.MAX_BLOB:
                raise OSError(
                    27, f"file is {size} bytes, over the limit of {limits.MAX_BLOB}", relpath
                )
            word, data = self._ask("contents", f"{self.commit}:{relpath}")
            if word != "blob" or data is None:
                raise FileNotFoundError(2, "No such file", relpath)
            return data


@contextlib.contextmanager
def tree_at(git_dir: Path, commit: str) -> Iterator[GitTree]:
    tree = GitTree(git_dir, commit)
    try:
        yield tree
    finally:
        tree.close()


def count_commits(git_dir: Path, old: str, new: str) -> int | None:
    """How many commits ``new`` has that ``old`` has not (None: git cannot tell)."""
    res = Git(git_dir=git_dir).run("rev-list", "--count", f"{old}..{new}", check=False)
    return int(res.text.strip()) if res.returncode == 0 and res.text.strip().isdigit() else None


def first_parent_path(git_dir: Path, old: str, new: str) -> list[str]:
    """The commits from ``old`` (excluded) to ``new`` along first parents, oldest first."""
    res = Git(git_dir=git_dir).run(
        "rev-list", "--first-parent", "--reverse", f"{old}..{new}", check=False
    )
    return res.text.split() if res.returncode == 0 else []


def describe_commit(git_dir: Path, sha: str) -> tuple[str, str, str]:
    """(short hash, subject, committer date as YYYY-MM-DD) of one commit."""
    res = Git(git_dir=git_dir).run("log", "-1", "--format=%h%x00%s%x00%cs", sha, check=False)
    parts = res.text.strip().split("\0")
    if res.returncode != 0 or len(parts) != 3:
        return sha[:7], "", ""
    return parts[0], parts[1], parts[2]
