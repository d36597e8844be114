"""Collection entries resolved exactly as bioimageio.spec 0.2 resolves them.

Each entry starts from the collection root's fields (minus ``collection``, ``id`` and, unlike
the spec, the partner's display ``config``), is updated by the content of its ``rdf_source``,
then by its own fields, key by key. Pure functions over data and a ``Tree``: validation reads
the working tree, sync reads git objects, and both get the same entries.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bmz_collection.core import convert03
from bmz_collection.core.checks import paths
from bmz_collection.core.checks.context import Context
from bmz_collection.core.findings import DocPath, Finding, Severity
from bmz_collection.core.loading import Document, LoadError, load_mapping
from bmz_collection.core.tree import Tree, join_inside

TYPED_LISTS = ("application", "model", "dataset", "notebook")
"""Format 0.2.0/0.2.1 listed entries by type instead of in ``collection``."""
NOT_INHERITED = frozenset({"collection", "id", "config", *TYPED_LISTS})


@dataclass(frozen=True)
class Origin:
    """Where a resolved field came from: a file, the path of the mapping that held it there,
    and the folder its relative paths are relative to."""

    file: str
    prefix: DocPath
    base_dir: str


@dataclass
class Entry:
    id: str
    """``<collection id>/<entry id>``: what the catalogue publishes."""
    entry_id: str
    path: DocPath
    """Where the entry stands in the collection file, e.g. ``("collection", 3)``."""
    data: dict[str, Any]
    origins: dict[str, Origin]

    def origin_of(self, path: DocPath) -> tuple[Origin, DocPath]:
        """The file and in-file path of a field of the resolved entry."""
        if path and isinstance(path[0], str) and path[0] in self.origins:
            origin = self.origins[path[0]]
            return origin, (*origin.prefix, *path)
        origin = self.origins.get("id") or next(iter(self.origins.values()))
        return origin, (*self.path, *path)


@dataclass
class Resolution:
    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sources: dict[str, Document] = field(default_factory=dict)
    """rdf_source documents read on the way, by display name (for positions)."""


def entry_lists(root: Mapping[str, Any]) -> list[tuple[DocPath, Any, str | None]]:
    """(path, raw entry, implied type) for every entry, ``collection`` first then typed lists."""
    out: list[tuple[DocPath, Any, str | None]] = []
    items = root.get("collection")
    if isinstance(items, list):
        out.extend((("collection", i), item, None) for i, item in enumerate(items))
    for kind in TYPED_LISTS:
        items = root.get(kind)
        if isinstance(items, list):
            out.extend(((kind, i), item, kind) for i, item in enumerate(items))
    return out


def collection_id_of(root: Mapping[str, Any]) -> str | None:
    """A stand-alone collection's id: its ``id``, else its partner ``config.id``."""
    cid = root.get("id")
    if isinstance(cid, str) and cid:
        return cid
    config = root.get("config")
    if isinstance(config, Mapping) and isinstance(config.get("id"), str) and config["id"]:
        return str(config["id"])
    return None


def resolve_collection(
    doc: Document, relpath: str, tree: Tree, collection_id: str | None, display: str | None = None
) -> Resolution:
    """Resolve every entry of the collection ``doc`` read from ``relpath`` in ``tree``."""
    file = display or doc.file
    root = doc.data
    base_dir = posixpath.dirname(relpath)
    res = Resolution()
    root_origin = Origin(file, (), base_dir)
    inherited = {k: v for k, v in root.items() if k not in NOT_INHERITED}
    seen: dict[str, DocPath] = {}

    def problem(rule: str, message: str, path: DocPath, where: str = file) -> None:
        res.findings.append(Finding(where, Severity.ERROR, rule, message, path))

    for path, raw, implied_type in entry_lists(root):
        if not isinstance(raw, Mapping):
            problem("entry-type", "a collection entry must be a mapping of fields", path)
            continue
        entry_origin = Origin(file, path, base_dir)
        data: dict[str, Any] = dict(inherited)
        origins = dict.fromkeys(inherited, root_origin)
        if implied_type is not None:
            data["type"] = implied_type
            origins["type"] = entry_origin
        sub_id: Any = None

        source = raw.get("rdf_source")
        if source is not None:
            loaded = _load_rdf_source(source, base_dir, tree, file, (*path, "rdf_source"), res)
            if loaded is None:
                continue
            src_doc, src_origin = loaded
            src = dict(src_doc.data)
            sub_id = src.pop("id", None)
            data.update(src)
            origins.update(dict.fromkeys(src, src_origin))

        update = dict(raw)
        if "id" in update:
            sub_id = update.pop("id")
        data.update(update)
        origins.update(dict.fromkeys(update, entry_origin))

        if sub_id is None:
            problem("entry-id-missing", "entry has no `id` (nor does its rdf_source)", path)
            continue
        if not isinstance(sub_id, str) or not sub_id:
            problem(
                "entry-id-type",
                f"entry id must be a non-empty string, not {sub_id!r}",
                (*path, "id"),
            )
            continue
        bad = _unusable_id(sub_id, prefixed=bool(collection_id))
        if bad:
            problem(
                "entry-id-invalid",
                f"entry id {sub_id!r} {bad}",
                (*path, "id") if "id" in raw else path,
            )
            continue
        if sub_id in seen:
            first = seen[sub_id]
            problem(
                "entry-id-duplicate",
                f"duplicate entry id {sub_id!r} (first used at {_show(first)})",
                (*path, "id") if "id" in raw else path,
            )
            continue
        seen[sub_id] = path

        data.pop("rdf_source", None)
        origins.pop("rdf_source", None)
        if collection_id:
            data["id"] = f"{collection_id}/{sub_id}"
            _prefix_links(data, collection_id)
        else:
            data["id"] = sub_id
        origins["id"] = entry_origin if "id" in raw else origins.get("id", entry_origin)
        _modernise_inherited(data, origins, root_origin, str(root.get("format_version")))
        inherited_type = origins.get("type") is root_origin or "type" not in data
        if inherited_type and _is_imjoy_plugin(data.get("source")):
            data["type"] = "application"  # the catalogue read the type from the ImJoy plugin
            origins["type"] = entry_origin
        if origins.get("type") is root_origin:
            # The root's `type` describes the collection itself: an entry that ends up with it
            # lacks a type of its own, which is the entry's to fix (at `collection[i]`).
            origins["type"] = entry_origin
        res.entries.append(Entry(str(data["id"]), sub_id, path, data, origins))
    return res


