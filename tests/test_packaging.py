"""What an install ships: every package folder of the library is listed in pyproject.toml
(setuptools installs only the listed ones, so a missing one fails only in an installed copy, as
pre-commit makes; the try-repo tests would catch it too, but they are slow)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib")
def test_every_package_folder_is_installed() -> None:
    import tomllib

    config = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    tools = PROJECT / "tools"
    found = {
        ".".join(init.parent.relative_to(tools).parts)
        for init in tools.glob("bmz_collection/**/__init__.py")
    }
    assert found - listed == set()
