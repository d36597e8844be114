"""`bmz diff` tells its three failures apart: a revision that names no commit is a usage
error, a state without collection.yaml is simply empty, and git failing to read a state is a
fatal error saying what failed. Each ends in one line, never a traceback."""

from __future__ import annotations

import pytest

from bmz_collection.core import limits

from .gitrepos import Central


@pytest.fixture
def central(central: Central) -> Central:
    """conftest's new central repository, with its first commit."""
    central.commit("init")
    return central


def diff(central: Central, *argv: str) -> tuple[int, str, str]:
    return central.bmz("diff", *argv, "--repo", str(central.root))


def test_an_unknown_revision_is_a_usage_error_naming_it(central: Central) -> None:
    code, out, err = diff(central, "no-such-branch")
    assert (code, out) == (2, "")
    assert err == (
        f"bmz diff: error: unknown revision 'no-such-branch' (no such commit in {central.root})\n"
    )
    code, _, err = diff(central, "HEAD", "--to", "v9")
    assert code == 2
    assert err.splitlines() == [
        f"bmz diff: error: unknown revision 'v9' (no such commit in {central.root})"
    ]


def test_a_state_without_the_collection_file_has_no_collection(central: Central) -> None:
    (central.root / "collection.yaml").rename(central.root / "elsewhere.yaml")
    (central.root / "collection.yaml").mkdir()  # a folder is not the file either
    (central.root / "collection.yaml" / "x").write_text("x\n")
    central.git("add", "-A")
    central.commit("no collection file")
    code, out, err = diff(central, "HEAD~1", "--to", "HEAD")
    assert (code, err) == (0, "")
    assert out.startswith("## bmz diff: HEAD~1 → HEAD\n")
    assert "Nothing changed." in out


def test_a_git_failure_is_fatal_and_says_what_failed(central: Central) -> None:
    blob = central.git("rev-parse", "HEAD:collection.yaml").strip()
    loose = central.root / ".git" / "objects" / blob[:2] / blob[2:]
    assert loose.is_file()
    loose.chmod(0o644)
    loose.unlink()  # the commit and its tree are there; the file's content is gone
    code, out, err = diff(central, "HEAD")
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 1
    head = central.git("rev-parse", "--short=7", "HEAD").strip()
    assert lines[0].startswith("bmz diff: error: git ")
    assert f": reading collection.yaml at {head}: " in lines[0]


def test_a_blob_over_the_limit_is_refused_before_it_is_read(
    central: Central, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = len((central.root / "collection.yaml").read_bytes())
    monkeypatch.setattr(limits, "MAX_BLOB", size - 1)
    code, out, err = diff(central, "HEAD")
    assert (code, out) == (2, "")
    head = central.git("rev-parse", "--short=7", "HEAD").strip()
    assert err == (
        f"bmz diff: error: collection.yaml at {head} is {size} bytes, "
        f"over the limit of {size - 1}\n"
    )
