"""One partner's outcome: advance its pin to the fetched head only when that commit is
valid, otherwise hold it back with the reasons; and what the merged file takes from the
commit it ends at (from the render cache when that commit was rendered before)."""

from __future__ import annotations

from bmz_collection.core import central, codeowners
from bmz_collection.engine.sync import news
from bmz_collection.engine.sync.cache import RenderCache
from bmz_collection.engine.sync.evaluate import MissingCommit, evaluate
from bmz_collection.engine.sync.model import PartnerResult, Status
from bmz_collection.engine.sync.plan import Kept, Work
from bmz_collection.engine.validate import CollectionResult
from bmz_collection.io.git import failures
from bmz_collection.io.git.objects import (
    ShortRead,
    commit_subjects,
    count_commits,
    is_ancestor,
)
from bmz_collection.io.git.process import GitTimeout


def fetch_reason(w: Work, exc: BaseException) -> str:
    """Why a fetch failed, in one line a partner maintainer can act on."""
    text = str(exc)
    if isinstance(exc, GitTimeout):
        return f"fetch of {w.partner.url} timed out ({text})"
    stderr = getattr(exc, "stderr", "") or ""
    explained = failures.explain(stderr or text, url=w.partner.url, branch=w.partner.branch)
    return explained or f"cannot fetch {w.partner.url}: {text}"


def decide(
    w: Work, head: str | None, fetch_error: BaseException | None, cache: RenderCache | None
) -> PartnerResult:
    p = w.partner
    res = PartnerResult(p, w.old_pin, w.old_pin, head, git_dir=w.git_dir)
    if w.old_pin is None:
        res.status = Status.PENDING
        res.tried = w.add_error is not None
        res.reasons.append(w.add_error or "registered, not added yet (`bmz sync` adds it)")
        res.findings = list(w.add_findings)
        return res
    res.registry_changes = w.registry_changes()
    old_pin = w.old_pin
    if fetch_error is not None:
        res.status = Status.HELD_BACK
        res.reasons.append(fetch_reason(w, fetch_error))
    elif head is not None and head != old_pin:
        try:
            candidate = evaluate(w.git_dir, head, p, validate=True)
        except ShortRead as exc:  # what was read is not the commit: as if the fetch failed
            candidate = None
            res.status = Status.HELD_BACK
            res.reasons.append(f"cannot read the new head {head[:7]}: {exc}")
        if candidate is not None and candidate.ok:
            res.status = Status.UPDATED
            res.pin = head
            adopt(res, candidate)
            res.findings = candidate.findings
            res.forced = not is_ancestor(w.git_dir, old_pin, head)  # False for a lost pin too
            if not res.forced:
                res.subjects = commit_subjects(w.git_dir, old_pin, head)
                res.commits = count_commits(w.git_dir, old_pin, head)
            res.new_warnings = news.new_warnings(w.git_dir, old_pin, p, candidate)
            return res
        if candidate is not None:
            res.status = Status.HELD_BACK
            res.findings = candidate.findings
            errors = [f for f in candidate.findings if f.is_error]
            res.reasons.append(f"new head {head[:7]} has {len(errors)} error(s)")
            if is_ancestor(w.git_dir, old_pin, head):
                res.commits = count_commits(w.git_dir, old_pin, head)
                res.first_broken = news.first_broken(w.git_dir, old_pin, head, p)
    if w.added:
        res.status = Status.ADDED
    # current, or held back: what the pin gives
    cached = cache.get(p, old_pin) if cache is not None else None
    if cached is not None:
        res.texts = dict(cached["texts"])
        res.ids = list(res.texts)
        res.config = dict(cached["config"])
        res.maintainers = list(cached["maintainers"])
        res.resource_tags = dict(cached["tags"])
        return res
    try:
        at_pin = evaluate(w.git_dir, old_pin, p, validate=False)
    except MissingCommit:
        kept = w.kept.of(p) if w.kept is not None else None
        if kept is None:
            raise
        keep(res, kept)
        res.status = Status.HELD_BACK
        res.reasons.append(
            f"the pinned commit {old_pin[:7]} is not here and {p.url} no longer has it; "
            "its entries are kept as collection.yaml has them"
        )
        return res
    adopt(res, at_pin)
    pin_errors = [f for f in at_pin.findings if f.is_error]
    if pin_errors:
        res.clean_pin = False
        res.status = Status.HELD_BACK
        res.reasons.append(f"the pinned commit {old_pin[:7]} itself has {len(pin_errors)} error(s)")
        res.findings = [*res.findings, *pin_errors]
    elif res.status in (Status.CURRENT, Status.ADDED):
        res.findings = at_pin.findings
    return res


def adopt(res: PartnerResult, at: CollectionResult) -> None:
    """What the merged file and the review routing take from the partner's collection."""
    res.entries = at.entries
    res.ids = [e.id for e in at.entries]
    res.config = at.config
    res.maintainers = codeowners.maintainers_of(at.document.data if at.document else None)
    res.resource_tags = {e.id: central.fold_tags(e.data.get("tags")) for e in at.entries}


def keep(res: PartnerResult, kept: Kept) -> None:
    """What the merged file and the review routing take from the committed files, when the
    pin itself cannot be read."""
    res.texts = dict(kept.texts)
    res.ids = list(kept.texts)
    res.config = dict(kept.config)
    res.maintainers = [[None, user] for user in kept.reviewers]
    res.resource_tags = {
        rid: central.fold_tags(central.entry_fields(text).get("tags"))
        for rid, text in kept.texts.items()
    }
