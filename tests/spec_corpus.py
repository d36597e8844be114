"""The corpus on which `bmz validate` must give bioimageio.spec's verdict.

Built at test time in a temporary folder (real files are read in ../shared/real-world and
never copied into the project; several have no licence):

- ``real``: the 111 resources of the 12 real partners, resolved as the catalogue resolves them,
  plus the real stand-alone RDFs, converted to the newest format by the library's own converter;
- ``own``: the hand-written files in tests/fixtures/spec/;
- ``mutation``: hand-style edits (typos, wrong shapes, forbidden values, and valid variants) of
  the valid ones of both.

An item whose verdict deliberately differs names its row of docs/spec-differences.md.
"""

from __future__ import annotations

import copy
import posixpath
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import spec_oracle
from .realworld import REAL_WORLD, partner_files

OWN = Path(__file__).resolve().parent / "fixtures" / "spec"
SPEC_EXAMPLES = REAL_WORLD / "resources" / "spec-bioimage-io" / "example_descriptions"
_REMOTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")


@dataclass(frozen=True)
class Item:
    path: Path
    origin: str
    difference: str | None = None
    """The row of docs/spec-differences.md when our verdict deliberately differs."""

    @property
    def name(self) -> str:
        return self.path.parent.name


def real_resources() -> list[tuple[str, dict[str, Any]]]:
    """(name, resolved data) of every entry of the 12 real partner collections."""
    from bmz_collection.engine.validate import check_collection
    from bmz_collection.io.fsio import FileTree

    out = []
    for path in partner_files():
        result = check_collection(
            path.read_bytes(),
            path.name,
            FileTree(path.parent),
            collection_id=path.parent.name,
            display=path.name,
        )
        out.extend(
            (f"{path.parent.name}__{e.entry_id}", copy.deepcopy(e.data)) for e in result.entries
        )
    return out


def standalone_real() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(SPEC_EXAMPLES.rglob("*.yaml")) if SPEC_EXAMPLES.is_dir() else []:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.append((f"{path.parent.name}__{path.name.split('.')[0]}", data))
    return out


def file_references(data: dict[str, Any]) -> Iterator[str]:
    """Relative file references, in either format's shape: those bmz's path rules look at,
    and an application's or notebook's `source`."""
    from bmz_collection.core.checks.paths import model_files, references

    refs = [value for _, _, value in references(data)]
    refs += [value for _, _, value, _ in model_files(data)]
    for key in ("source", "icon"):
        value = data.get(key)
        refs.append(value.get("source") if isinstance(value, dict) else value)
    for ref in refs:
        if isinstance(ref, str) and ref and not _REMOTE.match(ref) and len(ref) > 2:
            yield ref


def write(folder: Path, data: dict[str, Any], *, placeholders: bool = True) -> Path:
    """``data`` as ``folder/rdf.yaml``, with empty stand-ins for the files it references (the
    library does not look at them without I/O checks; we do: see `path-missing`)."""
    folder.mkdir(parents=True)
    path = folder / "rdf.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    if placeholders:
        for ref in file_references(data):
            rel = posixpath.normpath(ref)
            if rel.startswith("../") or rel.startswith("/"):
                continue
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).touch()
    return path


Mutation = Callable[[dict[str, Any]], dict[str, Any] | None]


def _set(key: str, value: Any) -> Mutation:
    return lambda d: {**d, key: value}


def _drop(key: str) -> Mutation:
    return lambda d: {k: v for k, v in d.items() if k != key} if key in d else None


def _generic(m: Mutation) -> Mutation:
    return lambda d: m(d) if d.get("type") != "model" else None


def _notebook(m: Mutation) -> Mutation:
    return lambda d: m(d) if d.get("type") == "notebook" else None


def _first_author(**fields: Any) -> Mutation:
    def edit(d: dict[str, Any]) -> dict[str, Any] | None:
        authors = d.get("authors")
        if not isinstance(authors, list) or not authors or not isinstance(authors[0], dict):
            return None
        return {**d, "authors": [{**authors[0], **fields}, *authors[1:]]}

    return edit


def _doc(source: Any) -> Mutation:
    return lambda d: {**d, "documentation": source}


