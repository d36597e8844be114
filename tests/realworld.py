"""Where the real partner files are, for tests and benchmarks (read there, never copied)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REAL_WORLD = Path(__file__).resolve().parents[1].parent / "shared" / "real-world"
NOT_PARTNERS = {"central", "_history", "resources"}


def partner_files() -> list[Path]:
    """The 12 real partner collection files, one per partner folder."""
    if not REAL_WORLD.is_dir():
        return []
    return sorted(
        f
        for d in REAL_WORLD.iterdir()
        if d.is_dir() and d.name not in NOT_PARTNERS
        for f in d.glob("*.yaml")
    )


needs_real_world = pytest.mark.skipif(
    not REAL_WORLD.is_dir() and not os.environ.get("CI"),
    reason="../shared/real-world is not next to this checkout (in CI these tests must run)",
)
