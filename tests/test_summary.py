"""`bmz sync --summary`: the Markdown a reviewer reads as the pull request body, exact for a fixed
scenario (fixed identities and dates, partner files written literally: stable commit hashes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bmz_collection.core.findings import Finding, Severity
from bmz_collection.engine import changes
from bmz_collection.report import summary

from .gitrepos import Central

pytestmark = pytest.mark.usefixtures("git_env")
GOLDEN = Path(__file__).resolve().parent / "fixtures" / "summary"

SYNC_GOLDEN = (GOLDEN / "sync.md").read_text(encoding="utf-8")
"""The exact Markdown, in ``tests/fixtures/summary/``."""


def test_sync_summary_golden(scenario: Central) -> None:
    code, out, err = scenario.sync("--summary", "-")
    assert code == 1, err
    assert out == SYNC_GOLDEN
    # the text report moved to stderr, so stdout is the Markdown alone
    assert "partners/alpha: 5fdebc6 -> 2b83144 (1 added, 2 changed, 0 removed)" in err
    assert "partners/beta: held back at 0db5afb" in err


def test_the_summary_file_is_the_same_markdown(scenario: Central, tmp_path: Path) -> None:
    target = tmp_path / "out" / "summary.md"
    target.parent.mkdir()
    code, out, _ = scenario.sync("--summary", str(target))
    assert code == 1
    assert target.read_text(encoding="utf-8") == SYNC_GOLDEN
    assert "partners/alpha: 5fdebc6 -> 2b83144" in out  # the report stays on stdout


def test_the_sync_scenario_pins_are_stable(scenario: Central) -> None:
    """The golden's hashes come from the literal files, identities and dates alone."""
    pins = scenario.pins()
    assert {k: v[:7] for k, v in pins.items()} == {
        "alpha": "5fdebc6",
        "beta": "0db5afb",
        "delta": "e1b3a54",
        "gamma": "d4b92b2",
    }


# -- the pure parts ------------------------------------------------------------------------------


def test_partner_text_is_code_and_cannot_break_out() -> None:
    assert summary.code("abc") == "`abc`"
    assert summary.code("a `b` c") == "``a `b` c``"
    assert summary.code("`x``") == "``` `x`` ```"
    assert summary.code("two\nlines") == "`two lines`"
    assert summary.plain("see @user in #12 [x](y)") == "see \\@user in \\#12 \\[x\\](y)"


@pytest.mark.parametrize(
    ("url", "repo"),
    [
        ("https://github.com/ilastik/bioimage-io-resources", "ilastik/bioimage-io-resources"),
        ("https://github.com/ilastik/bioimage-io-resources.git", "ilastik/bioimage-io-resources"),
        ("https://GitHub.com/a/b/", "a/b"),
        ("https://gitlab.com/a/b", None),
        ("https://github.com/a", None),
        ("https://github.com/a/b/tree/main", None),
        ("/srv/partners/a", None),
    ],
)
def test_compare_links_only_for_github(url: str, repo: str | None) -> None:
    link = summary.compare_url(url, "1" * 40, "2" * 40)
    if repo is None:
        assert link is None
    else:
        assert link == f"https://github.com/{repo}/compare/{'1' * 40}...{'2' * 40}"


def test_compare_reads_the_generated_parts() -> None:
    from bmz_collection.core import central
    from bmz_collection.core.central import Partner, PartnerBlock

    def raw(entries: list[dict[str, object]], logo: str = "L") -> bytes:
        block = PartnerBlock(Partner("p", "p"), {"logo": logo}, entries=entries)
        return central.render(b"id: c\n", [block])

    one: dict[str, object] = {"id": "p/one", "type": "application", "description": "|x|"}
    two: dict[str, object] = {"id": "p/two", "type": "dataset", "tags": ["- id: p/fake"]}
    before = raw([one, two])
    after = raw([{**one, "description": "multi\n- id: p/fake\n"}, {"id": "p/three"}], logo="M")
    ch = changes.compare(before, after)["p"]
    assert ch.added == ["p/three"]
    assert ch.removed == ["p/two"]
    assert ch.changed == [("p/one", ["description"])]
    assert ch.details == ["logo"]
    assert changes.compare(before, before) == {}
    assert changes.compare(None, before)["p"].added == ["p/one", "p/two"]
    assert changes.compare(b"no marker\n", before)["p"].added == ["p/one", "p/two"]


def test_a_summary_too_long_for_a_pull_request_leaves_the_lists_out() -> None:
    ids = [f"p/r{i:05d}" for i in range(3000)]
    change = changes.PartnerChange(
        "p",
        changes.UPDATED,
        "1" * 40,
        "2" * 40,
        subjects=[f"{i:07d} commit {i}" for i in range(40)],
        changes=changes.ResourceChanges(added=ids),
    )
    s = changes.Summary("bmz sync", [change], 3000)
    full = summary.render(s, limit=10**9)
    assert "- … and 2950 more resources" in full and "- … and 20 more commits" in full
    assert len(full) > 1000
    short = summary.render(s, limit=1000)
    assert len(short) < 1000
    assert "**Added** (3000)" in short
    assert "`p/r00000`" not in short
    assert "lists are left out" in short
    errors = [
        Finding("partners/p/collection.yaml", Severity.ERROR, "r", f"bad {i}", (), i, 1)
        for i in range(1, 40)
    ]
    held = changes.PartnerChange(
        "p",
        changes.HELD_BACK,
        "1" * 40,
        "1" * 40,
        url="https://github.com/o/p",
        errors=errors,
        error_commit="3" * 40,
    )
    text = summary.render(changes.Summary("bmz sync", [held], 1))
    assert "… and 9 more errors" in text
    assert (
        f"- [collection.yaml:1](https://github.com/o/p/blob/{'3' * 40}/collection.yaml#L1)" in text
    )
