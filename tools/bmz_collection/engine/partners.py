"""The partners of a central repository, kept in step with its submodules: ``partner add``
(the registry entry, and the one add transaction of ``engine.sync.membership`` that ``bmz
sync`` uses too: validated first, rolled back on any failure or interruption), ``remove``,
and the data ``list`` and ``show`` print.

Both transactions hold the repository lock that ``bmz sync`` holds, and regenerate the merged
file and the CODEOWNERS section with the sync engine's own code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bmz_collection.core import central, codeowners, policy
from bmz_collection.core.errors import FatalError
from bmz_collection.engine.sync import (
    MissingCommit,
    evaluate,
    load_central,
    membership,
    regenerate,
    review_routing,
)
from bmz_collection.engine.sync.render import renderer
from bmz_collection.io import codeowners_file, fsio, lock
from bmz_collection.io.git.repo import Repo


def add_partner(
    start: Path,
    pid: str,
    url: str,
    *,
    branch: str,
    collection_file: str,
    allow_local: bool,
    timeout: float,
    rev: str | None = None,
) -> tuple[str, int]:
    """Add and register a partner at its branch head (or at ``rev``); (pinned commit, number
    of resources). Rolls back on any failure, including an interruption."""
    pid = policy.check_partner_id(pid)
    if rev is not None:
        membership.check_rev(rev)
    url = policy.check_url(url, allow_local=allow_local)
    policy.check_branch(branch)
    policy.check_collection_file(collection_file)
    repo = Repo.discover(start, allow_local=allow_local)
    with lock.exclusive(repo.common_dir):
        _, cf = load_central(repo)
        if any(p.id == pid for p in cf.registry):
            raise FatalError(f"partner {pid!r} is already registered in {central.FILE_NAME}")
        partner = central.Partner(pid, url, branch, collection_file)
        membership.check_free(repo, partner)
        with membership.transaction(repo, partner):
            head, _ = membership.attach(repo, partner, timeout=timeout, rev=rev)
            new_head = central.add_partner(cf.head, partner)
            after, results = regenerate(repo, new_head)
            co_before, co_after, _ = review_routing(repo, results)
            fsio.atomic_write(repo.root / central.FILE_NAME, after)
            stage = [central.FILE_NAME]
            if co_after is not None and co_after != co_before:
                codeowners_file.write(repo.root, co_after)
                stage.append(codeowners.PATH)
            repo.update_index([], stage)
    mine = next(r for r in results if r.id == pid)
    return head, len(mine.ids)  # no entries are loaded when the render cache answers


def remove_partner(start: Path, pid: str) -> None:
    """Undo an add, also a half-done one: registry entry, merged entries, submodule,
    ``.gitmodules`` section, git directory (staged)."""
    pid = policy.check_partner_id(pid)
    repo = Repo.discover(start, allow_local=True)
    with lock.exclusive(repo.common_dir):
        before, cf = load_central(repo)
        registered = any(p.id == pid for p in cf.registry)
        path = f"{central.PARTNERS_DIR}/{pid}"
        known = path in membership.submodules(repo) or repo.module_dir(path).exists()
        if not (registered or known):
            raise FatalError(f"unknown partner {pid!r}")
        new_head = central.remove_partner(cf.head, pid) if registered else cf.head
        after, results = regenerate(repo, new_head)
        co_before, co_after, _ = review_routing(repo, results)
        if after != before:
            fsio.atomic_write(repo.root / central.FILE_NAME, after)
        stage = [central.FILE_NAME]
        if co_after is not None and co_after != co_before:
            codeowners_file.write(repo.root, co_after)
            stage.append(codeowners.PATH)
        stage += membership.detach(repo, path)
        repo.update_index([], stage)


def list_partners(start: Path) -> list[dict[str, Any]]:
    """One row per registered partner: id, URL, branch, pin and its number of resources
    (from the render cache when the pin was rendered, else from the partner's objects)."""
    repo = Repo.discover(start, allow_local=True)
    _, cf = load_central(repo)
    gitlinks = repo.gitlinks(central.PARTNERS_DIR + "/")
    modules = {cfg.get("path"): name for name, cfg in repo.gitmodules().items()}
    _, cache = renderer(repo, writable=False)
    rows = []
    for p in cf.registry:
        pin = gitlinks.get(p.path)
        module_dir = repo.module_dir(modules.get(p.path) or p.path)
        resources: int | None = None
        cached = cache.get(p, pin) if pin is not None else None
        if cached is not None:
            resources = len(cached["texts"])
        elif pin is not None and module_dir.exists():
            try:
                resources = len(evaluate(module_dir, pin, p, validate=False).entries)
            except MissingCommit:
                resources = None
        rows.append(
            {
                "id": p.id,
                "repository": p.repository,
                "url": p.url,
                "branch": p.branch,
                "collection_file_name": p.collection_file_name,
                "pin": pin,
                "resources": resources,
            }
        )
    return rows


def show_partner(start: Path, pid: str) -> dict[str, Any]:
    """A partner's page as the committed merged file publishes it (not recomputed from the
    pins: `bmz sync --check` says whether the file is current)."""
    repo = Repo.discover(start, allow_local=True)
    _, cf = load_central(repo)
    partner = next((p for p in cf.registry if p.id == pid), None)
    if partner is None:
        raise FatalError(f"unknown partner {pid!r} (not in config.partners)")
    pin = repo.gitlinks(central.PARTNERS_DIR + "/").get(partner.path)
    generated = (cf.generated or b"").decode("utf-8", "replace")
    details = central.generated_details(generated).get(pid)
    if details is None:
        raise FatalError(
            f"partner {pid!r} has no details in the generated part of {central.FILE_NAME} "
            "(run `bmz sync --no-fetch`)"
        )
    entries = central.generated_resources(generated)
    tags = central.resource_tags(entries)
    own = sum(1 for rid in tags if rid.startswith(pid + "/"))
    tagged = central.tagged_from_others(pid, details, tags)
    problems = [
        f"{'.'.join(str(k) for k in f.path[1:]) or '(details)'}: {f.message} [{f.rule}]"
        for f in central.check_details(details, central.FILE_NAME)
        if f.is_error
    ]
    try:
        co: bytes | None = (repo.root / codeowners.PATH).read_bytes()
    except OSError:
        co = None
    return {
        "id": pid,
        "repository": partner.repository,
        "url": partner.url,
        "branch": partner.branch,
        "collection_file_name": partner.collection_file_name,
        "pin": pin,
        "page": details.get("url"),
        "details": details,
        "resources": own,
        "tagged_resources": tagged,
        "page_resources": own + len(tagged),
        "reviewers": codeowners.reviewers(co, pid),
        "problems": problems,
    }
