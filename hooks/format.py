"""pre-commit entry point ``bmz-format``: ``bmz format`` on the files pre-commit passes (a fixer:
exit 1 when it changed a file, so the commit stops and the change can be reviewed)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from bmz_collection.cli.main import main as bmz


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not any(not a.startswith("-") for a in args):
        return 0  # no files: nothing to format
    return bmz(["format", "--quiet", *args])


if __name__ == "__main__":
    raise SystemExit(main())
