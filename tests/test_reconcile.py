"""The registry decides: `bmz sync` makes the partner submodules what `config.partners` says
(add, remove, URL and branch changes), `pending` partners are reported without being an
error of `--check`, and `--check` fails on real conflicts. Through the CLI, with local
partner repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from bmz_collection.core import central as central_mod

from .gitrepos import Central, PartnerRepo, entry, git, ids, make_partner

pytestmark = pytest.mark.usefixtures("git_env")


def register(central: Central, partner: PartnerRepo, *, branch: str = "main") -> None:
    """Edit the registry by hand, as a pull request proposing a partner does."""
    head, gen = central_mod.split(central.collection)
    head = central_mod.add_partner(
        head, central_mod.Partner(partner.id, partner.url, branch, partner.collection_file)
    )
    (central.root / "collection.yaml").write_bytes(
        head + central_mod.MARKER.encode() + b"\n" + (gen or b"")
    )


def edit_registry(central: Central, old: str, new: str) -> None:
    head, gen = central_mod.split(central.collection)
    assert old.encode() in head
    head = head.replace(old.encode(), new.encode())
    (central.root / "collection.yaml").write_bytes(
        head + central_mod.MARKER.encode() + b"\n" + (gen or b"")
    )


def state(central: Central) -> tuple[str, str, str, bytes, bool]:
    """Everything a failed add must leave as it was."""
    gm = central.root / ".gitmodules"
    return (
        central.git("ls-files", "--stage"),
        gm.read_text() if gm.exists() else "",
        central.git("config", "--list", "--local"),
        central.collection,
        (central.root / ".git" / "modules").exists()
        and any((central.root / ".git" / "modules").rglob("HEAD")),
    )


def gitmodules(central: Central) -> dict[str, str]:
    out = central.git("config", "--file", ".gitmodules", "--list", check=False)
    return dict(line.split("=", 1) for line in out.splitlines())


def test_a_registered_partner_is_pending_until_a_sync_adds_it(
    central: Central, tmp_path: Path
) -> None:
    alpha = make_partner(tmp_path, "alpha")
    register(central, alpha)
    central.git("add", "collection.yaml")
    central.commit("propose alpha")

    code, out, err = central.sync("--no-fetch", "--check")
    assert code == 0, out + err  # pending is not an error of --check
    assert "collection.yaml up to date: 0 resources from 1 partner(s)" in err
    assert "1 pending" in err

    code, out, err = central.sync("--no-fetch")
    assert code == 0, out + err
    assert out.splitlines() == [
        "partners/alpha: pending: registered, not added yet (`bmz sync` adds it)"
    ]
    assert ids(central.collection) == []
    assert central.pins() == {}

    summary = tmp_path / "summary.md"
    code, out, err = central.sync("--summary", str(summary))
    assert code == 0, out + err
    pin = alpha.head()
    assert out.splitlines() == [f"partners/alpha: added at {pin[:7]} (2 resources)"]
    assert "1 added" in err
    assert central.pins() == {"alpha": pin}
    assert ids(central.collection) == ["alpha/alpha-app-0", "alpha/alpha-app-1"]
    assert gitmodules(central) == {
        "submodule.partners/alpha.path": "partners/alpha",
        "submodule.partners/alpha.url": alpha.url,
        "submodule.partners/alpha.branch": "main",
        "submodule.partners/alpha.update": "none",
    }
    staged = central.git("diff", "--cached", "--name-only").splitlines()
    assert staged == [".gitmodules", "collection.yaml", "partners/alpha"]
    md = summary.read_text()
    assert "**Partners:** 0 updated, 0 held back, 1 added, 0 current  " in md
    assert f"### `alpha`: new partner at `{pin[:7]}`" in md
    assert "- `alpha/alpha-app-0`" in md

    central.commit("sync")
    code, out, err = central.sync("--no-fetch", "--check")
    assert (code, out) == (0, "")
    assert "pending" not in err


def test_an_invalid_partner_is_not_added_and_everything_is_rolled_back(
    central: Central, tmp_path: Path
) -> None:
    broken = make_partner(tmp_path, "broken", [entry("x", type="collection")])
    register(central, broken)
    central.git("add", "collection.yaml")
    central.commit("propose broken")
    before = state(central)
    code, out, err = central.sync()
    assert code == 1  # an add that failed needs a person
    lines = out.splitlines()
    assert lines[0] == (
        "partners/broken: pending: not added: its collection at the head of 'main' has 1 error(s)"
    )
    assert lines[1].startswith("  partners/broken/collection.yaml:")
    assert "[type-collection]" in lines[1]
    assert "1 pending" in err
    assert state(central) == before
    assert not (central.root / "partners" / "broken").exists()
    # and --check still passes: the catalogue is what the pins give
    assert central.sync("--no-fetch", "--check")[0] == 0


def test_a_partner_no_longer_registered_is_removed(central: Central, tmp_path: Path) -> None:
    alpha, beta = make_partner(tmp_path, "alpha"), make_partner(tmp_path, "beta")
    for p in (alpha, beta):
        assert central.add(p)[0] == 0
    central.commit("add")
    old_pin = central.pins()["beta"]
    head, gen = central_mod.split(central.collection)
    head = central_mod.remove_partner(head, "beta")  # the pull request that drops beta
    (central.root / "collection.yaml").write_bytes(
        head + central_mod.MARKER.encode() + b"\n" + (gen or b"")
    )

    code, out, err = central.sync("--no-fetch", "--check")
    assert code == 1
    section = central.root.joinpath(".gitmodules").read_text().splitlines()
    line = section.index('[submodule "partners/beta"]') + 1
    lines = out.splitlines()
    assert lines[0].startswith("collection.yaml:")  # beta's entries are still in it
    assert "[sync-check]" in lines[0]
    assert lines[1:] == [
        f".gitmodules:{line}:1: error: partners/beta is a submodule but not in the registry "
        "(config.partners); register it, or run `bmz sync` to remove it [registry-conflict]"
    ]

    summary = tmp_path / "summary.md"
    code, out, err = central.sync("--no-fetch", "--summary", str(summary))
    assert code == 0, out + err
    assert out.splitlines() == ["partners/beta: removed (not in the registry, config.partners)"]
    assert "1 removed" in err
    assert central.pins() == {"alpha": alpha.head()}
    assert ids(central.collection) == ["alpha/alpha-app-0", "alpha/alpha-app-1"]
    assert "beta" not in central.root.joinpath(".gitmodules").read_text()
    assert not (central.root / "partners" / "beta").exists()
    assert not (central.root / ".git" / "modules" / "partners" / "beta").exists()
    assert "beta" not in central.git("config", "--list", "--local")
    md = summary.read_text()
    assert f"### `beta`: partner removed (was at `{old_pin[:7]}`)" in md
    assert "**Removed** (2):" in md
    central.commit("remove beta")
    assert central.sync("--no-fetch", "--check")[:2] == (0, "")


def test_a_changed_url_and_branch_are_applied(central: Central, tmp_path: Path) -> None:
    alpha = make_partner(tmp_path, "alpha")
    assert central.add(alpha)[0] == 0
    central.commit("add")
    old_pin = central.pins()["alpha"]
    # the partner moves: a new repository (its history continued) on a new branch
    moved = tmp_path / "moved" / "alpha"
    git(tmp_path, "clone", "--quiet", str(alpha.path), str(moved))
    new = PartnerRepo(moved, "alpha")
    git(moved, "checkout", "--quiet", "-b", "release")
    new.write_collection([entry("alpha-app-0"), entry("alpha-app-1"), entry("alpha-app-2")])
    new_pin = new.commit("a third app")
    edit_registry(
        central,
        f"repository: {alpha.url}\n      branch: main",
        f"repository: {moved}\n      branch: release",
    )

    code, out, err = central.sync("--no-fetch", "--check")
    assert code == 1
    assert out.splitlines() == [
        f".gitmodules:1:1: error: partners/alpha: url {alpha.url} differs from the registry's "
        f"{moved} (config.partners); run `bmz sync` to apply it [registry-conflict]",
        ".gitmodules:1:1: error: partners/alpha: branch main differs from the registry's "
        "release (config.partners); run `bmz sync` to apply it [registry-conflict]",
    ]

    summary = tmp_path / "summary.md"
    code, out, err = central.sync("--summary", str(summary))
    assert code == 0, out + err
    assert out.splitlines()[:3] == [
        f"partners/alpha: {old_pin[:7]} -> {new_pin[:7]} (1 added, 0 changed, 0 removed)",
        f"partners/alpha: url changed as the registry says: {alpha.url} -> {moved}",
        "partners/alpha: branch changed as the registry says: main -> release",
    ]
    assert gitmodules(central)["submodule.partners/alpha.url"] == str(moved)
    assert gitmodules(central)["submodule.partners/alpha.branch"] == "release"
    assert central.pins() == {"alpha": new_pin}
    assert ".gitmodules" in central.git("diff", "--cached", "--name-only").splitlines()
    md = summary.read_text()
    assert f"- url set as the registry says: `{alpha.url}` → `{moved}`" in md
    assert "- branch set as the registry says: `main` → `release`" in md
    central.commit("moved")
    assert central.sync("--no-fetch", "--check")[:2] == (0, "")


def test_partner_add_and_remove_edit_the_registry_and_reconcile(
    central: Central, tmp_path: Path
) -> None:
    alpha = make_partner(tmp_path, "alpha")
    assert central.add(alpha)[0] == 0
    assert gitmodules(central)["submodule.partners/alpha.update"] == "none"
    assert [p.id for p in central_mod.read(central.collection).registry] == ["alpha"]
    central.commit("add")
    assert central.sync("--no-fetch", "--check")[:2] == (0, "")
    assert central.remove("alpha")[0] == 0
    assert central_mod.read(central.collection).registry == []
    assert not (central.root / ".gitmodules").exists()
    central.commit("remove")
    assert central.sync("--no-fetch", "--check")[:2] == (0, "")


def test_a_fresh_clone_gets_the_partners_from_bmz(central: Central, tmp_path: Path) -> None:
    """`git clone --recursive` fetches no partner (`update = none`); `bmz sync` fetches the
    pinned commits itself."""
    alpha = make_partner(tmp_path, "alpha")
    assert central.add(alpha)[0] == 0
    central.commit("add")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", "--recursive", str(central.root), str(clone))
    assert not (clone / ".git" / "modules").exists()
    assert not any((clone / "partners" / "alpha").iterdir())
    other = Central(clone, central.capsys)
    code, out, err = other.sync("--no-fetch", "--check")
    assert code == 2
    assert "git submodule update --init --checkout partners/alpha" in err
    code, out, err = other.sync()
    assert code == 0, out + err
    assert (clone / ".git" / "modules" / "partners" / "alpha").is_dir()
    assert other.collection == central.collection
    assert other.sync("--no-fetch", "--check")[:2] == (0, "")


def test_a_url_is_applied_only_once_fetched_from(central: Central, tmp_path: Path) -> None:
    alpha = make_partner(tmp_path, "alpha")
    assert central.add(alpha)[0] == 0
    central.commit("add")
    before = gitmodules(central)
    nowhere = tmp_path / "nowhere"  # no repository there
    edit_registry(central, f"repository: {alpha.url}\n", f"repository: {nowhere}\n")
    warning = (
        f"warning: partners/alpha: the registry's url {nowhere} is not applied yet: a sync "
        "that fetches it from there applies it"
    )
    code, out, _ = central.sync("--no-fetch")
    assert code == 0
    assert warning in out.splitlines()
    assert gitmodules(central) == before
    code, out, _ = central.sync()
    assert code == 1  # held back: the new URL cannot be fetched
    assert (
        f"partners/alpha: held back at {alpha.head()[:7]}: {nowhere} is not a git repository" in out
    )
    assert warning in out.splitlines()
    assert gitmodules(central) == before
    assert central.sync("--no-fetch", "--check")[0] == 1  # still a conflict
