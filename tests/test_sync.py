"""`bmz sync` on real local git repositories: pins advance only to valid commits, the merged
collection is regenerated in place, deterministically, and `--check` catches drift."""

from __future__ import annotations

import difflib
import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bmz_collection.cli.main import main as bmz_main
from bmz_collection.core import central as central_mod

from .gitrepos import (
    Central,
    PartnerRepo,
    entry,
    git,
    ids,
    load,
    make_central,
    make_partner,
    pins_of,
)

pytestmark = pytest.mark.usefixtures("git_env")


def hook_main(argv: list[str]) -> int:
    """The `bmz-check-collection` console script's entry point."""
    hook = importlib.import_module("bmz_collection_hooks.check_collection")
    return int(hook.main(argv))


def add_partners(central: Central, tmp_path: Path, *pids: str) -> list[PartnerRepo]:
    partners = []
    for pid in pids:
        p = make_partner(tmp_path, pid)
        code, out, err = central.add(p)
        assert code == 0, out + err
        partners.append(p)
    central.commit("add partners")
    return partners


def generated(data: bytes) -> bytes:
    return central_mod.split(data)[1] or b""


def test_sync_of_several_partners(central: Central, tmp_path: Path) -> None:
    a, b, c = add_partners(central, tmp_path, "alpha", "beta", "gamma")
    head_before = central.git("rev-parse", "HEAD")
    a.write_collection([entry("alpha-app-0"), entry("alpha-app-1"), entry("alpha-new")])
    a.commit("add one")
    c.write_collection([entry("gamma-app-0")])
    c.commit("drop one")

    code, out, err = central.sync()

    assert code == 0, out + err
    assert central.pins() == {"alpha": a.head(), "beta": b.head(), "gamma": c.head()}
    assert ids(central.collection) == sorted(
        [
            "alpha/alpha-app-0",
            "alpha/alpha-app-1",
            "alpha/alpha-new",
            "beta/beta-app-0",
            "beta/beta-app-1",
            "gamma/gamma-app-0",
        ]
    )
    assert "partners/alpha:" in out and "(1 added, 0 changed, 0 removed)" in out
    assert "partners/gamma:" in out and "(0 added, 0 changed, 1 removed)" in out
    # staged, not committed
    assert central.git("rev-parse", "HEAD") == head_before
    staged = central.git("diff", "--cached", "--name-only").split()
    assert sorted(staged) == ["collection.yaml", "partners/alpha", "partners/gamma"]
    assert central.git("diff", "--name-only") == ""  # worktree matches the index
    details = {d["id"]: d for d in load(central.collection)["partners"]}
    assert details["alpha"]["logo"] == "https://example.org/alpha/logo.png"
    assert details["alpha"]["url"] == "https://bioimage.io/#/?partner=alpha"
    assert details["gamma"]["resources"] == 1


def test_partner_update_adds_changes_and_removes(central: Central, tmp_path: Path) -> None:
    (a,) = add_partners(central, tmp_path, "alpha")
    a.write_collection([entry("alpha-app-1", description="Now better."), entry("alpha-app-2")])
    a.commit("change, add, remove")
    code, out, _ = central.sync()
    assert code == 0
    assert "(1 added, 1 changed, 1 removed)" in out
    data = load(central.collection)
    assert [e["id"] for e in data["collection"]] == ["alpha/alpha-app-1", "alpha/alpha-app-2"]
    assert data["collection"][0]["description"] == "Now better."


def test_a_sync_with_nothing_new_changes_no_byte(central: Central, tmp_path: Path) -> None:
    add_partners(central, tmp_path, "alpha", "beta")
    assert central.sync()[0] == 0
    central.commit()
    before = central.collection
    mtime = (central.root / "collection.yaml").stat().st_mtime_ns
    code, _, err = central.sync()
    assert code == 0
    assert central.collection == before
    assert (central.root / "collection.yaml").stat().st_mtime_ns == mtime
    assert central.status() == ""
    assert "unchanged" in err


