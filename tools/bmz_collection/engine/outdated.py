"""Which resources are behind the newest format of their type (``bmz outdated``), and whether
``bmz format --upgrade`` can bring them there.

Partners owe the catalogue resources kept up to date with the spec; this is the list they (and
the central maintainers) work from. The newest versions come from the schemas themselves
(``x-bmz-newest``: generic 0.3.4 and model 0.5.14, as bioimageio.spec 0.5.14.3 implements
them; the tests check them against the library). Collections stay at 0.2.x: the library has no
collection type any more.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bmz_collection.core import jsonschemas
from bmz_collection.core.checks.versions import parse as parse_version
from bmz_collection.engine.upgrade import verdict


@dataclass(frozen=True)
class Behind:
    partner: str
    id: str
    type: str
    version: str
    newest: str
    upgrade: str
    """What ``bmz format --upgrade`` can do about it, e.g. "bmz format --upgrade does it" or
    "needs a person: documentation, license"."""


def newest_for(rtype: object) -> str:
    if rtype == "collection":
        return jsonschemas.newest(jsonschemas.COLLECTION)
    if rtype == "model":
        return jsonschemas.newest(jsonschemas.MODEL_05)
    return jsonschemas.newest(jsonschemas.GENERIC_03)


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
            how = "not automated" if rtype == "collection" else str(verdict(entry))
            out.append(
                Behind(
                    rid.split("/", 1)[0] if "/" in rid else "",
                    rid,
                    str(rtype),
                    str(entry.get("format_version", "(none)")),
                    newest,
                    how,
                )
            )
    return sorted(out, key=lambda b: b.id)


def by_partner(rows: Iterable[Behind]) -> dict[str, list[Behind]]:
    grouped: dict[str, list[Behind]] = {}
    for row in rows:
        grouped.setdefault(row.partner, []).append(row)
    return dict(sorted(grouped.items()))
