"""What a sync produces, as data: each partner's outcome and the whole run's.

The text report, the Markdown summary, ``bmz partner`` and later reviews all read these
objects; nothing here knows how they are shown.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bmz_collection.core import limits
from bmz_collection.core.central import Partner
from bmz_collection.core.findings import Finding
from bmz_collection.core.resolve import Entry
from bmz_collection.engine.sync.evaluate import evaluate

Progress = Callable[[str, int, int], None]
"""``progress(label, done, total)``: called once with ``done == 0`` when a phase starts, then
after each step (from the thread that runs the sync). How it is shown is the caller's
business (``report.progress`` draws a bar on a terminal)."""
LOADING = "loading partners"
"""The progress label of partners loaded from their commits (sync, build)."""


class Status(str, enum.Enum):
    CURRENT = "current"
    """Pinned at the branch head (or not fetched)."""
    UPDATED = "updated"
    """Pin advanced to a new, valid head."""
    HELD_BACK = "held back"
    """Kept at its pin: the new head (or the fetch) failed; the reasons say why."""
    ADDED = "added"
    """Registered without a submodule; added in this run (its collection validated)."""
    PENDING = "pending"
    """Registered without a submodule, and not added in this run (no fetch, or the add
    failed: the reasons say why); no entries."""


@dataclass
class PartnerResult:
    partner: Partner
    old_pin: str | None
    pin: str | None
    """The pin after the run (the old one when held back)."""
    head: str | None = None
    """The fetched branch head; None when not fetched or the fetch failed."""
    status: Status = Status.CURRENT
    forced: bool = False
    """The branch was rewritten: the old pin is not an ancestor of the new head."""
    reasons: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    """At the rejected head when held back, else at the pin (warnings, or resolution errors)."""
    entries: list[Entry] = field(default_factory=list)
    """At the pin after the run, when it was evaluated in this run (not taken from the
    cache); ``ids`` is always there."""
    ids: list[str] = field(default_factory=list)
    """The resource ids the merged collection shows for this partner."""
    texts: dict[str, str] | None = None
    """Those resources' lines in the generated part, by id (from the cache, or rendered)."""
    config: dict[str, Any] | None = None
    maintainers: list[list[str | None]] = field(default_factory=list)
    """``[name, github_user]`` of the collection's maintainers at the pin (review routing)."""
    resource_tags: dict[str, list[str]] | None = None
    """The resources' folded tags by id at the pin (partner page counts)."""
    git_dir: Path | None = None
    """The partner's git directory (objects of old and new pins)."""
    subjects: list[str] = field(default_factory=list)
    """``<short> <subject>`` of the partner commits between the old and the new pin."""
    commits: int | None = None
    """How many commits the fetched head is ahead of the old pin (updated or held back;
    None: not known, e.g. force-pushed)."""
    new_warnings: list[Finding] = field(default_factory=list)
    """Updated: the warnings at the new pin that the old pin did not have."""
    first_broken: tuple[str, str, str] | None = None
    """Held back: (short hash, subject, date) of the first commit with errors after the pin."""
    clean_pin: bool = True
    """The pin after the run resolves without errors (always, unless set by hand)."""
    tried: bool = False
    """Pending: its add was tried in this run and failed (the reasons say why)."""
    registry_changes: list[tuple[str, str, str]] = field(default_factory=list)
    """(field, old, new): the submodule's ``url`` or ``branch`` set to what the registry says
    (with ``--check``: the differences found)."""

    @property
    def id(self) -> str:
        return self.partner.id

    @property
    def path(self) -> str:
        return self.partner.path

    @property
    def changed(self) -> bool:
        return self.pin != self.old_pin

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    def entries_at(self, commit: str) -> list[Entry]:
        """Resolved entries at any commit of this partner (e.g. the old pin, for reviews)."""
        if self.git_dir is None:
            return []
        return evaluate(self.git_dir, commit, self.partner, validate=False).entries


@dataclass
class Removed:
    """A partner submodule that the registry no longer lists."""

    path: str
    pin: str | None

    @property
    def id(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass
class SyncResult:
    partners: list[PartnerResult]
    before: bytes
    after: bytes
    check: bool = False
    wrote: bool = False
    staged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Warnings about the central repository itself (unregistered submodules, ...)."""
    codeowners_before: bytes | None = None
    codeowners_after: bytes | None = None
    """``.github/CODEOWNERS`` as it was and as the pins give it (None: no file)."""
    wrote_codeowners: bool = False
    review_notes: list[str] = field(default_factory=list)
    """Maintainers who cannot be asked to review, partners without any: for the partners
    updated in this run, or all of them when the CODEOWNERS section changed."""
    removed: list[Removed] = field(default_factory=list)
    """Submodules no longer registered: removed by this run (with ``--check``: found)."""
    gitmodules: str = ""
    """``.gitmodules`` as the run found it (to point at a section)."""

    @property
    def held_back(self) -> list[PartnerResult]:
        return [p for p in self.partners if p.status is Status.HELD_BACK]

    @property
    def pending(self) -> list[PartnerResult]:
        return [p for p in self.partners if p.status is Status.PENDING]

    @property
    def added(self) -> list[PartnerResult]:
        return [p for p in self.partners if p.status is Status.ADDED]

    @property
    def conflicts(self) -> bool:
        """``--check``: the submodules and the registry disagree (a submodule not registered,
        a URL or branch that differs). Pending partners are not a conflict."""
        return self.check and bool(self.removed or any(p.registry_changes for p in self.partners))

    @property
    def updated(self) -> list[PartnerResult]:
        return [p for p in self.partners if p.status is Status.UPDATED]

    @property
    def up_to_date(self) -> bool:
        """``collection.yaml`` is what the pins give."""
        return self.before == self.after

    @property
    def codeowners_current(self) -> bool:
        """The generated section of ``.github/CODEOWNERS`` is what the pins give."""
        return self.codeowners_before == self.codeowners_after

    @property
    def resources(self) -> int:
        return sum(len(p.ids) for p in self.partners)

    @property
    def exit_code(self) -> int:
        if self.check:
            current = self.up_to_date and self.codeowners_current and not self.conflicts
            return 0 if current and not self.held_back else 1
        return 1 if self.held_back or any(p.tried for p in self.pending) else 0


@dataclass
class Options:
    partners: Sequence[str] = ()
    """Only fetch and advance these (the others keep their pins and entries)."""
    fetch: bool = True
    check: bool = False
    jobs: int = field(default_factory=lambda: limits.SYNC_JOBS)
    allow_local: bool = False
    timeout: float = field(default_factory=lambda: limits.FETCH_TIMEOUT)
    progress: Progress | None = None
    """Told how the fetches advance, or None."""
