"""Which file names are RDFs: one list for the hooks, `bmz validate` and `bmz format`.

Folder walks look for these names, and the ``files:`` regex of the hooks in
``.pre-commit-hooks.yaml`` is :data:`RDF_FILES_REGEX`, built from the same list (a test keeps
the two in step). ``*.bioimageio.yaml`` is the bioimageio.spec 0.5 naming.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

RDF_PATTERNS = (
    "rdf.yaml",
    "*.rdf.yaml",
    "bioimageio.yaml",
    "*.bioimageio.yaml",
    "*.bioimage.io.yaml",
    "collection*.yaml",
    "manifest*.yaml",
)
"""Glob patterns on the file name (case-sensitive); each also matches with ``.yml`` in place of
``.yaml`` (``collection.yml``: YAML's other common extension, taken as the same name)."""

SHORT_SUFFIX = ".yml"


def _regex(pattern: str) -> str:
    stem = pattern.removesuffix(".yaml")
    return "".join("[^/]*" if ch == "*" else re.escape(ch) for ch in stem) + r"\.ya?ml"


RDF_FILES_REGEX = r"(^|/)(" + "|".join(_regex(pattern) for pattern in RDF_PATTERNS) + r")$"
"""The same names as a regex over repository-relative paths: pre-commit's ``files:``."""

SKIP_DIRS = frozenset({".git", ".venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"})


def is_rdf_name(name: str) -> bool:
    if name.endswith(SHORT_SUFFIX):
        name = name.removesuffix(SHORT_SUFFIX) + ".yaml"
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in RDF_PATTERNS)


def described() -> str:
    """The names a folder walk looks for, for messages."""
    return ", ".join(RDF_PATTERNS) + f" (or {SHORT_SUFFIX})"


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given (whatever their name: the user asked for them); folders walked (sorted,
    hidden and tool folders skipped) for RDF names. Symlinks met during a walk are skipped,
    so a walk stays inside the tree and sees each file once."""
    for path in paths:
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    found = Path(folder) / name
                    if is_rdf_name(name) and not found.is_symlink():
                        yield found
        else:
            yield path
