"""``bmz diff [REV] [--to REV2]``: the change summary between two states of the central
repository."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bmz_collection.core.central import Partner
    from bmz_collection.engine.changes import PartnerChange, Summary
    from bmz_collection.io.git.repo import Repo

HELP = """\
Print the change summary (Markdown, as `bmz sync --summary` writes it) between two states of
the central repository: REV (default HEAD) and REV2 (--to), or the working state when --to is
not given, i.e. the pins staged in the index (as `bmz sync --check` reads them) and
collection.yaml in the working tree.

Pins come from the gitlinks of each state; resources, and what changed in them, from the
generated part of collection.yaml at each state: that is what the catalogue publishes, it is in
the central repository's own history, and it reads the same on any machine, even where the old
partner commit was force-pushed away or the submodules are not checked out. Partner commits
between two pins are listed when the partner's objects are available locally.

Exit codes: 0 printed, 2 usage or fatal error (e.g. an unknown revision).
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "diff",
        help="summarise what changed between two states of the central repository",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("rev", nargs="?", default="HEAD", metavar="REV", help="from (HEAD)")
    p.add_argument("--to", metavar="REV2", help="to (default: the index and working tree)")
    p.add_argument("--repo", metavar="DIR", default=".", help="the central repository (.)")


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


def _commit(repo: Repo, rev: str) -> str:
    from bmz_collection.core.errors import UsageError

    if not rev or rev.startswith("-"):
        raise UsageError(f"invalid revision {rev!r}")
    res = repo.git.run(
        "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", check=False
    )
    if res.returncode != 0:
        raise UsageError(f"unknown revision {rev!r} (no such commit in {repo.root})")
    return res.text.strip()


def _blob(repo: Repo, commit: str, path: str) -> bytes | None:
    res = repo.git.run("cat-file", "blob", f"{commit}:{path}", check=False)
    return res.stdout if res.returncode == 0 else None


def _registry(raw: bytes | None, label: str) -> list[Partner]:
    from bmz_collection.core import central
    from bmz_collection.core.errors import FatalError

    if raw is None:
        return []
    try:
        return central.read(raw, f"{central.FILE_NAME} at {label}").registry
    except FatalError:
        return []  # an old state may predate a readable head; its entries still count


def state_at(repo: Repo, rev: str) -> State:
    from bmz_collection.core import central, codeowners

    commit = _commit(repo, rev)
    res = repo.git.run("ls-tree", "-z", commit, "--", central.PARTNERS_DIR + "/")
    pins: dict[str, str] = {}
    for record in res.stdout.split(b"\0"):
        meta, _, path = record.partition(b"\t")
        words = meta.decode().split()
        if len(words) == 3 and words[1] == "commit":
            pins[path.decode("utf-8", "surrogateescape")] = words[2]
    raw = _blob(repo, commit, central.FILE_NAME)
    return State(rev, raw, pins, _registry(raw, rev), _blob(repo, commit, codeowners.PATH))


def working_state(repo: Repo) -> State:
    from bmz_collection.core import central, codeowners

    def read(relpath: str) -> bytes | None:
        try:
            return (repo.root / relpath).read_bytes()
        except FileNotFoundError:
            return None

    raw = read(central.FILE_NAME)
    pins = repo.gitlinks(central.PARTNERS_DIR + "/")
    label = "the working tree"
    return State(label, raw, pins, _registry(raw, label), read(codeowners.PATH))


def summarise(repo: Repo, old: State, new: State) -> Summary:
    """What changed from ``old`` to ``new``: partners by their pins and registration,
    resources from the generated parts."""
    from bmz_collection.core import central, codeowners
    from bmz_collection.engine import changes as s

    changes = s.compare(old.raw, new.raw)
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
            status = s.ADDED
        elif pid in old_ids and pid not in new_ids:
            status = s.REMOVED
        elif pid not in new_ids:
            status = s.REMOVED if changes.get(pid) else s.CURRENT
        else:
            status = s.UPDATED if before != after else s.CURRENT
        p = s.PartnerChange(
            pid,
            status,
            before,
            after,
            url=partner.url if partner else "",
            branch=partner.branch if partner else "",
            changes=changes.get(pid, s.ResourceChanges()),
        )
        if status == s.UPDATED and before and after:
            path = f"{central.PARTNERS_DIR}/{pid}"
            _history(p, repo.module_dir(modules.get(path) or path), before, after)
        if status in (s.UPDATED, s.ADDED):
            p.reviewers = codeowners.reviewers(new.codeowners, pid)
        partners.append(p)
    total = len(central.generated_entries(central.generated_text(new.raw)))
    title = f"bmz diff: {old.label} → {new.label}"
    return s.Summary(
        title,
        partners,
        total,
        sync=False,
        codeowners_changed=_section(old.codeowners) != _section(new.codeowners),
    )


def _history(p: PartnerChange, git_dir: Path, old: str, new: str) -> None:
    """Commit subjects and force-push detection, when the partner's objects are here."""
    from bmz_collection.core.limits import MAX_SUBJECTS
    from bmz_collection.io.git import objects as g

    if not git_dir.exists() or not g.has_commit(git_dir, new) or not g.has_commit(git_dir, old):
        p.old_missing = True
        return
    if not g.is_ancestor(git_dir, old, new):
        p.forced = True
        return
    subjects = g.commit_subjects(git_dir, old, new, limit=MAX_SUBJECTS + 1)
    p.subjects = subjects[:MAX_SUBJECTS]
    p.more_subjects = len(subjects) > MAX_SUBJECTS


def _section(raw: bytes | None) -> bytes | None:
    from bmz_collection.core import codeowners

    if raw is None:
        return None
    try:
        return codeowners.split(raw)[1]
    except codeowners.CodeownersError:
        return raw


def run(args: argparse.Namespace) -> int:
    from bmz_collection.io.git.repo import Repo
    from bmz_collection.report import summary as s

    repo = Repo.discover(Path(args.repo), allow_local=True)
    old = state_at(repo, args.rev)
    new = state_at(repo, args.to) if args.to else working_state(repo)
    sys.stdout.write(s.render(summarise(repo, old, new)))
    return 0
