"""Reading a generated part back: its text, its resources, each entry's lines by id, the
fields that changed, the partners' details. ``bmz diff`` and sync's summary compare two
generated parts with these, reading text where they can and parsing only what changed."""

from __future__ import annotations

import re
from typing import Any

from bmz_collection.core.central.entries import changed_fields, field_rank
from bmz_collection.core.central.model import DETAILS_KEY, FILE_NAME, split
from bmz_collection.core.errors import FatalError
from bmz_collection.core.loading import LoadError, parse

_COLLECTION_LINE = re.compile(r"^collection:[ \t]*(\[\])?[ \t]*\r?$", re.MULTILINE)


def _cut(generated: str) -> tuple[str, str]:
    """(the details part, the entries' lines after ``collection:``)."""
    m = _COLLECTION_LINE.search(generated)
    if m is None:
        return generated, ""
    rest = generated[m.end() + 1 :]
    return generated[: m.start()], "" if m.group(1) else rest


def generated_text(raw: bytes | None) -> str:
    """The generated part of a ``collection.yaml`` as text; "" when there is none, or when a
    doubled marker means nothing below it can be trusted."""
    if raw is None:
        return ""
    try:
        part = split(raw)[1]
    except FatalError:
        return ""
    return part.decode("utf-8", "replace") if part else ""


def generated_resources(generated: str, file: str = FILE_NAME) -> list[dict[str, Any]]:
    """The published resources of a generated part, as data (FatalError if it does not load)."""
    if not generated.strip():
        return []
    try:
        data = parse(generated, file)
    except LoadError as exc:
        raise FatalError(exc.finding.one_line()) from None
    items = data.get("collection") if isinstance(data, dict) else None
    return [e for e in items or [] if isinstance(e, dict)]


def generated_entries(generated: str) -> dict[str, str]:
    """Each entry's lines in a generated part, by id: the inverse of joining ``render_entry``
    texts. Read from text, not YAML: entries start at the list's own indentation, and only
    the changed ones need parsing (``entry_fields``)."""
    _, body = _cut(generated)
    first = body.split("\n", 1)[0]
    stripped = first.lstrip(" ")
    if not stripped.startswith("- "):
        return {}
    item = re.escape(first[: len(first) - len(stripped)] + "- ")
    starts = [m.start() for m in re.finditer(rf"^{item}", body, re.MULTILINE)]
    out: dict[str, str] = {}
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(body)
        text = body[start:end]
        out.setdefault(_entry_id(text), text)
    return out


def _entry_id(text: str) -> str:
    head = text.split("\n", 1)[0].lstrip(" ")[2:]
    if head.startswith("id: "):
        value = head[4:].strip()
        if value and value[0] not in "'\"&*!|>{[%@`":
            return value
    data = entry_fields(text)
    return str(data.get("id", head))


def entry_fields(text: str) -> dict[str, Any]:
    """One entry's data from its lines in a generated part ({} when they do not parse)."""
    try:
        data = parse("collection:\n" + text, FILE_NAME)
    except LoadError:
        return {}
    items = data.get("collection") if isinstance(data, dict) else None
    if isinstance(items, list) and items and isinstance(items[0], dict):
        return dict(items[0])
    return {}


def entry_changes(old: str, new: str) -> list[str]:
    """Names of the fields whose lines differ between two texts of one entry, in the
    generated field order. Fields are cut at the entry's key indentation (nested values and
    block scalars are indented deeper), so nothing is parsed unless a key is quoted."""
    a, b = _field_texts(old), _field_texts(new)
    if a is None or b is None:
        return changed_fields(entry_fields(old), entry_fields(new))
    keys = {k for k in set(a) | set(b) if a.get(k) != b.get(k)}
    return sorted(keys, key=field_rank)


def _field_texts(text: str) -> dict[str, str] | None:
    lines = text.splitlines(keepends=True)
    if not lines:
        return {}
    first = lines[0]
    col = len(first) - len(first.lstrip(" ")) + 2
    fields: dict[str, list[str]] = {}
    current: list[str] = []
    for i, line in enumerate(lines):
        body = line[col:] if i else first[col:]
        starts = i == 0 or (
            line[:col].strip() == ""
            and body[:1] not in ("", " ", "\n", "\r", "#")
            and not body.startswith(("- ", "-\n"))
        )
        if starts:
            if body[:1] in "'\"?":
                return None
            key = body.split(":", 1)[0]
            current = fields.setdefault(key, [])
        current.append(body)
    return {k: "".join(v) for k, v in fields.items()}


def generated_details(generated: str) -> dict[str, dict[str, Any]]:
    """The per-partner details of a generated part, by partner id ({} when unreadable)."""
    head, _ = _cut(generated)
    try:
        data = parse(head, FILE_NAME) if head.strip() else None
    except LoadError:
        return {}
    items = data.get(DETAILS_KEY) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return {}
    return {str(d["id"]): dict(d) for d in items if isinstance(d, dict) and "id" in d}
