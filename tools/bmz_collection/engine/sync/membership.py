"""Partner submodules joining and leaving the central repository.

One transaction adds a partner (``bmz partner add``, and ``bmz sync`` for a registered partner
without a submodule): clone, validate the collection at the branch head, keep it only if it
has no errors; on any failure, an interruption included, every file, index entry and git
directory it touched is put back as it was. One removal (``bmz partner remove``, and
``bmz sync`` for a submodule no longer registered) undoes it.

Partner submodules are marked ``update = none`` in ``.gitmodules``: ``git clone
--recursive`` of the central repository, and pre-commit installing hooks from it (``git
submodule update --init --recursive``), then fetch no partner. ``bmz sync`` fetches the
partners' objects itself (``outcomes._init_module``).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bmz_collection.core import central
from bmz_collection.core.central import Partner
from bmz_collection.core.codeowners import PATH as CODEOWNERS
from bmz_collection.core.errors import FatalError
from bmz_collection.core.findings import Finding
from bmz_collection.engine.sync.evaluate import evaluate
from bmz_collection.engine.validate import CollectionResult
from bmz_collection.io import fsio
from bmz_collection.io.git import failures
from bmz_collection.io.git.objects import resolve_commit
from bmz_collection.io.git.process import GitError, GitTimeout
from bmz_collection.io.git.repo import GITLINK, IndexEntry, Repo

GITMODULES = ".gitmodules"
UPDATE = "none"
"""``submodule.<name>.update`` of every partner submodule."""


class Rejected(Exception):
    """The partner's collection has errors at the head of its branch."""

    def __init__(self, findings: list[Finding], commit: str | None = None) -> None:
        super().__init__("the partner's collection has errors")
        self.findings = findings
        self.commit = commit
        """The commit that was judged."""


@dataclass
class Snapshot:
    """Everything adding a partner may touch, to put back exactly on failure."""

    path: str
    module_dir: Path
    gitmodules: bytes | None
    index: dict[str, IndexEntry | None]
    collection: bytes
    path_existed: bool
    codeowners: bytes | None

    @classmethod
    def take(cls, repo: Repo, path: str, module_dir: Path) -> Snapshot:
        gm = repo.root / GITMODULES
        co = repo.root / CODEOWNERS
        return cls(
            path=path,
            module_dir=module_dir,
            gitmodules=gm.read_bytes() if gm.exists() else None,
            index={p: repo.index_entry(p) for p in (GITMODULES, central.FILE_NAME, CODEOWNERS)},
            collection=(repo.root / central.FILE_NAME).read_bytes(),
            path_existed=(repo.root / path).exists(),
            codeowners=co.read_bytes() if co.exists() else None,
        )

    def restore(self, repo: Repo) -> None:
        root = repo.root
        if not self.path_existed:
            shutil.rmtree(root / self.path, ignore_errors=True)
        shutil.rmtree(self.module_dir, ignore_errors=True)
        gm = root / GITMODULES
        if self.gitmodules is None:
            with contextlib.suppress(FileNotFoundError):
                gm.unlink()
        elif not gm.exists() or gm.read_bytes() != self.gitmodules:
            fsio.atomic_write(gm, self.gitmodules)
        if (root / central.FILE_NAME).read_bytes() != self.collection:
            fsio.atomic_write(root / central.FILE_NAME, self.collection)
        co = root / CODEOWNERS
        if self.codeowners is None:
            with contextlib.suppress(FileNotFoundError):
                co.unlink()
        elif not co.exists() or co.read_bytes() != self.codeowners:
            fsio.atomic_write(co, self.codeowners)
        gone = [self.path] + [p for p, e in self.index.items() if e is None]
        repo.git.run("update-index", "--force-remove", "--", *gone, check=False)
        keep = [e for e in self.index.values() if e is not None]
        if keep:
            repo.update_index(keep)
        repo.git.run("config", "--remove-section", f"submodule.{self.path}", check=False)


def check_free(repo: Repo, partner: Partner) -> None:
    """FatalError when anything is in the way of adding ``partner``'s submodule."""
    path, pid = partner.path, partner.id
    target = repo.root / path
    if target.is_symlink() or (target.exists() and (not target.is_dir() or any(target.iterdir()))):
        raise FatalError(f"{path} already exists; remove it first")
    if repo.index_entries(path):
        raise FatalError(f"{path} is already in the index (`bmz partner remove {pid}` cleans up)")
    modules = repo.gitmodules()
    if path in modules or any(cfg.get("path") == path for cfg in modules.values()):
        raise FatalError(f".gitmodules already has {path} (`bmz partner remove {pid}` cleans up)")
    module_dir = repo.module_dir(path)
    if module_dir.exists():
        raise FatalError(f"{module_dir} already exists (`bmz partner remove {pid}` cleans up)")


@contextlib.contextmanager
def transaction(repo: Repo, partner: Partner) -> Iterator[Snapshot]:
    """Whatever the body does is undone if it raises (Ctrl-C included)."""
    snapshot = Snapshot.take(repo, partner.path, repo.module_dir(partner.path))
    try:
        yield snapshot
    except BaseException:
        snapshot.restore(repo)
        raise


