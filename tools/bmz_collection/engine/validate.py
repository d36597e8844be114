"""Validation of RDF files: the kind of a document, its schema, its resolved entries, its rules.

``check_collection`` is what sync calls for a partner at a candidate commit; ``check_file`` is
what ``bmz validate`` calls for a file on disk. Both run the same code on the same entries.
"""

from __future__ import annotations

import enum
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bmz_collection.core import central, central_document, limits
from bmz_collection.core import jsonschemas as schemas
from bmz_collection.core.checks import did_you_mean, partner_config, run_checks
from bmz_collection.core.checks.context import Context
from bmz_collection.core.findings import Finding, Severity, unique_sorted
from bmz_collection.core.loading import Document, LoadError, load_mapping
from bmz_collection.core.resolve import Entry, collection_id_of, entry_lists, resolve_collection
from bmz_collection.core.tree import Tree
from bmz_collection.engine.batch import Located

KNOWN_TYPES = ("model", "dataset", "application", "notebook")


class Kind(enum.Enum):
    CENTRAL = "central collection"
    COLLECTION = "collection"
    MODEL = "model"
    RDF = "rdf"
    RECORD = "catalogue record"
    """A central catalogue's ``resource.yaml``: review status and versions, not an RDF."""


def detect_kind(data: Mapping[str, Any]) -> Kind:
    """From content, not file name: partners name their files freely."""
    rtype = data.get("type")
    is_collection = rtype == "collection" or (rtype is None and bool(entry_lists(data)))
    if is_collection:
        config = data.get("config")
        if isinstance(config, Mapping) and "partners" in config:
            return Kind.CENTRAL
        return Kind.COLLECTION
    if isinstance(data.get("versions"), list) and "format_version" not in data:
        return Kind.RECORD
    if rtype == "model":
        return Kind.MODEL
    return Kind.RDF


def resource_schema(data: Mapping[str, Any]) -> tuple[str, Finding | None]:
    """The schema for one resource, and a warning when we check it with a looser one."""
    if data.get("type") != "model":
        version = data.get("format_version")
        if isinstance(version, str) and version.startswith("0.3."):
            return schemas.GENERIC_03, None
        return schemas.RDF, None
    version = str(data.get("format_version", ""))
    if version.startswith("0.5."):
        return schemas.MODEL_05, None
    if version.startswith("0.4."):
        return schemas.MODEL_04, None
    note = Finding(
        "",
        Severity.WARNING,
        "model-format-outdated",
        f"model format_version {version or '(none)'} predates 0.4; checked as a generic RDF only "
        "(the catalogue converted these on upload)",
        ("format_version",),
    )
    return schemas.RDF, note


def check_resource(data: Mapping[str, Any], ctx: Context) -> list[Finding]:
    """Schema and rules for one resource; paths relative to the resource."""
    name, note = resource_schema(data)
    findings = schemas.validate(data, name, ctx.file)
    if note is not None:
        findings.append(Finding(ctx.file, note.severity, note.rule, note.message, note.path))
    findings.extend(run_checks(data, ctx))
    return findings


@dataclass
class CollectionResult:
    document: Document | None
    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.is_error for f in self.findings)

    @property
    def config(self) -> dict[str, Any] | None:
        cfg = self.document.data.get("config") if self.document else None
        return cfg if isinstance(cfg, dict) else None


def check_collection(
    raw: bytes, relpath: str, tree: Tree, *, collection_id: str | None, display: str
) -> CollectionResult:
    """A partner collection as sync sees it: loaded, schema-checked, every entry resolved and
    checked. Findings are positioned and sorted."""
    try:
        doc = load_mapping(raw, display)
    except LoadError as exc:
        return CollectionResult(None, [], [exc.finding])
    return _check_loaded_collection(doc, relpath, tree, collection_id, Kind.COLLECTION)


def _check_loaded_collection(
    doc: Document, relpath: str, tree: Tree, collection_id: str | None, kind: Kind
) -> CollectionResult:
    base_dir = posixpath.dirname(relpath)
    version = doc.data.get("format_version")
    version = version if isinstance(version, str) else None
    schema_name = schemas.CENTRAL if kind is Kind.CENTRAL else schemas.COLLECTION
    findings = schemas.validate(doc.data, schema_name, doc.file)
    if doc.data.get("type") not in (None, "collection"):
        findings.append(
            Finding(
                doc.file,
                Severity.ERROR,
                "type-collection",
                "a collection must have `type: collection`",
                ("type",),
            )
        )
    if collection_id is None and kind is Kind.COLLECTION:
        collection_id = collection_id_of(doc.data)
        if collection_id is None:
            findings.append(
                Finding(
                    doc.file,
                    Severity.WARNING,
                    "collection-id-missing",
                    "collection has neither `id` nor `config.id`: entry ids cannot be prefixed",
                )
            )
    if kind is Kind.COLLECTION:
        findings.extend(partner_config.check(doc.data, doc.file))
        findings.extend(did_you_mean.check_collection_root(doc.data, doc.file))
    res = resolve_collection(doc, relpath, tree, collection_id, doc.file)
    findings.extend(res.findings)
    documents = {doc.file: doc, **res.sources}
    for entry in res.entries:
        dirs = {key: origin.base_dir for key, origin in entry.origins.items()}
        ctx = Context(doc.file, tree, base_dir, version, dirs)
        for f in check_resource(entry.data, ctx):
            origin, path = entry.origin_of(f.path)
            findings.append(Finding(origin.file, f.severity, f.rule, f.message, path))
    if kind is Kind.COLLECTION and isinstance(doc.data.get("config"), Mapping):
        findings.extend(page_findings(doc, len(res.entries)))
    return CollectionResult(doc, res.entries, position(findings, documents))


