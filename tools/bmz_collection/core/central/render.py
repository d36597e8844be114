"""The generated part and the whole file: the head byte for byte, the marker, the partners'
details, every entry sorted by id. The same pins give the same bytes."""

from __future__ import annotations

from collections.abc import Iterable

from bmz_collection.core.central.details import PartnerBlock, page_counts, partner_details
from bmz_collection.core.central.entries import Dumper, dumper
from bmz_collection.core.central.model import DETAILS_KEY, MARKER


def render_generated(blocks: Iterable[PartnerBlock], dump: Dumper | None = None) -> str:
    """The generated part (after the marker line): the same text as dumping
    ``{partners: [...], collection: [...entries sorted by id]}`` at once."""
    dump = dump or dumper()
    ordered = sorted(blocks, key=lambda b: b.partner.id + "/")
    pages = page_counts(ordered)
    details = dump({DETAILS_KEY: [partner_details(b, pages.get(b.partner.id)) for b in ordered]})
    entries = "".join(b.entries_text(dump) for b in ordered)
    if not entries:
        return details + "collection: []\n"
    return details + "collection:\n" + entries


def render(head: bytes, blocks: Iterable[PartnerBlock], dump: Dumper | None = None) -> bytes:
    """The whole file: the head byte for byte, the marker, the generated part."""
    if head and not head.endswith(b"\n"):
        head += b"\n"
    return head + MARKER.encode() + b"\n" + render_generated(blocks, dump).encode("utf-8")
