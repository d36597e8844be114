"""pre-commit entry point ``bmz-validate``: ``bmz validate`` on the files pre-commit passes
(options such as ``--strict`` or ``--format github`` go in the hook's ``args``)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from bmz_collection.cli.main import main as bmz


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not any(not a.startswith("-") for a in args):
        return 0  # no files: nothing to validate
    return bmz(["validate", *args])  # its findings, errors first, then the count line


if __name__ == "__main__":
    raise SystemExit(main())
