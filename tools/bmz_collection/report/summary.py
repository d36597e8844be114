"""Change summaries in Markdown: the body of a sync pull request, ready for
``$GITHUB_STEP_SUMMARY`` too.

Pure: data in (``engine.changes.Summary``, from a sync or from ``bmz diff``), text out.
Everything a partner controls (commit subjects, resource
ids, error messages) is shown as code, so it can neither format the body nor mention anyone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from bmz_collection.core import central, codeowners, limits
from bmz_collection.core.findings import Finding
from bmz_collection.core.github import github_repository
from bmz_collection.engine.changes import (
    ADDED,
    CURRENT,
    HELD_BACK,
    PENDING,
    REMOVED,
    UPDATED,
    PartnerChange,
    ResourceChanges,
    Summary,
)
from bmz_collection.engine.values import MISSING, FieldChange, group

# -- links ---------------------------------------------------------------------------------------


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
    out += [f"- {code(i)}" for i in items[: limits.MAX_ITEMS]]
    if len(items) > limits.MAX_ITEMS:
        out.append(f"- … and {len(items) - limits.MAX_ITEMS} more resources")
    return [*out, ""]


def _value(value: Any) -> str:
    """A value as one line of code, cut (with its length) past ``limits.MAX_VALUE``."""
    if isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False, default=str, separators=(", ", ": "))
    text = " ".join(text.splitlines())
    cap = limits.MAX_VALUE
    if len(text) > cap:
        text = f"{text[: cap - 1]}… ({len(text)} characters)"
    return code(text)


def _items(values: Sequence[Any], cap: int = 5) -> str:
    shown = ", ".join(_value(v) for v in values[:cap])
    return shown + (f" and {len(values) - cap} more" if len(values) > cap else "")


def _change(f: FieldChange) -> str:
    """``path`` old -> new, added, removed; lists too long to show whole by their items."""
    name = code(f.path)
    if f.old is MISSING:
        return f"{name} added: {_value(f.new)}"
    if f.new is MISSING:
        return f"{name} removed (was {_value(f.old)})"
    if isinstance(f.old, list) and isinstance(f.new, list):
        whole = len(json.dumps(f.old, default=str)) + len(json.dumps(f.new, default=str))
        if whole > limits.MAX_VALUE:
            gone = [v for v in f.old if v not in f.new]
            came = [v for v in f.new if v not in f.old]
            parts = [f"added {_items(came)}"] if came else []
            parts += [f"removed {_items(gone)}"] if gone else []
            if not parts:
                parts = ["reordered"]
            return f"{name} ({len(f.old)} → {len(f.new)} items): {'; '.join(parts)}"
    return f"{name}: {_value(f.old)} → {_value(f.new)}"


def _resources(rids: Sequence[str]) -> str:
    cap = limits.MAX_GROUPED_IDS
    named = ", ".join(code(r) for r in rids[:cap])
    more = f" and {len(rids) - cap} more" if len(rids) > cap else ""
    return f"on {len(rids)} resources ({named}{more})"


def _changed(ch: ResourceChanges, compact: bool) -> list[str]:
    items = ch.changed
    if not items:
        return []
    head = f"**Changed** ({len(items)})"
    if compact:
        return [head, ""]
    out = [head + ":"]
    if not ch.values:  # names only (no values were read)
        for rid, fields in items[: limits.MAX_ITEMS]:
            names = ", ".join(code(f) for f in fields) if fields else "(its lines)"
            out.append(f"- {code(rid)}: {names}")
        if len(items) > limits.MAX_ITEMS:
            out.append(f"- … and {len(items) - limits.MAX_ITEMS} more resources")
        return [*out, ""]
    grouped = group(ch.values)
    lines = [f"- {_change(f)} {_resources(rids)}" for f, rids in grouped.shared]
    for rid, own in grouped.own:
        what = "; ".join(_change(f) for f in own)
        lines.append(f"- {code(rid)}: {what}")
    out += lines[: limits.MAX_ITEMS]
    if len(lines) > limits.MAX_ITEMS:
        out.append(f"- … and {len(lines) - limits.MAX_ITEMS} more changes")
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
    if p.status == PENDING:
        return f"### {name}: pending (registered, not added yet)"
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
    if p.status in (HELD_BACK, PENDING):
        out += [f"- {plain(reason)}" for reason in p.reasons]
        out += _since(p)
        out.append("")
    if p.registry:
        out += [
            f"- {plain(key)} set as the registry says: {code(old)} → {code(new)}"
            for key, old, new in p.registry
        ]
        out.append("")
    if p.subjects and not compact:
        shown = p.subjects[: limits.MAX_SUBJECTS]
        total = p.commits if p.commits is not None else len(p.subjects)
        out.append(f"**Commits** ({total}, newest first):")
        out += [f"- {code(s)}" for s in shown]
        if total > len(shown):
            out.append(f"- … and {total - len(shown)} more commits")
        elif p.more_subjects:
            out.append("- … and more commits")
        out.append("")
    out += _ids("Added", p.changes.added, compact)
    out += _ids("Removed", p.changes.removed, compact)
    out += _changed(p.changes, compact)
    if p.changes.details:
        fields = ", ".join(code(f) for f in p.changes.details)
        out += [f"**Partner page** changed: {fields}", ""]
    if p.new_warnings:
        out += _new_warnings(p, compact)
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


def _since(p: PartnerChange) -> list[str]:
    """Held back: how far its branch is ahead, and since which commit it is broken."""
    out = []
    if p.commits is not None:
        branch = code(p.branch or "?")
        out.append(f"- Branch {branch} is {p.commits} commit(s) ahead of the pin")
    if p.first_broken is not None:
        short, subject, date = p.first_broken
        when = f" ({date})" if date else ""
        out.append(f"- First commit with errors: {code(short)} {code(subject)}{when}")
    return out


def _findings(title: str, found: Sequence[Finding], noun: str) -> list[str]:
    """A titled block of findings, the first ``limits.MAX_ERRORS``; the rest counted."""
    shown = found[: limits.MAX_ERRORS]
    out = [title + ":", "", *_fenced([f.one_line() for f in shown])]
    if len(found) > len(shown):
        out.append(f"… and {len(found) - len(shown)} more {noun}")
    return out


def _new_warnings(p: PartnerChange, compact: bool) -> list[str]:
    title = f"**New warnings** ({len(p.new_warnings)}) since {code(_short(p.old))}"
    if compact:
        return [title, ""]
    return [*_findings(title, p.new_warnings, "warnings"), ""]


def _errors(p: PartnerChange, compact: bool) -> list[str]:
    commit = p.error_commit
    title = f"**Errors** ({len(p.errors)})"
    if commit:
        title += f" at partner commit {code(_short(commit))}"
    if compact:
        return [title, ""]
    shown = p.errors[: limits.MAX_ERRORS]
    out = _findings(title, p.errors, "errors")
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
        parts += [(k, s.count(k)) for k in (ADDED, REMOVED, PENDING) if s.count(k)]
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
        if p.status in (HELD_BACK, ADDED, REMOVED, PENDING):
            notes.append(
                {HELD_BACK: "held back", ADDED: "new", REMOVED: "removed", PENDING: "pending"}[
                    p.status
                ]
            )
        if p.registry:
            notes.append(", ".join(f"{key} changed" for key, _, _ in p.registry))
        if p.status == CURRENT:
            notes.append("regenerated")
        ch = p.changes
        counts = (
            ("", "", "")
            if p.status in (HELD_BACK, PENDING) and ch.empty
            else (str(len(ch.added)), str(len(ch.removed)), str(len(ch.changed)))
        )
        rows.append(
            f"| {code(p.id)} | {code(_short(p.old))} | {code(_short(p.new))} | "
            f"{' | '.join(counts)} | {', '.join(notes)} |"
        )
    return rows


def _order(p: PartnerChange) -> tuple[int, str]:
    rank = {UPDATED: 0, ADDED: 0, REMOVED: 0, HELD_BACK: 1, PENDING: 1, CURRENT: 2}
    return rank.get(p.status, 3), p.id


def render(summary: Summary, *, limit: int | None = None) -> str:
    """The Markdown; when it would be longer than ``limit`` characters (``limits.BODY_LIMIT``),
    the lists of commits, resources and errors are left out (counts stay)."""
    text = _render(summary, compact=False)
    if len(text) <= (limits.BODY_LIMIT if limit is None else limit):
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


__all__ = [
    "blob_url",
    "code",
    "compare_url",
    "plain",
    "render",
]
