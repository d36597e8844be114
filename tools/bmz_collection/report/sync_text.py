"""What a person reads after ``bmz sync``: one line per partner that moved or was held back,
the ``--check`` errors, and the closing summary line."""

from __future__ import annotations

from bmz_collection.core import codeowners
from bmz_collection.core.central import FILE_NAME
from bmz_collection.engine.changes import compare, resource_counts
from bmz_collection.engine.sync import PartnerResult, Status, SyncResult
from bmz_collection.engine.sync.membership import GITMODULES


def report_lines(result: SyncResult) -> list[str]:
    """One line per partner that moved or was held back (resources counted from the file
    before and after, as the summary counts them), then the warnings."""
    lines: list[str] = []
    changes = compare(result.before, result.after, fields=False) if result.updated else {}
    for r in result.partners:
        if r.status is Status.UPDATED:
            added, changed, removed = resource_counts(changes, r.id)
            old, new = _short(r.old_pin), _short(r.pin)
            lines.append(
                f"{r.path}: {old} -> {new} ({added} added, {changed} changed, {removed} removed)"
            )
            if r.forced:
                lines.append(
                    f"  warning: branch {r.partner.branch!r} was force-pushed ({old} is not an "
                    "ancestor of the new head); following it. The old pin may vanish from the "
                    "partner's remote: clones of the central repository need the new pin."
                )
            if r.new_warnings:
                lines.append(f"  {len(r.new_warnings)} new warning(s) since {old}:")
                lines.extend("  " + f.one_line() for f in r.new_warnings)
        elif r.status is Status.HELD_BACK:
            reasons = "; ".join(r.reasons)
            lines.append(f"{r.path}: held back at {_short(r.pin) or '(no pin)'}: {reasons}")
            lines.extend(_since(r))
            lines.extend("  " + f.one_line() for f in r.findings if f.is_error)
        elif r.status is Status.ADDED:
            lines.append(f"{r.path}: added at {_short(r.pin)} ({len(r.ids)} resources)")
        elif r.status is Status.PENDING:
            lines.append(f"{r.path}: pending: {'; '.join(r.reasons)}")
            lines.extend("  " + f.one_line() for f in r.findings if f.is_error)
        if r.registry_changes and not result.check:
            lines.extend(
                f"{r.path}: {key} changed as the registry says: {old} -> {new}"
                for key, old, new in r.registry_changes
            )
    if not result.check:
        lines.extend(
            f"{gone.path}: removed (not in the registry, config.partners)"
            for gone in result.removed
        )
    lines.extend(f"warning: {n}" for n in result.notes)
    lines.extend(result.review_notes)
    return lines


def _since(r: PartnerResult) -> list[str]:
    """A held-back partner: how far its branch is ahead, and its first broken commit."""
    out = []
    if r.commits is not None:
        out.append(f"  branch {r.partner.branch!r} is {r.commits} commit(s) ahead of the pin")
    if r.first_broken is not None:
        short, subject, date = r.first_broken
        out.append(f"  first commit with errors: {short} {subject} ({date})")
    return out


def _short(sha: str | None) -> str:
    return sha[:7] if sha else ""


def check_lines(result: SyncResult) -> list[str]:
    """``--check``: one positioned error per file that differs from what the pins give."""
    lines = []
    if result.check and not result.up_to_date:
        at = first_difference(result.before, result.after)
        lines.append(
            f"{FILE_NAME}:{at}:1: error: differs from what the pinned partner commits give "
            "(a hand edit of the generated part, or a pin changed without regenerating); "
            "run `bmz sync --no-fetch` [sync-check]"
        )
    if result.check:
        lines.extend(conflict_lines(result))
    if result.check and not result.codeowners_current:
        at = codeowners.first_difference(result.codeowners_before, result.codeowners_after)
        lines.append(
            f"{codeowners.PATH}:{at}:1: error: the generated section differs from what the "
            "partners' maintainers at their pins give (a hand edit of the section, or a pin "
            "changed without regenerating); run `bmz sync --no-fetch` [codeowners-check]"
        )
    return lines


def conflict_lines(result: SyncResult) -> list[str]:
    """``--check``: where ``.gitmodules`` and the index disagree with the registry."""
    lines = []
    for gone in result.removed:
        lines.append(
            f"{GITMODULES}:{_section_line(result, gone.path)}:1: error: {gone.path} is a "
            "submodule but not in the registry (config.partners); register it, or run "
            "`bmz sync` to remove it [registry-conflict]"
        )
    for r in result.partners:
        for key, old, new in r.registry_changes:
            lines.append(
                f"{GITMODULES}:{_section_line(result, r.path)}:1: error: {r.path}: {key} "
                f"{old} differs from the registry's {new} (config.partners); run `bmz sync` "
                "to apply it [registry-conflict]"
            )
    return lines


def _section_line(result: SyncResult, path: str) -> int:
    """The line of the submodule's section in ``.gitmodules`` (1 when not found)."""
    for number, line in enumerate(result.gitmodules.splitlines(), 1):
        if line.strip() in (f'[submodule "{path}"]', f"path = {path}"):
            return number
    return 1


def summary_line(result: SyncResult) -> str:
    n = len(result.partners)
    state = (
        ("up to date" if result.up_to_date else "differs from what the pins give")
        if result.check
        else ("updated" if result.wrote else "unchanged")
    )
    line = (
        f"{FILE_NAME} {state}: {result.resources} resources from {n} partner(s); "
        f"{len(result.updated)} updated, {len(result.held_back)} held back"
    )
    for count, word in (
        (len(result.added), "added"),
        (len(result.pending), "pending"),
        (len(result.removed), "removed" if not result.check else "not registered"),
    ):
        if count:
            line += f", {count} {word}"
    if result.check and not result.codeowners_current:
        line += f"; {codeowners.PATH} differs from what the pins give"
    elif result.wrote_codeowners:
        line += f"; {codeowners.PATH} updated"
    return line


def first_difference(before: bytes, after: bytes) -> int | None:
    """1-based line of the first difference (for --check's message)."""
    if before == after:
        return None
    a, b = before.split(b"\n"), after.split(b"\n")
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i + 1
    return min(len(a), len(b)) + 1