def page_findings(doc: Document, count: int) -> list[Finding]:
    """The partner page the catalogue would make of a collection with a ``config`` (logo,
    splash, tabs), checked against the central collection's schema: a page that cannot be
    shown holds a partner back, so the partner's own hook says so first. A missing field is
    reported at the ``config`` key. The registry's partner id does not change what is found.
    (A collection without ``config`` declares no page: a plain 0.2 collection passes, and
    sync, which takes every collection as a partner's, holds it back.)"""
    config = doc.data.get("config")
    block = central.PartnerBlock(central.Partner(_PAGE_ID, ""), config, count=count)
    found = central.check_details(central.partner_details(block), doc.file)
    if isinstance(config, Mapping) and config.get("logo") is not None:
        # a logo that is there but unusable ('' or a list): the config schema says why
        found = [f for f in found if f.rule != "partner-logo-missing"]
    return [doc.locate(f, key=f.path == ("config",)) for f in found]


_PAGE_ID = "partner"
"""Any valid partner id: details findings never concern the id (sync checks it itself)."""


def position(findings: Iterable[Finding], documents: Mapping[str, Document]) -> list[Finding]:
    """Fill in line and column from the document each finding belongs to; dedupe; sort."""
    out = []
    for f in findings:
        doc = documents.get(f.file)
        out.append(doc.locate(f) if doc is not None else f)
    return unique_sorted(out)


def check_document(doc: Document, relpath: str, tree: Tree) -> list[Finding]:
    """Any RDF file: its kind decides how it is checked."""
    kind = detect_kind(doc.data)
    if kind in (Kind.COLLECTION, Kind.CENTRAL):
        return _check_loaded_collection(doc, relpath, tree, None, kind).findings
    if kind is Kind.RECORD:
        return position(schemas.validate(doc.data, schemas.RECORD, doc.file), {doc.file: doc})
    version = doc.data.get("format_version")
    ctx = Context(
        doc.file, tree, posixpath.dirname(relpath), version if isinstance(version, str) else None
    )
    return position(check_resource(doc.data, ctx), {doc.file: doc})


@dataclass
class FileResult:
    file: str
    findings: list[Finding]
    readable: bool = True


@dataclass
class Validation:
    """What ``bmz validate`` found: per file (as checked), and all findings once each, sorted
    (a file reached both directly and as another's ``rdf_source`` reports its problems once)."""

    files: list[FileResult]
    findings: list[Finding]

    @property
    def files_checked(self) -> int:
        return len(self.files)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    @property
    def readable(self) -> bool:
        """Whether every file existed and could be read (its content may still be invalid)."""
        return all(r.readable for r in self.files)


def check_file(file: Located) -> FileResult:
    from bmz_collection.engine.batch import read

    display = str(file.path)
    try:
        raw = read(file)
    except LoadError as exc:  # missing, not a regular file, too large: never read
        return FileResult(display, [exc.finding], False)
    try:
        doc = central_document.load(raw, display) or load_mapping(raw, display)
    except LoadError as exc:  # a readable file's content (syntax, keys, tags): a finding
        return FileResult(display, [exc.finding])
    size = len(raw)
    del raw  # a central file's bytes: tens of megabytes the checks do not need
    if size > limits.MAX_BLOB and detect_kind(doc.data) is not Kind.CENTRAL:
        # sync reads partner files up to MAX_BLOB: the hook must refuse what it refuses
        message = (
            f"file is {size} bytes, over the limit of {limits.MAX_BLOB} for a partner "
            "file (the catalogue would hold the partner back)"
        )
        return FileResult(display, [Finding(display, Severity.ERROR, "yaml-too-large", message)])
    return FileResult(display, check_document(doc, file.relpath, file.tree))


def check_paths(paths: Iterable[Path], *, strict: bool = False) -> Validation:
    """``bmz validate`` and the hook: every file named or found in a folder, in one process
    tree (worker processes for large batches). With ``strict`` every warning is an error."""
    from bmz_collection.core.findings import strict as make_strict
    from bmz_collection.engine import batch

    repos = batch.Repos()
    files = [repos.locate(f) for f in batch.collect(list(paths))]
    results = batch.run(check_file, files, min_items=limits.VALIDATE_PARALLEL_MIN_FILES)
    findings = unique_sorted(f for r in results for f in r.findings)
    if strict:
        findings = make_strict(findings)
    return Validation(results, findings)
