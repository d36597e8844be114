"""Resource ids are lower-case ``[a-z0-9_.-]`` (``/`` separates a partner's id from its
entry's). Real partners use ``QuPath`` and ``Notebook Preview``, so this is a warning. Only a
resource's own ``id`` is checked: a partner cannot fix the ids its ``links`` point to."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from bmz_collection.core.checks import versions
from bmz_collection.core.checks.context import Context
from bmz_collection.core.findings import Finding

_PART = re.compile(r"[a-z0-9_.-]+")


def is_valid(resource_id: str) -> bool:
    return all(_PART.fullmatch(part) for part in resource_id.split("/"))


def check(rdf: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    value = rdf.get("id")
    if not isinstance(value, str) or not value or is_valid(value):
        return
    if not versions.is_today(rdf, ctx):  # today the schema's `id-format` (an error) applies
        yield ctx.warning(
            "id-format",
            f"id '{value}' should use only lower-case letters, digits, '_', '.' and '-'",
            ("id",),
        )
