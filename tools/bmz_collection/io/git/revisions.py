"""A repository's own history, read through git: what a revision names, the files and the
gitlinks of one commit. ``bmz diff`` compares two states of the central repository with these.

Three outcomes stay apart, because they mean different things to the user: a revision that
names no commit (``UnknownRevision``, a usage error), a file the commit does not have (None:
that state simply has no such file), and git failing (``GitError``, saying what failed).
"""

from __future__ import annotations

from bmz_collection.core import limits
from bmz_collection.core.errors import FatalError, UsageError
from bmz_collection.io.git.process import Git, GitError

_FILE_MODES = ("100644", "100755")


class UnknownRevision(UsageError):
    """The revision names no commit of the repository."""


class BlobTooLarge(FatalError):
    """A file of a commit is larger than the blob limit."""


def resolve_revision(git: Git, rev: str) -> str:
    """The commit ``rev`` names (a hash, branch, tag, ``HEAD~2``, ...)."""
    if not rev or rev.startswith("-"):
        raise UsageError(f"invalid revision {rev!r}")
    res = git.run(
        "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", check=False
    )
    if res.returncode == 0:
        return res.text.strip()
    if res.returncode == 1 and not res.stderr.strip():  # --quiet: no such object, nothing else
        raise UnknownRevision(f"unknown revision {rev!r} (no such commit in {git.cwd or '.'})")
    lines = res.stderr.strip().splitlines()
    reason = lines[-1].removeprefix("fatal: ") if lines else f"exit {res.returncode}"
    raise GitError(f"git rev-parse {rev!r}: {reason}", returncode=res.returncode, stderr=res.stderr)


def read_blob(git: Git, commit: str, path: str, *, limit: int | None = None) -> bytes | None:
    """The regular file ``path`` at ``commit``; None when the commit has no such file (or
    has a folder, a symlink or a submodule there). A blob over ``limit`` (default: the blob
    limit) is refused before it is read."""
    limit = limits.MAX_BLOB if limit is None else limit
    where = f"{path} at {commit[:7]}"
    listing = git.run(
        "ls-tree", "--long", "-z", commit, "--", path, what=f"git ls-tree: reading {where}"
    )
    for record in listing.stdout.split(b"\0"):
        meta, _, name = record.partition(b"\t")
        words = meta.decode("ascii", "replace").split()
        if name.decode("utf-8", "surrogateescape") != path or len(words) != 4:
            continue
        mode, kind, sha, size = words
        if mode not in _FILE_MODES or kind != "blob":
            return None
        if not size.isdigit():  # git prints "BAD" when the object itself is unreadable
            raise GitError(f"git ls-tree: reading {where}: object {sha} is missing or corrupt")
        if int(size) > limit:
            raise BlobTooLarge(f"{where} is {size} bytes, over the limit of {limit}")
        return git.run("cat-file", "blob", sha, what=f"git cat-file: reading {where}").stdout
    return None


def gitlinks_at(git: Git, commit: str, folder: str) -> dict[str, str]:
    """Path -> pinned commit of every submodule directly in ``folder`` at ``commit``."""
    folder = folder.rstrip("/") + "/"
    res = git.run(
        "ls-tree", "-z", commit, "--", folder, what=f"git ls-tree {folder} at {commit[:7]}"
    )
    pins: dict[str, str] = {}
    for record in res.stdout.split(b"\0"):
        meta, _, path = record.partition(b"\t")
        words = meta.decode("ascii", "replace").split()
        if len(words) == 3 and words[1] == "commit":
            pins[path.decode("utf-8", "surrogateescape")] = words[2]
    return pins
