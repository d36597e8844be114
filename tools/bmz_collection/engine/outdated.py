"""Which resources are behind the newest format the tool knows (``bmz outdated``).

Partners owe the catalogue resources kept up to date with the spec; this is the list they (and
the central maintainers) work from. The newest versions come from the schemas themselves
(``x-bmz-newest``), so a schema update moves the target for everyone at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bmz_collection.core import jsonschemas
from bmz_collection.core.checks.versions import parse as parse_version


@dataclass(frozen=True)
class Behind:
    partner: str
    id: str
    type: str
    version: str
    newest: str


def newest_for(rtype: object) -> str:
    if rtype == "collection":
        return jsonschemas.newest(jsonschemas.COLLECTION)
    if rtype == "model":
        return jsonschemas.newest(jsonschemas.MODEL_05)
    return jsonschemas.newest(jsonschemas.RDF)


def behind(entries: Iterable[Mapping[str, Any]]) -> list[Behind]:
    """Entries (resolved, with ``<partner>/<id>`` ids) whose format_version is older than the
    newest of their type; an unreadable version counts as behind. Sorted by id."""
    out = []
    for entry in entries:
        rid = str(entry.get("id", "?"))
        rtype = entry.get("type")
        newest = newest_for(rtype)
        have = parse_version(entry.get("format_version"))
        target = parse_version(newest)
        if have is None or (target is not None and have < target):
            out.append(
                Behind(
                    rid.split("/", 1)[0] if "/" in rid else "",
                    rid,
                    str(rtype),
                    str(entry.get("format_version", "(none)")),
                    newest,
                )
            )
    return sorted(out, key=lambda b: b.id)


def by_partner(rows: Iterable[Behind]) -> dict[str, list[Behind]]:
    grouped: dict[str, list[Behind]] = {}
    for row in rows:
        grouped.setdefault(row.partner, []).append(row)
    return dict(sorted(grouped.items()))
