"""Safe, lossless format upgrades within 0.2.x (``bmz format --upgrade``).

The only structural change between collection formats 0.2.0/0.2.1 and 0.2.2 is that entries
moved from typed lists (``application:``, ``model:``, ...) into one ``collection:`` list with a
``type`` each. We apply exactly that, through ruamel's round-trip mode so comments travel with
their entries, then lay the result out in the canonical style. Each upgrade is checked before it
is returned: every entry resolves to the same data as before (format_version aside), the rest of
the document is unchanged and no comment is lost. Later 0.2 formats tightened rules (0.2.3:
no ``/`` in names) without moving data, so they are not "upgrades" we can apply blindly.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from bmz_collection.core.findings import Finding, Severity
from bmz_collection.core.formatting import DEFAULT_STYLE, Style, comments, format_text
from bmz_collection.core.loading import parse
from bmz_collection.core.resolve import TYPED_LISTS, entry_lists

TARGET = "0.2.2"
UPGRADABLE = ("0.2.0", "0.2.1")


class UpgradeError(Exception):
    """An upgrade would not be lossless; nothing is written."""

    def __init__(self, file: str, message: str) -> None:
        self.finding = Finding(file, Severity.ERROR, "upgrade-lossy", message)
        super().__init__(self.finding.one_line())


def upgrade_text(text: str, style: Style = DEFAULT_STYLE, *, file: str = "<text>") -> str:
    """``text`` upgraded to collection format 0.2.2 when it is a 0.2.0/0.2.1 collection, else
    unchanged. Raises LoadError for unreadable text, UpgradeError if a check fails."""
    before = parse(text, file)
    if not _upgradable(before):
        return text
    new = format_text(_move_typed_lists(text), style, file=file)
    after = parse(new, file)
    if _meaning(after) != _meaning(before) or after.get("format_version") != TARGET:
        raise UpgradeError(file, "the upgraded file would resolve to different entries")
    if Counter(c for _, c in comments(new)) != Counter(c for _, c in comments(text)):
        raise UpgradeError(file, "the upgrade would lose a comment")
    return new


def _upgradable(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and data.get("type", "collection") == "collection"
        and str(data.get("format_version")) in UPGRADABLE
        and any(isinstance(data.get(kind), list) for kind in TYPED_LISTS)
    )


def _move_typed_lists(text: str) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 16
    yaml.indent(mapping=2, sequence=4, offset=2)
    doc = yaml.load(text)
    merged = doc.get("collection")
    if not isinstance(merged, CommentedSeq):
        merged = CommentedSeq(merged or [])
    first_key = next((k for k in doc if k in TYPED_LISTS or k == "collection"), None)
    for kind in TYPED_LISTS:
        items = doc.get(kind)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if isinstance(item, CommentedMap) and "type" not in item:
                item.insert(1 if "id" in item else 0, "type", kind)
            merged.append(item)
            if isinstance(items, CommentedSeq) and i in items.ca.items:
                merged.ca.items[len(merged) - 1] = items.ca.items[i]
        if isinstance(items, CommentedSeq) and items.ca.comment and not merged.ca.comment:
            merged.ca.comment = items.ca.comment
    position = list(doc).index(first_key) if first_key in doc else len(doc)
    for kind in TYPED_LISTS:
        doc.pop(kind, None)
    doc.pop("collection", None)
    doc.insert(min(position, len(doc)), "collection", merged)
    doc["format_version"] = TARGET
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _meaning(data: dict[str, Any]) -> tuple[Any, ...]:
    """What an upgrade must keep: the entries (with their type) and every other root field."""
    root = {
        k: v for k, v in data.items() if k not in (*TYPED_LISTS, "collection", "format_version")
    }
    entries = []
    for _, item, implied in entry_lists(data):
        entry = dict(item) if isinstance(item, dict) else {"?": item}
        if implied is not None:
            entry.setdefault("type", implied)
        entries.append(sorted(entry.items(), key=lambda kv: kv[0]))
    return root, sorted(map(repr, entries))
