"""Format versions as comparable tuples: several rules tighten from a given format on."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from bmz_collection.core.checks.context import Context

TODAY: dict[str, tuple[int, ...]] = {"model": (0, 5)}
TODAY_DEFAULT: tuple[int, ...] = (0, 3)
"""From these formats on (generic 0.3, model 0.5) a resource follows today's spec, the one
bioimageio.spec 0.5 writes: ids, licences and file references are checked strictly."""


def parse(version: object) -> tuple[int, ...] | None:
    return _parse(version) if isinstance(version, str) else None


@functools.lru_cache(maxsize=64)
def _parse(version: str) -> tuple[int, ...] | None:
    """Cached: a few versions, asked for by several rules of every entry."""
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return None


def of(rdf: Mapping[str, Any], ctx: Context) -> tuple[int, ...] | None:
    """The resource's own format_version (a resolved entry inherits the collection's), else
    the one of its context."""
    own = parse(rdf.get("format_version"))
    return own if own is not None else parse(ctx.format_version)


def is_today(rdf: Mapping[str, Any], ctx: Context) -> bool:
    """Whether the resource is at today's formats (generic 0.3.x, model 0.5.x) or later."""
    version = of(rdf, ctx)
    if version is None:
        return False
    return version >= TODAY.get(str(rdf.get("type")), TODAY_DEFAULT)
