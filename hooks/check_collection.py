"""pre-commit entry point ``bmz-check-collection``: ``bmz sync --no-fetch --check`` on the
repository being committed, so a hand edit of the generated part of ``collection.yaml``, or a
partner pin bumped without regenerating, is stopped at commit time. It reads the pins from the
index git is committing from."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bmz-check-collection", description=__doc__)
    parser.add_argument("--repo", metavar="DIR", default=".", help="the central repository (.)")
    parser.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    from pathlib import Path

    from bmz_collection.cli.main import main as bmz
    from bmz_collection.core.errors import FatalError
    from bmz_collection.engine import partner_repository

    try:
        partner_repository.refuse(Path(args.repo), *partner_repository.CHECK_HOOK)
    except FatalError as exc:
        print(f"bmz-check-collection: error: {exc}", file=sys.stderr)
        return 2
    return bmz(["sync", "--no-fetch", "--check", "--repo", args.repo])


if __name__ == "__main__":
    raise SystemExit(main())
