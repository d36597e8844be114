"""What a rule needs besides the resource itself: where it lives and how to report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bmz_collection.core.findings import DocPath, Finding, Severity
from bmz_collection.core.tree import Tree


@dataclass(frozen=True)
class Context:
    file: str
    """Display path for findings."""
    tree: Tree
    base_dir: str
    """Repository-relative folder that relative paths in this RDF are relative to ("" = root)."""
    format_version: str | None
    """Of the collection (or of the RDF itself); the resource's own ``format_version`` wins."""
    field_dirs: Mapping[str, str] = field(default_factory=dict)
    """Per top-level field, a folder other than ``base_dir``: a resolved entry's fields that came
    from an ``rdf_source`` file are relative to that file's folder."""

    def dir_for(self, key: str) -> str:
        return self.field_dirs.get(key, self.base_dir)

    def error(self, rule: str, message: str, path: DocPath = ()) -> Finding:
        return Finding(self.file, Severity.ERROR, rule, message, path)

    def warning(self, rule: str, message: str, path: DocPath = ()) -> Finding:
        return Finding(self.file, Severity.WARNING, rule, message, path)

    def finding(self, is_error: bool, rule: str, message: str, path: DocPath = ()) -> Finding:
        return (self.error if is_error else self.warning)(rule, message, path)
