"""The partner pages: each partner's display details in the generated part (``partners:``),
how many resources its page shows (its own, and others' carrying its predefined tags), and the
check of those details against the central schema."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bmz_collection.core.central.entries import Dumper, render_entries
from bmz_collection.core.central.model import CATALOGUE_URL, DETAILS_KEY, Partner
from bmz_collection.core.findings import DocPath, Finding

DISPLAY_FIELDS = (
    "name",
    "logo",
    "icon",
    "splash_title",
    "splash_subtitle",
    "splash_feature_list",
    "explore_button_text",
    "background_image",
    "tags",
    "resource_types",
    "default_type",
)
"""The partner's ``config`` fields the website shows, in the order they are written."""


@dataclass
class PartnerBlock:
    """What the generated part shows for one partner, from its pinned commit alone: its
    display config and its entries (data to render, or their text already rendered)."""

    partner: Partner
    config: Mapping[str, Any] | None
    entries: Sequence[Mapping[str, Any]] = ()
    text: str | None = None
    """The entries' lines as ``entries_text`` renders them (e.g. from sync's cache)."""
    count: int | None = None
    """The number of entries when only ``text`` is given."""
    resource_tags: Mapping[str, Sequence[str]] | None = None
    """Each entry's tags by id, folded (see ``resource_tags``); from ``entries`` when None."""

    @property
    def size(self) -> int:
        return self.count if self.count is not None else len(self.entries)

    def tags_by_id(self) -> Mapping[str, Sequence[str]]:
        if self.resource_tags is None:
            self.resource_tags = resource_tags(self.entries)
        return self.resource_tags

    def entries_text(self, dump: Dumper) -> str:
        """The partner's entries sorted by id, one block each. All ids start with
        ``<partner>/``, so sorting partners by ``<id>/`` and then their entries gives exactly
        the global order by id: a partner's lines never depend on another partner."""
        if self.text is None:
            self.text = "".join(render_entries(self.entries, dump).values())
        return self.text


def display_config(config: Mapping[str, Any] | None) -> dict[str, Any]:
    """The part of a partner's ``config`` the generated details show."""
    if not isinstance(config, Mapping):
        return {}
    return {k: config[k] for k in DISPLAY_FIELDS if k in config}


def partner_details(block: PartnerBlock, page: int | None = None) -> dict[str, Any]:
    """One partner page's details; ``page`` is how many resources the page shows (given for
    partners with predefined tags, see ``page_counts``)."""
    config = block.config if isinstance(block.config, Mapping) else {}
    out: dict[str, Any] = {"id": block.partner.id}
    for key in DISPLAY_FIELDS:
        value = config.get(key)
        if value is not None and value != [] and value != "":
            out[key] = value
    out.setdefault("name", block.partner.id)
    out["url"] = CATALOGUE_URL.format(id=block.partner.id)
    out["resources"] = block.size
    if page is not None:
        out["page_resources"] = page
    return out


def fold_tags(tags: object) -> list[str]:
    """Tags compared as the partner pages compare them: case-insensitively; sorted, unique.
    Anything but a list of strings has no tags."""
    if not isinstance(tags, list):
        return []
    return sorted({t.casefold() for t in tags if isinstance(t, str) and t.strip()})


def resource_tags(entries: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Each entry's folded tags, by id."""
    return {str(e.get("id")): fold_tags(e.get("tags")) for e in entries}


def predefined_tags(config: Mapping[str, Any] | None) -> list[str]:
    """A partner's ``config.tags``: its page also shows other partners' resources carrying one."""
    return fold_tags(config.get("tags")) if isinstance(config, Mapping) else []


def page_counts(blocks: Sequence[PartnerBlock]) -> dict[str, int]:
    """How many resources each partner page with predefined tags shows: the partner's own and
    every other partner's resource carrying one of those tags (compared case-insensitively)."""
    wanted = {b.partner.id: predefined_tags(b.config) for b in blocks}
    if not any(wanted.values()):
        return {}
    interesting = {t for tags in wanted.values() for t in tags}
    by_tag: dict[str, set[str]] = {}
    for b in blocks:
        for rid, tags in b.tags_by_id().items():
            for t in tags:
                if t in interesting:
                    by_tag.setdefault(t, set()).add(rid)
    out: dict[str, int] = {}
    for b in blocks:
        tags = wanted[b.partner.id]
        if not tags:
            continue
        prefix = b.partner.id + "/"
        shown: set[str] = set()
        for t in tags:
            shown |= by_tag.get(t, set())
        out[b.partner.id] = b.size + sum(1 for rid in shown if not rid.startswith(prefix))
    return out


def tagged_from_others(
    pid: str, config: Mapping[str, Any] | None, tags_by_id: Mapping[str, Sequence[str]]
) -> list[str]:
    """The other partners' resources a partner page shows through its predefined tags."""
    wanted = set(predefined_tags(config))
    prefix = pid + "/"
    return sorted(
        rid
        for rid, tags in tags_by_id.items()
        if not rid.startswith(prefix) and wanted.intersection(tags)
    )


_DETAILS_PROBE: dict[str, Any] = {
    "format_version": "0.2.3",
    "type": "collection",
    "name": "probe",
    "description": "probe",
    "config": {"partners": []},
    "collection": [],
}


def check_details(details: Mapping[str, Any], file: str) -> list[Finding]:
    """The partner page details against the central collection's schema (``partners`` items),
    as findings in the partner's own file: a display field's problem at ``config.<field>``,
    a missing one at ``config``."""
    from bmz_collection.core import jsonschemas

    probe = {**_DETAILS_PROBE, DETAILS_KEY: [dict(details)]}
    out = []
    for f in jsonschemas.validate(probe, jsonschemas.CENTRAL, file):
        if f.path[:2] != (DETAILS_KEY, 0):
            continue  # the probe itself is valid; nothing else can be reported
        rest = f.path[2:]
        path: DocPath = ("config", *rest) if rest and rest[0] in DISPLAY_FIELDS else ("config",)
        out.append(Finding(f.file, f.severity, f.rule, f.message, path))
    return out
