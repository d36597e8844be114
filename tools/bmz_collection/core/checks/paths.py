"""Relative paths in an RDF must name files inside the repository: a partner's files are
published from it, and a path that leaves it (``..``, absolute, ``file://``, a symlink
pointing out) would read someone else's disk. That holds for a model's files as much as for
its covers: weights, test and sample tensors, architecture and environment files, in the
layouts of model 0.4 and 0.5."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from bmz_collection.core.checks import versions
from bmz_collection.core.checks.context import Context
from bmz_collection.core.findings import DocPath, Finding
from bmz_collection.core.tree import Kind, join_inside

_REMOTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")
"""``scheme://``; two letters at least so that ``C:\\`` stays a (bad) local path."""
_DOI = re.compile(r"10\.[0-9]{4,9}/")


def _reference(value: Any, path: DocPath) -> tuple[DocPath, str] | None:
    """A file reference: a string (0.2.x), or a mapping ``{source: ...}`` (today's formats)."""
    if isinstance(value, str):
        return path, value
    if isinstance(value, Mapping) and isinstance(value.get("source"), str):
        return (*path, "source"), value["source"]
    return None


def references(rdf: Mapping[str, Any]) -> Iterator[tuple[str, DocPath, str]]:
    """(top-level field, document path, value) of every file reference the rules look at."""
    found: list[tuple[str, DocPath, Any]] = [
        (key, (key,), rdf.get(key)) for key in ("documentation", "rdf_source")
    ]
    covers = rdf.get("covers")
    if isinstance(covers, list):
        found.extend(("covers", ("covers", i), value) for i, value in enumerate(covers))
    attachments = rdf.get("attachments")
    files = attachments.get("files") if isinstance(attachments, Mapping) else None
    if isinstance(files, list):
        found.extend(
            ("attachments", ("attachments", "files", i), value) for i, value in enumerate(files)
        )
    # today's `attachments: [{source: ...}]`: see model_files
    for key, path, value in found:
        ref = _reference(value, path)
        if ref is not None:
            yield key, *ref


TENSOR_LISTS = {
    "test_inputs": "test input",
    "test_outputs": "test output",
    "sample_inputs": "sample input",
    "sample_outputs": "sample output",
}
"""Model 0.4: lists of files next to the RDF."""
_PACKAGE_MANAGER = re.compile(r"(conda|pip):(.+)")
"""Model 0.4 ``dependencies: conda:environment.yaml``."""


def _strings(value: Any, path: DocPath) -> Iterator[tuple[DocPath, str]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str):
                yield (*path, i), item


def _source(value: Any, path: DocPath) -> Iterator[tuple[DocPath, str]]:
    """A 0.5 file description: ``{source: path, sha256: ...}``."""
    if isinstance(value, Mapping) and isinstance(value.get("source"), str):
        yield (*path, "source"), value["source"]


def _weights_files(fmt: str, spec: Mapping[str, Any]) -> Iterator[tuple[DocPath, str, str]]:
    at: DocPath = ("weights", fmt)
    if isinstance(spec.get("source"), str):
        yield (*at, "source"), spec["source"], f"{fmt} weights"
    attachments = spec.get("attachments")
    if isinstance(attachments, Mapping):
        for path, value in _strings(attachments.get("files"), (*at, "attachments", "files")):
            yield path, value, "attachment"
    architecture = spec.get("architecture")
    if isinstance(architecture, str) and ".py:" in architecture:  # 0.4 `file.py:Class`
        yield (*at, "architecture"), architecture.rsplit(":", 1)[0], "architecture"
    for path, value in _source(architecture, (*at, "architecture")):
        yield path, value, "architecture"
    dependencies = spec.get("dependencies")
    if isinstance(dependencies, str):
        m = _PACKAGE_MANAGER.fullmatch(dependencies)
        if m:
            yield (*at, "dependencies"), m.group(2), "dependencies"
    for path, value in _source(dependencies, (*at, "dependencies")):
        yield path, value, "dependencies"


def model_files(rdf: Mapping[str, Any]) -> Iterator[tuple[str, DocPath, str, str]]:
    """(top-level field, document path, file, label) of a resource's own files beyond
    :func:`references`: weights and what they need, test and sample tensors, and attachments
    as 0.5 lists them (``[{source: ...}]``)."""
    weights = rdf.get("weights")
    if isinstance(weights, Mapping):
        for fmt, spec in weights.items():
            if isinstance(fmt, str) and isinstance(spec, Mapping):
                for path, value, label in _weights_files(fmt, spec):
                    yield "weights", path, value, label
    for key, label in TENSOR_LISTS.items():
        for path, value in _strings(rdf.get(key), (key,)):
            yield key, path, value, label
    for key in ("inputs", "outputs"):
        tensors = rdf.get(key)
        if not isinstance(tensors, list):
            continue
        for i, tensor in enumerate(tensors):
            if not isinstance(tensor, Mapping):
                continue
            for field_name, word in (("test_tensor", "test"), ("sample_tensor", "sample")):
                label = f"{word} {key[:-1]}"
                for path, value in _source(tensor.get(field_name), (key, i, field_name)):
                    yield key, path, value, label
    attachments = rdf.get("attachments")
    if isinstance(attachments, list):
        for i, item in enumerate(attachments):
            for path, value in _source(item, ("attachments", i)):
                yield "attachments", path, value, "attachment"


def is_remote(key: str, value: str) -> bool:
    if value.lower().startswith("file:"):
        return False
    if _REMOTE.match(value):
        return True
    return key == "rdf_source" and _DOI.match(value) is not None  # rdf_source may be a DOI


LABELS = {"covers": "cover", "attachments": "attachment"}


def check_reference(
    ctx: Context, key: str, path: DocPath, value: str, label: str | None = None
) -> Finding | None:
    """The one finding about a relative reference, or None when it names a file in the tree."""
    if not value or is_remote(key, value):
        return None
    what = f"{label or LABELS.get(key, key)} '{value}'"
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
    if kind is Kind.UNTRACKED:
        return ctx.error(
            "path-untracked",
            f"{what} is not in git (`git add` it, or check the name's case): the catalogue "
            "reads your commits, which do not carry it",
            path,
        )
    if kind is Kind.DIR:
        return ctx.error("path-missing", f"{what} is a folder, not a file", path)
    return None


def check(rdf: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    for key, path, value in references(rdf):
        finding = check_reference(ctx, key, path, value)
        if finding is not None:
            yield finding
        elif (
            key == "documentation"
            and not is_remote(key, value)
            and not value.endswith(".md")
            and not versions.is_today(rdf, ctx)  # there the schema checks every suffix
        ):
            yield ctx.error(
                "documentation-not-md",
                f"documentation '{value}' must be a Markdown file ending in .md",
                path,
            )
    for key, path, value, label in model_files(rdf):
        finding = check_reference(ctx, key, path, value, label)
        if finding is not None:
            yield finding
