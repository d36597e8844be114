"""``bmz sync``: advance partner pins to valid commits only, regenerate ``collection.yaml``.

The pins are the gitlinks in the index; the merged collection is a pure function of them (see
``core.central``). A partner's new commit is read from git objects, resolved and validated with
the same code as ``bmz validate``; only a commit without errors becomes the new pin, so a
partner's broken push never removes a published resource. Every result is data
(``SyncResult``) so the text report, the Markdown summary and later reviews are rendered from
the same facts.

The parts, in the order a run uses them: ``plan`` (the work), ``evaluate`` (a commit judged),
``decide`` (a partner's outcome), ``outcomes`` (fetch pool, every partner decided, on every
core when many load), ``cache`` (rendered lines per pin), ``render`` (the bytes), ``run``
(writing, staging); ``model`` holds the results.
"""

from __future__ import annotations

from bmz_collection.engine.sync.cache import RenderCache
from bmz_collection.engine.sync.evaluate import MissingCommit, evaluate
from bmz_collection.engine.sync.model import (
    Options,
    PartnerResult,
    Progress,
    Status,
    SyncResult,
)
from bmz_collection.engine.sync.plan import load_central
from bmz_collection.engine.sync.render import published, review_routing
from bmz_collection.engine.sync.run import regenerate, sync

__all__ = [
    "MissingCommit",
    "Options",
    "PartnerResult",
    "Progress",
    "RenderCache",
    "Status",
    "SyncResult",
    "evaluate",
    "load_central",
    "published",
    "regenerate",
    "review_routing",
    "sync",
]
