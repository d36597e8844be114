"""Names may not contain '/' or '\\': from RDF 0.2.3 (model 0.4.9) on the spec rejects them;
older formats were converted by dropping the slashes, so there it is a warning. From generic
0.3 and model 0.5 on the schemas restrict names themselves."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bmz_collection.core.checks import versions
from bmz_collection.core.checks.context import Context
from bmz_collection.core.findings import DocPath, Finding

STRICT_FROM: dict[str, tuple[int, ...]] = {"model": (0, 4, 9)}
STRICT_FROM_DEFAULT: tuple[int, ...] = (0, 2, 3)


def _strict(rdf: Mapping[str, Any], ctx: Context) -> bool:
    version = versions.of(rdf, ctx)
    if version is None:
        return True  # unknown format: the current spec applies
    return version >= STRICT_FROM.get(str(rdf.get("type")), STRICT_FROM_DEFAULT)


def _named(rdf: Mapping[str, Any]) -> Iterator[tuple[DocPath, str]]:
    name = rdf.get("name")
    if isinstance(name, str):
        yield ("name",), name
    for group in ("authors", "maintainers"):
        people = rdf.get(group)
        if not isinstance(people, list):
            continue
        for i, person in enumerate(people):
            if isinstance(person, Mapping) and isinstance(person.get("name"), str):
                yield (group, i, "name"), person["name"]


def check(rdf: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    if versions.is_today(rdf, ctx):
        return
    strict = None
    for path, name in _named(rdf):
        if "/" not in name and "\\" not in name:
            continue
        if strict is None:
            strict = _strict(rdf, ctx)
        note = "" if strict else " (older formats dropped them silently)"
        yield ctx.finding(strict, "name-slash", f"name '{name}' contains '/' or '\\'{note}", path)
