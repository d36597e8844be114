"""Generic 0.2.x fields in today's shape (generic 0.3), as bioimageio.spec 0.5's converter
writes them (``generic/_v0_2_converter.py`` and ``_v0_3_converter.py``).

One piece of code serves two callers: ``bmz format --upgrade`` rewrites a 0.2.x resource with
it, and resolution converts the 0.2-style fields a 0.3 entry inherits from its 0.2.x
collection. Only lossless, mechanical conversions live here; what needs a person (HTML
documentation, a missing licence, a TIFF cover) is left for the 0.3 schema to report.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

DROPPED = ("download_url", "rdf_source")
"""Fields 0.3 removed; the library's converter drops them."""
DOI_PREFIXES = ("https://doi.org/", "http://dx.doi.org/")
GITHUB_PREFIX = "https://github.com/"
NAME_CHARACTERS = frozenset(string.ascii_letters + string.digits + "_+- ()")
SLASHES_DROPPED = ("0.2.0", "0.2.1", "0.2.2")
"""Formats whose people's names lose their slashes (0.2.3 made a slash an error)."""


def _source(value: Any) -> Any:
    return {"source": value} if isinstance(value, str) else value


def _person(value: Any, version: str) -> Any:
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, Mapping):
        return value
    out = dict(value)
    name = out.get("name")
    if isinstance(name, str) and version in SLASHES_DROPPED:
        out["name"] = name.replace("/", "").replace("\\", "")
    user = out.get("github_user")
    if isinstance(user, str) and user.startswith(GITHUB_PREFIX):
        out["github_user"] = user[len(GITHUB_PREFIX) :]
    return out


def _cite(value: Any) -> Any:
    if not isinstance(value, Mapping) or not isinstance(value.get("doi"), str):
        return value
    doi: str = value["doi"]
    for prefix in DOI_PREFIXES:
        if doi.startswith(prefix):
            return {**value, "doi": doi[len(prefix) :]}
    return value


def _name(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return "".join(c if c in NAME_CHARACTERS else " " for c in value)[:128]


def _attachments(value: Any) -> Any:
    """``{files: [...]}`` becomes ``[{source: ...}, ...]``; other keys would be lost, so such
    a mapping is left for a person (the schema names it)."""
    if isinstance(value, Mapping) and set(value) <= {"files"}:
        files = value.get("files")
        return [_source(f) for f in files] if isinstance(files, list) else []
    return value


def _icon(value: Any) -> Any:
    return {"source": value} if isinstance(value, str) and len(value) > 2 else value


def _people(value: Any, version: str) -> Any:
    return [_person(v, version) for v in value] if isinstance(value, list) else value


def _each(convert: Any) -> Any:
    return lambda value: [convert(v) for v in value] if isinstance(value, list) else value


CONVERTERS: dict[str, Any] = {
    "attachments": _attachments,
    "cite": _each(_cite),
    "covers": _each(_source),
    "documentation": _source,
    "icon": _icon,
    "name": _name,
}


PLAIN_FILES = ("covers", "documentation", "icon")
"""What bioimageio.spec still converts in a 0.3.0 to 0.3.3 resource."""


def convert_field(key: str, value: Any, version: str) -> Any:
    """A field of a resource at 0.2.x format ``version``, in 0.3 shape (the value itself when
    nothing changes)."""
    if key in ("authors", "maintainers"):
        return _people(value, version)
    convert = CONVERTERS.get(key)
    return value if convert is None else convert(value)


def convert(data: Mapping[str, Any], target: str) -> dict[str, Any]:
    """A whole 0.2.x generic resource at format ``target``: fields converted, removed fields
    dropped, ``config.bioimageio.nickname`` (and its icon) promoted to ``id`` (``id_emoji``)."""
    version = str(data.get("format_version"))
    if version.startswith("0.3."):  # before 0.3.4: only plain file names became mappings
        out = {k: CONVERTERS[k](v) if k in PLAIN_FILES else v for k, v in data.items()}
        out["format_version"] = target
        return out
    out = {k: convert_field(k, v, version) for k, v in data.items() if k not in DROPPED}
    config = data.get("config")
    bioimageio = config.get("bioimageio") if isinstance(config, Mapping) else None
    if isinstance(bioimageio, Mapping):
        if bioimageio.get("nickname") is not None:
            out["id"] = bioimageio["nickname"]
        if bioimageio.get("nickname_icon") is not None:
            out["id_emoji"] = bioimageio["nickname_icon"]
    out["format_version"] = target
    return out
