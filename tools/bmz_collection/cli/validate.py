"""``bmz validate``: what the central catalogue will accept, with the line to fix."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from bmz_collection.engine.validate import Validation

HELP = """\
Validate BioImage.IO RDF files: partner collections (every entry resolved as the catalogue
resolves it), generic RDFs (application, dataset, notebook) and model RDFs (0.4, 0.5). The
kind of each file is detected from its content. Folders are searched for RDF file names.

Output lines look like `path:line:col: error: message (location) [rule]`.
Exit codes: 0 valid, 1 findings (errors, or warnings with --strict; a readable file that is
not valid YAML, or has duplicate keys, non-string keys or tags, is a finding too), 2 usage
error or a file that cannot be read (missing, not a regular file, too large).
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "validate",
        help="validate RDF files (collections, RDFs, models)",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="RDF files or folders to search")
    p.add_argument(
        "--format",
        choices=("text", "json", "github"),  # report.findings.FORMATS, not imported: start-up
        default="text",
        help="text lines (default), one JSON object, or GitHub workflow annotations",
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")


def exit_code(validation: Validation) -> int:
    """2 when a file could not be read (or did not exist), 1 for errors, else 0."""
    if not validation.readable:
        return 2
    return 1 if validation.errors else 0


def validate_paths(
    paths: Sequence[Path], *, fmt: str, strict: bool, out: TextIO, err: TextIO | None
) -> int:
    """Validate, report in ``fmt``, and the exit code: the whole command without argparse."""
    from bmz_collection.engine.validate import check_paths
    from bmz_collection.report import findings as report

    validation = check_paths(paths, strict=strict)
    report.write(validation, fmt, out, err)
    return exit_code(validation)


def run(args: argparse.Namespace) -> int:
    return validate_paths(
        [Path(p) for p in args.paths],
        fmt=args.format,
        strict=args.strict,
        out=sys.stdout,
        err=None if args.quiet else sys.stderr,
    )
