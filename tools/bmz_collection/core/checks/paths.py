"""Relative paths in an RDF must name files inside the repository: a partner's files are
published from it, and a path that leaves it (``..``, absolute, ``file://``, a symlink
pointing out) would read someone else's disk."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from bmz_collection.core.checks.context import Context
from bmz_collection.core.findings import DocPath, Finding
from bmz_collection.core.tree import Kind, join_inside

_REMOTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")
"""``scheme://``; two letters at least so that ``C:\\`` stays a (bad) local path."""
_DOI = re.compile(r"10\.[0-9]{4,9}/")


def references(rdf: Mapping[str, Any]) -> Iterator[tuple[str, DocPath, str]]:
    """(top-level field, document path, value) of every file reference the rules look at."""
    for key in ("documentation", "rdf_source"):
        value = rdf.get(key)
        if isinstance(value, str):
            yield key, (key,), value
    covers = rdf.get("covers")
    if isinstance(covers, list):
        for i, value in enumerate(covers):
            if isinstance(value, str):
                yield "covers", ("covers", i), value
    attachments = rdf.get("attachments")
    files = attachments.get("files") if isinstance(attachments, Mapping) else None
    if isinstance(files, list):
        for i, value in enumerate(files):
            if isinstance(value, str):
                yield "attachments", ("attachments", "files", i), value


def is_remote(key: str, value: str) -> bool:
    if value.lower().startswith("file:"):
        return False
    if _REMOTE.match(value):
        return True
    return key == "rdf_source" and _DOI.match(value) is not None  # rdf_source may be a DOI


LABELS = {"covers": "cover", "attachments": "attachment"}


def check_reference(ctx: Context, key: str, path: DocPath, value: str) -> Finding | None:
    """The one finding about a relative reference, or None when it names a file in the tree."""
    if not value or is_remote(key, value):
        return None
    what = f"{LABELS.get(key, key)} '{value}'"
    if value.lower().startswith("file:"):
        return ctx.error(
            "path-outside", f"{what}: file:// URLs are not allowed; use a relative path", path
        )
    relpath = join_inside(ctx.dir_for(key), value)
    if relpath is None:
        return ctx.error(
            "path-outside",
            f"{what} leaves the repository; use a path relative to the RDF's folder",
            path,
        )
    kind = ctx.tree.kind(relpath)
    if kind is Kind.OUTSIDE:
        return ctx.error("path-outside", f"{what} leads outside the repository (symlink)", path)
    if kind is Kind.MISSING:
        return ctx.error("path-missing", f"{what} does not exist", path)
    if kind is Kind.DIR:
        return ctx.error("path-missing", f"{what} is a folder, not a file", path)
    return None


def check(rdf: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    for key, path, value in references(rdf):
        finding = check_reference(ctx, key, path, value)
        if finding is not None:
            yield finding
        elif key == "documentation" and not is_remote(key, value) and not value.endswith(".md"):
            yield ctx.error(
                "documentation-not-md",
                f"documentation '{value}' must be a Markdown file ending in .md",
                path,
            )
