"""What changed between two states of the central repository, as data: per partner its pins,
status, commits and the resources added, removed and changed.

Which resources differ is read from the merged file's generated part before and after
(``compare``), so a change says exactly what the catalogue publishes differently, whatever
produced the two states (a sync: ``from_sync``; two commits: ``engine.history``). The reports
(``report.summary``, ``report.sync_text``) only render these objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bmz_collection.core import central, codeowners
from bmz_collection.core.findings import Finding
from bmz_collection.engine.sync.model import SyncResult
from bmz_collection.engine.values import FieldChange, field_changes

UPDATED = "updated"
HELD_BACK = "held back"
CURRENT = "current"
ADDED = "added"
"""Registered in the newer state only (``bmz diff``)."""
REMOVED = "removed"
"""Registered in the older state only (``bmz diff``), or a submodule the registry no longer
lists (removed by a sync)."""
PENDING = "pending"
"""Registered, but not added as a submodule (yet): no entries."""


@dataclass
class ResourceChanges:
    """One partner's resources between two generated parts."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    """(id, names of the changed fields)."""
    values: list[tuple[str, list[FieldChange]]] = field(default_factory=list)
    """(id, its changed values down to nested paths), in the order of ``changed``."""
    details: list[str] = field(default_factory=list)
    """Names of the changed fields of the partner page details."""

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.details)


def _partner_of(rid: str) -> str:
    return rid.split("/", 1)[0]


def compare(
    before: bytes | None, after: bytes | None, *, fields: bool = True
) -> dict[str, ResourceChanges]:
    """Per partner id, what differs between the generated parts of two ``collection.yaml``
    files (a file without a generated part has no entries). Entries and their fields are
    compared by their lines, in one pass over each text; without ``fields`` the changed
    fields are not named (a count is enough for the text report)."""

    old_text, new_text = central.generated_text(before), central.generated_text(after)
    out: dict[str, ResourceChanges] = {}
    if old_text == new_text:
        return out

    def at(pid: str) -> ResourceChanges:
        return out.setdefault(pid, ResourceChanges())

    old, new = central.generated_entries(old_text), central.generated_entries(new_text)
    for rid in sorted(set(new) - set(old)):
        at(_partner_of(rid)).added.append(rid)
    for rid in sorted(set(old) - set(new)):
        at(_partner_of(rid)).removed.append(rid)
    for rid in sorted(set(old) & set(new)):
        if old[rid] != new[rid]:
            ch = at(_partner_of(rid))
            if fields:
                ch.changed.append((rid, central.entry_changes(old[rid], new[rid])))
                a, b = central.entry_fields(old[rid]), central.entry_fields(new[rid])
                ch.values.append((rid, field_changes(a, b)))
            else:
                ch.changed.append((rid, []))
    old_d, new_d = central.generated_details(old_text), central.generated_details(new_text)
    for pid in sorted(set(old_d) | set(new_d)):
        if pid in old_d and pid in new_d and old_d[pid] != new_d[pid]:
            at(pid).details = central.changed_fields(old_d[pid], new_d[pid])
    return out


def resource_counts(changes: Mapping[str, ResourceChanges], pid: str) -> tuple[int, int, int]:
    """(added, changed, removed) resources of one partner."""
    ch = changes.get(pid, ResourceChanges())
    return len(ch.added), len(ch.changed), len(ch.removed)


@dataclass
class PartnerChange:
    """One partner between two states of the central repository."""

    id: str
    status: str
    old: str | None
    new: str | None
    url: str = ""
    """The partner's repository URL (links when it is on GitHub)."""
    branch: str = ""
    forced: bool = False
    old_missing: bool = False
    """The old pin is not in the local partner repository (force-pushed away, or not fetched)."""
    subjects: list[str] = field(default_factory=list)
    """``<short hash> <subject>`` of the commits between the pins, newest first."""
    more_subjects: bool = False
    commits: int | None = None
    """How many commits the new head (held back: the refused head) is ahead of the old pin."""
    new_warnings: list[Finding] = field(default_factory=list)
    """Warnings at the new pin that the old pin did not have."""
    first_broken: tuple[str, str, str] | None = None
    """Held back: (short hash, subject, date) of the first commit with errors after the pin."""
    changes: ResourceChanges = field(default_factory=ResourceChanges)
    reasons: list[str] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    error_commit: str | None = None
    """The partner commit the errors were found at (the refused head)."""
    registry: list[tuple[str, str, str]] = field(default_factory=list)
    """(field, old, new): the submodule's URL or branch, set as the registry says."""
    reviewers: list[str] | None = None
    """Who ``.github/CODEOWNERS`` asks to review this partner's pin (None: not known)."""
    notes: list[str] = field(default_factory=list)

    @property
    def moved(self) -> bool:
        return self.status in (UPDATED, ADDED, REMOVED)

    @property
    def shown(self) -> bool:
        return self.status != CURRENT or not self.changes.empty or bool(self.registry)


@dataclass
class Summary:
    title: str
    partners: list[PartnerChange]
    resources: int
    """In the collection after the change."""
    sync: bool = True
    """From a sync (partners may be held back) rather than from two states (``bmz diff``)."""
    codeowners_changed: bool = False
    notes: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for p in self.partners if p.status == status)

    def totals(self) -> tuple[int, int, int]:
        """(added, removed, changed) resources."""
        a = sum(len(p.changes.added) for p in self.partners)
        r = sum(len(p.changes.removed) for p in self.partners)
        c = sum(len(p.changes.changed) for p in self.partners)
        return a, r, c


def from_sync(result: SyncResult, title: str = "bmz sync") -> Summary:
    """The summary of one sync run: its partners' outcomes and what the file shows now."""
    changes = compare(result.before, result.after)
    partners = []
    known = set()
    for r in result.partners:
        known.add(r.id)
        owners = codeowners.owners(r.id, r.maintainers) if r.pin is not None else None
        p = PartnerChange(
            r.id,
            r.status.value,
            r.old_pin,
            r.pin,
            url=r.partner.url,
            branch=r.partner.branch,
            forced=r.forced,
            subjects=list(r.subjects),
            changes=changes.get(r.id, ResourceChanges()),
            reviewers=list(owners.users) if owners is not None else None,
            notes=owners.notes() if owners is not None and r.changed else [],
            registry=list(r.registry_changes),
            commits=r.commits,
            new_warnings=list(r.new_warnings),
            first_broken=r.first_broken,
        )
        if r.status.value == HELD_BACK or r.tried:
            p.reasons = list(r.reasons)
            p.errors = [f for f in r.findings if f.is_error]
            p.error_commit = r.head if r.head and r.head != r.pin else r.pin
        partners.append(p)
    for gone in result.removed:  # a submodule no longer registered
        known.add(gone.id)
        ch = changes.get(gone.id, ResourceChanges())
        partners.append(PartnerChange(gone.id, REMOVED, gone.pin, None, changes=ch))
    for pid, ch in sorted(changes.items()):
        if pid not in known:  # in the old file only: no longer registered
            partners.append(PartnerChange(pid, REMOVED, None, None, changes=ch))
    return Summary(
        title,
        partners,
        result.resources,
        sync=True,
        codeowners_changed=result.codeowners_before != result.codeowners_after,
        notes=list(result.notes),
    )
