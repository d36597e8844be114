"""What a run works on: the central file, and one work item per registered partner (its
submodule's git directory, its current pin, whether this run may advance it), set against the
submodules the repository has: the registry decides, so a submodule it does not list is to be
removed, and a URL or branch that differs from it is to be changed."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bmz_collection.core import central
from bmz_collection.core.central import FILE_NAME, Partner
from bmz_collection.core.errors import FatalError
from bmz_collection.core.findings import Finding
from bmz_collection.engine.sync.membership import Submodule, submodules
from bmz_collection.io.git.repo import Repo


@dataclass
class Kept:
    """What the committed ``collection.yaml`` (and CODEOWNERS) show of one partner: the
    fallback when its pinned commit cannot be read, e.g. gone upstream after a force-push and
    never fetched into this fresh clone."""

    texts: dict[str, str]
    """Each of its entries' lines in the generated part, by id."""
    config: dict[str, Any]
    """The display fields of its generated details."""
    reviewers: list[str]


class KeptParts:
    """``Kept`` of each partner, read from the committed files only when first asked (a run
    whose pins all read never pays for splitting a large generated part)."""

    def __init__(self, raw: bytes, codeowners_raw: bytes | None) -> None:
        self._raw, self._codeowners = raw, codeowners_raw
        self._lock = threading.Lock()
        self._parts: tuple[dict[str, str], dict[str, dict[str, Any]]] | None = None

    def of(self, partner: Partner) -> Kept | None:
        """The partner's part, or None when the generated part has none of its entries."""
        from bmz_collection.core import codeowners

        with self._lock:
            if self._parts is None:
                generated = central.generated_text(self._raw)
                self._parts = (
                    central.generated_entries(generated),
                    central.generated_details(generated),
                )
        entries, details = self._parts
        prefix = partner.id + "/"
        texts = {rid: text for rid, text in entries.items() if rid.startswith(prefix)}
        if not texts:
            return None
        shown = details.get(partner.id, {})
        config = {k: shown[k] for k in central.DISPLAY_FIELDS if k in shown}
        return Kept(texts, config, codeowners.reviewers(self._codeowners, partner.id) or [])


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
    submodule: Submodule | None = None
    """What ``.gitmodules`` and the index have at the partner's path."""
    add_error: str | None = None
    """Registered without a submodule: why this run could not add it."""
    add_findings: list[Finding] = field(default_factory=list)
    """The errors of its collection when that is why."""
    added: bool = False
    """Added as a submodule in this run (``old_pin`` is then its first pin)."""
    kept: KeptParts | None = None
    """The committed files, for when this partner's pin cannot be read."""

    def registry_changes(self) -> list[tuple[str, str, str]]:
        """(field, as the submodule has it, as the registry says) for the URL and branch."""
        sub = self.submodule
        if sub is None or sub.name is None or self.old_pin is None or self.added:
            return []
        out = []
        for key, have, want in (
            ("url", sub.url, self.partner.url),
            ("branch", sub.branch, self.partner.branch),
        ):
            if have != want:
                out.append((key, have or "(none)", want))
        return out


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


def plan(
    repo: Repo, registry: list[Partner], selected: set[str]
) -> tuple[list[Work], list[Submodule]]:
    """One work item per registered partner (all selected when ``selected`` is empty), and
    the submodules under ``partners/`` that the registry does not list."""
    subs = submodules(repo)
    registered = {p.path for p in registry}
    orphans = [sub for path, sub in sorted(subs.items()) if path not in registered]
    work = []
    for p in registry:
        sub = subs.get(p.path)
        name = (sub.name if sub is not None else None) or p.path
        work.append(
            Work(
                p,
                name,
                repo.module_dir(name),
                sub.pin if sub is not None else None,
                not selected or p.id in selected,
                sub,
            )
        )
    return work, orphans