def attach(
    repo: Repo, partner: Partner, *, timeout: float, rev: str | None = None
) -> tuple[str, CollectionResult]:
    """Add ``partner``'s submodule (inside a ``transaction``): clone its branch, mark it
    ``update = none``, stage it at the head (or at ``rev``: a commit, tag or branch of the
    clone), and validate its collection there; (pin, result). Raises ``Rejected`` when the
    collection has errors; a failed clone is said in our words (``failures.explain``)."""
    path = partner.path
    try:
        repo.git.run(
            "submodule",
            "add",
            "--quiet",
            "--branch",
            partner.branch,
            "--name",
            path,
            "--",
            partner.url,
            path,
            timeout=timeout,
            what="git submodule add",
        )
    except GitTimeout:
        raise
    except GitError as exc:
        reason = failures.explain(exc.stderr, url=partner.url, branch=partner.branch)
        if reason is None:
            raise
        raise GitError(reason, returncode=exc.returncode, stderr=exc.stderr) from None
    repo.git.run(
        "config", "--file", GITMODULES, f"submodule.{path}.update", UPDATE, what="git config"
    )
    repo.update_index([], [GITMODULES])
    module_dir = repo.module_dir(path)
    head = _pin(module_dir, partner.branch, rev)
    result = evaluate(module_dir, head, partner, validate=True)
    if not result.ok:
        raise Rejected(result.findings, head)
    if rev is not None:
        repo.git.run("-C", path, "checkout", "--quiet", "--detach", head, "--", what="git checkout")
        repo.update_index([IndexEntry(GITLINK, head, path)])
    return head, result


def check_rev(rev: str) -> str:
    """``--rev``: a name git resolves, never option-like."""
    if not rev or rev.startswith("-") or any(c.isspace() or ord(c) < 32 for c in rev):
        raise FatalError(f"invalid --rev {rev!r}: a commit, tag or branch name")
    return rev


def _pin(module_dir: Path, branch: str, rev: str | None) -> str:
    """The commit to pin: the branch head, or ``rev`` as a commit, tag or (remote) branch."""
    if rev is None:
        return resolve_commit(module_dir, "HEAD")
    for candidate in (rev, f"refs/remotes/origin/{rev}", f"refs/tags/{rev}"):
        with contextlib.suppress(GitError):
            return resolve_commit(module_dir, candidate)
    raise FatalError(
        f"--rev {rev!r}: no such commit, tag or branch in the partner repository "
        f"(fetched branch {branch!r} and its tags)"
    )


@dataclass
class Submodule:
    """A partner submodule as the central repository has it."""

    path: str
    name: str | None
    """Its name in ``.gitmodules`` (None: only a gitlink)."""
    url: str | None = None
    branch: str | None = None
    update: str | None = None
    pin: str | None = None


def submodules(repo: Repo) -> dict[str, Submodule]:
    """Every submodule under ``partners/`` by path: gitlinks in the index and sections of
    ``.gitmodules``."""
    prefix = central.PARTNERS_DIR + "/"
    out: dict[str, Submodule] = {}
    for name, cfg in repo.gitmodules().items():
        path = cfg.get("path", "")
        if path.startswith(prefix):
            out[path] = Submodule(path, name, cfg.get("url"), cfg.get("branch"), cfg.get("update"))
    for path, pin in repo.gitlinks(prefix).items():
        out.setdefault(path, Submodule(path, None)).pin = pin
    return out


def reconfigure(repo: Repo, sub: Submodule, url: str | None, branch: str | None) -> None:
    """``.gitmodules`` (and the local config) with ``url`` and ``branch`` (None: as it is)
    and ``update = none``. The caller stages ``.gitmodules``."""
    name = sub.name or sub.path
    values = {"url": url, "branch": branch, "update": UPDATE}
    current = {"url": sub.url, "branch": sub.branch, "update": sub.update}
    for key, value in values.items():
        if value is not None and current[key] != value:
            repo.git.run(
                "config", "--file", GITMODULES, f"submodule.{name}.{key}", value, what="git config"
            )
    if url is not None and sub.url != url:
        repo.git.run("config", f"submodule.{name}.url", url, check=False)


def detach(repo: Repo, path: str) -> list[str]:
    """Remove the submodule at ``path``: its ``.gitmodules`` section (the file when it was
    the last), its index entry, its local config and its git directory and folder. The paths
    to stage (``.gitmodules`` when it is left)."""
    name = next((n for n, cfg in repo.gitmodules().items() if cfg.get("path") == path), None)
    module_dir = repo.module_dir(name or path)
    gone = [path] if repo.index_entries(path) else []
    stage: list[str] = []
    if name is not None:
        repo.git.run("config", "--file", GITMODULES, "--remove-section", f"submodule.{name}")
        left = repo.git.run("config", "--file", GITMODULES, "--list", check=False).text
        if left.strip():
            stage.append(GITMODULES)
        else:
            (repo.root / GITMODULES).unlink()
            gone.append(GITMODULES)
    repo.remove_from_index(gone)
    repo.git.run("config", "--remove-section", f"submodule.{name or path}", check=False)
    shutil.rmtree(repo.root / path, ignore_errors=True)
    shutil.rmtree(module_dir, ignore_errors=True)
    return stage
