"""Near misses: an unknown top-level key one or two edits from a known field (``descriptoin``)
and an unknown ``type`` close to a known one (``applicaton``). Unknown keys and types stay
allowed in every format; a near miss is almost always a typo whose value is silently ignored,
so it earns a warning that names the intended spelling."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from bmz_collection.core import jsonschemas
from bmz_collection.core.checks.context import Context
from bmz_collection.core.findings import Finding, Severity

RESOURCE_SCHEMAS = (
    jsonschemas.RDF,
    jsonschemas.GENERIC_03,
    jsonschemas.MODEL_04,
    jsonschemas.MODEL_05,
)


@functools.cache
def known_fields() -> frozenset[str]:
    """Every top-level field of every resource format we know (``x-bmz-fields`` and the
    properties of each schema): a field of another version is not a typo."""
    names: set[str] = set()
    for name in RESOURCE_SCHEMAS:
        schema = jsonschemas.schema(name)
        names.update(schema.get("x-bmz-fields", ()))
        names.update(schema.get("properties", {}))
    return frozenset(names)


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (insertions, deletions, substitutions and swaps of
    neighbours), or ``limit + 1`` once it is certainly above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate one or two edits away (one for words of up to four characters, where two
    edits would turn almost anything into anything), closest first; None when none is."""
    return _closest(word, _sorted(frozenset(candidates)))


@functools.cache
def _sorted(names: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(names))


@functools.lru_cache(maxsize=1024)
def _closest(word: str, candidates: tuple[str, ...]) -> str | None:
    """Cached: the same unknown key comes back in every entry of a collection (a central file
    of 50k entries inherits its ``partners`` into each), and each answer costs ~40 alignments."""
    limit = 1 if len(word) <= 4 else 2
    best: tuple[int, str] | None = None
    for candidate in candidates:
        if candidate == word:
            return None
        d = distance(word.lower(), candidate, limit)
        if d <= limit and (best is None or d < best[0]):
            best = (d, candidate)
    return best[1] if best else None


def check(rdf: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    for key, hint in _near_misses(rdf, known_fields()):
        yield ctx.warning("did-you-mean", _message(key, hint), (key,))


COLLECTION_FIELDS = frozenset({"collection", "application", "model", "dataset", "notebook"})
"""What a collection's root holds besides the fields its entries inherit."""


def check_collection_root(root: Mapping[str, Any], file: str) -> Iterator[Finding]:
    """The near misses among a collection's own keys: its entries report those they inherit
    (at the same place, so once), but a collection without entries has nobody to."""
    for key, hint in _near_misses(root, known_fields() | COLLECTION_FIELDS):
        yield Finding(file, Severity.WARNING, "did-you-mean", _message(key, hint), (key,))


def _near_misses(data: Mapping[str, Any], known: frozenset[str]) -> Iterator[tuple[str, str]]:
    for key in data:
        if isinstance(key, str) and key not in known:
            hint = _closest(key, _sorted(known))
            if hint is not None:
                yield key, hint


def _message(key: str, hint: str) -> str:
    return f"unknown field `{key}`: did you mean `{hint}`? (its value is ignored as it is)"
