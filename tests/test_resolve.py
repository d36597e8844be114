"""Entry resolution as bioimageio.spec 0.2 does it, on an in-memory repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from bmz_collection.core.loading import load_mapping
from bmz_collection.core.resolve import Resolution, resolve_collection
from bmz_collection.core.tree import Kind, join_inside
from bmz_collection.io.fsio import FileTree


class MemTree:
    def __init__(self, files: dict[str, str]) -> None:
        self.files = files

    def kind(self, relpath: str) -> Kind:
        if relpath in self.files:
            return Kind.FILE
        if any(f.startswith(relpath + "/") for f in self.files):
            return Kind.DIR
        return Kind.MISSING

    def read(self, relpath: str) -> bytes:
        return self.files[relpath].encode()


def resolve(text: str, files: dict[str, str] | None = None, cid: str | None = "p") -> Resolution:
    tree = MemTree({"c/collection.yaml": text, **(files or {})})
    doc = load_mapping(text.encode(), "c/collection.yaml")
    return resolve_collection(doc, "c/collection.yaml", tree, cid)


HEAD = """\
format_version: 0.2.2
type: collection
id: root-id
name: Root
description: root description
authors: [{name: Root Author}]
config: {id: p, logo: x.png}
"""


def test_root_fields_then_rdf_source_then_entry() -> None:
    res = resolve(
        HEAD
        + """collection:
  - rdf_source: m/rdf.yaml
    name: entry name
""",
        {"c/m/rdf.yaml": "id: from-source\nname: source name\ntype: model\ndescription: d\n"},
    )
    assert res.findings == []
    [entry] = res.entries
    assert entry.id == "p/from-source"
    assert entry.data["name"] == "entry name"  # the entry's own field wins
    assert entry.data["type"] == "model"  # from rdf_source
    assert entry.data["authors"] == [{"name": "Root Author"}]  # inherited from the root
    assert "config" not in entry.data  # the partner's display config is not copied
    assert "rdf_source" not in entry.data
    assert entry.origins["name"].prefix == ("collection", 0)
    assert entry.origins["type"].file == "c/m/rdf.yaml"
    assert entry.origins["authors"].prefix == ()


def test_entry_id_overrides_source_id_and_links_are_prefixed() -> None:
    res = resolve(
        HEAD
        + """collection:
  - id: own
    rdf_source: m/rdf.yaml
    links: [sibling, other/thing]
""",
        {"c/m/rdf.yaml": "id: from-source\n"},
    )
    [entry] = res.entries
    assert entry.id == "p/own"
    assert entry.entry_id == "own"
    assert entry.data["links"] == ["p/sibling", "other/thing"]


@pytest.mark.parametrize(
    ("body", "rule", "location"),
    [
        ("  - name: no id\n", "entry-id-missing", "collection[0]"),
        ("  - id: a\n  - id: a\n", "entry-id-duplicate", "collection[1].id"),
        ("  - id: 7\n", "entry-id-type", "collection[0].id"),
        ("  - just a string\n", "entry-type", "collection[0]"),
        (
            "  - id: a\n    rdf_source: ../../etc/passwd\n",
            "path-outside",
            "collection[0].rdf_source",
        ),
        ("  - id: a\n    rdf_source: /etc/passwd\n", "path-outside", "collection[0].rdf_source"),
        (
            "  - id: a\n    rdf_source: file:///etc/passwd\n",
            "path-outside",
            "collection[0].rdf_source",
        ),
        ("  - id: a\n    rdf_source: nope.yaml\n", "path-missing", "collection[0].rdf_source"),
    ],
)
def test_entry_errors(body: str, rule: str, location: str) -> None:
    res = resolve(HEAD + "collection:\n" + body)
    assert [(f.rule, f.location) for f in res.findings] == [(rule, location)]


def test_broken_rdf_source_reports_in_that_file() -> None:
    res = resolve(
        HEAD + "collection:\n  - id: a\n    rdf_source: m/rdf.yaml\n",
        {"c/m/rdf.yaml": "name: x\nname: y\n"},
    )
    [f] = res.findings
    assert (f.file, f.rule, f.line) == ("c/m/rdf.yaml", "yaml-duplicate-key", 2)
    assert res.entries == []


def test_remote_rdf_source_is_a_warning_and_the_entry_stays() -> None:
    res = resolve(HEAD + "collection:\n  - id: a\n    rdf_source: https://example.org/rdf.yaml\n")
    assert [f.rule for f in res.findings] == ["rdf-source-remote"]
    assert [e.id for e in res.entries] == ["p/a"]


def test_imjoy_plugin_without_type_is_an_application() -> None:
    res = resolve(
        HEAD
        + "collection:\n  - id: a\n    source: https://x.org/app.imjoy.html\n"
        + "  - id: b\n    type: dataset\n    source: https://x.org/b.imjoy.html\n"
    )
    assert [e.data["type"] for e in res.entries] == ["application", "dataset"]


def test_typed_lists_of_format_020() -> None:
    res = resolve(
        "format_version: 0.2.0\ntype: collection\nname: n\ndescription: d\n"
        "application:\n  - id: app\n    source: https://x.org\nmodel:\n  - id: m\n"
    )
    assert [(e.id, e.data["type"]) for e in res.entries] == [
        ("p/app", "application"),
        ("p/m", "model"),
    ]


def test_without_collection_id_entry_ids_are_bare() -> None:
    res = resolve(HEAD + "collection:\n  - id: a\n", cid=None)
    assert [e.id for e in res.entries] == ["a"]


def test_join_inside() -> None:
    assert join_inside("c", "m/rdf.yaml") == "c/m/rdf.yaml"
    assert join_inside("c", "../x") == "x"
    assert join_inside("c", "../../x") is None
    assert join_inside("", "./a/../b") == "b"
    assert join_inside("", "C:/x") is None
    assert join_inside("", "a\\b") is None


def test_symlink_out_of_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (tmp_path / "secret.yaml").write_text("id: x\n")
    (repo / "link.yaml").symlink_to(tmp_path / "secret.yaml")
    (repo / "inside.yaml").symlink_to(repo / "link.yaml")
    tree = FileTree(repo)
    assert tree.kind("link.yaml") is Kind.OUTSIDE
    assert tree.kind("inside.yaml") is Kind.OUTSIDE
    with pytest.raises(PermissionError):
        tree.read("link.yaml")
