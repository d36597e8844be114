"""A partner's collection at one commit, read from git objects: resolved, and optionally
checked exactly as ``bmz validate`` checks it, plus the partner page details the merged file
will show. The one judge of whether a commit may become a pin."""

from __future__ import annotations

from pathlib import Path

from bmz_collection.core.central import Partner
from bmz_collection.core.errors import FatalError
from bmz_collection.core.findings import Finding, Severity
from bmz_collection.core.loading import LoadError, load_mapping
from bmz_collection.core.resolve import resolve_collection
from bmz_collection.core.tree import Kind
from bmz_collection.engine.validate import CollectionResult, check_collection
from bmz_collection.io.git.objects import tree_at


class MissingCommit(FatalError):
    """The commit's objects are not in the partner's git directory."""


def display_path(partner: Partner) -> str:
    """The collection file as findings name it: inside the partner's submodule."""
    return f"{partner.path}/{partner.collection_file_name}"


def _failure(partner: Partner, rule: str, message: str) -> CollectionResult:
    return CollectionResult(
        None, [], [Finding(display_path(partner), Severity.ERROR, rule, message)]
    )


def evaluate(git_dir: Path, commit: str, partner: Partner, *, validate: bool) -> CollectionResult:
    """The partner's collection at ``commit``, read from git objects: resolved, and with
    ``validate`` also checked like ``bmz validate`` checks it."""
    display = display_path(partner)
    relpath = partner.collection_file_name
    short = commit[:7]
    with tree_at(git_dir, commit) as tree:
        if not tree.has_commit():
            raise MissingCommit(
                f"{partner.path}: commit {short} is not in {git_dir} "
                "(run `git submodule update --init`, or `bmz sync` to fetch it)"
            )
        try:
            kind = tree.kind(relpath)
            if kind is Kind.OUTSIDE:
                return _failure(
                    partner,
                    "collection-file-outside",
                    f"{relpath} leads outside the repository (symlink) at {short}",
                )
            if kind is not Kind.FILE:
                return _failure(
                    partner,
                    "collection-file-missing",
                    f"collection file {relpath} not found at commit {short}",
                )
            raw = tree.read(relpath)
        except OSError as exc:
            return _failure(
                partner, "collection-file-unreadable", f"cannot read {relpath} at {short}: {exc}"
            )
        if validate:
            return check_collection(raw, relpath, tree, collection_id=partner.id, display=display)
        try:
            doc = load_mapping(raw, display)
        except LoadError as exc:
            return CollectionResult(None, [], [exc.finding])
        res = resolve_collection(doc, relpath, tree, partner.id, display)
        docs = {display: doc, **res.sources}
        findings = [docs[f.file].locate(f) if f.file in docs else f for f in res.findings]
        return CollectionResult(doc, res.entries, findings)
