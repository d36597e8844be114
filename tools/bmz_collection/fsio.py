"""The filesystem, behind one module: atomic writes and the on-disk repository tree."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .tree import Kind

TEMP_PREFIX = ".bmz-tmp-"
"""Temporary files start with this; anything left by a killed process is recognisable."""


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or the new file, never a
    mix: temporary file in the same folder, fsync, rename. The file's mode is kept."""
    path = Path(path)
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def find_repo_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding ``.git`` (a dir, or a file in
    submodules and worktrees); the file's own folder when there is none."""
    start = start.resolve()
    here = start if start.is_dir() else start.parent
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists():
            return candidate
    return here


class FileTree:
    """A repository on disk. Symlinks are followed only while they stay inside the root."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    def _real(self, relpath: str) -> Path | None:
        real = Path(os.path.realpath(self.root / relpath))
        if real != self.root and self.root not in real.parents:
            return None
        return real

    def kind(self, relpath: str) -> Kind:
        real = self._real(relpath)
        if real is None:
            return Kind.OUTSIDE
        if real.is_file():
            return Kind.FILE
        if real.is_dir():
            return Kind.DIR
        return Kind.MISSING

    def read(self, relpath: str) -> bytes:
        real = self._real(relpath)
        if real is None:
            raise PermissionError(f"{relpath} leads outside the repository")
        return real.read_bytes()
