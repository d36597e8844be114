"""Which values of a resource changed, field by field: what a reviewer needs to read a bump
(``config.dl4miceverywhere.version`` ``2.0.0`` -> ``2.1.0``), not only the field names.

Mappings are walked down to their leaves (paths joined with dots); any other value (a
scalar, a list) is compared whole. Pure data: the reports decide how to show a value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()
"""The side of a change where the field is absent (added or removed fields)."""


@dataclass(frozen=True)
class FieldChange:
    path: str
    """Dotted path of the field, e.g. ``config.dl4miceverywhere.version``."""
    old: Any
    new: Any

    @property
    def key(self) -> tuple[str, str, str]:
        """Equal for identical changes of different resources (grouping)."""
        return self.path, _canon(self.old), _canon(self.new)


def _canon(value: Any) -> str:
    return "\0missing" if value is MISSING else repr(value)


def field_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], prefix: str = ""
) -> list[FieldChange]:
    """The changed leaves between two resources, in the order of their keys (old first)."""
    out: list[FieldChange] = []
    keys = list(old) + [k for k in new if k not in old]
    for key in keys:
        a, b = old.get(key, MISSING), new.get(key, MISSING)
        if a == b and a is not MISSING:
            continue
        path = f"{prefix}{key}"
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            out += field_changes(a, b, path + ".")
        else:
            out.append(FieldChange(path, a, b))
    return out


@dataclass
class Grouped:
    """Identical changes shared by several resources, then each resource's own."""

    shared: list[tuple[FieldChange, list[str]]]
    """(change, the resource ids it applies to), most resources first."""
    own: list[tuple[str, list[FieldChange]]]
    """(resource id, its changes shared with no other resource)."""


def group(changed: Sequence[tuple[str, Sequence[FieldChange]]]) -> Grouped:
    """A change made identically to two resources or more is listed once, with its resources."""
    by_key: dict[tuple[str, str, str], tuple[FieldChange, list[str]]] = {}
    for rid, fields in changed:
        for f in fields:
            by_key.setdefault(f.key, (f, []))[1].append(rid)
    shared = [(f, rids) for f, rids in by_key.values() if len(rids) > 1]
    shared.sort(key=lambda item: -len(item[1]))
    keys = {f.key for f, _ in shared}
    own = [
        (rid, [f for f in fields if f.key not in keys])
        for rid, fields in changed
        if any(f.key not in keys for f in fields)
    ]
    return Grouped(shared, own)
