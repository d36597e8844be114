"""The central repository: its root, git directory, index, gitlinks and ``.gitmodules``."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bmz_collection.core.errors import FatalError
from bmz_collection.io.git.process import Git

GITLINK = "160000"
"""The index mode of a submodule's pinned commit."""


@dataclass(frozen=True)
class IndexEntry:
    mode: str
    sha: str
    path: str


def _hook_index(git_dir: Path) -> str | None:
    """The index a calling hook commits from (``GIT_INDEX_FILE``, relative to the folder git
    runs the hook in), for this repository only: git keeps it in the repository's git
    directory. One set for another repository (a hook of repository A running ``bmz sync
    --check --repo B``) would make us read A's index as B's: it is ignored."""
    index_file = os.environ.get("GIT_INDEX_FILE")
    if not index_file:
        return None
    path = (Path.cwd() / index_file).resolve()
    git_dir = git_dir.resolve()
    return str(path) if git_dir in path.parents else None


def tracked_files(root: Path) -> tuple[frozenset[str], frozenset[str]] | None:
    """(paths, submodule paths) in git's index for the work tree at ``root`` (a calling
    hook's index when there is one): what the next commit carries. None when git cannot
    tell (no repository, no git), and then every file on disk counts."""
    index_file = None
    if os.environ.get("GIT_INDEX_FILE"):  # only then is the git directory worth asking for
        res = Git(root).run("rev-parse", "--absolute-git-dir", check=False)
        if res.returncode != 0 or not res.text.strip():
            return None
        index_file = _hook_index(Path(res.text.strip()))
    git = Git(root, index_file=index_file)
    listed = git.run("ls-files", "--stage", "-z", "--full-name", check=False)
    if listed.returncode != 0:
        return None
    entries = [entry for _, entry in _stage_records(listed.stdout)]
    paths = frozenset(e.path for e in entries)
    return paths, frozenset(e.path for e in entries if e.mode == GITLINK)


def _stage_records(stdout: bytes) -> Iterator[tuple[str, IndexEntry]]:
    """``git ls-files --stage -z`` output as (stage, entry): a conflicted file comes once
    per side."""
    for record in stdout.split(b"\0"):
        meta, _, path = record.partition(b"\t")
        if path:
            mode, sha, stage = meta.decode().split()
            yield stage, IndexEntry(mode, sha, path.decode("utf-8", "surrogateescape"))


class Repo:
    """The central repository: its root, git directory and hardened git."""

    def __init__(self, root: Path, *, allow_local: bool = False) -> None:
        self.root = root
        probe = Git(root, allow_local=allow_local)
        common, git_dir = probe.out(
            "rev-parse", "--git-common-dir", "--absolute-git-dir", what="git rev-parse"
        ).splitlines()
        self.common_dir = (root / common).resolve()
        self.git = Git(root, allow_local=allow_local, index_file=_hook_index(Path(git_dir)))
        self.allow_local = allow_local

    @classmethod
    def discover(cls, start: Path, *, allow_local: bool = False) -> Repo:
        probe = Git(start, allow_local=allow_local)
        res = probe.run("rev-parse", "--is-bare-repository", "--show-toplevel", check=False)
        lines = res.text.splitlines()
        if res.returncode != 0 or len(lines) < 2:
            raise FatalError(f"{start} is not inside a git repository (run `bmz init` first)")
        if lines[0] == "true":
            raise FatalError(f"{start} is a bare repository; a working tree is needed")
        return cls(Path(lines[1]), allow_local=allow_local)

    def module_dir(self, name: str) -> Path:
        """``.git/modules/<name>``. ``.gitmodules`` is content anyone can propose in a pull
        request, so a name that would lead elsewhere (``..``, absolute) is refused, as git
        itself refuses it; otherwise a sync would fetch into, and ``partner remove`` delete,
        any folder on the disk."""
        steps = re.split(r"[/\\]", name)
        if (
            name.startswith(("/", "\\"))
            or any(step in ("", ".", "..") for step in steps)
            or any(c in name for c in "\n\r\x00")
        ):
            raise FatalError(
                f".gitmodules: refusing submodule name {name!r} "
                "(a path step that leads outside .git/modules)"
            )
        return self.common_dir / "modules" / name

    def index_entries(self, prefix: str) -> list[IndexEntry]:
        """Index entries below ``prefix`` (stage 0 only)."""
        res = self.git.run("ls-files", "--stage", "-z", "--", prefix)
        return [entry for stage, entry in _stage_records(res.stdout) if stage == "0"]

    def gitlinks(self, prefix: str) -> dict[str, str]:
        """Path -> pinned commit, for every gitlink below ``prefix`` in the index."""
        return {e.path: e.sha for e in self.index_entries(prefix) if e.mode == GITLINK}

    def index_entry(self, path: str) -> IndexEntry | None:
        for e in self.index_entries(path):
            if e.path == path:
                return e
        return None

    def index_blob(self, path: str, limit: int) -> bytes | None:
        """The staged content of ``path``; None when it is not staged or over ``limit`` bytes."""
        entry = self.index_entry(path)
        if entry is None:
            return None
        size = self.git.run("cat-file", "-s", entry.sha, check=False)
        if size.returncode != 0 or not size.text.strip().isdigit() or int(size.text) > limit:
            return None
        res = self.git.run("cat-file", "blob", entry.sha, check=False)
        return res.stdout if res.returncode == 0 else None

    def update_index(self, cacheinfo: Sequence[IndexEntry], add_paths: Sequence[str] = ()) -> None:
        """One index update, all or nothing: the whole change travels in argv (never a pipe a
        killed parent could cut short), and git swaps the new index in with one rename."""
        args = ["update-index", "--add"]
        for e in cacheinfo:
            args += ["--cacheinfo", f"{e.mode},{e.sha},{e.path}"]
        if add_paths:
            args += ["--", *add_paths]
        if len(args) > 2:
            self.git.run(*args, what="git update-index")

    def remove_from_index(self, paths: Sequence[str]) -> None:
        if paths:
            self.git.run("update-index", "--force-remove", "--", *paths, what="git update-index")

    def gitmodules(self, *, from_index: bool = False) -> dict[str, dict[str, str]]:
        """``.gitmodules`` as {name: {key: value}}; read from the index with ``from_index``."""
        source = ["--blob", ":.gitmodules"] if from_index else ["--file", ".gitmodules"]
        if not from_index and not (self.root / ".gitmodules").exists():
            return {}
        res = self.git.run("config", *source, "-z", "--list", check=False)
        if res.returncode != 0:
            return {}
        out: dict[str, dict[str, str]] = {}
        for record in res.text.split("\0"):
            if not record:
                continue
            key, _, value = record.partition("\n")
            if not key.startswith("submodule."):
                continue
            name, _, var = key[len("submodule.") :].rpartition(".")
            out.setdefault(name, {})[var] = value
        return out
