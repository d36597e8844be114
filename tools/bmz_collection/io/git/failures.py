"""What a failed clone or fetch of a partner repository means, in our words.

git's own messages (``'origin/nope' is not a commit and a branch 'nope' cannot be created from
it``) name git's internals, not the partner's repository; a central maintainer needs the URL or
branch at fault and what to do. Matched on git's stderr, which the hardened environment keeps
in English (``LC_ALL=C``).
"""

from __future__ import annotations

import re

_MISSING_BRANCH = (
    re.compile(r"couldn't find remote ref"),
    re.compile(r"is not a commit and a branch .* cannot be created from it"),
    re.compile(r"Remote branch .* not found in upstream"),
)
_NOT_A_REPOSITORY = (
    re.compile(r"repository '.*' does not exist"),
    re.compile(r"does not appear to be a git repository"),
    re.compile(r"not a git repository", re.IGNORECASE),
    re.compile(r"repository '.*' not found"),
)
_NO_HOST = re.compile(r"Could not resolve host|Failed to connect|Connection (refused|timed out)")
_AUTH = re.compile(r"Authentication failed|could not read Username|terminal prompts disabled")
_EMPTY = re.compile(r"empty repository|Remote HEAD refers to nonexistent ref")


def explain(stderr: str, *, url: str, branch: str) -> str | None:
    """One line for a failed clone or fetch of ``url`` at ``branch``, naming what is wrong and
    what to do; None when git's words match nothing known (the caller shows git's line)."""
    if any(p.search(stderr) for p in _MISSING_BRANCH):
        return (
            f"branch {branch!r} not found at {url}: check the branch name "
            f"(`git ls-remote --heads {url}` lists them)"
        )
    if any(p.search(stderr) for p in _NOT_A_REPOSITORY):
        return f"{url} is not a git repository (or does not exist): check the URL"
    if _NO_HOST.search(stderr):
        return f"cannot reach {url}: check the URL and the network"
    if _AUTH.search(stderr):
        return f"{url} asks for credentials: the partner repository must be public"
    if _EMPTY.search(stderr):
        return f"{url} has no commits yet: the partner must push its branch {branch!r} first"
    return None
