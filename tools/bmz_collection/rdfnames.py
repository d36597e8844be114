"""Which file names are RDFs: one list for the hooks, `bmz validate` and `bmz format`."""

from __future__ import annotations

import fnmatch
import os
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
"""Glob patterns on the file name; pre-commit's `files:` regex in .pre-commit-hooks.yaml
says the same (a test keeps the two in step)."""

SKIP_DIRS = frozenset({".git", ".venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"})


def is_rdf_name(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in RDF_PATTERNS)


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders walked (sorted, hidden and tool folders skipped) for RDF names."""
    for path in paths:
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    if is_rdf_name(name):
                        yield Path(folder) / name
        else:
            yield path
