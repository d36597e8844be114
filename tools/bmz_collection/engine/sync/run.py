"""``bmz sync``, orchestrated: every partner's outcome (``outcomes``: fetched, decided), the
bytes rendered, then written and staged.

Crash safety: nothing of the project is touched before every partner is evaluated; then the
file is replaced atomically, then the index is updated in one ``git update-index`` call whose
whole input is in argv. A run killed anywhere leaves the previous complete file (or the new
one), and the next run converges to the same bytes. An interrupted run kills the git
processes it started.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bmz_collection.core import central, codeowners, limits, policy
from bmz_collection.core.central import FILE_NAME
from bmz_collection.core.errors import FatalError, UsageError
from bmz_collection.engine.sync import membership
from bmz_collection.engine.sync.membership import GITMODULES, Submodule
from bmz_collection.engine.sync.model import Options, PartnerResult, Removed, Status, SyncResult
from bmz_collection.engine.sync.outcomes import outcomes
from bmz_collection.engine.sync.plan import KeptParts, Work, load_central, plan
from bmz_collection.engine.sync.render import blocks, renderer, review_routing
from bmz_collection.io import codeowners_file, fsio, lock
from bmz_collection.io.git.process import Git, GitError
from bmz_collection.io.git.repo import GITLINK, IndexEntry, Repo


def _worktree_head(git_dir: Path) -> str | None:
    try:
        head = (git_dir / "HEAD").read_text().strip()
    except OSError:
        return None
    if len(head) == 40 and all(c in "0123456789abcdef" for c in head):
        return head
    return None


def _checkout(repo: Repo, results: list[PartnerResult], work: list[Work], jobs: int) -> list[str]:
    """Move each checked-out partner working tree to its pin, so `git status` is sane and a
    later `git add -A` cannot stage an old commit back. Best effort: the pin is what counts."""
    dirs = {w.partner.id: w.git_dir for w in work}
    todo = [
        r
        for r in results
        if r.pin is not None
        and (repo.root / r.path / ".git").exists()
        and _worktree_head(dirs[r.id]) != r.pin
    ]
    notes: list[str] = []

    def one(r: PartnerResult) -> None:
        git = Git(repo.root / r.path, allow_local=repo.allow_local)
        git.run("checkout", "--quiet", "--detach", r.pin or "", "--", what="git checkout")

    if not todo:
        return notes
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for r, fut in [(r, pool.submit(one, r)) for r in todo]:
            exc = fut.exception()
            if exc is not None:
                notes.append(f"{r.path}: working tree not moved to {r.pin and r.pin[:7]}: {exc}")
    return notes


def sync(start: Path, options: Options) -> SyncResult:
    """Advance the pins of the repository at or above ``start`` and regenerate its files
    (``options.check``: compare only, without taking the lock or writing anything)."""
    repo = Repo.discover(start, allow_local=options.allow_local)
    if options.check:
        return _sync(repo, options)
    with lock.exclusive(repo.common_dir):
        return _sync(repo, options)


def _sync(repo: Repo, options: Options) -> SyncResult:
    before, cf = load_central(repo)
    registry = cf.registry
    ids = {p.id for p in registry}
    unknown = [pid for pid in options.partners if pid not in ids]
    if unknown:
        raise UsageError(f"unknown partner {unknown[0]!r} (not in config.partners)")
    if options.fetch and not options.check and not options.allow_local:
        _refuse_local(registry, set(options.partners))
    if not options.check:
        # temporary files of writers killed mid-write (not every writer takes the lock)
        fsio.remove_orphaned_temp_files(repo.root)
        fsio.remove_orphaned_temp_files((repo.root / codeowners.PATH).parent)
    opts = dataclasses.replace(options, fetch=options.fetch and not options.check)
    work, orphans = plan(repo, registry, set(options.partners))
    kept = KeptParts(before, codeowners_file.read(repo.root))
    for w in work:
        w.kept = kept
    if opts.fetch:
        add_pending(repo, work, opts)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # loading allocates many small objects and frees none
    try:
        dump, cache = renderer(repo, writable=not options.check)
        results = outcomes(repo, work, opts, cache, dump)
        after = central.render(cf.head, blocks(results, dump, cache), dump)
    finally:
        if gc_was_enabled:
            gc.enable()
    co_before, co_after, co_notes = review_routing(repo, results)
    out = SyncResult(
        results,
        before,
        after,
        check=options.check,
        codeowners_before=co_before,
        codeowners_after=co_after,
    )
    changed = {r.id for r in results if r.status is Status.UPDATED}
    out.review_notes = [n for pid, n in co_notes if pid in changed or co_before != co_after]
    gitmodules = repo.root / GITMODULES
    modules_before = None
    with contextlib.suppress(OSError):
        modules_before = gitmodules.read_bytes()
        out.gitmodules = modules_before.decode("utf-8", "replace")
    out.removed = [Removed(o.path, o.pin) for o in orphans]
    if not options.check:
        for r in results:  # a URL or branch is applied once it was fetched from
            if r.registry_changes and (r.head is None or r.status is Status.HELD_BACK):
                wanted = ", ".join(f"{key} {new}" for key, _, new in r.registry_changes)
                out.notes.append(
                    f"{r.path}: the registry's {wanted} is not applied yet: a sync that "
                    "fetches it from there applies it"
                )
                r.registry_changes = []
    if options.check:
        return out
    if after != before:
        fsio.atomic_write(repo.root / FILE_NAME, after)
        out.wrote = True
    if co_after is not None and co_after != co_before:
        codeowners_file.write(repo.root, co_after)
        out.wrote_codeowners = True
    reconcile(repo, work, results, orphans)
    links = [
        IndexEntry(GITLINK, r.pin, r.path)
        for r in results
        if r.pin is not None and r.pin != r.old_pin and r.status is not Status.ADDED
    ]
    generated = {FILE_NAME: after, codeowners.PATH: co_after}
    if not (links or out.wrote or out.wrote_codeowners):
        # nothing written: stage only what is sync's own and missing from the index (a partner
        # add killed after its rename, issue 13 item 8), never a person's unstaged head edit
        generated = {FILE_NAME: after} if _generated_unstaged(repo, after) else {}
    add = _to_stage(repo, generated)
    modules_after = gitmodules.read_bytes() if gitmodules.exists() else None
    if modules_after is not None and (generated or modules_after != modules_before):
        # staged with what this run changed; a person's own unstaged edit stays unstaged
        add += _to_stage(repo, {GITMODULES: modules_after})
    repo.update_index(links, add)
    out.staged = [e.path for e in links] + add
    cache.prune()
    out.notes.extend(_checkout(repo, results, work, options.jobs))
    return out


def _refuse_local(registry: list[central.Partner], selected: set[str]) -> None:
    """Local partner URLs without ``--allow-local``: one usage error for the run, not the same
    refusal once per partner."""
    local = [
        p.id
        for p in registry
        if (not selected or p.id in selected) and policy.transport_of(p.url) == "file"
    ]
    if local:
        named = ", ".join(local[:3]) + (f" and {len(local) - 3} more" if len(local) > 3 else "")
        raise UsageError(
            f"{len(local)} partner(s) have local repository URLs ({named}): fetching them "
            "needs --allow-local"
        )


def add_pending(repo: Repo, work: list[Work], options: Options) -> None:
    """Add the registered partners that have no submodule yet, one at a time (each add is
    one transaction: kept only when the collection validates, else rolled back). A failure
    leaves the partner pending, with the reason."""
    todo = [w for w in work if w.selected and w.old_pin is None]
    progress = options.progress
    if progress is not None and todo:
        progress("adding", 0, len(todo))
    for done, w in enumerate(todo, 1):
        p = w.partner
        try:
            policy.check_url(p.url, allow_local=options.allow_local)
            membership.check_free(repo, p)
            with membership.transaction(repo, p):
                head, _ = membership.attach(repo, p, timeout=options.timeout)
        except membership.Rejected as exc:
            w.add_findings = [f for f in exc.findings if f.is_error]
            w.add_error = (
                f"not added: its collection at the head of {p.branch!r} has "
                f"{len(w.add_findings)} error(s)"
            )
        except GitError as exc:
            w.add_error = f"not added: cannot clone {p.url} (branch {p.branch!r}): {exc}"
        except FatalError as exc:
            w.add_error = f"not added: {exc}"
        else:
            w.old_pin, w.added, w.name = head, True, p.path
            w.git_dir = repo.module_dir(p.path)
        if progress is not None:
            progress("adding", done, len(todo))


def reconcile(
    repo: Repo, work: list[Work], results: list[PartnerResult], orphans: list[Submodule]
) -> None:
    """The submodules as the registry says: ``update = none`` for each registered one, its
    URL and branch once fetched from them (``registry_changes``), and no submodule the
    registry does not list. Staging is the caller's."""
    for w, r in zip(work, results, strict=True):
        sub = w.submodule
        if sub is None or sub.name is None or w.added:
            continue
        moved = {key for key, _, _ in r.registry_changes}
        url = w.partner.url if "url" in moved else None
        branch = w.partner.branch if "branch" in moved else None
        if url is not None or branch is not None or sub.update != membership.UPDATE:
            membership.reconfigure(repo, sub, url, branch)
    for o in orphans:
        membership.detach(repo, o.path)


