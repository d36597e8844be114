"""``bmz sync``: advance partner pins to valid commits and regenerate ``collection.yaml``."""

from __future__ import annotations

import argparse
import sys

from bmz_collection.core import limits

HELP = """\
Fetch each partner's branch (in parallel), validate the partner's collection at the new head
from git objects, advance the partner's pin (its submodule gitlink) only when the collection
has no errors, and regenerate the merged part of collection.yaml in place from the pins.
A partner whose new head is broken, or whose fetch fails, keeps its pin and its entries.
Changes are staged (gitlinks and collection.yaml); nothing is committed.

The registry (config.partners in collection.yaml) decides: a registered partner without a
submodule is added (only when its collection validates; otherwise it stays "pending", with no
entries), a submodule no longer registered is removed, and a changed URL or branch is applied.
Partner submodules are marked `update = none`, so clones and hook installs fetch no partner.

The generated section of .github/CODEOWNERS asks each partner's maintainers (their
`github_user` in the partner's collection) to review the partner's pin bumps; the rest of that
file is yours and stays as it is. The section is added when a partner has maintainers.

--check writes nothing: it compares collection.yaml and the CODEOWNERS section with what the
pins in the index give (CI and the `bmz-check-collection` hook use `bmz sync --no-fetch --check`),
and fails on a submodule the registry does not list or a URL or branch that differs from it;
a pending partner is not an error.

--summary FILE writes Markdown for a pull request body (`-`: stdout, the text report then goes
to stderr): totals, each partner's old and new commit with a GitHub compare link, its commits,
the resources added, removed and changed (each changed value old -> new, a change made to
many resources listed once with their count), the warnings new since the old pin, partners
held back with their errors, how far their branch is ahead and its first broken commit.
`bmz diff` writes the same for any two states of the repository.

Exit codes: 0 all partners current (--check: collection.yaml matches the pins), 1 a partner
held back or its add failed (--check: collection.yaml differs, or a registry conflict), 2 usage
or fatal error.
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "sync",
        help="advance partner pins to valid commits; regenerate collection.yaml",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--partner",
        action="append",
        default=[],
        metavar="ID",
        help="only fetch and advance this partner (repeatable); the others keep their pins",
    )
    p.add_argument("--no-fetch", action="store_true", help="regenerate from the current pins")
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when collection.yaml differs from what the pins give",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=limits.SYNC_JOBS,
        metavar="N",
        help=f"parallel fetches ({limits.SYNC_JOBS})",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=limits.FETCH_TIMEOUT,
        metavar="SECONDS",
        help=f"per-partner fetch timeout ({limits.FETCH_TIMEOUT:g})",
    )
    p.add_argument("--summary", metavar="FILE", help="write a Markdown summary (`-`: stdout)")
    p.add_argument(
        "--allow-local",
        action="store_true",
        help="allow partner repositories given as local paths or file:// URLs",
    )
    p.add_argument("--repo", metavar="DIR", default=".", help="the central repository (.)")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bmz_collection.core.errors import UsageError
    from bmz_collection.engine import partner_repository
    from bmz_collection.engine.sync import Options, sync
    from bmz_collection.report.progress import TerminalBar
    from bmz_collection.report.sync_text import check_lines, report_lines, summary_line

    partner_repository.refuse(Path(args.repo), *partner_repository.SYNC)
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.timeout <= 0:
        raise UsageError("--timeout must be positive")
    if args.summary and args.summary != "-":
        writable(args.summary)
    options = Options(
        partners=tuple(args.partner),
        fetch=not args.no_fetch,
        check=args.check,
        jobs=args.jobs,
        allow_local=args.allow_local,
        timeout=args.timeout,
        progress=TerminalBar(sys.stderr),
    )
    result = sync(Path(args.repo), options)
    out = sys.stderr if args.summary == "-" else sys.stdout
    for line in [*report_lines(result), *check_lines(result)]:
        print(line, file=out)
    print(summary_line(result), file=sys.stderr)
    if args.summary:
        from bmz_collection.engine.changes import from_sync
        from bmz_collection.report import summary

        write_text(args.summary, summary.render(from_sync(result)))
    return result.exit_code


def writable(target: str) -> None:
    """``--summary FILE`` is checked before the sync, not after it: its folder must exist and
    be writable, and FILE must not be a folder."""
    import os
    from pathlib import Path

    from bmz_collection.core.errors import UsageError

    path = Path(target)
    folder = path.parent
    if path.is_dir():
        raise UsageError(f"--summary {target}: is a folder")
    if not folder.is_dir():
        raise UsageError(f"--summary {target}: folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"--summary {target}: not writable")


def write_text(target: str, text: str) -> None:
    """``--summary FILE``: written atomically; ``-`` is stdout."""
    from pathlib import Path

    from bmz_collection.core.errors import FatalError
    from bmz_collection.io.fsio import atomic_write

    if target == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        atomic_write(Path(target), text.encode("utf-8"))
    except OSError as exc:
        raise FatalError(f"cannot write {target}: {exc.strerror or exc}") from None
