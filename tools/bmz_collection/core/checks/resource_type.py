"""Resource types: an unknown type is a warning (the website has no page for it; a near miss
names the type meant); an entry that resolves to a collection is an error (nested collections
are not published)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bmz_collection.core.checks.context import Context
from bmz_collection.core.checks.did_you_mean import closest
from bmz_collection.core.findings import Finding

KNOWN_TYPES = ("model", "dataset", "application", "notebook")


def check(rdf: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    rtype = rdf.get("type")
    if not isinstance(rtype, str):
        return  # missing or mistyped: the schema reports it
    if rtype == "collection":
        # A stand-alone collection is validated as its entries, so a resource reaching the
        # rules with this type is an entry (inheriting the root's type, or a nested collection).
        yield ctx.error(
            "type-collection",
            "entry resolves to `type: collection` (set its own `type`; nested collections are"
            " not supported)",
            ("type",),
        )
    elif rtype not in KNOWN_TYPES:
        hint = closest(rtype, KNOWN_TYPES)
        extra = f": did you mean '{hint}'?" if hint else ""
        yield ctx.warning("type-unknown", f"unknown type '{rtype}'{extra}", ("type",))
