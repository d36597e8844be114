"""The filesystem, behind one module: atomic writes, bounded reads and the on-disk repository
tree."""

from __future__ import annotations

import contextlib
import errno
import functools
import glob
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bmz_collection.core import limits
from bmz_collection.core.loading import too_large
from bmz_collection.core.tree import Kind

TEMP_PREFIX = ".bmz-tmp-"
"""Temporary files start with this; anything left by a killed process is recognisable."""


def _temp_prefix(path: Path, pid: int | str) -> str:
    """``.bmz-tmp-<file name>.<pid>.``: whose temporary file it is, and for which file."""
    return f"{TEMP_PREFIX}{path.name[:64]}.{pid}."


def _owner(name: str) -> int | None:
    """The pid in a temporary file's name (``.bmz-tmp-<name>.<pid>.<random>``), if any."""
    if not name.startswith(TEMP_PREFIX):
        return None
    parts = name.rsplit(".", 2)
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


def remove_orphaned_temp_files(folder: Path, pattern: str = TEMP_PREFIX + "*") -> None:
    """Temporary files in ``folder`` whose writer is gone (killed before its rename). A file
    whose writer still runs (a ``bmz format`` takes no lock) is left alone, and so is one
    without a pid in its name: only its writer knows whether it is still being written."""
    for stale in folder.glob(pattern):
        pid = _owner(stale.name)
        if pid is not None and pid != os.getpid() and not alive(pid):
            with contextlib.suppress(OSError):
                if stale.is_file():
                    stale.unlink()


def _remove_stale_temp_files(path: Path) -> None:
    """Temporary files for ``path`` left by writers that were killed before their rename
    (their process is gone): the next write of the same file removes them, so a killed
    ``bmz format`` leaves nothing behind once the file has been formatted again."""
    remove_orphaned_temp_files(path.parent, glob.escape(_temp_prefix(path, "")[:-1]) + "*")


def alive(pid: int) -> bool:
    """Whether process ``pid`` may still rename its temporary file (a zombie cannot).
    Portable: on Windows ``os.kill(pid, 0)`` would terminate the process it probes, so the
    process is asked for its exit code instead."""
    if sys.platform == "win32":
        return _alive_windows(pid)
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


if sys.platform == "win32":

    def _alive_windows(pid: int) -> bool:
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return bool(kernel32.GetLastError() == 5)  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)


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
    # a FIFO must not block (POSIX); Windows has neither O_NONBLOCK nor FIFOs on its file system
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
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


class RealPaths:
    """``os.path.realpath`` for the many paths of one run: every folder on the way is resolved
    once, so a path costs one ``lstat`` for its last component instead of one per component.

    Meant for one run (a symlink swapped during the run is not seen), like any check of a
    path before its use."""

    def __init__(self) -> None:
        self._memo: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        real = self._memo.get(path)
        if real is not None:
            return real
        head, tail = os.path.split(path)
        if tail in ("", ".", "..") or not os.path.isabs(path):
            return os.path.realpath(path)
        joined = os.path.join(self(head), tail)
        try:
            link = stat.S_ISLNK(os.lstat(joined).st_mode)
        except (OSError, ValueError):
            link = False  # missing (or a NUL in the name): realpath keeps the name as it is
        real = self._memo[path] = os.path.realpath(joined) if link else joined
        return real


Index = tuple[frozenset[str], frozenset[str]]
"""What git's index holds: (paths, submodule paths)."""