def test_editing_one_resource_changes_only_its_lines(central: Central, tmp_path: Path) -> None:
    entries = [entry(f"app-{i}", tags=["a", "b"]) for i in range(5)]
    a = make_partner(tmp_path, "alpha", entries)
    b = make_partner(tmp_path, "beta")
    for p in (a, b):
        assert central.add(p)[0] == 0
    central.commit()
    before = central.collection.decode().splitlines()
    entries[2] = entry("app-2", tags=["a", "c"], description="Edited.")
    a.write_collection(entries)
    a.commit("edit app-2")
    assert central.sync()[0] == 0
    after = central.collection.decode().splitlines()
    start = before.index("  - id: alpha/app-2")
    end = before.index("  - id: alpha/app-3")
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(a=before, b=after).get_opcodes():
        if tag != "equal":
            assert start < i1 and i2 <= end, (tag, before[i1:i2])


def test_same_pins_give_the_same_bytes_anywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    partners = [make_partner(tmp_path, pid) for pid in ("alpha", "beta")]
    results = []
    for name in ("one", "two"):
        c = make_central(tmp_path / name, capsys)
        for p in reversed(partners) if name == "two" else partners:
            assert c.add(p)[0] == 0
        c.sync()
        results.append(c)
    assert generated(results[0].collection) == generated(results[1].collection)
    assert results[0].pins() == results[1].pins()


def test_the_head_stays_byte_for_byte(central: Central, tmp_path: Path) -> None:
    (a,) = add_partners(central, tmp_path, "alpha")
    head, gen = central_mod.split(central.collection)
    odd = head.replace(b"tags: []", b"tags: [catalogue]   # odd spacing,  kept\n\n# a comment\n")
    (central.root / "collection.yaml").write_bytes(
        odd + central_mod.MARKER.encode() + b"\n" + (gen or b"")
    )
    a.write_collection([entry("x")])
    a.commit()
    assert central.sync()[0] == 0
    assert central_mod.split(central.collection)[0] == odd
    assert ids(central.collection) == ["alpha/x"]


def test_the_result_is_a_valid_collection(central: Central, tmp_path: Path) -> None:
    add_partners(central, tmp_path, "alpha", "beta")
    code, out, _ = central.bmz("validate", str(central.root / "collection.yaml"))
    assert code == 0, out


# -- hold-backs ------------------------------------------------------------------------------


def _break_yaml(p: PartnerRepo) -> str:
    p.write(p.collection_file, "format_version: 0.2.3\ncollection:\n  - id: [unclosed\n")
    return "partners/broken/collection.yaml:4:1: error: did not find expected ',' or ']'"


def _break_schema(p: PartnerRepo) -> str:
    p.write_collection([entry("fine"), entry("bad", name=42, description=None)])
    return "partners/broken/collection.yaml:"


def _delete_file(p: PartnerRepo) -> str:
    (p.path / p.collection_file).unlink()
    return "collection file collection.yaml not found"


def _duplicate_ids(p: PartnerRepo) -> str:
    p.write_collection([entry("same"), entry("same")])
    return "duplicate entry id"


def _gone(p: PartnerRepo) -> str:
    shutil.rmtree(p.path)
    return "is not a git repository (or does not exist): check the URL"


def _branch_deleted(p: PartnerRepo) -> str:
    git(p.path, "branch", "-m", "main", "renamed")
    return "branch 'main' not found"


BREAKAGES = {
    "yaml-error": _break_yaml,
    "schema-errors": _break_schema,
    "missing-collection-file": _delete_file,
    "duplicate-ids": _duplicate_ids,
    "unreachable-remote": _gone,
    "deleted-branch": _branch_deleted,
}