def _blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _generated_unstaged(repo: Repo, after: bytes) -> bool:
    """Whether the index's ``collection.yaml`` has another generated part than ``after``.
    Staged as written (a no-op sync's usual answer): one ``ls-files``, nothing read."""
    entry = repo.index_entry(FILE_NAME)
    if entry is not None and entry.sha == _blob_sha(after):
        return False
    staged = repo.index_blob(FILE_NAME, limits.MAX_BYTES)
    return staged is None or central.split(staged)[1] != central.split(after)[1]


def _to_stage(repo: Repo, files: dict[str, bytes | None]) -> list[str]:
    """The files whose index entry is not what was written."""
    add = []
    for path, data in files.items():
        if data is None:
            continue
        current = repo.index_entry(path)
        if current is None or current.sha != _blob_sha(data):
            add.append(path)
    return add


def regenerate(repo: Repo, head: bytes) -> tuple[bytes, list[PartnerResult]]:
    """The whole file for ``head``'s registry from the current pins (no fetch): what
    ``bmz partner add/remove`` write after editing the registry."""
    registry = central.read(head).registry
    work, _ = plan(repo, registry, set())
    dump, cache = renderer(repo, writable=True)
    results = outcomes(repo, work, Options(fetch=False), cache, dump)
    return central.render(head, blocks(results, dump, cache), dump), results