class FileTree:
    """A repository on disk. Symlinks are followed only while they stay inside the root.
    Files read through it are those a collection references: partner files, bounded by
    ``limits.MAX_BLOB`` as sync bounds them in git objects.

    One tree serves many files of a run (``realpaths`` may be shared with other trees)."""

    def __init__(
        self,
        root: Path,
        realpaths: RealPaths | None = None,
        index: Callable[[], Index | None] | None = None,
    ) -> None:
        self._realpaths = realpaths or RealPaths()
        self.root = Path(self._realpaths(str(Path(root).absolute())))
        top = str(self.root)
        self._inside = top if top.endswith(os.sep) else top + os.sep
        self._index_of = index
        """Reads git's index when first needed (in a worker process, for a parallel run)."""

    def __getstate__(self) -> dict[str, object]:
        # sent to worker processes: the root, not every path resolved so far
        return {**self.__dict__, "_realpaths": RealPaths()}

    def _real(self, relpath: str) -> str | None:
        real = self._realpaths(os.path.join(self._inside, relpath))
        if real != self._inside[:-1] and not real.startswith(self._inside):
            return None
        return real

    def kind(self, relpath: str) -> Kind:
        kind = self.disk_kind(relpath)
        if kind not in (Kind.FILE, Kind.DIR):
            return kind
        real = self._real(relpath) or ""
        target = real[len(self._inside) :].replace(os.sep, "/")
        for path in dict.fromkeys((relpath, target)):  # a tracked link to what git lacks
            if self._in_git(path, kind) is Kind.UNTRACKED:
                return Kind.UNTRACKED
        return kind

    def disk_kind(self, relpath: str) -> Kind:
        """What the disk holds, git's index aside (for a file named on the command line,
        checked whether it was added or not)."""
        real = self._real(relpath)
        if real is None:
            return Kind.OUTSIDE
        try:
            mode = os.stat(real).st_mode
        except (OSError, ValueError):
            link = self._submodule_of(relpath)
            if link is not None and not os.path.lexists(os.path.join(self._inside, link, ".git")):
                return Kind.FILE  # a submodule not checked out: its pinned commit has it
            return Kind.MISSING
        if stat.S_ISREG(mode):
            return Kind.FILE
        return Kind.DIR if stat.S_ISDIR(mode) else Kind.MISSING

    @functools.cached_property
    def _index(self) -> Index | None:
        return self._index_of() if self._index_of is not None else None

    @property
    def _tracked(self) -> frozenset[str] | None:
        """The paths git's index holds; None: not a git repository, every file counts."""
        return self._index[0] if self._index is not None else None

    @property
    def _submodules(self) -> frozenset[str]:
        """The index's submodules, whose files their own pinned commits carry."""
        return self._index[1] if self._index is not None else frozenset()

    @functools.cached_property
    def _tracked_dirs(self) -> frozenset[str]:
        """Folders holding tracked files (built on first need: folders are rarely named)."""
        paths = self._tracked or ()
        return frozenset(p.rsplit("/", i)[0] for p in paths for i in range(1, p.count("/") + 1))

    def _in_git(self, relpath: str, kind: Kind) -> Kind:
        """``kind`` if git's index holds the path (a file, or a folder with files), else
        UNTRACKED: what ``git add`` was forgotten for, which a commit would not carry."""
        if self._tracked is None or relpath in ("", "."):
            return kind
        name = relpath.rstrip("/")
        if name in self._tracked or (kind is Kind.DIR and name in self._tracked_dirs):
            return kind
        if self._submodule_of(name) is not None:  # its pinned commit carries it
            return kind
        return Kind.UNTRACKED

    def _submodule_of(self, relpath: str) -> str | None:
        """The submodule (a gitlink in the index) ``relpath`` lies in, if any. Its files are
        its pinned commit's: in a central repository, the partners' files, which sync
        checked at each pin and which a clone leaves unchecked-out (``update = none``)."""
        cut = relpath.find("/") if self._submodules else -1
        while cut != -1:
            if relpath[:cut] in self._submodules:
                return relpath[:cut]
            cut = relpath.find("/", cut + 1)
        return None

    def read(self, relpath: str) -> bytes:
        real = self._real(relpath)
        if real is None:
            raise PermissionError(f"{relpath} leads outside the repository")
        if self.kind(relpath) is Kind.UNTRACKED:
            raise FileNotFoundError(2, "not in git (a commit would not carry it)", relpath)
        return read_bounded(Path(real), limits.MAX_BLOB)  # a file a collection references
