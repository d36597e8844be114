"""Fetching one branch of a partner repository, under the URL and branch policy."""

from __future__ import annotations

from pathlib import Path

from bmz_collection.core import limits, policy
from bmz_collection.io.git.objects import resolve_commit
from bmz_collection.io.git.process import Git, as_is


def fetch(
    git_dir: Path,
    url: str,
    branch: str,
    *,
    allow_local: bool,
    timeout: float | None = None,
) -> str:
    """Fetch one branch of a partner into ``refs/remotes/origin/<branch>`` of its git
    directory; the fetched commit. Tags, submodules and the partner's config are ignored."""
    url = policy.check_url(url, allow_local=allow_local)
    policy.check_branch(branch)
    limit = limits.FETCH_TIMEOUT if timeout is None else timeout
    git = Git(git_dir=git_dir, allow_local=allow_local, timeout=limit, config=as_is(url))
    ref = f"refs/remotes/origin/{branch}"
    git.run(
        "fetch",
        "--quiet",
        "--no-tags",
        "--no-recurse-submodules",
        "--no-write-fetch-head",
        "--no-auto-gc",
        "--no-auto-maintenance",
        "--",
        url,
        f"+refs/heads/{branch}:{ref}",
        what="git fetch",
    )
    return resolve_commit(git_dir, ref)