def _modernise_inherited(
    data: dict[str, Any], origins: dict[str, Origin], root: Origin, root_version: str
) -> None:
    """A generic entry at 0.3.x inherits 0.2-style fields from its 0.2.x collection: convert
    them as bioimageio.spec's converter would (``documentation: README.md`` becomes
    ``{source: README.md}``, ...); removed fields are not inherited. What cannot be converted
    is reported by the 0.3 schema at the collection's field (docs/spec-differences.md)."""
    version = data.get("format_version")
    if (
        data.get("type") == "model"
        or not isinstance(version, str)
        or not version.startswith("0.3.")
        or origins.get("format_version") is root
    ):
        return
    for key in [k for k, origin in origins.items() if origin is root]:
        if key in convert03.DROPPED:
            data.pop(key, None)
            origins.pop(key, None)
        elif key in data:
            data[key] = convert03.convert_field(key, data[key], root_version)


def _unusable_id(sub_id: str, *, prefixed: bool) -> str | None:
    """Why an entry id cannot be published, or None. The catalogue's id is
    ``<collection id>/<entry id>`` and consumers use ids as URL and storage paths, so an entry
    id that gets prefixed must not hold a ``/`` (``beta/x`` would become ``<partner>/beta/x``,
    posing as another namespace), and no step may be ``..`` (climbing out of the partner's
    folder). The central collection's ids are already ``<partner>/<entry id>``. Odd but
    harmless ids (``QuPath``, ``Notebook Preview``) are only warned about (``id-format``)."""
    if "\\" in sub_id or (prefixed and "/" in sub_id):
        return "must not contain '/' or '\\' (the catalogue id is <partner>/<entry id>)"
    if any(step.strip(".") == "" for step in sub_id.split("/")):
        return "has an empty, '.' or '..' step (ids are used as paths)"
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in sub_id):
        return "must not contain control characters"
    return None


def _load_rdf_source(
    source: Any, base_dir: str, tree: Tree, file: str, path: DocPath, res: Resolution
) -> tuple[Document, Origin] | None:
    def fail(rule: str, message: str) -> None:
        res.findings.append(Finding(file, Severity.ERROR, rule, message, path))

    if not isinstance(source, str) or not source:
        fail("rdf-source-type", "rdf_source must be a path or URL string")
        return None
    if paths.is_remote("rdf_source", source):
        res.findings.append(
            Finding(
                file,
                Severity.WARNING,
                "rdf-source-remote",
                "remote rdf_source is not fetched; only the entry's own fields are checked",
                path,
            )
        )
        return _remote_placeholder(file, path)
    problem = paths.check_reference(Context(file, tree, base_dir, None), "rdf_source", path, source)
    if problem is not None:
        res.findings.append(problem)
        return None
    relpath = join_inside(base_dir, source) or ""
    display = posixpath.join(posixpath.dirname(file), posixpath.relpath(relpath, base_dir or "."))
    display = posixpath.normpath(display)
    try:
        doc = res.sources.get(display) or load_mapping(tree.read(relpath), display)
    except LoadError as exc:
        res.findings.append(exc.finding)
        return None
    except OSError as exc:
        fail("path-missing", f"rdf_source {source!r} cannot be read: {exc.strerror or exc}")
        return None
    res.sources[display] = doc
    return doc, Origin(display, (), posixpath.dirname(relpath))


def _remote_placeholder(file: str, path: DocPath) -> tuple[Document, Origin]:
    return Document(file, "", {}), Origin(file, path[:-1], "")


def _prefix_links(data: dict[str, Any], collection_id: str) -> None:
    links = data.get("links")
    if isinstance(links, list):
        data["links"] = [
            f"{collection_id}/{link}" if isinstance(link, str) and "/" not in link else link
            for link in links
        ]


def _is_imjoy_plugin(source: Any) -> bool:
    return isinstance(source, str) and source.split("?", 1)[0].endswith(".imjoy.html")


def _show(path: DocPath) -> str:
    from bmz_collection.core.findings import format_path

    return format_path(path)
