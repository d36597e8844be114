"""``bmz diff [REV] [--to REV2]``: the change summary between two states of the central
repository."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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

Exit codes: 0 printed, 2 usage or fatal error: an unknown revision, or git failing to read a
state (a state without collection.yaml is not an error: it has no entries).
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


def run(args: argparse.Namespace) -> int:
    from bmz_collection.engine import history
    from bmz_collection.io.git.repo import Repo
    from bmz_collection.report import summary

    repo = Repo.discover(Path(args.repo), allow_local=True)
    old = history.state_at(repo, args.rev)
    new = history.state_at(repo, args.to) if args.to else history.working_state(repo)
    sys.stdout.write(summary.render(history.summarise(repo, old, new)))
    return 0
