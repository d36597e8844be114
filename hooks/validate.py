"""pre-commit entry point ``bmz-validate``: the files pre-commit passes, checked like
``bmz validate`` does (the same library call), with text output."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bmz_collection.errors import FatalError
from bmz_collection.validate import validate_paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bmz-validate", description=__doc__)
    parser.add_argument("files", nargs="*", metavar="FILE")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text")
    args = parser.parse_args(argv)
    if not args.files:
        return 0
    try:
        return validate_paths(
            [Path(f) for f in args.files],
            fmt=args.format,
            strict=args.strict,
            out=sys.stdout,
            err=None,
        )
    except FatalError as exc:
        print(f"bmz-validate: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
