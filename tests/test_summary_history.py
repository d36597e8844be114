"""Issue 11, reviewers: the summary of a sync built like a real partner's history, exact
(tests/fixtures/summary/history.md): values old -> new with nested paths and long values cut,
one change made to many resources grouped, every cut list counted, the warnings new since
the old pin, and a held-back partner's first broken commit and how far its branch is ahead."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import history_scenario
from .gitrepos import Central

pytestmark = pytest.mark.usefixtures("git_env")
GOLDEN = Path(__file__).resolve().parent / "fixtures" / "summary" / "history.md"


@pytest.fixture
def history(tmp_path: Path, capsys: pytest.CaptureFixture[str], git_env: None) -> Central:
    return history_scenario.build(tmp_path, capsys)


def test_history_summary_golden(history: Central) -> None:
    code, out, err = history.sync("--summary", "-")
    assert code == 1, err
    assert out == GOLDEN.read_text(encoding="utf-8")


def test_the_text_report_shows_new_warnings_and_since_when(history: Central) -> None:
    code, out, _ = history.sync()
    assert code == 1
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("partners/biapy: held back"))
    assert lines[start + 1 : start + 3] == [
        "  branch 'main' is 61 commit(s) ahead of the pin",
        lines[start + 2],
    ]
    assert lines[start + 2].startswith("  first commit with errors: ")
    assert lines[start + 2].endswith(" Add the instance segmentation workflow (2024-01-01)")
    dl = next(i for i, ln in enumerate(lines) if ln.startswith("partners/dl4mic: "))
    assert lines[dl + 1] == "  1 new warning(s) since " + lines[dl].split()[1] + ":"
    assert "'Custom-Licence' is not an SPDX licence id" in lines[dl + 2]


# -- the pure parts ------------------------------------------------------------------------------


def test_field_changes_reach_nested_values() -> None:
    from bmz_collection.engine.values import MISSING, FieldChange, field_changes

    old = {"a": 1, "config": {"x": {"version": "2.0.0"}, "gone": True}, "tags": ["t"]}
    new = {"a": 1, "config": {"x": {"version": "2.1.0"}}, "tags": ["t", "u"], "license": "MIT"}
    assert field_changes(old, new) == [
        FieldChange("config.x.version", "2.0.0", "2.1.0"),
        FieldChange("config.gone", True, MISSING),
        FieldChange("tags", ["t"], ["t", "u"]),
        FieldChange("license", MISSING, "MIT"),
    ]


def test_identical_changes_are_grouped_and_the_rest_is_per_resource() -> None:
    from bmz_collection.engine.changes import PartnerChange, ResourceChanges, Summary
    from bmz_collection.engine.values import MISSING, FieldChange
    from bmz_collection.report import summary

    lic = FieldChange("license", MISSING, "CC-BY-4.0")
    values = [(f"p/r{i}", [lic]) for i in range(5)]
    long_tags = [f"tag-{i}" for i in range(20)]
    values.append(("p/x", [FieldChange("tags", long_tags, [*long_tags[1:], "new"])]))
    ch = ResourceChanges(changed=[(rid, []) for rid, _ in values], values=values)
    text = summary.render(
        Summary("t", [PartnerChange("p", "updated", "1" * 40, "2" * 40, changes=ch)], 6)
    )
    assert (
        "- `license` added: `CC-BY-4.0` on 5 resources (`p/r0`, `p/r1`, `p/r2` and 2 more)" in text
    )
    assert "- `p/x`: `tags` (20 → 20 items): added `new`; removed `tag-0`" in text
