"""What a run works on: the central file, and one work item per registered partner (its
submodule's git directory, its current pin, whether this run may advance it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bmz_collection.core import central
from bmz_collection.core.central import FILE_NAME, Partner
from bmz_collection.core.errors import FatalError
from bmz_collection.io.git.repo import Repo


@dataclass
class Work:
    partner: Partner
    name: str
    """The submodule's name in ``.gitmodules``."""
    git_dir: Path
    old_pin: str | None
    """The gitlink in the index; None: registered but not a submodule."""
    selected: bool
    """This run may fetch and advance it (``--partner``)."""


def load_central(repo: Repo) -> tuple[bytes, central.CentralFile]:
    """``collection.yaml`` as bytes and as read: a missing or unreadable file is fatal."""
    path = repo.root / FILE_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FatalError(f"no {FILE_NAME} in {repo.root} (run `bmz init` to create one)") from None
    except OSError as exc:
        raise FatalError(f"cannot read {FILE_NAME}: {exc.strerror or exc}") from None
    return raw, central.read(raw)


def plan(repo: Repo, registry: list[Partner], selected: set[str]) -> tuple[list[Work], list[str]]:
    """One work item per registered partner (all selected when ``selected`` is empty), and
    notes on submodules the registry does not list."""
    gitlinks = repo.gitlinks(central.PARTNERS_DIR + "/")
    names = {cfg.get("path"): name for name, cfg in repo.gitmodules().items()}
    notes: list[str] = []
    registered = {p.path for p in registry}
    for path in sorted(gitlinks):
        if path not in registered:
            notes.append(
                f"{path} is a submodule but not in the registry (config.partners); ignored"
            )
    work = []
    for p in registry:
        name = names.get(p.path) or p.path
        work.append(
            Work(
                p,
                name,
                repo.module_dir(name),
                gitlinks.get(p.path),
                not selected or p.id in selected,
            )
        )
    return work, notes