@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_a_broken_partner_is_held_back_and_the_others_go_on(
    case: str, central: Central, tmp_path: Path
) -> None:
    good, broken = add_partners(central, tmp_path, "good", "broken")
    assert central.sync()[0] == 0
    central.commit()
    pinned = broken.head()
    broken_entries = [i for i in ids(central.collection) if i.startswith("broken/")]
    good.write_collection([entry("good-app-0"), entry("good-new")])
    good.commit("new resource")
    expected = BREAKAGES[case](broken)
    if broken.path.exists() and case not in ("deleted-branch",):
        broken.commit("oops")

    code, out, err = central.sync()

    assert code == 1, out + err
    assert "partners/broken: held back at" in out
    assert expected in out
    assert central.pins()["broken"] == pinned
    assert central.pins()["good"] == good.head()
    now = ids(central.collection)
    assert [i for i in now if i.startswith("broken/")] == broken_entries
    assert "good/good-new" in now
    assert "1 held back" in err


def test_a_force_pushed_valid_head_is_followed_with_a_warning(
    central: Central, tmp_path: Path
) -> None:
    (a,) = add_partners(central, tmp_path, "alpha")
    old = a.head()
    a.write_collection([entry("rewritten")])
    new = a.rewrite_history()
    code, out, _ = central.sync()
    assert code == 0
    assert central.pins()["alpha"] == new != old
    assert "force-pushed" in out
    assert ids(central.collection) == ["alpha/rewritten"]


def test_a_force_pushed_broken_head_is_held_back(central: Central, tmp_path: Path) -> None:
    (a,) = add_partners(central, tmp_path, "alpha")
    old = a.head()
    a.write(a.collection_file, "not: [valid\n")
    a.rewrite_history()
    assert central.sync()[0] == 1
    assert central.pins()["alpha"] == old


def test_only_selected_partners_advance(central: Central, tmp_path: Path) -> None:
    a, b = add_partners(central, tmp_path, "alpha", "beta")
    old_b = b.head()
    for p in (a, b):
        p.write_collection([entry("next")])
        p.commit()
    code, _, _ = central.sync("--partner", "alpha")
    assert code == 0
    assert central.pins() == {"alpha": a.head(), "beta": old_b}
    assert central.sync("--partner", "nope")[0] == 2


def test_local_remotes_need_allow_local(central: Central, tmp_path: Path) -> None:
    add_partners(central, tmp_path, "alpha")
    code, out, err = central.bmz("sync", "--repo", str(central.root))
    assert code == 2  # one usage error for the run (issue 11), not a hold-back per partner
    assert out == ""
    assert "--allow-local" in err


def test_summary_markdown(central: Central, tmp_path: Path) -> None:
    a, b = add_partners(central, tmp_path, "alpha", "broken")
    a.write_collection([entry("new")])
    a.commit()
    b.write(b.collection_file, "{{{")
    b.commit()
    target = tmp_path / "summary.md"
    code, _, _ = central.sync("--summary", str(target))
    assert code == 1
    text = target.read_text()
    assert "| `alpha` |" in text
    assert "`broken` held back" in text
    assert "partners/broken/collection.yaml:2:1: error:" in text


# -- --check and the hook --------------------------------------------------------------------


def test_check_catches_a_hand_edit_of_the_generated_part(central: Central, tmp_path: Path) -> None:
    add_partners(central, tmp_path, "alpha")
    assert central.sync("--no-fetch", "--check")[0] == 0
    path = central.root / "collection.yaml"
    edited = central.collection.replace(b"The application alpha-app-1.", b"Hand edited.")
    assert edited != central.collection
    path.write_bytes(edited)
    status = central.status()

    code, out, _ = central.sync("--no-fetch", "--check")

    assert code == 1
    assert "collection.yaml:" in out and "[sync-check]" in out
    assert central.collection == edited  # --check writes nothing
    assert central.status() == status
    assert hook_main(["--repo", str(central.root)]) == 1
    assert central.sync("--no-fetch")[0] == 0
    assert central.sync("--no-fetch", "--check")[0] == 0
    assert hook_main(["--repo", str(central.root)]) == 0


