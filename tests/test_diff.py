"""`bmz diff [REV] [--to REV2]`: the same summary for any two states of the central repository,
read from the central repository alone (pins from gitlinks, resources from the generated part)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .gitrepos import Central, entry, git, make_central, make_partner

pytestmark = pytest.mark.usefixtures("git_env")
GOLDEN = Path(__file__).resolve().parent / "fixtures" / "summary"

DIFF_GOLDEN = (GOLDEN / "diff.md").read_text(encoding="utf-8")
"""The exact Markdown, in ``tests/fixtures/summary/``."""


def diff(central: Central, *argv: str, repo: Path | None = None) -> str:
    code, out, err = central.bmz("diff", *argv, "--repo", str(repo or central.root))
    assert code == 0, err
    return out


def test_diff_between_two_commits_golden(scenario: Central) -> None:
    scenario.sync()
    working = diff(scenario)  # HEAD against the synced (staged) working state
    scenario.commit("sync")
    assert diff(scenario, "HEAD~1", "--to", "HEAD") == DIFF_GOLDEN
    title = "## bmz diff: HEAD~1 → HEAD\n"
    assert working == DIFF_GOLDEN.replace(title, "## bmz diff: HEAD → the working tree\n")
    assert diff(scenario, "HEAD", "--to", "HEAD~1").startswith("## bmz diff: HEAD → HEAD~1\n")


def test_diff_reads_the_central_repository_alone(scenario: Central, tmp_path: Path) -> None:
    """A fresh clone without its submodules (as in CI) gives the same resources; only the
    partner commits in between are missing."""
    scenario.sync()
    scenario.commit("sync")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(scenario.root), str(clone))
    out = diff(scenario, "HEAD~1", "--to", "HEAD", repo=clone)
    assert "**Resources:** 1 added, 1 removed, 2 changed (6 in the collection)" in out
    assert "- `alpha/one`: `description`: `First.` → `First, better.`; `tags`" in out
    assert "**Commits**" not in out
    assert "commits are not available locally" in out
    assert "[compare](https://github.com/example-org/alpha-models/compare/" in out


def test_nothing_changed(scenario: Central) -> None:
    out = diff(scenario)
    assert out == (
        "## bmz diff: HEAD → the working tree\n\n"
        "**Partners:** 0 updated, 4 unchanged  \n"
        "**Resources:** 0 added, 0 removed, 0 changed (6 in the collection)\n\n"
        "Nothing changed.\n"
    )


def test_partners_added_and_removed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    central = make_central(tmp_path, capsys)
    a = make_partner(tmp_path, "alpha")
    assert central.add(a)[0] == 0
    central.commit("alpha")
    b = make_partner(tmp_path, "beta", [entry("one")])
    assert central.add(b)[0] == 0
    assert central.remove("alpha")[0] == 0
    out = diff(central)
    assert "**Partners:** 0 updated, 1 added, 1 removed, 0 unchanged  \n" in out
    assert "**Resources:** 1 added, 2 removed, 0 changed (1 in the collection)" in out
    assert f"### `beta`: new partner at `{b.head()[:7]}`" in out
    assert f"### `alpha`: partner removed (was at `{a.head()[:7]}`)" in out
    assert "- `alpha/alpha-app-0`\n- `alpha/alpha-app-1`\n" in out
    assert "| `beta` | `-` | `" in out


def test_a_hand_edit_shows_as_a_regenerated_partner(scenario: Central) -> None:
    path = scenario.root / "collection.yaml"
    path.write_bytes(scenario.collection.replace(b"description: D1.", b"description: Edited."))
    out = diff(scenario)
    assert "### `delta` at `" in out and ": regenerated" in out
    assert "- `delta/d1`: `description`" in out


def test_unknown_revisions_are_usage_errors(scenario: Central) -> None:
    code, _, err = scenario.bmz("diff", "nope", "--repo", str(scenario.root))
    assert code == 2
    assert "unknown revision 'nope'" in err
    code, out, err = scenario.bmz("diff", "--to", "--upload-pack=x", "--repo", str(scenario.root))
    assert (code, out) == (2, "")
    assert "argument --to: expected one argument" in err  # an option, not a revision
    code, out, err = scenario.bmz("diff", "--to=--upload-pack=x", "--repo", str(scenario.root))
    assert (code, out) == (2, "")
    assert "invalid revision '--upload-pack=x'" in err  # never given to git


def test_a_state_before_the_tool_has_no_entries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An old commit without a generated part (or without collection.yaml) counts as empty."""
    central = make_central(tmp_path, capsys)
    (central.root / "collection.yaml").rename(central.root / "old.yaml")
    central.git("add", "-A")
    central.commit("no collection yet")
    (central.root / "old.yaml").rename(central.root / "collection.yaml")
    a = make_partner(tmp_path, "alpha")
    assert central.add(a)[0] == 0
    out = diff(central)
    assert "**Resources:** 2 added, 0 removed, 0 changed (2 in the collection)" in out
    shutil.rmtree(central.root / ".git" / "modules")
    assert "**Resources:** 2 added" in diff(central)
