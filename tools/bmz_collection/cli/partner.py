"""``bmz partner add|remove|list``: partner submodules and the registry, kept in step."""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bmz_collection.core.findings import Finding
    from bmz_collection.io.git.repo import IndexEntry, Repo

HELP = """\
Manage the partners of a central repository.

  add ID URL     add the partner's repository as a submodule at partners/ID (its branch
                 recorded in .gitmodules), validate its collection at the branch head, and
                 only if it is valid register it in collection.yaml (config.partners) and
                 regenerate the merged part. On any failure everything is rolled back.
  remove ID      undo an add: registry entry, submodule, .gitmodules section, git directory.
  list           id, URL, branch, pinned commit and number of resources of each partner.
  show ID        one partner's page as the catalogue shows it: its details (logo, splash,
                 predefined tags, ...) from the generated part of collection.yaml, the URL of
                 its page and how many resources the page shows (its own, and other
                 partners' resources carrying one of its tags), and who reviews its pin.
  init DIR       scaffold a new partner repository (see `bmz partner init --help`).

Only https:// URLs are accepted; local paths and file:// URLs need --allow-local.
Exit codes: 0 done, 1 the partner's collection has errors (nothing changed; `show`: its page
details have errors), 2 usage or fatal.
"""


ADD_HELP = """\
Add the partner's repository as the submodule partners/ID, following BRANCH (recorded in
.gitmodules). The partner's collection file is validated at the head of that branch; only if it
has no errors is the partner registered in collection.yaml (config.partners) and the merged
part regenerated. On any failure (errors in the collection, a fetch that fails, Ctrl-C)
everything is rolled back. The changes are staged; nothing is committed.

Only https:// URLs are accepted; local paths and file:// URLs need --allow-local.
Exit codes: 0 added, 1 the partner's collection has errors (nothing changed), 2 usage or fatal.
"""

REMOVE_HELP = """\
Remove the partner ID: its registry entry in collection.yaml (config.partners), its entries in
the merged part, its submodule, its .gitmodules section and its git directory. The changes are
staged; nothing is committed.

Exit codes: 0 removed, 2 usage or fatal (an unknown partner id, for one).
"""

LIST_HELP = """\
List the partners of the central repository: id, URL, branch, pinned commit and number of
resources of each, from collection.yaml and the submodule pins.

Exit codes: 0, 2 usage or fatal.
"""

SHOW_HELP = """\
Show the partner ID's page as the catalogue shows it: its details (logo, splash screen,
predefined tags, ...) from the generated part of collection.yaml, the URL of its page, how many
resources the page shows (its own, and other partners' resources carrying one of its tags),
and who reviews its pin.

Exit codes: 0, 1 its page details have errors, 2 usage or fatal.
"""


