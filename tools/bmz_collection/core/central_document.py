"""The central ``collection.yaml`` as one Document, loaded slice by slice in bounded memory.

Loading a 50k-resource central file at once builds a node graph of millions of nodes (over
1 GB) next to its data. Below the marker, sync writes one block per entry at one indentation
under ``collection:``; cut at those blocks, slices of entries load one after the other, and
only the data stays. The cut is taken only where it cannot change the result: every slice
must load alone as ordinary YAML (no alias into another slice, nothing ``construct.build``
leaves to ruamel) into exactly its own entries, and every line below ``collection:`` must
start an entry or be indented deeper. Otherwise ``load`` returns None and the caller loads
the whole text, which reports any problem exactly as before.

Positions come from the text: the head and partner details from their own node graph (kept,
small), an entry's from its lines composed again, shifted to where they stand in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bmz_collection.core.central import MARKER
from bmz_collection.core.findings import Finding
from bmz_collection.core.limits import MAX_NODES
from bmz_collection.core.loading import (
    Document,
    compose,
    decode,
    load_ordinary,
    position,
)

SLICE_CHARS = 256 * 1024
"""Entries loaded together: large enough that a loader's set-up cost vanishes, small enough
that a slice's node graph is a few megabytes."""
_MARKER = re.compile("^" + re.escape(MARKER) + r"[ \t]*\r?$", re.MULTILINE)
_COLLECTION = re.compile(r"^collection:[ \t]*\r?\n", re.MULTILINE)
_FIRST_ITEM = re.compile(r"( *)- ")
_PREFIX = "collection:\n"


@dataclass
class SlicedDocument(Document):
    """A Document whose entries (``collection[i]``) are positioned from their own lines."""

    starts: list[int] = field(default_factory=list, repr=False)
    """Offset in ``text`` of each entry's first line; the last entry ends at the text's end."""
    lines: list[int] = field(default_factory=list, repr=False)
    """1-based line number of each entry's first line."""
    indent: int = 0
    _entry: tuple[int, Any] | None = field(default=None, repr=False, compare=False)

    def locate(self, finding: Finding, *, key: bool = False) -> Finding:
        path = finding.path
        if finding.line is not None or finding.file != self.file or not path:
            return super().locate(finding, key=key)
        if path[0] != "collection" or (len(path) == 1 and key):
            return super().locate(finding, key=key)
        i = path[1] if len(path) > 1 else None
        if not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < len(self.starts):
            # the list itself (or a missing item): where its first item's dash stands
            return finding.at(self.lines[0], self.indent + 1)
        line, col = position(self._entry_root(i), ("collection", 0, *path[2:]), key=key)
        return finding.at(self.lines[i] + line - 2, col)

    def _entry_root(self, i: int) -> Any:
        if self._entry is None or self._entry[0] != i:
            end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)
            self._entry = (i, compose(_PREFIX + self.text[self.starts[i] : end]))
        return self._entry[1]


def load(raw: bytes, file: str) -> SlicedDocument | None:
    """The Document of a central ``collection.yaml`` loaded in slices, or None when the file
    is not one whose entries can be cut exactly (the caller then loads it whole). Raises
    LoadError as ``load_mapping`` does for bytes that are not UTF-8 text."""
    if MARKER.encode() not in raw:
        return None
    text = decode(raw, file)
    marker = _MARKER.search(text)
    found = _COLLECTION.search(text, marker.end()) if marker else None
    if found is None:
        return None
    body = found.end()
    first = _FIRST_ITEM.match(text, body)
    if first is None:
        return None
    ind = first.group(1)
    # Every line below `collection:` starts an entry or is indented deeper (or is empty).
    # (Searched from the newline that ends each line: a literal start is much faster.)
    if re.compile(rf"\n(?!{ind}- |{ind} |\r?\n|\r?\Z)").search(text, body - 1):
        return None
    starts = [m.start() + 1 for m in re.compile(rf"\n{ind}- ").finditer(text, body - 1)]
    head = load_ordinary(text[:body], file, MAX_NODES)
    if head is None:
        return None
    data, root, used = head
    if not isinstance(data, dict) or list(data)[-1:] != ["collection"] or data["collection"]:
        return None  # `collection:` must be the last top-level key, with only entries below
    entries: list[Any] = []
    i = 0
    while i < len(starts):
        j = i + 1
        while j < len(starts) and starts[j] - starts[i] < SLICE_CHARS:
            j += 1
        end = starts[j] if j < len(starts) else len(text)
        part = load_ordinary(_PREFIX + text[starts[i] : end], file, MAX_NODES - used)
        if part is None:
            return None
        items = part[0].get("collection") if isinstance(part[0], dict) else None
        if not isinstance(items, list) or len(part[0]) != 1 or len(items) != j - i:
            return None
        entries.extend(items)
        used += part[2] - 2  # the slice's own mapping and list are the document's, counted once
        i = j
    data["collection"] = entries
    lines = []
    line, at = 1, 0
    for start in starts:
        line += text.count("\n", at, start)
        lines.append(line)
        at = start
    return SlicedDocument(file, text, data, root, True, starts, lines, len(ind))


__all__ = ["SLICE_CHARS", "SlicedDocument", "load"]
