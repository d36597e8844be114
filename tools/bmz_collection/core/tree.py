"""What an RDF's relative paths are resolved against: a folder on disk or a git commit.

Validation reads partner files from the working tree; sync reads them from git objects at a
candidate commit. Both answer the same three questions through this protocol, so resolution and
path checks are written once.
"""

from __future__ import annotations

import enum
import posixpath
from typing import Protocol


class Kind(enum.Enum):
    MISSING = "missing"
    FILE = "file"
    DIR = "dir"
    OUTSIDE = "outside"
    """The path, or a symlink on the way, leads out of the repository."""
    UNTRACKED = "untracked"
    """On disk but not in git's index: a commit does not carry it, so sync will not find it."""


class Tree(Protocol):
    """A repository snapshot; all paths are POSIX, relative to the repository root."""

    def kind(self, relpath: str) -> Kind: ...

    def read(self, relpath: str) -> bytes:
        """The content of a FILE; raises OSError (FileNotFoundError) otherwise."""
        ...


def join_inside(base_dir: str, ref: str) -> str | None:
    """``ref`` relative to ``base_dir`` (both repository-relative), or None if it leaves the
    repository lexically (``..`` past the root, absolute paths, backslashes, drive letters)."""
    if not ref or ref.startswith(("/", "\\")) or "\\" in ref or "\x00" in ref:
        return None
    if len(ref) > 1 and ref[1] == ":":
        return None
    joined = (
        posixpath.normpath(posixpath.join(base_dir, ref)) if base_dir else posixpath.normpath(ref)
    )
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return "" if joined == "." else joined
