"""The JSON Schemas: well-formed, compiled by both engines, quiet on the real catalogue's files,
and exact (rule, severity, line, column) on the fixtures under ``fixtures/validate``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import jsonschema_rs
import pytest
from referencing import Registry, Resource

from bmz_collection.cli.main import main
from bmz_collection.core import jsonschemas as schemas
from bmz_collection.core.findings import Finding
from bmz_collection.core.loading import load_mapping
from bmz_collection.core.resolve import resolve_collection
from bmz_collection.engine.validate import Kind, detect_kind, resource_schema
from bmz_collection.io.fsio import FileTree

from .realworld import REAL_WORLD, needs_real_world, partner_files

HERE = Path(__file__).resolve().parent
SCHEMA_DIR = HERE.parent / "schemas"
FIXTURES = HERE / "fixtures" / "validate"
NAMES = {
    "common",
    "rdf-0.2",
    "generic-0.3",
    "resource-record",
    "model-0.4",
    "model-0.5",
    "partner-config",
    "collection-0.2",
    "central-collection",
    "feed",
}
RULE_NAME = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")


def source_schemas() -> dict[str, dict[str, Any]]:
    out = {}
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        out[path.stem] = schema
    return out


def nodes(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from nodes(child)
    elif isinstance(value, list):
        for child in value:
            yield from nodes(child)


# --- the schema files ---------------------------------------------------------------------


def test_the_schema_set_is_complete() -> None:
    assert set(source_schemas()) == NAMES


@pytest.mark.parametrize("name", sorted(NAMES))
def test_schema_is_valid_draft_2020_12_with_an_id(name: str) -> None:
    schema = source_schemas()[name]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:bmz-collection:{name}"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schemas_compile_offline_with_jsonschema_rs() -> None:
    loaded = {s["$id"]: s for s in source_schemas().values()}
    registry = jsonschema_rs.Registry(list(loaded.items()))
    for schema in loaded.values():
        jsonschema_rs.validator_for(schema, registry=registry)


def test_the_package_ships_the_source_schemas() -> None:
    assert schemas.resources_by_id() == {s["$id"]: s for s in source_schemas().values()}


def test_annotations_are_well_formed() -> None:
    seen_rules = set()
    for schema in source_schemas().values():
        for node in nodes(schema):
            extra = {k for k in node if k.startswith("x-")}
            assert extra <= {
                "x-bmz-rule",
                "x-bmz-severity",
                "x-bmz-message",
                "x-bmz-newest",
                "x-bmz-fields",
            }, extra
            if "x-bmz-newest" in node:
                assert node is schema, "x-bmz-newest belongs at the top of a schema"
                assert re.fullmatch(r"\d+\.\d+\.\d+", node["x-bmz-newest"])
            if "x-bmz-severity" in node:
                assert node["x-bmz-severity"] in ("warning", "error")
            if "x-bmz-rule" in node:
                assert RULE_NAME.fullmatch(node["x-bmz-rule"]), node["x-bmz-rule"]
                seen_rules.add(node["x-bmz-rule"])
            if "x-bmz-message" in node:
                assert isinstance(node["x-bmz-message"], str) and node["x-bmz-message"]
    assert {"author-as-string", "github-user-none", "url-trailing-punctuation"} <= seen_rules


def python_validator(name: str) -> jsonschema.Draft202012Validator:
    loaded = source_schemas()
    registry: Registry[Any] = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in loaded.values()
    )
    return jsonschema.Draft202012Validator(loaded[name], registry=registry)


# --- engine behaviour on the quirks -------------------------------------------------------

APP = {
    "format_version": "0.2.3",
    "type": "application",
    "name": "Example app",
    "description": "An application.",
}


def rules(data: dict[str, Any], name: str = schemas.RDF) -> list[tuple[str, str, str]]:
    return [
        (f.severity.value, f.rule, f.location) for f in schemas.validate(data, name, "rdf.yaml")
    ]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"authors": ["Fiji community"]}, [("warning", "author-as-string", "authors[0]")]),
        (
            {"maintainers": [{"name": "The Team", "github_user": "None"}]},
            [("warning", "github-user-none", "maintainers[0].github_user")],
        ),
        (
            {"git_repo": "https://github.com/fiji/fiji,"},
            [("warning", "url-trailing-punctuation", "git_repo")],
        ),
        (
            {"cite": [{"text": "x", "doi": "https://arxiv.org/abs/2004.01607"}]},
            [("warning", "doi-is-url", "cite[0].doi")],
        ),
        ({"cite": [{"text": "x", "doi": "nope"}]}, [("error", "doi-format", "cite[0].doi")]),
        ({"maintainers": [{"name": "x"}]}, [("error", "maintainer", "maintainers[0]")]),
        ({"authors": [7]}, [("error", "author", "authors[0]")]),
        ({"format_version": 0.2}, [("error", "format-version", "format_version")]),
        ({"type": "notebook"}, [("error", "notebook-source", "")]),
    ],
)
def test_quirks_and_their_severity(extra: dict[str, Any], expected: list[Any]) -> None:
    assert rules({**APP, **extra}) == expected


def test_legacy_formats_only_warn_about_fields_they_required() -> None:
    data = {**APP, "format_version": "0.2.1"}
    assert rules(data) == [
        ("warning", "legacy-required", ""),
        ("warning", "legacy-required", ""),
        ("warning", "legacy-required", ""),
    ]
    assert rules({**APP, "format_version": "0.2.2"}) == []


def test_model_rdfs_older_than_0_4_use_the_generic_schema_without_a_format_error() -> None:
    data = {**APP, "type": "model", "format_version": "0.3.2"}
    assert rules(data) == []


def test_model_0_5_recommends_what_0_5_4_required() -> None:
    base = {
        **APP,
        "type": "model",
        "name": "Example model",
        "inputs": [{"axes": [{"type": "batch"}]}],
        "outputs": [{"axes": [{"type": "batch"}]}],
        "weights": {"onnx": {"source": "weights.onnx"}},
    }
    strict = rules({**base, "format_version": "0.5.4"}, schemas.MODEL_05)
    assert {r for r in strict} == {("error", "model-required", "")}
    lenient = rules({**base, "format_version": "0.5.5"}, schemas.MODEL_05)
    assert {r for r in lenient} == {("warning", "model-recommended", "")}


# --- the real catalogue ---------------------------------------------------------------------


def schema_errors(findings: list[Finding]) -> list[str]:
    return [f.one_line() for f in findings if f.is_error]


@needs_real_world
@pytest.mark.parametrize("path", partner_files(), ids=lambda p: p.parent.name)
def test_real_partner_collections_and_entries_have_no_schema_errors(path: Path) -> None:
    doc = load_mapping(path.read_bytes(), path.name)
    assert schema_errors(schemas.validate(doc.data, schemas.COLLECTION, doc.file)) == []
    res = resolve_collection(doc, path.name, FileTree(path.parent), path.parent.name)
    assert res.entries
    for entry in res.entries:
        name, _ = resource_schema(entry.data)
        found = schemas.validate(entry.data, name, f"{doc.file}:{entry.id}")
        assert schema_errors(found) == []


@needs_real_world
def test_real_quirks_are_warnings() -> None:
    warned: set[tuple[str, str]] = set()
    for path in partner_files():
        doc = load_mapping(path.read_bytes(), path.name)
        res = resolve_collection(doc, path.name, FileTree(path.parent), path.parent.name)
        for entry in res.entries:
            name, _ = resource_schema(entry.data)
            for f in schemas.validate(entry.data, name, doc.file):
                warned.add((path.parent.name, f.rule))
    assert {
        ("fiji", "author-as-string"),
        ("fiji", "url-trailing-punctuation"),
        ("icy", "github-user-none"),
        ("qupath", "github-user-none"),
        ("zero", "doi-is-url"),
    } <= warned


def real_rdfs() -> list[Path]:
    if not REAL_WORLD.is_dir():
        return []
    spec = REAL_WORLD / "resources" / "spec-bioimage-io"
    history = REAL_WORLD / "_history"
    return sorted([*spec.rglob("*.yaml"), *history.rglob("*/model.yaml")])


@needs_real_world
@pytest.mark.parametrize("path", real_rdfs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_real_resource_and_model_rdfs_have_no_schema_errors(path: Path) -> None:
    data = load_mapping(path.read_bytes(), path.name).data
    name, _ = resource_schema(data)
    assert schema_errors(schemas.validate(data, name, path.name)) == []


@needs_real_world
def test_real_history_collection_and_central_template_have_no_schema_errors() -> None:
    history = REAL_WORLD / "_history" / "deepimagej@0bf9e0ec" / "manifest.bioimage.io.yaml"
    data = load_mapping(history.read_bytes(), history.name).data
    assert schema_errors(schemas.validate(data, schemas.COLLECTION, history.name)) == []
    central = REAL_WORLD / "central" / "collection_rdf_template.yaml"
    data = load_mapping(central.read_bytes(), central.name).data
    assert schema_errors(schemas.validate(data, schemas.CENTRAL, central.name)) == []


# --- fixtures: positive/ and negative/<rule>/ -----------------------------------------------

EXPECT = re.compile(r"# expect: (?:(valid)|(error|warning) ([a-z0-9.-]+) (\d+):(\d+))\n")


def fixture_files(kind: str) -> list[Path]:
    return sorted(p for p in (FIXTURES / kind).rglob("*.yaml") if EXPECT.match(p.read_text()))


def bmz_validate(path: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    main(["validate", "--format", "json", str(path)])
    findings: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["findings"]
    return findings


def test_every_negative_rule_folder_has_a_fixture() -> None:
    folders = [d for d in (FIXTURES / "negative").iterdir() if d.is_dir()]
    assert len(folders) >= 40
    for folder in folders:
        assert any(EXPECT.match(p.read_text()) for p in folder.glob("*.yaml")), folder


@pytest.mark.parametrize(
    "path", fixture_files("negative"), ids=lambda p: p.relative_to(FIXTURES).as_posix()
)
def test_negative_fixture_has_exactly_its_one_finding(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    m = EXPECT.match(path.read_text())
    assert m is not None and m.group(1) is None
    severity, rule, line, column = m.group(2), m.group(3), int(m.group(4)), int(m.group(5))
    rule_folder = path.relative_to(FIXTURES / "negative").parts[0]
    assert rule == rule_folder
    [finding] = bmz_validate(path, capsys)
    assert (finding["severity"], finding["rule"], finding["line"], finding["column"]) == (
        severity,
        rule,
        line,
        column,
    ), finding["message"]


def positive_params() -> list[Any]:
    return [
        pytest.param(path, id=path.relative_to(FIXTURES).as_posix())
        for path in fixture_files("positive")
    ]


@pytest.mark.parametrize("path", positive_params())
def test_positive_fixture_is_clean(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bmz_validate(path, capsys) == []


@pytest.mark.parametrize(
    "path", fixture_files("positive"), ids=lambda p: p.relative_to(FIXTURES).as_posix()
)
def test_positive_fixture_is_valid_for_python_jsonschema_too(path: Path) -> None:
    """check-jsonschema users get the same verdict: clean files raise no error there either."""
    data = load_mapping(path.read_bytes(), path.name).data
    kind = detect_kind(data)
    if kind is Kind.CENTRAL:
        name = schemas.CENTRAL
    elif kind is Kind.COLLECTION:
        name = schemas.COLLECTION
    else:
        name = resource_schema(data)[0]
    errors = [e.message for e in python_validator(name).iter_errors(data)]
    assert errors == []
