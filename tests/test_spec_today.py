"""Today's formats as bioimageio.spec 0.5.14.3 defines them: the newest versions and the field
names come from the library, not from memory; `bmz validate` never imports it; near-miss keys
and types are named through the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bmz_collection.cli.main import main
from bmz_collection.core import jsonschemas

from . import spec_oracle


def test_newest_versions_are_the_librarys() -> None:
    from bioimageio.spec.generic.v0_2 import GenericDescr as Generic02

    assert jsonschemas.newest(jsonschemas.GENERIC_03) == spec_oracle.newest("application")
    for rtype in ("dataset", "notebook", "generic"):
        assert spec_oracle.newest(rtype) == spec_oracle.newest("application")
    assert jsonschemas.newest(jsonschemas.MODEL_05) == spec_oracle.newest("model")
    assert jsonschemas.newest(jsonschemas.RDF) == Generic02.implemented_format_version


@pytest.mark.parametrize(
    ("schema", "module_names"),
    [
        (jsonschemas.RDF, ("generic.v0_2", "application.v0_2", "dataset.v0_2", "notebook.v0_2")),
        (
            jsonschemas.GENERIC_03,
            ("generic.v0_3", "application.v0_3", "dataset.v0_3", "notebook.v0_3"),
        ),
        (jsonschemas.MODEL_04, ("model.v0_4",)),
        (jsonschemas.MODEL_05, ("model.v0_5",)),
    ],
)
def test_each_schema_knows_every_field_of_the_library(
    schema: str, module_names: tuple[str, ...]
) -> None:
    import importlib

    theirs: set[str] = set()
    for name in module_names:
        module = importlib.import_module(f"bioimageio.spec.{name}")
        kind = name.split(".")[0]
        cls = getattr(module, "GenericDescr" if kind == "generic" else f"{kind.title()}Descr")
        theirs |= {f.alias or n for n, f in cls.model_fields.items()}
    assert theirs <= set(jsonschemas.schema(schema)["x-bmz-fields"])


def test_validate_never_imports_bioimageio(tmp_path: Path) -> None:
    rdf = tmp_path / "rdf.yaml"
    rdf.write_text("format_version: 0.3.4\ntype: application\nname: Some tool\nlicense: MIT\n")
    code = (
        "import sys\n"
        "from bmz_collection.cli.main import main\n"
        f"rc = main(['validate', {str(rdf)!r}])\n"
        "assert rc == 0, rc\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'bioimageio')\n"
        "assert loaded == [], loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rdf.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("version", ["0.2.4", "0.3.4"])
def test_a_near_miss_key_is_named(
    tmp_path: Path, version: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        f"format_version: {version}\ntype: application\nname: Some tool\ndescription: d\n"
        "license: MIT\ndescriptoin: typo\nmy_own_key: kept\n",
    )
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert out == (
        f"{path}:6:14: warning: unknown field `descriptoin`: did you mean `description`? "
        "(its value is ignored as it is) (descriptoin) [did-you-mean]\n"
    )


def test_a_near_miss_type_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(
        tmp_path,
        "format_version: 0.3.4\ntype: applicaton\nname: Some tool\nlicense: MIT\n",
    )
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert out == (
        f"{path}:2:7: warning: unknown type 'applicaton': did you mean 'application'? (type)"
        " [type-unknown]\n"
    )


def test_a_near_miss_key_in_a_collection_entry_points_at_the_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "collection.yaml"
    path.write_text(
        "format_version: 0.2.3\ntype: collection\nid: p\nname: P\ndescription: d\n"
        "collection:\n  - id: a\n    type: application\n    name: App\n    lisence: MIT\n",
        encoding="utf-8",
    )
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "10:14: warning: unknown field `lisence`: did you mean `license`?" in out


@pytest.mark.parametrize("entries", ["collection: []\n", "collection:\n  - id: a\n"])
def test_a_near_miss_key_at_a_collection_root_is_reported_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entries: str
) -> None:
    """Entries report the root keys they inherit; a collection without entries reports its
    own, and one with entries still reports each once."""
    path = tmp_path / "collection.yaml"
    path.write_text(
        "format_version: 0.2.3\ntype: collection\nid: p\nname: P\ndescription: d\n"
        "licence: MIT\ncolection: []\n" + entries,
        encoding="utf-8",
    )
    main(["validate", str(path)])
    out = capsys.readouterr().out
    near = [line for line in out.splitlines() if "[did-you-mean]" in line]
    assert near == [
        f"{path}:6:10: warning: unknown field `licence`: did you mean `license`? (its value is "
        "ignored as it is) (licence) [did-you-mean]",
        f"{path}:7:12: warning: unknown field `colection`: did you mean `collection`? (its value "
        "is ignored as it is) (colection) [did-you-mean]",
    ]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("license: MIT\nversion: one point two\n", "version-format"),
        ("license: MIT\nid: My Tool\n", "id-format"),
        ("license: Proprietary\n", "license-unknown"),
        ("description: no licence\n", "license-missing"),
        ("license: MIT\ndocumentation:\n  source: README.html\n", "documentation-not-md"),
        ("license: MIT\ndocumentation: README.md\n", "file-descr"),
        ("license: MIT\nuploader:\n  name: Jane\n", "uploader"),
        ("license: MIT\nid_emoji: abc\n", "id-emoji"),
        ("license: MIT\nversion_comment: 5\n", "version-comment"),
        ("license: MIT\nparent: Some Parent\n", "id-format"),
        ("license: MIT\ndownload_url: https://example.org/a.zip\n", "field-removed"),
    ],
)
def test_today_rules_are_errors(
    tmp_path: Path, text: str, rule: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "format_version: 0.3.4\ntype: application\nname: Some tool\n" + text)
    (tmp_path / "README.html").touch()
    (tmp_path / "README.md").touch()
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert ": error: " in out and f"[{rule}]" in out, out
