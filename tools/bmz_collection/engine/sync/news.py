"""What a reviewer asks of a partner's history between its pin and the fetched head: which
warnings are new since the pin, and, for a partner held back, since when its branch is broken
and how far it is ahead."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from pathlib import Path

from bmz_collection.core.central import Partner
from bmz_collection.core.errors import FatalError
from bmz_collection.core.findings import Finding
from bmz_collection.engine.sync.evaluate import evaluate
from bmz_collection.engine.validate import CollectionResult
from bmz_collection.io.git.objects import describe_commit, first_parent_path


def _key(f: Finding, ids: dict[tuple[object, ...], str]) -> Hashable:
    """A warning as it stays when lines move and entries are inserted before it: its file,
    rule and message, and its location with the entry's index replaced by the entry's id."""
    path = f.path
    for n in (2, 1):
        if len(path) >= n and tuple(path[:n]) in ids:
            return f.file, f.rule, f.message, ids[tuple(path[:n])], tuple(path[n:])
    return f.file, f.rule, f.message, tuple(path)


def _ids(res: CollectionResult) -> dict[tuple[object, ...], str]:
    return {tuple(e.path): e.id for e in res.entries}


def new_warnings(
    git_dir: Path, old_pin: str, partner: Partner, new: CollectionResult
) -> list[Finding]:
    """The warnings at the new pin that the old pin did not have (as many of each as are
    new); [] when the old pin cannot be read."""
    warnings = [f for f in new.findings if not f.is_error]
    if not warnings:
        return []
    try:
        old = evaluate(git_dir, old_pin, partner, validate=True)
    except FatalError:  # the old pin is gone or cannot be read (a short read): nothing to compare
        return []
    before = Counter(_key(f, _ids(old)) for f in old.findings if not f.is_error)
    out = []
    ids = _ids(new)
    for f in warnings:
        k = _key(f, ids)
        if before[k] > 0:
            before[k] -= 1
        else:
            out.append(f)
    return out


def first_broken(
    git_dir: Path, old_pin: str, head: str, partner: Partner
) -> tuple[str, str, str] | None:
    """(short hash, subject, date) of the first commit with errors after the pin, found by
    bisection along the first-parent history (log2 of the commits ahead evaluations; a branch
    that was broken, fixed and broken again shows one of its broken commits)."""
    path = first_parent_path(git_dir, old_pin, head)
    if not path:
        return None
    lo, hi = 0, len(path) - 1  # path[hi] (the head) is known broken
    try:
        while lo < hi:
            mid = (lo + hi) // 2
            if evaluate(git_dir, path[mid], partner, validate=True).ok:
                lo = mid + 1
            else:
                hi = mid
    except FatalError:  # a commit that cannot be read: not worth failing the sync for
        return None
    return describe_commit(git_dir, path[hi])
