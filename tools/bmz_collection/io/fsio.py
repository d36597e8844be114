"""The filesystem, behind one module: atomic writes, bounded reads and the on-disk repository
tree."""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import stat
import tempfile
from pathlib import Path

from bmz_collection.core import limits
from bmz_collection.core.loading import too_large
from bmz_collection.core.tree import Kind

TEMP_PREFIX = ".bmz-tmp-"
"""Temporary files start with this; anything left by a killed process is recognisable."""


def _temp_prefix(path: Path, pid: int | str) -> str:
    """``.bmz-tmp-<file name>.<pid>.``: whose temporary file it is, and for which file."""
    return f"{TEMP_PREFIX}{path.name[:64]}.{pid}."


def _remove_stale_temp_files(path: Path) -> None:
    """Temporary files for ``path`` left by writers that were killed before their rename
    (their process is gone): the next write of the same file removes them, so a killed
    ``bmz format`` leaves nothing behind once the file has been formatted again."""
    base = _temp_prefix(path, "")[:-1]
    for stale in path.parent.glob(glob.escape(base) + "*"):
        pid = stale.name[len(base) :].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                stale.unlink()


def _alive(pid: int) -> bool:
    """Whether process ``pid`` may still rename its temporary file (a zombie cannot)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or the new file, never a
    mix: temporary file in the same folder, fsync, rename. The file's mode is kept.
    ``durable=False`` skips the fsync, for many generated files that a rerun rewrites (a
    killed process still leaves the old file or the new one; only a power cut may not)."""
    path = Path(path)
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    _remove_stale_temp_files(path)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path, os.getpid()), dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
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


class FileTooLarge(OSError):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"file is {size} bytes, over the limit of {limit}")
        self.size = size
        self.limit = limit


def read_bounded(path: Path, limit: int | None = None) -> bytes:
    """A regular file's content, refused (OSError) when it is anything else or larger than
    ``limit`` (``limits.MAX_BYTES``): a FIFO given as an RDF would block the run forever and
    ``/dev/zero`` would fill the memory, so both are refused before a byte is read."""
    limit = limits.MAX_BYTES if limit is None else limit
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)  # a FIFO must not block
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if st.st_size > limit:
            raise FileTooLarge(st.st_size, limit)
        data = fh.read(limit + 1)
    if len(data) > limit:  # grew while we read it
        raise FileTooLarge(len(data), limit)
    return data


def read_file(path: Path, file: str) -> bytes:
    """A file's bytes for ``loading.load_mapping``, read safely: a regular file (OSError
    otherwise) of at most ``limits.MAX_BYTES`` (LoadError otherwise), never read past it."""
    try:
        return read_bounded(path)
    except FileTooLarge as exc:
        raise too_large(file, exc.size) from None


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
        return read_bounded(real)
