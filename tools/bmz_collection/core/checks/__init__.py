"""Rules beyond the JSON Schemas, one family per module.

Each ``check(rdf, ctx)`` looks at ONE resolved resource (a resolved collection entry or a
stand-alone RDF) and yields findings whose paths are relative to that resource.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from bmz_collection.core.checks import (
    did_you_mean,
    ids,
    licenses,
    names,
    orcid,
    paths,
    resource_type,
)
from bmz_collection.core.checks.context import Context
from bmz_collection.core.findings import Finding

Check = Callable[[Mapping[str, Any], Context], Iterator[Finding]]

ALL_CHECKS: tuple[Check, ...] = (
    resource_type.check,
    ids.check,
    names.check,
    licenses.check,
    orcid.check,
    paths.check,
    did_you_mean.check,
)


def run_checks(rdf: Mapping[str, Any], ctx: Context) -> list[Finding]:
    return [finding for check in ALL_CHECKS for finding in check(rdf, ctx)]


__all__ = ["ALL_CHECKS", "Check", "Context", "run_checks"]