def test_check_catches_a_pin_bumped_without_regenerating(central: Central, tmp_path: Path) -> None:
    (a,) = add_partners(central, tmp_path, "alpha")
    a.write_collection([entry("alpha-app-0", description="Changed upstream.")])
    new = a.commit()
    sub = central.root / "partners" / "alpha"
    git(sub, "fetch", "--quiet", a.url, "main")
    git(sub, "checkout", "--quiet", new)
    central.git("add", "partners/alpha")

    code, out, _ = central.sync("--no-fetch", "--check")

    assert code == 1
    assert "[sync-check]" in out
    assert central.sync("--no-fetch")[0] == 0
    assert "Changed upstream." in central.collection.decode()
    assert central.sync("--no-fetch", "--check")[0] == 0


def test_check_reads_the_pins_from_the_index(central: Central, tmp_path: Path) -> None:
    (a,) = add_partners(central, tmp_path, "alpha")
    a.write_collection([entry("other")])
    new = a.commit()
    sub = central.root / "partners" / "alpha"
    git(sub, "fetch", "--quiet", a.url, "main")
    git(sub, "checkout", "--quiet", new)  # the working tree moved, the index did not
    assert central.sync("--no-fetch", "--check")[0] == 0
    central.git("update-index", "--cacheinfo", f"160000,{new},partners/alpha")
    assert central.sync("--no-fetch", "--check")[0] == 1


def test_no_fetch_regenerates_from_the_pins(central: Central, tmp_path: Path) -> None:
    (a,) = add_partners(central, tmp_path, "alpha")
    good = central.collection
    (central.root / "collection.yaml").write_bytes(good.replace(b"alpha-app-0", b"zzz"))
    a.write_collection([entry("not-fetched")])
    a.commit()
    assert central.sync("--no-fetch")[0] == 0
    assert central.collection == good


def test_a_fresh_clone_needs_its_submodules(central: Central, tmp_path: Path) -> None:
    add_partners(central, tmp_path, "alpha", "beta", "gamma")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(central.root), str(clone))
    code, _, err = central.bmz("sync", "--no-fetch", "--check", "--repo", str(clone))
    assert code == 2
    assert "git submodule update --init" in err
    code, out, err = central.bmz("sync", "--allow-local", "--repo", str(clone))
    assert code == 0, out + err
    assert (clone / "collection.yaml").read_bytes() == central.collection
    assert central.bmz("sync", "--no-fetch", "--check", "--repo", str(clone))[0] == 0


def test_a_vanished_pin_with_a_broken_head_keeps_the_entries_in_a_fresh_clone(
    central: Central, tmp_path: Path
) -> None:
    """Issue 13.8: the partner force-pushed a broken head and its old pin is gone upstream; a
    fresh clone cannot read the pin, so the entries come from the committed collection.yaml."""
    alpha, _ = add_partners(central, tmp_path, "alpha", "beta")
    old = alpha.head()
    alpha.write(alpha.collection_file, "not: [valid\n")
    alpha.rewrite_history("broken, force-pushed")
    git(alpha.path, "reflog", "expire", "--expire=now", "--all")
    git(alpha.path, "gc", "--quiet", "--prune=now")
    assert git(alpha.path, "cat-file", "-t", old, check=False) != "commit"
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(central.root), str(clone))
    code, out, err = central.bmz("sync", "--allow-local", "--repo", str(clone))
    assert code == 1, out + err
    assert "collection.yaml unchanged: 4 resources from 2 partner(s)" in err
    assert (
        f"partners/alpha: held back at {old[:7]}: new head {alpha.head()[:7]} has 1 error(s); "
        f"the pinned commit {old[:7]} is not here and {alpha.url} no longer has it; "
        "its entries are kept as collection.yaml has them"
    ) in out
    assert (clone / "collection.yaml").read_bytes() == central.collection
    assert pins_of(clone)["alpha"] == old


def test_a_registered_partner_that_cannot_be_cloned_stays_pending(
    central: Central, tmp_path: Path
) -> None:
    add_partners(central, tmp_path, "alpha")
    path = central.root / "collection.yaml"
    head, gen = central_mod.split(central.collection)
    ghost = tmp_path / "remotes" / "ghost"  # no repository there
    head = head.replace(
        b"  partners:\n",
        b"  partners:\n    - id: ghost\n      repository: " + str(ghost).encode() + b"\n"
        b"      branch: main\n      collection_file_name: collection.yaml\n",
    )
    path.write_bytes(head + central_mod.MARKER.encode() + b"\n" + (gen or b""))
    code, out, err = central.sync()
    assert code == 1
    assert f"partners/ghost: pending: not added: cannot clone {ghost} (branch 'main')" in out
    assert "1 pending" in err
    assert not (central.root / "partners" / "ghost").exists()


