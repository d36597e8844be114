"""Issue 11, central maintainers: `partner add` after a remove counts from the render cache,
`--rev` pins a known commit, git's failures are said in our words, a rejected partner's errors
come first, and `sync` refuses local URLs once and checks `--summary` before it starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from .gitrepos import Central, entry, git, ids, make_partner

pytestmark = pytest.mark.usefixtures("git_env")


def test_re_adding_a_removed_partner_counts_its_resources(central: Central, tmp_path: Path) -> None:
    p = make_partner(tmp_path, "alpha", [entry(f"r{i}") for i in range(3)])
    assert central.add(p)[0] == 0
    central.commit("add")
    assert central.remove("alpha")[0] == 0
    central.commit("remove")
    code, out, err = central.add(p)  # the render cache still holds alpha at this pin
    assert code == 0, err
    assert (
        out
        == f"Added partner alpha at {p.head()[:7]} with 3 resource(s) (staged; not committed).\n"
    )


def test_add_at_a_rev_pins_that_commit(central: Central, tmp_path: Path) -> None:
    p = make_partner(tmp_path, "alpha", [entry("old")])
    old = p.head()
    git(p.path, "tag", "v1")
    p.write_collection([entry("old"), entry("new")])
    p.commit("second")
    for rev in ("v1", old, old[:9]):
        code, out, err = central.add(p, "--rev", rev)
        assert code == 0, err
        assert f"at {old[:7]} with 1 resource(s)" in out
        assert central.pins() == {"alpha": old}
        assert ids(central.collection) == ["alpha/old"]
        assert git(central.root / "partners" / "alpha", "rev-parse", "HEAD") == old
        assert central.sync("--no-fetch", "--check")[0] == 0
        assert central.remove("alpha")[0] == 0
    # a branch name: its head after the fetch
    git(p.path, "branch", "dev", old)
    code, out, err = central.add(p, "--rev", "dev")
    assert code == 0, err
    assert central.pins() == {"alpha": old}
    # a later sync moves it to the head of the followed branch
    code, out, _ = central.sync()
    assert central.pins() == {"alpha": p.head()}


def test_add_at_a_rev_validates_it_and_refuses_unknown_revs(
    central: Central, tmp_path: Path
) -> None:
    central.commit("init")
    p = make_partner(tmp_path, "alpha", [entry("x"), entry("x")])  # broken first
    broken = p.head()
    p.write_collection([entry("x")])
    p.commit("fixed")
    before = central.collection
    code, out, err = central.add(p, "--rev", broken)
    assert code == 1
    assert "duplicate entry id" in out
    assert f"the collection at --rev '{broken}' ({broken[:7]}) has errors" in err
    code, _, err = central.add(p, "--rev", "v9")
    assert code == 2
    assert err == (
        "bmz partner: error: --rev 'v9': no such commit, tag or branch in the partner "
        "repository (fetched branch 'main' and its tags)\n"
    )
    code, _, err = central.add(p, "--rev=--upload-pack=x")
    assert code == 2 and "invalid --rev" in err
    assert central.collection == before
    assert central.pins() == {}
    assert central.status() == ""


def test_a_rejected_partner_shows_errors_before_warnings(central: Central, tmp_path: Path) -> None:
    p = make_partner(tmp_path, "alpha", [entry("a", type="nonsense"), entry("b"), entry("b")])
    code, out, _ = central.add(p)
    assert code == 1
    severities = [ln.split(": ")[1] for ln in out.splitlines()]
    assert "warning" in severities and "error" in severities
    assert severities == sorted(severities, key=lambda s: s != "error")


def test_git_failures_are_said_in_one_line_of_ours(central: Central, tmp_path: Path) -> None:
    central.commit("init")
    p = make_partner(tmp_path, "alpha")
    code, _, err = central.add(p, "--branch", "nope")
    assert code == 2
    assert err == (
        f"bmz partner: error: alpha: branch 'nope' not found at {p.url}: check the branch "
        f"name (`git ls-remote --heads {p.url}` lists them); nothing was added\n"
    )
    folder = tmp_path / "not-a-repo"
    folder.mkdir()
    for url in (str(folder), f"file://{tmp_path / 'nowhere'}"):
        code, _, err = central.bmz(
            "partner", "add", "alpha", url, "--allow-local", "--repo", str(central.root)
        )
        assert code == 2
        assert err == (
            f"bmz partner: error: alpha: {url if url.startswith('file') else folder} is "
            "not a git repository (or does not exist): check the URL; nothing was added\n"
        )
    assert central.status() == ""


def test_sync_says_a_missing_branch_in_our_words(central: Central, tmp_path: Path) -> None:
    p = make_partner(tmp_path, "alpha")
    assert central.add(p)[0] == 0
    git(p.path, "branch", "-m", "main", "trunk")
    code, out, _ = central.sync()
    assert code == 1
    assert out.splitlines()[0] == (
        f"partners/alpha: held back at {p.head('trunk')[:7]}: branch 'main' not found at "
        f"{p.url}: check the branch name (`git ls-remote --heads {p.url}` lists them)"
    )


def test_sync_refuses_local_partners_once(central: Central, tmp_path: Path) -> None:
    for pid in ("alpha", "beta", "gamma", "delta"):
        assert central.add(make_partner(tmp_path, pid))[0] == 0
    code, out, err = central.bmz("sync", "--repo", str(central.root))
    assert code == 2
    assert out == ""
    assert err == (
        "bmz sync: error: 4 partner(s) have local repository URLs (alpha, beta, gamma and 1 "
        "more): fetching them needs --allow-local\n"
    )
    assert central.bmz("sync", "--no-fetch", "--repo", str(central.root))[0] == 0


def test_sync_checks_the_summary_path_first(central: Central, tmp_path: Path) -> None:
    p = make_partner(tmp_path, "alpha")
    assert central.add(p)[0] == 0
    central.commit("add")
    p.write_collection([entry("new")])
    p.commit()
    before = central.pins()
    target = tmp_path / "missing" / "summary.md"
    code, _, err = central.sync("--summary", str(target))
    assert code == 2
    assert err == (
        f"bmz sync: error: --summary {target}: folder '{target.parent}' does not exist\n"
    )
    code, _, err = central.sync("--summary", str(tmp_path))
    assert code == 2 and err == f"bmz sync: error: --summary {tmp_path}: is a folder\n"
    assert central.pins() == before
    assert central.status() == ""
