"""Change summaries in Markdown: the body of a sync pull request, ready for
``$GITHUB_STEP_SUMMARY`` too.

Pure: data in, text out. Which resources were added, removed or changed is read from the merged
file's generated part before and after (``compare``), so a summary says exactly what the
catalogue publishes differently, whatever produced the two states (a sync, or two commits of the
central repository for ``bmz diff``). Everything a partner controls (commit subjects, resource
ids, error messages) is shown as code, so it can neither format the body nor mention anyone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bmz_collection.core import central, codeowners
from bmz_collection.core.findings import Finding

if TYPE_CHECKING:
    from bmz_collection.engine.sync import SyncResult

UPDATED = "updated"
HELD_BACK = "held back"
CURRENT = "current"
ADDED = "added"
"""Registered in the newer state only (``bmz diff``)."""
REMOVED = "removed"
"""Registered in the older state only (``bmz diff``)."""

MAX_SUBJECTS = 20
MAX_ITEMS = 50
"""Per partner and list; the rest is counted, not listed."""
MAX_ERRORS = 30
BODY_LIMIT = 60_000
"""GitHub refuses pull request bodies over 65,536 characters: past this, lists are left out."""


@dataclass
class ResourceChanges:
    """One partner's resources between two generated parts."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    """(id, names of the changed fields)."""
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
            names = central.entry_changes(old[rid], new[rid]) if fields else []
            at(_partner_of(rid)).changed.append((rid, names))
    old_d, new_d = central.generated_details(old_text), central.generated_details(new_text)
    for pid in sorted(set(old_d) | set(new_d)):
        if pid in old_d and pid in new_d and old_d[pid] != new_d[pid]:
            at(pid).details = central.changed_fields(old_d[pid], new_d[pid])
    return out


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
    changes: ResourceChanges = field(default_factory=ResourceChanges)
    reasons: list[str] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    error_commit: str | None = None
    """The partner commit the errors were found at (the refused head)."""
    reviewers: list[str] | None = None
    """Who ``.github/CODEOWNERS`` asks to review this partner's pin (None: not known)."""
    notes: list[str] = field(default_factory=list)

    @property
    def moved(self) -> bool:
        return self.status in (UPDATED, ADDED, REMOVED)

    @property
    def shown(self) -> bool:
        return self.status != CURRENT or not self.changes.empty


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


# -- from a sync ---------------------------------------------------------------------------------


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
        )
        if r.status.value == HELD_BACK:
            p.reasons = list(r.reasons)
            p.errors = [f for f in r.findings if f.is_error]
            p.error_commit = r.head if r.head and r.head != r.pin else r.pin
        partners.append(p)
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


# -- links ---------------------------------------------------------------------------------------

_GITHUB = re.compile(
    r"^https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$", re.IGNORECASE
)


def github_repository(url: str) -> str | None:
    """``https://github.com/<owner>/<repo>`` for a partner repository on GitHub, else None."""
    m = _GITHUB.match(url or "")
    if m is None or m.group(2) in (".", ".."):
        return None
    return f"https://github.com/{m.group(1)}/{m.group(2)}"


def compare_url(url: str, old: str, new: str) -> str | None:
    base = github_repository(url)
    return f"{base}/compare/{old}...{new}" if base else None


def blob_url(url: str, commit: str, path: str, line: int | None) -> str | None:
    base = github_repository(url)
    if base is None:
        return None
    anchor = f"#L{line}" if line else ""
    return f"{base}/blob/{commit}/{path}{anchor}"


# -- Markdown ------------------------------------------------------------------------------------


