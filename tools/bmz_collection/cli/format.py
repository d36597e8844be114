"""``bmz format``: one canonical layout for RDF files, never at the cost of data or comments."""

from __future__ import annotations

import argparse
import sys

HELP = """\
Rewrite RDF YAML files in one canonical layout: 2-space indentation, block sequences indented
under their key, one space after a dash, LF line endings, exactly one final newline, no trailing
spaces, no tabs used as spaces. Everything else stays as written: key order, comments, blank
lines, quotes, flow lists, block scalars, anchors, document markers; lines are never wrapped.
Each result is checked before it is written: it loads to the same data, formatting it again
changes nothing and every comment is still there. Files already in canonical form are not
touched. Folders are searched for RDF file names. The indentation can be tuned in the
repository's pyproject.toml:

  [tool.bmz.format]
  indent = 2                # spaces per mapping level
  indent-sequences = true   # `key:\\n  - item` (false: `key:\\n- item`)

Exit codes: 0 nothing to change, 1 files changed (or would change with --check/--diff), or a
readable file that is not valid YAML (a finding), 2 usage error, a file that cannot be read
(missing, not a regular file, too large) or could not be formatted safely.
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "format",
        help="format RDF files in the canonical style (comments and data kept)",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="RDF files or folders to search")
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list the files that would change and exit 1 if there are any",
    )
    p.add_argument(
        "--diff",
        action="store_true",
        help="write nothing; print a unified diff of the changes (exit 1 if there are any)",
    )
    p.add_argument(
        "--upgrade",
        action="store_true",
        help="also upgrade: 0.2.0/0.2.1 typed lists into `collection`, and generic 0.2.x "
        "resources (files and collection entries) to today's 0.3.x as bioimageio.spec converts "
        "them; checked like formatting, comments kept; fields that need a person are named",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bmz_collection.engine.format_files import format_paths

    return format_paths(
        [Path(p) for p in args.paths],
        check=args.check,
        diff=args.diff,
        upgrade=args.upgrade,
        out=sys.stdout,
        err=sys.stderr,
        quiet=args.quiet,
    )
