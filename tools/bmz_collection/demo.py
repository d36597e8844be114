"""``make demo``: the main job on the bundled example partners, for a newcomer to watch."""

from __future__ import annotations

import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "partners"


def main() -> int:
    from .cli import main as bmz

    shown = EXAMPLES.relative_to(Path.cwd()) if EXAMPLES.is_relative_to(Path.cwd()) else EXAMPLES
    print(f"$ bmz validate {shown}")
    code = bmz(["validate", str(EXAMPLES)])
    print(f"(exit {code})")
    return code


if __name__ == "__main__":
    sys.exit(main())
