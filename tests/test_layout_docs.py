"""The layout docs hold as the code moves: every module over 400 lines is named in
docs/CONTRIBUTING.md with its reason, and every folder the README's layout table names
exists."""

from __future__ import annotations

import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PACKAGE = PROJECT / "tools" / "bmz_collection"
LONG = 400


def test_every_long_module_is_explained_in_contributing() -> None:
    text = (PROJECT / "docs" / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("### Modules over 400 lines", 1)[-1].split("\n## ", 1)[0]
    explained = dict(re.findall(r"^\| `([^`]+)` \| (\d+) \| \S", section, re.MULTILINE))
    long = {
        path.relative_to(PACKAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    missing = sorted(name for name, lines in long.items() if lines > LONG and name not in explained)
    assert missing == [], "explain these in CONTRIBUTING's 'Modules over 400 lines'"
    stale = sorted(name for name in explained if long.get(name, 0) <= LONG)
    assert stale == [], "these are no longer over 400 lines: drop their rows"


def test_the_readme_layout_names_folders_that_exist() -> None:
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    table = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    paths = re.findall(r"^\| `([^`]+/)` \|", table, re.MULTILINE)
    assert len(paths) >= 10
    assert [p for p in paths if p != "partners/" and not (PROJECT / p).is_dir()] == []