MUTATIONS: dict[str, Mutation] = {
    # rejected by both
    "no-name": _drop("name"),
    "short-name": _set("name", "UNet"),
    "name-colon": _set("name", "Tool: segmentation"),
    "license-typo": _set("license", "MIT License"),
    "id-upper": _set("id", "My Tool"),
    "id-slash-end": _set("id", "my-tool/"),
    "doc-html": _doc({"source": "README.html"}),
    "doc-plain-0.3.4": _generic(_doc("README.md")),
    "doc-url-no-md": _doc({"source": "https://example.org/docs"}),
    "cover-tif": _set("covers", [{"source": "cover.tif"}]),
    "cover-plain-0.3.4": _generic(_set("covers", ["cover.png"])),
    "cite-doi-url": _set("cite", [{"text": "Paper", "doi": "https://arxiv.org/abs/2004.01607"}]),
    "cite-neither": _set("cite", [{"text": "Paper"}]),
    "uploader-no-email": _set("uploader", {"name": "Jane Doe"}),
    "emoji-long": _set("id_emoji", "abc"),
    "version-comment-int": _set("version_comment", 5),
    "git-repo-not-url": _set("git_repo", "github.com/org/repo"),
    "author-string": _set("authors", ["Jane Doe"]),
    "author-slash": _first_author(name="Doe/Roe"),
    "tags-string": _set("tags", "segmentation, nuclei"),
    "attachments-0.2": _set("attachments", {"files": ["a.txt"]}),
    "download-url": _generic(_set("download_url", "https://example.org/a.zip")),
    "parent-upper": _set("parent", "Some Parent"),
    "notebook-py": _notebook(_set("source", "analysis.py")),
    "notebook-no-source": _notebook(_drop("source")),
    "type-typo-relative-source": _generic(
        lambda d: {**d, "type": "applicaton", "source": "app/main.py"}
    ),
    "maintainer-no-user": _set("maintainers", [{"name": "Jane Doe"}]),
    "icon-long": _generic(_set("icon", "icon")),
    "description-long": _set("description", "x" * 1100),
    # accepted by both
    "version-semver": _set("version", "1.2.0"),
    "version-number": _set("version", 2),
    "version-v-prefix": _set("version", "v0.1"),
    "emoji": _set("id_emoji", "🦈"),
    "version-comment": _set("version_comment", "first release on bioimage.io"),
    "uploader": _set("uploader", {"email": "jane@example.org", "name": "Jane Doe"}),
    "parent": _set("parent", "some-parent"),
    "license-deprecated": _set("license", "GPL-3.0"),
    "doc-url-md": _doc({"source": "https://example.org/README.md"}),
    "fv-0.3.0-plain-doc": _generic(
        lambda d: {**d, "format_version": "0.3.0", "documentation": "README.md"}
    ),
    "type-typo": _generic(lambda d: {**d, "type": "applicaton", "source": None}),
    "no-description": _drop("description"),
    "icon-emoji": _set("icon", "🔬"),
    "cover-jpeg-upper": _set("covers", [{"source": "cover.JPEG"}]),
}
"""Each edit of a valid base file; one that does not apply to a base returns None."""

DIFFERENCE_MUTATIONS: dict[str, tuple[Mutation, str]] = {
    "doc-missing": (_doc({"source": "MISSING.md"}), "path-missing"),
    "no-license": (_generic(_drop("license")), "license-missing"),
    "key-typo": (lambda d: {**d, "descriptoin": "typo"}, "unknown-keys"),
    "key-unknown": (lambda d: {**d, "passive": True}, "unknown-keys"),
    "future-format": (_generic(_set("format_version", "0.4.0")), "future-format"),
}


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def build(root: Path) -> list[Item]:
    items: list[Item] = []

    def add(origin: str, name: str, data: dict[str, Any], difference: str | None = None) -> Item:
        placeholders = difference != "path-missing"
        item = Item(
            write(root / origin / name, _clean(data), placeholders=placeholders), origin, difference
        )
        items.append(item)
        return item

    bases: list[tuple[str, dict[str, Any]]] = []
    for name, data in [*real_resources(), *standalone_real()]:
        new = spec_oracle.converted(data)
        unlicensed = new.get("type") != "model" and "license" not in new
        item = add("real", name, new, "license-missing" if unlicensed else None)
        if item.difference is None and spec_oracle.accepts(item.path):
            bases.append((name, new))
    for path in sorted(OWN.glob("*/rdf.yaml")):
        # the fixture with its own files (no stand-ins: they are part of what it tests)
        copy_dir = root / "own" / path.parent.name
        shutil.copytree(path.parent, copy_dir)
        items.append(Item(copy_dir / "rdf.yaml", "own"))
        if spec_oracle.accepts(copy_dir / "rdf.yaml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            bases.append((f"own-{path.parent.name}", data))
    names = list(MUTATIONS)
    for i, (base_name, base) in enumerate(bases):
        # every mutation on a rotating share of the bases: each base gets several
        for step in range(6):
            key = names[(i * 6 + step) % len(names)]
            mutated = MUTATIONS[key](copy.deepcopy(base))
            if mutated is not None:
                add("mutation", f"{base_name}__{key}", mutated)
    for i, (key, (mutation, row)) in enumerate(DIFFERENCE_MUTATIONS.items()):
        for base_name, base in bases[i :: max(1, len(bases) // 3)][:3]:
            mutated = mutation(copy.deepcopy(base))
            if mutated is not None:
                add("difference", f"{base_name}__{key}", mutated, row)
    return items