def test_the_render_cache_is_only_a_shortcut(central: Central, tmp_path: Path) -> None:
    (a,) = add_partners(central, tmp_path, "alpha")
    cache = central.root / ".git" / "bmz-cache"
    assert any(cache.iterdir())
    a.write_collection([entry("alpha-app-0", description="Changed."), entry("alpha-new")])
    a.commit()
    template = tmp_path / "template"
    shutil.copytree(central.root, template, symlinks=True)
    code, out, _ = central.sync()
    assert code == 0
    assert "(1 added, 1 changed, 1 removed)" in out
    expected = central.collection
    for variant in ("none", "garbage"):
        root = tmp_path / variant
        shutil.copytree(template, root, symlinks=True)
        cache = root / ".git" / "bmz-cache"
        if variant == "none":
            shutil.rmtree(cache)
        else:
            for f in cache.iterdir():
                f.write_text('{"key": "nope"')
        code, out, _ = central.bmz("sync", "--allow-local", "--repo", str(root))
        assert code == 0
        assert "(1 added, 1 changed, 1 removed)" in out
        assert (root / "collection.yaml").read_bytes() == expected
    # --check writes no cache
    shutil.rmtree(central.root / ".git" / "bmz-cache")
    assert central.sync("--no-fetch", "--check")[0] == 0
    assert not (central.root / ".git" / "bmz-cache").exists()


def test_the_hook_stops_commits_git_is_making(central: Central, tmp_path: Path) -> None:
    """A real `git commit` running the hook: the check reads the index being committed (also
    the temporary one of `git commit -a`)."""
    (a,) = add_partners(central, tmp_path, "alpha")
    hook = central.root / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(exist_ok=True)
    script = Path(sys.executable).parent / "bmz-check-collection"
    hook.write_text(f"#!/bin/sh\nexec {script}\n")
    hook.chmod(0o755)
    path = central.root / "collection.yaml"
    good = central.collection

    def commit(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "commit", "--quiet", "-m", "try", *args],
            cwd=central.root,
            capture_output=True,
            text=True,
            check=False,
        )

    path.write_bytes(good.replace(b"The application alpha-app-0.", b"Hand edited."))
    refused = commit("-a")
    assert refused.returncode != 0
    assert "[sync-check]" in refused.stdout + refused.stderr
    central.git("add", "collection.yaml")
    assert commit().returncode != 0
    path.write_bytes(good)
    central.git("add", "collection.yaml")
    a.write_collection([entry("other")])
    new = a.commit()
    sub = central.root / "partners" / "alpha"
    git(sub, "fetch", "--quiet", a.url, "main")
    git(sub, "checkout", "--quiet", new)
    assert commit("-a").returncode != 0  # -a stages the bumped pin: unregenerated
    central.git("add", "partners/alpha")
    assert central.sync("--no-fetch")[0] == 0
    done = commit()
    assert done.returncode == 0, done.stdout + done.stderr
    assert central.status() == ""