def code(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds (one line)."""
    text = " ".join(text.splitlines())
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~@])")


def plain(text: str) -> str:
    """Our own sentences with values in them, escaped so they read as written."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.splitlines()))


def _fenced(lines: Sequence[str]) -> list[str]:
    longest = max((len(m) for ln in lines for m in re.findall(r"`{3,}", ln)), default=2)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", *lines, fence]


def _short(sha: str | None) -> str:
    return sha[:7] if sha else "-"


def _ids(title: str, items: Sequence[str], compact: bool) -> list[str]:
    if not items:
        return []
    out = [f"**{title}** ({len(items)}):"]
    if compact:
        return [out[0].rstrip(":"), ""]
    out += [f"- {code(i)}" for i in items[:MAX_ITEMS]]
    if len(items) > MAX_ITEMS:
        out.append(f"- … and {len(items) - MAX_ITEMS} more")
    return [*out, ""]


def _changed(items: Sequence[tuple[str, list[str]]], compact: bool) -> list[str]:
    if not items:
        return []
    head = f"**Changed** ({len(items)})"
    if compact:
        return [head, ""]
    out = [head + ":"]
    for rid, fields in items[:MAX_ITEMS]:
        names = ", ".join(code(f) for f in fields) if fields else "(its lines)"
        out.append(f"- {code(rid)}: {names}")
    if len(items) > MAX_ITEMS:
        out.append(f"- … and {len(items) - MAX_ITEMS} more")
    return [*out, ""]


def _heading(p: PartnerChange) -> str:
    name = code(p.id)
    if p.status == HELD_BACK:
        return f"### {name} held back at {code(_short(p.new))}"
    if p.status == ADDED:
        return f"### {name}: new partner at {code(_short(p.new))}"
    if p.status == REMOVED:
        at = f" (was at {code(_short(p.old))})" if p.old else ""
        return f"### {name}: partner removed{at}"
    if p.status == CURRENT:
        return f"### {name} at {code(_short(p.new))}: regenerated"
    forced = " (force-pushed)" if p.forced else ""
    return f"### {name}: {code(_short(p.old))} → {code(_short(p.new))}{forced}"


def _partner_section(p: PartnerChange, compact: bool) -> list[str]:
    out = [_heading(p), ""]
    if p.forced:
        out += [
            "> [!WARNING]",
            f"> Branch {code(p.branch or '?')} was force-pushed: {code(_short(p.old))} is not "
            f"an ancestor of {code(_short(p.new))}. The old commit may vanish from the "
            "partner's repository; clones of the central repository need the new pin.",
            "",
        ]
    if p.status == UPDATED and p.old_missing and not p.forced:
        out += [
            f"The partner's commits are not available locally (e.g. {code(_short(p.old))} was "
            "force-pushed away): the commits in between are not listed.",
            "",
        ]
    if p.status == UPDATED and p.old and p.new:
        link = compare_url(p.url, p.old, p.new)
        if link:
            out += [f"[Compare {_short(p.old)}...{_short(p.new)} on GitHub]({link})", ""]
    if p.status == HELD_BACK:
        out += [f"- {plain(reason)}" for reason in p.reasons]
        out.append("")
    if p.subjects and not compact:
        out.append("**Commits** (newest first):")
        out += [f"- {code(s)}" for s in p.subjects[:MAX_SUBJECTS]]
        if p.more_subjects or len(p.subjects) > MAX_SUBJECTS:
            out.append("- … and more")
        out.append("")
    out += _ids("Added", p.changes.added, compact)
    out += _ids("Removed", p.changes.removed, compact)
    out += _changed(p.changes.changed, compact)
    if p.changes.details:
        fields = ", ".join(code(f) for f in p.changes.details)
        out += [f"**Partner page** changed: {fields}", ""]
    if p.errors:
        out += _errors(p, compact)
    if p.moved and p.status != REMOVED and p.reviewers is not None:
        if p.reviewers:
            users = ", ".join(code("@" + u) for u in p.reviewers)
            out += [f"**Reviewers** ({code(codeowners.PATH)}): {users}", ""]
        else:
            out += [
                "**Reviewers**: none (the partner lists no maintainer with a GitHub user)",
                "",
            ]
    if p.notes and not compact:
        out += [f"- {plain(n)}" for n in p.notes]
        out.append("")
    return out


def _errors(p: PartnerChange, compact: bool) -> list[str]:
    commit = p.error_commit
    title = f"**Errors** ({len(p.errors)})"
    if commit:
        title += f" at partner commit {code(_short(commit))}"
    if compact:
        return [title, ""]
    shown = p.errors[:MAX_ERRORS]
    out = [title + ":", "", *_fenced([f.one_line() for f in shown])]
    if len(p.errors) > len(shown):
        out.append(f"… and {len(p.errors) - len(shown)} more")
    links: list[str] = []
    prefix = f"{central.PARTNERS_DIR}/{p.id}/"
    for f in shown:
        if commit and f.file.startswith(prefix):
            relpath = f.file[len(prefix) :]
            link = blob_url(p.url, commit, relpath, f.line)
            where = f"{relpath}:{f.line}" if f.line else relpath
            if link and f"[{where}]" not in "".join(links):
                links.append(f"- [{where}]({link})")
    if links:
        out += ["", *links]
    return [*out, ""]


def _totals(s: Summary) -> list[str]:
    if s.sync:
        parts = [(UPDATED, s.count(UPDATED)), (HELD_BACK, s.count(HELD_BACK))]
        parts.append((CURRENT, s.count(CURRENT)))
    else:
        parts = [(UPDATED, s.count(UPDATED))]
        parts += [(k, s.count(k)) for k in (ADDED, REMOVED) if s.count(k)]
        parts.append(("unchanged", s.count(CURRENT)))
    partners = ", ".join(f"{n} {name}" for name, n in parts)
    a, r, c = s.totals()
    out = [
        f"**Partners:** {partners}  ",
        f"**Resources:** {a} added, {r} removed, {c} changed ({s.resources} in the collection)",
    ]
    if s.codeowners_changed:
        out[-1] += "  "
        out.append(f"**Review routing:** {code(codeowners.PATH)} updated")
    return out


def _table(partners: Sequence[PartnerChange]) -> list[str]:
    rows = [
        "| partner | from | to | added | removed | changed | |",
        "| --- | --- | --- | ---: | ---: | ---: | --- |",
    ]
    for p in partners:
        notes = []
        if p.status == UPDATED and p.old and p.new:
            link = compare_url(p.url, p.old, p.new)
            if link:
                notes.append(f"[compare]({link})")
        if p.forced:
            notes.append("force-pushed")
        if p.status in (HELD_BACK, ADDED, REMOVED):
            notes.append({HELD_BACK: "held back", ADDED: "new", REMOVED: "removed"}[p.status])
        if p.status == CURRENT:
            notes.append("regenerated")
        ch = p.changes
        counts = (
            ("", "", "")
            if p.status == HELD_BACK and ch.empty
            else (str(len(ch.added)), str(len(ch.removed)), str(len(ch.changed)))
        )
        rows.append(
            f"| {code(p.id)} | {code(_short(p.old))} | {code(_short(p.new))} | "
            f"{' | '.join(counts)} | {', '.join(notes)} |"
        )
    return rows


def _order(p: PartnerChange) -> tuple[int, str]:
    rank = {UPDATED: 0, ADDED: 0, REMOVED: 0, HELD_BACK: 1, CURRENT: 2}
    return rank.get(p.status, 3), p.id


def render(summary: Summary, *, limit: int = BODY_LIMIT) -> str:
    """The Markdown; when it would be longer than ``limit`` characters, the lists of commits,
    resources and errors are left out (counts stay)."""
    text = _render(summary, compact=False)
    if len(text) <= limit:
        return text
    return _render(summary, compact=True, full=len(text))


def _render(summary: Summary, *, compact: bool, full: int = 0) -> str:
    out = [f"## {summary.title}", "", *_totals(summary), ""]
    shown = sorted((p for p in summary.partners if p.shown), key=_order)
    if not shown:
        out += ["Nothing changed.", ""]
    else:
        out += [*_table(shown), ""]
    if compact:
        out += [
            f"_The full summary has {full:,} characters, more than a pull request body holds: "
            "lists are left out; `bmz diff` prints them._",
            "",
        ]
    for p in shown:
        out += _partner_section(p, compact)
    if summary.notes:
        out += ["### Warnings", ""]
        out += [f"- {plain(n)}" for n in summary.notes]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def resource_counts(changes: Mapping[str, ResourceChanges], pid: str) -> tuple[int, int, int]:
    """(added, changed, removed) for the text report."""
    ch = changes.get(pid, ResourceChanges())
    return len(ch.added), len(ch.changed), len(ch.removed)


__all__ = [
    "ADDED",
    "CURRENT",
    "HELD_BACK",
    "REMOVED",
    "UPDATED",
    "PartnerChange",
    "ResourceChanges",
    "Summary",
    "blob_url",
    "code",
    "compare",
    "compare_url",
    "from_sync",
    "github_repository",
    "plain",
    "render",
    "resource_counts",
]
