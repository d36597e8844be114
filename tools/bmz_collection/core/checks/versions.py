"""Format versions as comparable tuples: several rules tighten from a given format on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bmz_collection.core.checks.context import Context


def parse(version: object) -> tuple[int, ...] | None:
    if not isinstance(version, str):
        return None
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return None


def of(rdf: Mapping[str, Any], ctx: Context) -> tuple[int, ...] | None:
    """The resource's own format_version (a resolved entry inherits the collection's), else
    the one of its context."""
    own = parse(rdf.get("format_version"))
    return own if own is not None else parse(ctx.format_version)