def test_relative_files_of_partners_are_published_from_their_submodule(
    central: Central, tmp_path: Path
) -> None:
    p = make_partner(tmp_path, "alpha", [])
    p.write(
        "models/unet/rdf.yaml",
        "format_version: 0.2.3\ntype: application\nname: U\ndescription: U.\n"
        "source: https://example.org/u\ndocumentation: README.md\ncovers: [cover.png]\n",
    )
    p.write("models/unet/README.md", "# U\n")
    p.write("models/unet/cover.png", b"\x89PNG")
    p.write("docs/app.md", "# App\n")
    p.write_collection(
        [
            {"id": "unet", "rdf_source": "models/unet/rdf.yaml"},
            entry("app", documentation="docs/app.md"),
        ]
    )
    p.commit()
    code, out, err = central.add(p)
    assert code == 0, out + err
    data = {e["id"]: e for e in load(central.collection)["collection"]}
    assert data["alpha/unet"]["documentation"] == "partners/alpha/models/unet/README.md"
    assert data["alpha/unet"]["covers"] == ["partners/alpha/models/unet/cover.png"]
    assert data["alpha/app"]["documentation"] == "partners/alpha/docs/app.md"
    code, out, _ = central.bmz("validate", str(central.root / "collection.yaml"))
    assert code == 0, out
    # a clone leaves the partners unchecked-out (update = none): their files are the pinned
    # commits', which sync checked, so the central's own hook does not call them missing
    central.commit("add alpha")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(central.root), str(clone))
    assert not (clone / "partners" / "alpha" / "docs").exists()
    code, out, _ = central.bmz("validate", str(clone / "collection.yaml"))
    assert code == 0, out


def test_summary_to_stdout(central: Central, tmp_path: Path) -> None:
    (a,) = add_partners(central, tmp_path, "alpha")
    a.write_collection([entry("new")])
    a.commit()
    code, out, err = central.sync("--summary", "-")
    assert code == 0, err
    assert out.startswith("## bmz sync\n")
    assert "partners/alpha:" in err  # the report moves to stderr


def test_the_partner_hook_and_sync_both_refuse_a_page_without_a_logo(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same answer from the partner's hook as from the catalogue: a page the catalogue
    cannot show (no logo) holds the partner back, and `bmz validate` in the partner's
    repository says so first, with the same line."""
    (alpha,) = add_partners(central, tmp_path, "alpha")
    alpha.write_collection([entry("alpha-app-0")], logo=None)
    alpha.commit("the logo went")
    file = alpha.path / "collection.yaml"
    line = file.read_text().splitlines().index("config:") + 1
    message = (
        "error: a partner page needs a logo: set config.logo to a URL or a path on the "
        "website (the catalogue requires one) (config) [partner-logo-missing]"
    )
    capsys.readouterr()
    code = bmz_main(["validate", str(file)])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{file}:{line}:1: {message}" in out
    code, out, _ = central.sync()
    assert code == 1
    assert f"partners/alpha/collection.yaml:{line}:1: {message}" in out
    assert "partners/alpha: held back" in out


def test_a_fresh_clone_registers_its_partners_at_once_and_clones_them_in_parallel(
    central: Central, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One `git submodule init` for every missing partner writes the central config; the
    clones that follow (`git submodule update` without --init) write only their own git
    directories, so they run side by side. Without the init they still happen, one at a
    time (`update --init`)."""
    from bmz_collection.engine.sync import outcomes
    from bmz_collection.io.git.process import Git

    add_partners(central, tmp_path, "alpha", "beta", "gamma")
    calls: list[tuple[str, ...]] = []
    real_run = Git.run

    def spy(self: Git, *args: str, **kwargs: object) -> object:
        if args[:1] == ("submodule",):
            calls.append(args)
        return real_run(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Git, "run", spy)
    for name, register in (("fast", True), ("slow", False)):
        clone = tmp_path / f"clone-{name}"
        git(tmp_path, "clone", "--quiet", str(central.root), str(clone))
        if not register:
            monkeypatch.setattr(outcomes, "_register_modules", lambda *a: None)
        calls.clear()
        code, out, err = central.bmz("sync", "--allow-local", "--repo", str(clone))
        assert code == 0, out + err
        assert (clone / "collection.yaml").read_bytes() == central.collection
        paths = [f"partners/{p}" for p in ("alpha", "beta", "gamma")]
        inits = [c for c in calls if c[1] == "init"]
        with_init = sorted(c[-1] for c in calls if c[1] == "update" and "--init" in c)
        if register:
            assert inits == [("submodule", "init", "--", *paths)]
            assert with_init == []
        else:
            assert inits == []
            assert with_init == paths