def _action(
    actions: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    description: str,
) -> argparse.ArgumentParser:
    return actions.add_parser(
        name,
        help=summary,
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "partner",
        help="add, remove, list, show or scaffold partners",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    add = _action(actions, "add", "add a partner (validated first)", ADD_HELP)
    add.add_argument("id", metavar="ID", help="the partner id: the folder partners/ID")
    add.add_argument("url", metavar="URL", help="the partner repository (https://)")
    add.add_argument("--branch", default="main", help="the partner's branch (main)")
    add.add_argument(
        "--collection-file",
        default="collection.yaml",
        metavar="F",
        help="the collection file in the partner repository (collection.yaml)",
    )
    add.add_argument("--allow-local", action="store_true", help="allow local paths and file://")
    add.add_argument(
        "--timeout", type=float, default=300.0, metavar="SECONDS", help="fetch timeout (300)"
    )
    add.add_argument("--repo", metavar="DIR", default=".", help="the central repository (.)")
    remove = _action(actions, "remove", "remove a partner", REMOVE_HELP)
    remove.add_argument("id", metavar="ID", help="the partner id")
    remove.add_argument("--repo", metavar="DIR", default=".", help="the central repository (.)")
    listing = _action(actions, "list", "list partners", LIST_HELP)
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.add_argument("--repo", metavar="DIR", default=".", help="the central repository (.)")
    show = _action(actions, "show", "show a partner's page: details, URL and counts", SHOW_HELP)
    show.add_argument("id", metavar="ID", help="the partner id")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.add_argument("--repo", metavar="DIR", default=".", help="the central repository (.)")
    init = _partner_init()
    if init is not None:
        init.add_init_parser(actions)


def _partner_init() -> Any:
    """``bmz partner init`` (scaffolding a partner repository) lives in its own module."""
    try:
        from bmz_collection.cli import partner_init
    except ModuleNotFoundError as exc:  # not built yet
        if exc.name == f"{__package__}.partner_init":
            return None
        raise
    return partner_init


def run(args: argparse.Namespace) -> int:
    if args.action == "add":
        return _run_add(args)
    if args.action == "remove":
        return _run_remove(args)
    if args.action == "list":
        return _run_list(args)
    if args.action == "show":
        return _run_show(args)
    return int(_partner_init().run_init(args))


# -- add -------------------------------------------------------------------------------------


class Rejected(Exception):
    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("the partner's collection has errors")
        self.findings = findings


@dataclass
class _Snapshot:
    """Everything ``partner add`` may touch, to put back exactly on failure."""

    path: str
    module_dir: Path
    gitmodules: bytes | None
    index: dict[str, IndexEntry | None]
    collection: bytes
    path_existed: bool
    codeowners: bytes | None

    @classmethod
    def take(cls, repo: Repo, path: str, module_dir: Path) -> _Snapshot:
        from bmz_collection.core.central import FILE_NAME
        from bmz_collection.core.codeowners import PATH

        gm = repo.root / ".gitmodules"
        co = repo.root / PATH
        return cls(
            path=path,
            module_dir=module_dir,
            gitmodules=gm.read_bytes() if gm.exists() else None,
            index={p: repo.index_entry(p) for p in (".gitmodules", FILE_NAME, PATH)},
            collection=(repo.root / FILE_NAME).read_bytes(),
            path_existed=(repo.root / path).exists(),
            codeowners=co.read_bytes() if co.exists() else None,
        )

    def restore(self, repo: Repo) -> None:
        from bmz_collection.core.central import FILE_NAME
        from bmz_collection.core.codeowners import PATH
        from bmz_collection.io import fsio

        root = repo.root
        if not self.path_existed:
            shutil.rmtree(root / self.path, ignore_errors=True)
        shutil.rmtree(self.module_dir, ignore_errors=True)
        gm = root / ".gitmodules"
        if self.gitmodules is None:
            with contextlib.suppress(FileNotFoundError):
                gm.unlink()
        elif not gm.exists() or gm.read_bytes() != self.gitmodules:
            fsio.atomic_write(gm, self.gitmodules)
        if (root / FILE_NAME).read_bytes() != self.collection:
            fsio.atomic_write(root / FILE_NAME, self.collection)
        co = root / PATH
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


def add_partner(
    start: Path,
    pid: str,
    url: str,
    *,
    branch: str,
    collection_file: str,
    allow_local: bool,
    timeout: float,
) -> tuple[str, int]:
    """Add and register a partner; (pinned commit, number of resources). Rolls back on any
    failure, including an interruption."""
    from bmz_collection.core import central, codeowners, policy
    from bmz_collection.core.errors import FatalError
    from bmz_collection.engine import sync
    from bmz_collection.io import codeowners_file, fsio, lock
    from bmz_collection.io.git.objects import resolve_commit
    from bmz_collection.io.git.repo import Repo

    pid = policy.check_partner_id(pid)
    url = policy.check_url(url, allow_local=allow_local)
    policy.check_branch(branch)
    policy.check_collection_file(collection_file)
    repo = Repo.discover(start, allow_local=allow_local)
    with lock.exclusive(repo.common_dir):
        _, cf = sync.load_central(repo)
        if any(p.id == pid for p in cf.registry):
            raise FatalError(f"partner {pid!r} is already registered in {central.FILE_NAME}")
        partner = central.Partner(pid, url, branch, collection_file)
        path = partner.path
        module_dir = repo.module_dir(path)
        target = repo.root / path
        if target.is_symlink() or (
            target.exists() and (not target.is_dir() or any(target.iterdir()))
        ):
            raise FatalError(f"{path} already exists; remove it first")
        if repo.index_entries(path):
            raise FatalError(
                f"{path} is already in the index (`bmz partner remove {pid}` cleans up)"
            )
        modules = repo.gitmodules()
        if path in modules or any(cfg.get("path") == path for cfg in modules.values()):
            raise FatalError(
                f".gitmodules already has {path} (`bmz partner remove {pid}` cleans up)"
            )
        if module_dir.exists():
            raise FatalError(f"{module_dir} already exists (`bmz partner remove {pid}` cleans up)")
        snapshot = _Snapshot.take(repo, path, module_dir)
        try:
            repo.git.run(
                "submodule",
                "add",
                "--quiet",
                "--branch",
                branch,
                "--name",
                path,
                "--",
                url,
                path,
                timeout=timeout,
                what="git submodule add",
            )
            head = resolve_commit(module_dir, "HEAD")
            result = sync.evaluate(module_dir, head, partner, validate=True)
            if not result.ok:
                raise Rejected(result.findings)
            new_head = central.add_partner(cf.head, partner)
            after, results = sync.regenerate(repo, new_head)
            co_before, co_after, _ = sync.review_routing(repo, results)
            fsio.atomic_write(repo.root / central.FILE_NAME, after)
            stage = [central.FILE_NAME]
            if co_after is not None and co_after != co_before:
                codeowners_file.write(repo.root, co_after)
                stage.append(codeowners.PATH)
            repo.update_index([], stage)
        except BaseException:
            snapshot.restore(repo)
            raise
    mine = next(r for r in results if r.id == pid)
    return head, len(mine.entries)


def _run_add(args: argparse.Namespace) -> int:
    from bmz_collection.io.git.process import GitError

    try:
        head, count = add_partner(
            Path(args.repo),
            args.id,
            args.url,
            branch=args.branch,
            collection_file=args.collection_file,
            allow_local=args.allow_local,
            timeout=args.timeout,
        )
    except Rejected as exc:
        for f in exc.findings:
            print(f.one_line())
        print(
            f"bmz partner add: error: {args.id}: the collection at the head of {args.branch!r} "
            "has errors; nothing was added",
            file=sys.stderr,
        )
        return 1
    except GitError as exc:
        raise GitError(f"{args.id}: {exc}; nothing was added") from None
    print(
        f"Added partner {args.id} at {head[:7]} with {count} resource(s) (staged; not committed)."
    )
    return 0


# -- remove ----------------------------------------------------------------------------------


def remove_partner(start: Path, pid: str) -> None:
    from bmz_collection.core import central, codeowners, policy
    from bmz_collection.core.errors import FatalError
    from bmz_collection.engine import sync
    from bmz_collection.io import codeowners_file, fsio, lock
    from bmz_collection.io.git.repo import Repo

    pid = policy.check_partner_id(pid)
    repo = Repo.discover(start, allow_local=True)
    with lock.exclusive(repo.common_dir):
        before, cf = sync.load_central(repo)
        registered = any(p.id == pid for p in cf.registry)
        path = f"{central.PARTNERS_DIR}/{pid}"
        modules = repo.gitmodules()
        name = next((n for n, cfg in modules.items() if cfg.get("path") == path), None)
        module_dir = repo.module_dir(name or path)
        in_index = bool(repo.index_entries(path))
        if not (registered or name or in_index or module_dir.exists()):
            raise FatalError(f"unknown partner {pid!r}")
        new_head = central.remove_partner(cf.head, pid) if registered else cf.head
        after, results = sync.regenerate(repo, new_head)
        co_before, co_after, _ = sync.review_routing(repo, results)
        if after != before:
            fsio.atomic_write(repo.root / central.FILE_NAME, after)
        stage = [central.FILE_NAME]
        if co_after is not None and co_after != co_before:
            codeowners_file.write(repo.root, co_after)
            stage.append(codeowners.PATH)
        gone = [path] if in_index else []
        gm = repo.root / ".gitmodules"
        if name is not None:
            repo.git.run("config", "--file", ".gitmodules", "--remove-section", f"submodule.{name}")
            left = repo.git.run("config", "--file", ".gitmodules", "--list", check=False).text
            if left.strip():
                stage.append(".gitmodules")
            else:
                gm.unlink()
                gone.append(".gitmodules")
        if gone:
            repo.remove_from_index(gone)
        repo.update_index([], stage)
        repo.git.run("config", "--remove-section", f"submodule.{name or path}", check=False)
        shutil.rmtree(repo.root / path, ignore_errors=True)
        shutil.rmtree(module_dir, ignore_errors=True)


def _run_remove(args: argparse.Namespace) -> int:
    remove_partner(Path(args.repo), args.id)
    print(f"Removed partner {args.id} (staged; not committed).")
    return 0


# -- list ------------------------------------------------------------------------------------


def list_partners(start: Path) -> list[dict[str, Any]]:
    from bmz_collection.core import central
    from bmz_collection.engine import sync
    from bmz_collection.io.git.repo import Repo

    repo = Repo.discover(start, allow_local=True)
    _, cf = sync.load_central(repo)
    gitlinks = repo.gitlinks(central.PARTNERS_DIR + "/")
    modules = {cfg.get("path"): name for name, cfg in repo.gitmodules().items()}
    from bmz_collection.io.config import load_style

    cache = sync.RenderCache(repo, load_style(repo.root), writable=False)
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
                resources = len(sync.evaluate(module_dir, pin, p, validate=False).entries)
            except sync.MissingCommit:
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


def _run_list(args: argparse.Namespace) -> int:
    rows = list_partners(Path(args.repo))
    if args.format == "json":
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    if not rows:
        print("no partners (add one with `bmz partner add ID URL`)")
        return 0
    table = [("ID", "BRANCH", "PIN", "RESOURCES", "URL")]
    for r in rows:
        table.append(
            (
                r["id"],
                r["branch"],
                (r["pin"] or "-")[:7],
                "-" if r["resources"] is None else str(r["resources"]),
                r["url"],
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    for row in table:
        print(
            "  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths, strict=True))
            + "  "
            + row[4]
        )
    return 0


# -- show ------------------------------------------------------------------------------------


def show_partner(start: Path, pid: str) -> dict[str, Any]:
    """A partner's page as the committed merged file publishes it (not recomputed from the
    pins: `bmz sync --check` says whether the file is current)."""
    from bmz_collection.core import central, codeowners
    from bmz_collection.core.errors import FatalError
    from bmz_collection.engine import sync
    from bmz_collection.io.git.repo import Repo

    repo = Repo.discover(start, allow_local=True)
    _, cf = sync.load_central(repo)
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


def _run_show(args: argparse.Namespace) -> int:
    info = show_partner(Path(args.repo), args.id)
    code = 1 if info["problems"] else 0
    if args.format == "json":
        json.dump(info, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return code
    d = info["details"]
    rows: list[tuple[str, str]] = [
        (
            "repository",
            f"{info['url']} (branch {info['branch']}, {info['collection_file_name']})",
        ),
        ("pin", (info["pin"] or "-")[:7]),
        ("page", str(info["page"])),
    ]
    for key, label in (
        ("logo", "logo"),
        ("icon", "icon"),
        ("background_image", "background"),
        ("splash_title", "splash title"),
        ("splash_subtitle", "subtitle"),
        ("explore_button_text", "button"),
    ):
        if key in d:
            rows.append((label, str(d[key])))
    for feature in d.get("splash_feature_list") or []:
        rows.append(("feature", str(feature)))
    if d.get("tags"):
        rows.append(("tags", ", ".join(map(str, d["tags"]))))
    if d.get("resource_types"):
        default = f" (default {d['default_type']})" if d.get("default_type") else ""
        rows.append(("types", ", ".join(map(str, d["resource_types"])) + default))
    own, tagged = info["resources"], len(info["tagged_resources"])
    rows.append(
        (
            "resources",
            f"{own} own + {tagged} of other partners through its tags = "
            f"{info['page_resources']} on its page",
        )
    )
    reviewers = info["reviewers"]
    rows.append(
        (
            "reviewers",
            " ".join("@" + u for u in reviewers)
            if reviewers
            else "none (no maintainer with a GitHub user)"
            if reviewers is not None
            else "- (no generated section in .github/CODEOWNERS)",
        )
    )
    print(f"{info['id']}: {d.get('name', info['id'])}")
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label.ljust(width)}  {value}")
    for p in info["problems"]:
        print(f"  error: {p}")
    return code
