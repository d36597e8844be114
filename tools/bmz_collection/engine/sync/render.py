"""From partner outcomes to bytes: the merged collection's generated part (through the render
cache) and the CODEOWNERS section that routes each partner's pin bumps to its maintainers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bmz_collection.core import central, codeowners
from bmz_collection.core.central import Partner, PartnerBlock
from bmz_collection.core.resolve import Entry
from bmz_collection.engine.sync.cache import RenderCache
from bmz_collection.engine.sync.model import PartnerResult
from bmz_collection.io import codeowners_file
from bmz_collection.io.git.repo import Repo


def renderer(repo: Repo, *, writable: bool) -> tuple[central.Dumper, RenderCache]:
    """The repository's canonical dumper and the render cache for that style."""
    from bmz_collection.io.config import load_style

    style = load_style(repo.root)
    return central.dumper(style), RenderCache(repo, style, writable=writable)


def published(entry: Entry, partner: Partner) -> dict[str, Any]:
    """The entry as the central collection shows it: relative file references point into
    the partner's submodule."""
    base_dirs = {key: origin.base_dir for key, origin in entry.origins.items()}
    return central.rebase_references(entry.data, base_dirs, partner.path)


def blocks(
    results: list[PartnerResult], dump: central.Dumper, cache: RenderCache | None
) -> list[PartnerBlock]:
    """One block per pinned partner, its lines rendered now (and cached) unless the cache
    gave them."""
    out = []
    for r in results:
        if r.pin is None:
            continue
        texts = render_texts(r, dump, cache)
        text = "".join(texts.values())
        out.append(
            PartnerBlock(
                r.partner, r.config, text=text, count=len(texts), resource_tags=r.resource_tags
            )
        )
    return out


def render_texts(
    r: PartnerResult, dump: central.Dumper, cache: RenderCache | None
) -> dict[str, str]:
    """The partner's lines at its pin, rendered now (and cached) unless the cache gave them."""
    if r.texts is None and r.pin is not None:
        r.texts = central.render_entries((published(e, r.partner) for e in r.entries), dump)
        if cache is not None and r.clean_pin:
            cache.put(r.partner, r.pin, r)
    return r.texts or {}


def review_routing(
    repo: Repo, results: Sequence[PartnerResult]
) -> tuple[bytes | None, bytes | None, list[tuple[str, str]]]:
    """``.github/CODEOWNERS`` as it is and as the pins give it, and the notes on partners
    whose maintainers cannot all be asked to review, as (partner id, note)."""
    before = codeowners_file.read(repo.root)
    owners = [codeowners.owners(r.id, r.maintainers) for r in results if r.pin is not None]
    after = codeowners.update(before, owners)
    notes = [(o.partner, n) for o in owners for n in o.notes()]
    if before is None and after is not None:
        for other in codeowners_file.other_locations(repo.root):
            notes.append(
                (
                    "",
                    f"warning: {other} exists, but GitHub ignores it once {codeowners.PATH} "
                    f"exists: move its rules into {codeowners.PATH}",
                )
            )
    return before, after, notes
