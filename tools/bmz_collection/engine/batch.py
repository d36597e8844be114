"""One operation over many files (``bmz validate``, ``bmz format``): the files the user named,
the repository each one lives in, and both cores when the batch is large enough to pay for them.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from bmz_collection.core import rdfnames
from bmz_collection.core.errors import UsageError

if TYPE_CHECKING:
    from bmz_collection.io.fsio import FileTree

T = TypeVar("T")
R = TypeVar("R")


def collect(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders walked for RDF names, each file once; a path that does not
    exist is a usage error (a dangling symlink is a file, refused later with its reason), and
    so are folders without a single RDF name ("0 files checked" would read as a pass)."""
    paths = list(paths)
    missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise UsageError(f"no such file or folder: {missing[0]}")
    files = list(dict.fromkeys(rdfnames.expand(paths)))
    if not files and paths:
        folders = ", ".join(str(p) for p in paths)
        raise UsageError(
            f"no RDF file in {folders}: folders are searched for {rdfnames.described()}; "
            "a file named on the command line is taken whatever its name"
        )
    return files


@dataclass(frozen=True)
class Located:
    """A file and the repository its relative references must stay inside."""

    path: Path
    root: Path
    relpath: str
    tree: FileTree = field(compare=False, repr=False)
    """The repository, shared by the run's files in it (folders are resolved once)."""


class Repos:
    """Repository roots, looked up once per folder for a whole run."""

    def __init__(self) -> None:
        from bmz_collection.io.fsio import RealPaths

        self._realpath = RealPaths()
        self._roots: dict[str, str] = {}
        self._trees: dict[str, FileTree] = {}

    def _root(self, folder: str) -> str:
        """What ``find_repo_root`` answers for a resolved folder, remembered for every folder
        on the way up ("" when there is no ``.git`` at or above it)."""
        visited = []
        here = folder
        while True:
            found = self._roots.get(here)
            if found is not None:
                break
            visited.append(here)
            if os.path.exists(os.path.join(here, ".git")):
                found = here
                break
            parent = os.path.dirname(here)
            if parent == here:
                found = ""
                break
            here = parent
        for seen in visited:
            self._roots[seen] = found
        return found or folder

    def locate(self, file: Path) -> Located:
        from bmz_collection.io.fsio import FileTree

        folder = self._realpath(str(file.parent.absolute()))
        root = self._root(folder)
        tree = self._trees.get(root)
        if tree is None:
            index = functools.partial(git_index, root) if self._roots.get(folder) else None
            tree = self._trees[root] = FileTree(Path(root), self._realpath, index)
        relpath = os.path.relpath(os.path.join(folder, file.name), root).replace(os.sep, "/")
        return Located(file, tree.root, relpath, tree)


def git_index(root: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """What git's index holds in a repository (read when a tree first needs it): a file a
    commit would not carry is not there for the catalogue either, and the hook says so."""
    from bmz_collection.io.git.process import GitError
    from bmz_collection.io.git.repo import tracked_files

    try:
        return tracked_files(Path(root))
    except GitError:  # git missing: every file on disk counts
        return None


def repository_tree(root: Path) -> FileTree:
    """A repository on disk as ``bmz validate`` sees it: with git's index when it is one."""
    from bmz_collection.io.fsio import FileTree

    return FileTree(root, index=functools.partial(git_index, str(root)))


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


Done = Callable[[int, int], None]
"""Progress: (items done, items in all)."""


def run(
    fn: Callable[[T], R], items: Sequence[T], *, min_items: int, done: Done | None = None
) -> list[R]:
    """``[fn(item) for item in items]``, in order; on every core when there are at least
    ``min_items`` (forked workers start in milliseconds with everything already imported).
    The garbage collector is paused throughout, in the workers too (they fork from this state):
    loading allocates many small objects and frees none, and the pause makes it 3x faster.
    ``done`` hears of progress: counted in this process, whose share is every n-th item, and
    multiplied by the number of workers (the shares are alike), then the total at the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        workers = _workers(len(items), min_items)
        if workers < 2:
            return _counted(fn, items, done, 1, len(items))
        out = _forked(fn, items, workers, done)
        if done is not None:
            done(len(items), len(items))
        return out
    finally:
        if was_enabled:
            gc.enable()


def _workers(items: int, min_items: int) -> int:
    """How many processes share ``items``: every core when there are enough items and
    processes can be forked (they start in milliseconds with everything imported), else 1."""
    import multiprocessing

    if items < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(cpus(), items)


def _counted(
    fn: Callable[[T], R], items: Sequence[T], done: Done | None, scale: int, total: int
) -> list[R]:
    """``fn`` over ``items`` here, telling ``done`` after each (``scale`` items per item, never
    the whole ``total`` before the end)."""
    if done is None:
        return [fn(item) for item in items]
    out = []
    done(0, total)
    for n, item in enumerate(items, 1):
        out.append(fn(item))
        done(total if n == len(items) and scale == 1 else min(n * scale, total - 1), total)
    return out


def _forked(
    fn: Callable[[T], R], items: Sequence[T], workers: int, done: Done | None = None
) -> list[R]:
    """Items ``i, i + workers, ...`` in worker ``i``: worker 0 is this process, the others are
    forked children that already hold the items and send back only their results. A child
    that fails or dies (killed, out of memory) leaves its share to this process, which then
    meets the same error itself and reports it the usual way."""
    children = _fork(fn, items, range(1, workers), workers)
    out: list[R] = [None] * len(items)  # type: ignore[list-item]
    out[0::workers] = _counted(fn, items[0::workers], done, workers, len(items))
    for i, child, receiver in children:
        share = _share(child, receiver)
        out[i::workers] = share if share is not None else [fn(item) for item in items[i::workers]]
    return out


def _fork(
    fn: Callable[[T], R], items: Sequence[T], shares: range, workers: int
) -> list[tuple[int, Any, Any]]:
    """One forked child per share ``i`` (items ``i, i + workers, ...``): (i, process, pipe)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    children = []
    for i in shares:
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(fn, items[i::workers], sender), daemon=True)
        child.start()
        sender.close()
        children.append((i, child, receiver))
    return children


