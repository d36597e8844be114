"""``bmz init [DIR]``: create a central repository."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = """\
Create a central catalogue repository in DIR (default: the current folder), running
`git init` when DIR is not a repository yet: collection.yaml (a hand-written head with an
empty partner registry, and the part `bmz sync` generates), partners/ for the partner
submodules, and a .pre-commit-config.yaml running the bmz hooks. The new files are staged.
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "init",
        help="create a central repository",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("dir", nargs="?", default=".", metavar="DIR")
    p.add_argument("--id", help="the collection's id (default: from the folder name)")
    p.add_argument("--name", help="the collection's name (default: from the folder name)")
    p.add_argument("--description", help="one sentence about the catalogue")


def run(args: argparse.Namespace) -> int:
    from bmz_collection.engine.central_init import create_central

    created = create_central(
        Path(args.dir).expanduser(), cid=args.id, name=args.name, description=args.description
    )
    print(f"Created a central repository in {created.folder} (staged: {', '.join(created.files)}).")
    print("Next: bmz partner add ID https://github.com/ORG/REPO [--branch B] [--collection-file F]")
    sys.stdout.flush()
    return 0
