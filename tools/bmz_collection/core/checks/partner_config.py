"""A partner's display ``config`` as the website uses it, beyond what its schema can say: the
partner page opens on the tab ``default_type``, and shows one tab per ``resource_types``.

Unlike the resource rules of this package, this one looks at the collection itself (once per
collection file, not once per entry)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bmz_collection.core.findings import Finding, Severity


def check(collection: Mapping[str, Any], file: str) -> Iterator[Finding]:
    config = collection.get("config")
    if not isinstance(config, Mapping):
        return
    default, types = config.get("default_type"), config.get("resource_types")
    if not isinstance(default, str) or not isinstance(types, list):
        return  # not set, or mistyped: the schema reports it
    if default not in types:
        listed = ", ".join(str(t) for t in types) or "none"
        yield Finding(
            file,
            Severity.WARNING,
            "default-type-unlisted",
            f"default_type '{default}' is not one of resource_types ({listed}): the partner's "
            "page would open on an empty tab",
            ("config", "default_type"),
        )