def _share(child: Any, receiver: Any) -> list[Any] | None:
    """A child's results, once it is done; None if it failed or died."""
    try:
        share: list[Any] | None = receiver.recv()
    except (EOFError, OSError):
        share = None
    finally:
        receiver.close()
        child.join()
    return share


class Pending(Generic[R]):
    """Results that forked children compute while this process does something else."""

    def __init__(self, size: int, children: list[tuple[int, Any, Any]], workers: int) -> None:
        self._size = size
        self._children = children
        self._workers = workers

    def results(self) -> list[R | None]:
        """In order, once every child is done; None for each item of a child that failed or
        died (the caller does those itself and meets any error the usual way)."""
        out: list[R | None] = [None] * self._size
        for i, child, receiver in self._children:
            share = _share(child, receiver)
            if share is not None:
                out[i :: self._workers] = share
        self._children = []
        return out

    def cancel(self) -> None:
        """Stop the children (the run is interrupted): their results are not wanted."""
        for _, child, receiver in self._children:
            with contextlib.suppress(Exception):
                child.kill()
                child.join()
            receiver.close()
        self._children = []


def start(fn: Callable[[T], R], items: Sequence[T], *, min_items: int) -> Pending[R] | None:
    """Begin ``[fn(item) for item in items]`` in forked children, one per core, and return at
    once, so this process can wait on something else meanwhile (``bmz sync``: its fetches).
    None when forking does not pay (fewer than ``min_items``) or is not possible: the caller
    then does without. The children run with the garbage collector paused, as in ``run``."""
    workers = _workers(len(items), min_items)
    if workers < 2:
        return None
    return Pending(len(items), _fork(fn, items, range(workers), workers), workers)


def _child(fn: Callable[[T], R], items: Sequence[T], sender: Any) -> None:
    gc.disable()  # as in ``run`` (already off when forked from there)
    try:
        sender.send([fn(item) for item in items])
    except BaseException:
        return  # without a traceback: the parent redoes this share and meets the error itself


def read(file: Located) -> bytes:
    """A named file's bytes for ``load_mapping``, or LoadError with the one finding that says
    why not: a symlink leading out of its repository (never read, never written through), not a
    regular file (a FIFO would block, ``/dev/zero`` would fill memory), too large, unreadable."""
    from bmz_collection.core.findings import Finding, Severity
    from bmz_collection.core.loading import LoadError
    from bmz_collection.core.tree import Kind
    from bmz_collection.io.fsio import read_file

    name = str(file.path)

    def refuse(rule: str, message: str) -> LoadError:
        return LoadError(Finding(name, Severity.ERROR, rule, message))

    kind = file.tree.disk_kind(file.relpath)  # a file named is checked, added to git or not
    if kind is Kind.OUTSIDE:
        raise refuse("path-outside", "a symlink leading outside its repository; not read")
    try:
        if kind is not Kind.FILE:
            raise refuse("file-unreadable", "not a regular file")
        return read_file(file.path, name)
    except OSError as exc:
        raise refuse("file-unreadable", f"cannot read the file: {exc.strerror or exc}") from None
