"""The render cache's key: the code fingerprint covers the whole package and the schemas, so
a change anywhere that may alter the merged text (a check, the dumper, a schema) invalidates
every cached partner."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

import bmz_collection
from bmz_collection.engine.sync import cache

PACKAGE = Path(bmz_collection.__file__).resolve().parent


def test_the_fingerprint_covers_every_subpackage_and_the_schemas() -> None:
    files = cache.fingerprinted_files()
    relative = {f.relative_to(PACKAGE).as_posix() for f in files if PACKAGE in f.parents}
    for module in (
        "__init__.py",
        "core/central/render.py",
        "core/checks/__init__.py",
        "core/formatting/__init__.py",
        "io/git/process.py",
        "engine/validate.py",
        "engine/sync/cache.py",
        "engine/sync/render.py",
    ):
        assert module in relative, module
    assert not any("__pycache__" in f.parts for f in files)
    shipped = Path(str(resources.files("bmz_collection.schemas"))).resolve()
    expected = {f.resolve() for f in shipped.glob("*.json")}
    assert "central-collection.json" in {f.name for f in expected}
    assert expected <= {f.resolve() for f in files}


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
