"""One writer at a time per central repository.

``bmz sync`` and ``bmz partner add/remove`` all rewrite ``collection.yaml``, the CODEOWNERS
section and the index from what they read first; two of them at once would each write a state
computed from a file the other replaced. They take this lock for their whole transaction.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from bmz_collection.core.errors import FatalError

LOCK_NAME = "bmz-sync.lock"
"""In the repository's common git directory: shared by its worktrees, never committed."""

_held: set[int] = set()
"""Descriptors of the locks this process holds."""


def _drop_in_child() -> None:
    """A forked worker (sync decides partners on every core) must not keep the lock alive
    after its parent is killed: its copies of the descriptors go at once."""
    for fd in list(_held):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_drop_in_child)


@contextlib.contextmanager
def exclusive(git_common_dir: Path) -> Iterator[None]:
    """Hold the repository's lock, or fail at once (no waiting behind a hung run). The OS
    drops the lock when its process dies, so a killed run never leaves it taken."""
    fd = os.open(Path(git_common_dir) / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FatalError(
                "another bmz sync or partner command is running in this repository"
            ) from None
        _held.add(fd)
        yield
    finally:
        _held.discard(fd)
        os.close(fd)
