"""Two states of the central repository compared, for ``bmz diff``: each state's pins
(gitlinks), registry and generated part, read through the git layer; the result is the same
``Summary`` a sync produces, so one renderer serves both.

Resources, and what changed in them, come from the generated part of ``collection.yaml`` at
each state: that is what the catalogue publishes, it is in the central repository's own
history, and it reads the same on any machine, even where the old partner commit was
force-pushed away or the submodules are not checked out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bmz_collection.core import central, codeowners, limits
from bmz_collection.core.central import Partner
from bmz_collection.core.errors import FatalError
from bmz_collection.engine import changes as ch
from bmz_collection.io import fsio
from bmz_collection.io.git import objects, revisions
from bmz_collection.io.git.repo import Repo


@dataclass
class State:
    """The central repository at one revision (or its working state)."""

    label: str
    raw: bytes | None
    """``collection.yaml`` (None when the state has none)."""
    pins: dict[str, str]
    """Gitlink path -> commit."""
    registry: list[Partner] = field(default_factory=list)
    codeowners: bytes | None = None


def _registry(raw: bytes | None, label: str) -> list[Partner]:
    if raw is None:
        return []
    try:
        return central.read(raw, f"{central.FILE_NAME} at {label}").registry
    except FatalError:
        return []  # an old state may predate a readable head; its entries still count


def state_at(repo: Repo, rev: str) -> State:
    """The state committed at ``rev``: ``UnknownRevision`` when it names no commit; a state
    without ``collection.yaml`` has no entries."""
    commit = revisions.resolve_revision(repo.git, rev)
    pins = revisions.gitlinks_at(repo.git, commit, central.PARTNERS_DIR)
    raw = revisions.read_blob(repo.git, commit, central.FILE_NAME)
    owners = revisions.read_blob(repo.git, commit, codeowners.PATH)
    return State(rev, raw, pins, _registry(raw, rev), owners)


def working_state(repo: Repo) -> State:
    """The pins staged in the index (as ``bmz sync --check`` reads them) and the files in the
    working tree."""

    def read(relpath: str) -> bytes | None:
        try:
            return fsio.read_bounded(repo.root / relpath)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise FatalError(f"cannot read {relpath}: {exc.strerror or exc}") from None

    raw = read(central.FILE_NAME)
    pins = repo.gitlinks(central.PARTNERS_DIR + "/")
    label = "the working tree"
    return State(label, raw, pins, _registry(raw, label), read(codeowners.PATH))


def summarise(repo: Repo, old: State, new: State) -> ch.Summary:
    """What changed from ``old`` to ``new``: partners by their pins and registration,
    resources from the generated parts."""
    changes = ch.compare(old.raw, new.raw)
    registered = {p.id: p for p in old.registry} | {p.id: p for p in new.registry}
    old_ids, new_ids = {p.id for p in old.registry}, {p.id for p in new.registry}

    def pin(state: State, pid: str) -> str | None:
        return state.pins.get(f"{central.PARTNERS_DIR}/{pid}")

    modules = {cfg.get("path"): name for name, cfg in repo.gitmodules().items()}
    ids = sorted(registered.keys() | {pid for pid in changes})
    partners = []
    for pid in ids:
        partner = registered.get(pid)
        before, after = pin(old, pid), pin(new, pid)
        if pid in new_ids and pid not in old_ids:
            status = ch.ADDED
        elif pid in old_ids and pid not in new_ids:
            status = ch.REMOVED
        elif pid not in new_ids:
            status = ch.REMOVED if changes.get(pid) else ch.CURRENT
        else:
            status = ch.UPDATED if before != after else ch.CURRENT
        p = ch.PartnerChange(
            pid,
            status,
            before,
            after,
            url=partner.url if partner else "",
            branch=partner.branch if partner else "",
            changes=changes.get(pid, ch.ResourceChanges()),
        )
        if status == ch.UPDATED and before and after:
            path = f"{central.PARTNERS_DIR}/{pid}"
            _history(p, repo.module_dir(modules.get(path) or path), before, after)
        if status in (ch.UPDATED, ch.ADDED):
            p.reviewers = codeowners.reviewers(new.codeowners, pid)
        partners.append(p)
    total = len(central.generated_entries(central.generated_text(new.raw)))
    title = f"bmz diff: {old.label} → {new.label}"
    return ch.Summary(
        title,
        partners,
        total,
        sync=False,
        codeowners_changed=_section(old.codeowners) != _section(new.codeowners),
    )


def _history(p: ch.PartnerChange, git_dir: Path, old: str, new: str) -> None:
    """Commit subjects and force-push detection, when the partner's objects are here."""
    here = git_dir.exists()
    if not here or not objects.has_commit(git_dir, new) or not objects.has_commit(git_dir, old):
        p.old_missing = True
        return
    if not objects.is_ancestor(git_dir, old, new):
        p.forced = True
        return
    subjects = objects.commit_subjects(git_dir, old, new, limit=limits.MAX_SUBJECTS + 1)
    p.subjects = subjects[: limits.MAX_SUBJECTS]
    p.more_subjects = len(subjects) > limits.MAX_SUBJECTS
    p.commits = objects.count_commits(git_dir, old, new)


def _section(raw: bytes | None) -> bytes | None:
    """The generated CODEOWNERS section (the whole file when it has none we can read)."""
    if raw is None:
        return None
    try:
        return codeowners.split(raw)[1]
    except codeowners.CodeownersError:
        return raw
