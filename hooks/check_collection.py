"""pre-commit entry point ``bmz-check-collection``: ``bmz sync --no-fetch --check`` on the
repository being committed, so a hand edit of the generated part of ``collection.yaml``, or a
partner pin bumped without regenerating, is stopped at commit time. It reads the pins from the
index git is committing from."""

from __future__ import annotations

import argparse
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bmz-check-collection", description=__doc__)
    parser.add_argument("--repo", metavar="DIR", default=".", help="the central repository (.)")
    parser.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    from bmz_collection.cli.main import main as bmz

    return bmz(["sync", "--no-fetch", "--check", "--repo", args.repo])


if __name__ == "__main__":
    raise SystemExit(main())
