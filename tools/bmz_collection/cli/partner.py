"""``bmz partner add|remove|list|show``: arguments, output and exit codes; the transactions and
the data are ``engine.partners``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bmz_collection.core import limits

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

The registry (config.partners) is the truth: `add` and `remove` are conveniences that edit it
and reconcile at once; editing the registry and running `bmz sync` does the same.
Only https:// URLs are accepted; local paths and file:// URLs need --allow-local.
Exit codes: 0 done, 1 the partner's collection has errors (nothing changed; `show`: its page
details have errors), 2 usage or fatal.
"""


ADD_HELP = """\
Add the partner's repository as the submodule partners/ID, following BRANCH (recorded in
.gitmodules, with `update = none`: clones of the central repository and hook installs do not
fetch it; `bmz sync` does). The partner's collection file is validated at the head of that
branch (or at --rev REV: a commit, tag or branch, to move a catalogue over at its pins); only
if it has no errors is the partner registered in collection.yaml
(config.partners) and the merged part regenerated. On any failure (errors in the collection,
a fetch that fails, Ctrl-C) everything is rolled back. The changes are staged; nothing is committed.

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
        "--rev",
        metavar="REV",
        help="pin this commit, tag or branch instead of the branch head (resolved after the "
        "fetch; validated like the head): moving a catalogue over at its existing pins",
    )
    add.add_argument(
        "--collection-file",
        default="collection.yaml",
        metavar="F",
        help="the collection file in the partner repository (collection.yaml)",
    )
    add.add_argument("--allow-local", action="store_true", help="allow local paths and file://")
    add.add_argument(
        "--timeout",
        type=float,
        default=limits.FETCH_TIMEOUT,
        metavar="SECONDS",
        help=f"fetch timeout ({limits.FETCH_TIMEOUT:g})",
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


def _run_add(args: argparse.Namespace) -> int:
    from bmz_collection.engine.partners import add_partner
    from bmz_collection.engine.sync.membership import Rejected
    from bmz_collection.io.git.process import GitError
    from bmz_collection.report.findings import errors_first

    try:
        head, count = add_partner(
            Path(args.repo),
            args.id,
            args.url,
            branch=args.branch,
            collection_file=args.collection_file,
            allow_local=args.allow_local,
            timeout=args.timeout,
            rev=args.rev,
        )
    except Rejected as exc:
        for f in errors_first(exc.findings):
            print(f.one_line())
        where = (
            f"the head of {args.branch!r}"
            if args.rev is None
            else f"--rev {args.rev!r} ({(exc.commit or '')[:7]})"
        )
        print(
            f"bmz partner add: error: {args.id}: the collection at {where} has errors; "
            "nothing was added",
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


def _run_remove(args: argparse.Namespace) -> int:
    from bmz_collection.engine.partners import remove_partner

    remove_partner(Path(args.repo), args.id)
    print(f"Removed partner {args.id} (staged; not committed).")
    return 0


# -- list ------------------------------------------------------------------------------------


def _run_list(args: argparse.Namespace) -> int:
    from bmz_collection.engine.partners import list_partners

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


def _run_show(args: argparse.Namespace) -> int:
    from bmz_collection.engine.partners import show_partner

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
