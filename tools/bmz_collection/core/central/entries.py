"""One generated entry: its fields in a fixed order, its file references rebased into the
partner's submodule, and its lines in ``bmz format``'s canonical style. An entry's text depends
on that entry alone, so a change to one resource changes only that resource's lines."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from bmz_collection.core.findings import DocPath

ENTRY_FIELD_ORDER = (
    "id",
    "type",
    "format_version",
    "name",
    "nickname",
    "nickname_icon",
    "description",
    "version",
    "authors",
    "maintainers",
    "cite",
    "license",
    "tags",
    "links",
    "icon",
    "covers",
    "documentation",
    "source",
    "download_url",
    "git_repo",
    "badges",
    "attachments",
)
"""Leading fields of every generated entry; any other field follows in alphabetical order."""
_RANK = {k: i for i, k in enumerate(ENTRY_FIELD_ORDER)}


def field_rank(key: str) -> tuple[int, str]:
    """Sort key of a top-level field: the fixed order first, then alphabetical."""
    return (_RANK.get(key, len(_RANK)), key)


Dumper = Callable[[Any], str]


def ordered_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry's fields in the fixed order (nested values keep the partner's order)."""
    keys = sorted(entry, key=field_rank)
    return {k: entry[k] for k in keys}


def rebase_references(
    data: Mapping[str, Any], base_dirs: Mapping[str, str], prefix: str
) -> dict[str, Any]:
    """An entry whose relative file references (documentation, covers, attachments) name the
    same files from the central repository: ``<prefix>/<folder of the field's file>/<path>``,
    i.e. inside the partner's submodule. ``base_dirs`` maps a top-level field to the folder
    its value is relative to in the partner repository (where its file was)."""
    from bmz_collection.core.checks.paths import is_remote, references
    from bmz_collection.core.tree import join_inside

    out = dict(data)
    for key, path, value in list(references(data)):
        if not value or is_remote(key, value) or value.lower().startswith("file:"):
            continue
        inside = join_inside(base_dirs.get(key, ""), value)
        if inside is None:
            continue  # refused by validation; never at a pin sync adopted
        _set(out, path, f"{prefix}/{inside}")
    return out


def _set(data: dict[str, Any], path: DocPath, value: str) -> None:
    """``value`` at ``path``, copying each container on the way (``data``'s own are shared
    with the entry it was copied from): any shape ``references`` yields, e.g.
    ``covers[0]``, ``attachments.files[2]`` or today's ``documentation.source``."""
    here: Any = data
    for step in path[:-1]:
        child = here[step]
        here[step] = child = dict(child) if isinstance(child, Mapping) else list(child)
        here = child
    here[path[-1]] = value


def dumper(style: Any = None) -> Dumper:
    """``bmz format``'s canonical dumper in the repository's style (``[tool.bmz.format]``),
    so the format hook and the check never fight over the generated part."""
    from bmz_collection.core.formatting import DEFAULT_STYLE, dump_canonical

    chosen = style or DEFAULT_STYLE

    def dump(data: Any) -> str:
        return dump_canonical(data, chosen)

    return dump


def render_entry(entry: Mapping[str, Any], dump: Dumper) -> str:
    """One entry's lines as they stand under ``collection:``: the generated part is these
    texts joined, so an entry's text depends on that entry alone."""
    text = dump({"collection": [ordered_entry(entry)]})
    return text[len("collection:\n") :]


def render_entries(entries: Iterable[Mapping[str, Any]], dump: Dumper) -> dict[str, str]:
    """Each entry's lines by id, in id order (``"".join(...values())`` is the partner's
    part of ``collection:``)."""
    ordered = sorted(entries, key=lambda e: str(e["id"]))
    return {str(e["id"]): render_entry(e, dump) for e in ordered}


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Names of the top-level fields that differ, in the generated field order."""
    keys = {k for k in set(old) | set(new) if old.get(k, _MISSING) != new.get(k, _MISSING)}
    return sorted(keys, key=field_rank)


_MISSING = object()
