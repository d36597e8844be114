"""`bmz partner add|remove|list`: submodule and registry kept in step; a failed add leaves
nothing behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bmz_collection.core import central as central_mod

from .gitrepos import Central, entry, git, ids, load, make_partner

pytestmark = pytest.mark.usefixtures("git_env")


def snapshot(c: Central) -> dict[str, object]:
    """Everything an add may touch."""
    gm = c.root / ".gitmodules"
    return {
        "collection": c.collection,
        "gitmodules": gm.read_bytes() if gm.exists() else None,
        "index": c.git("ls-files", "--stage"),
        "status": c.status(),
        "partners": sorted(p.name for p in (c.root / "partners").iterdir()),
        "modules": sorted(p.name for p in (c.root / ".git" / "modules" / "partners").iterdir())
        if (c.root / ".git" / "modules" / "partners").exists()
        else [],
        "config": c.git("config", "--local", "--list"),
    }


def test_init_creates_a_central_repository(central: Central) -> None:
    assert (central.root / ".git").is_dir()
    assert (central.root / "partners").is_dir()
    assert (central.root / ".pre-commit-config.yaml").exists()
    data = load(central.collection)
    assert data["type"] == "collection" and data["id"] == "catalogue"
    assert data["config"]["partners"] == []
    assert data["collection"] == []
    assert central_mod.MARKER.encode() in central.collection
    staged = central.git("diff", "--cached", "--name-only").split()
    assert "collection.yaml" in staged
    assert central.sync("--no-fetch", "--check")[0] == 0
    assert central.bmz("init", str(central.root))[0] == 2  # already one


def test_init_refuses_a_subfolder_of_a_repository(central: Central) -> None:
    code, _, err = central.bmz("init", str(central.root / "partners" / "x"))
    assert code == 2
    assert "inside the git repository" in err


def test_add_registers_validates_and_regenerates(central: Central, tmp_path: Path) -> None:
    p = make_partner(tmp_path, "alpha", collection_file="manifest.bioimage.io.yaml")
    git(p.path, "checkout", "--quiet", "-b", "release")
    p.write_collection([entry("on-release")])
    head = p.commit()
    code, out, err = central.add(p, "--branch", "release")
    assert code == 0, out + err
    assert f"at {head[:7]} with 1 resource" in out
    data = load(central.collection)
    assert data["config"]["partners"] == [
        {
            "id": "alpha",
            "repository": str(p.path),
            "branch": "release",
            "collection_file_name": "manifest.bioimage.io.yaml",
        }
    ]
    assert ids(central.collection) == ["alpha/on-release"]
    assert central.pins() == {"alpha": head}
    assert (
        central.git("config", "--file", ".gitmodules", "submodule.partners/alpha.branch")
        == "release"
    )
    assert (
        central.git("config", "--file", ".gitmodules", "submodule.partners/alpha.path")
        == "partners/alpha"
    )
    staged = sorted(central.git("diff", "--cached", "--name-only").split())
    assert staged == [
        ".github/workflows/bmz-check.yml",
        ".github/workflows/bmz-pages.yml",
        ".github/workflows/bmz-sync.yml",
        ".gitmodules",
        ".pre-commit-config.yaml",
        "collection.yaml",
        "partners/README.md",
        "partners/alpha",
    ]
    assert central.sync("--no-fetch", "--check")[0] == 0


def test_add_keeps_the_comments_of_the_head(central: Central, tmp_path: Path) -> None:
    path = central.root / "collection.yaml"
    text = central.collection.decode()
    text = text.replace("config:\n", "# who we are\nconfig:  # registry below\n")
    text = text.replace("tags: []", "tags: [a, b]  # flow kept")
    path.write_text(text)
    before_head = central_mod.split(path.read_bytes())[0].decode()
    assert central.add(make_partner(tmp_path, "alpha"))[0] == 0
    head = central_mod.split(central.collection)[0].decode()
    assert "# who we are\nconfig:  # registry below\n" in head
    assert "tags: [a, b]  # flow kept" in head
    removed = [ln for ln in before_head.splitlines() if ln not in head.splitlines()]
    assert removed == ["  partners: []"]


def test_list_shows_partners(central: Central, tmp_path: Path) -> None:
    a = make_partner(tmp_path, "alpha")
    b = make_partner(tmp_path, "beta", [entry("one")])
    for p in (a, b):
        assert central.add(p)[0] == 0
    code, out, _ = central.bmz("partner", "list", "--repo", str(central.root))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "BRANCH", "PIN", "RESOURCES", "URL"]
    assert lines[1].split() == ["alpha", "main", a.head()[:7], "2", str(a.path)]
    code, out, _ = central.bmz("partner", "list", "--format", "json", "--repo", str(central.root))
    rows = json.loads(out)
    assert rows[1] == {
        "id": "beta",
        "repository": str(b.path),
        "url": str(b.path),
        "branch": "main",
        "collection_file_name": "collection.yaml",
        "pin": b.head(),
        "resources": 1,
    }


def test_remove_undoes_an_add(central: Central, tmp_path: Path) -> None:
    central.commit("init")
    empty = snapshot(central)
    a = make_partner(tmp_path, "alpha")
    assert central.add(a)[0] == 0
    central.commit("add alpha")
    code, _, err = central.remove("alpha")
    assert code == 0, err
    central.commit("remove alpha")
    after = snapshot(central)
    assert after["collection"] == empty["collection"]
    assert after["gitmodules"] is None
    assert after["partners"] == empty["partners"] == ["README.md"]
    assert after["modules"] == []
    assert "submodule." not in str(after["config"])
    assert central.status() == ""
    assert central.bmz("partner", "remove", "alpha", "--repo", str(central.root))[0] == 2


def test_remove_keeps_other_partners(central: Central, tmp_path: Path) -> None:
    for pid in ("alpha", "beta"):
        assert central.add(make_partner(tmp_path, pid))[0] == 0
    assert central.remove("alpha")[0] == 0
    assert [p["id"] for p in load(central.collection)["config"]["partners"]] == ["beta"]
    assert all(i.startswith("beta/") for i in ids(central.collection))
    assert "partners/beta" in (central.root / ".gitmodules").read_text()
    assert "partners/alpha" not in (central.root / ".gitmodules").read_text()
    assert central.sync("--no-fetch", "--check")[0] == 0


@pytest.mark.parametrize(
    "pid",
    ["Alpha", "-alpha", "../alpha", "al/pha", "al pha", "", "a" * 65, ".alpha", "alpha\n"],
)
def test_add_refuses_bad_ids(central: Central, tmp_path: Path, pid: str) -> None:
    p = make_partner(tmp_path, "good")
    before = snapshot(central)
    code, _, err = central.bmz(
        "partner", "add", "--allow-local", "--repo", str(central.root), "--", pid, p.url
    )
    assert code == 2
    assert "invalid partner id" in err
    assert snapshot(central) == before


@pytest.mark.parametrize(
    "url",
    [
        "ext::sh -c touch% /tmp/bmz-pwned",
        "fd::17",
        "--upload-pack=touch /tmp/bmz-pwned",
        "-uhello",
        "ssh://example.org/repo.git",
        "git@example.org:repo.git",
        "git://example.org/repo.git",
        "http://example.org/repo.git",
    ],
)
def test_add_refuses_other_transports(central: Central, url: str) -> None:
    before = snapshot(central)
    code, _, err = central.bmz(
        "partner", "add", "--allow-local", "--repo", str(central.root), "--", "alpha", url
    )
    assert code == 2
    assert "refusing repository URL" in err
    assert snapshot(central) == before
    assert not Path("/tmp/bmz-pwned").exists()


def test_add_refuses_local_paths_without_allow_local(central: Central, tmp_path: Path) -> None:
    p = make_partner(tmp_path, "alpha")
    for url in (p.url, f"file://{p.path}"):
        code, _, err = central.bmz("partner", "add", "alpha", url, "--repo", str(central.root))
        assert code == 2
        assert "--allow-local" in err


def test_a_failed_add_is_rolled_back(central: Central, tmp_path: Path) -> None:
    assert central.add(make_partner(tmp_path, "existing"))[0] == 0
    before = snapshot(central)
    bad = make_partner(tmp_path, "bad", [entry("x"), entry("x")])
    code, out, err = central.add(bad)
    assert code == 1
    assert "duplicate entry id" in out
    assert "nothing was added" in err
    assert snapshot(central) == before


@pytest.mark.parametrize("case", ["missing-branch", "missing-file", "yaml-error", "gone"])
def test_every_failed_add_leaves_nothing(central: Central, tmp_path: Path, case: str) -> None:
    central.commit("init")
    before = snapshot(central)
    p = make_partner(tmp_path, "alpha")
    argv: list[str] = []
    if case == "missing-branch":
        argv = ["--branch", "nope"]
    elif case == "missing-file":
        argv = ["--collection-file", "other.yaml"]
    elif case == "yaml-error":
        p.write(p.collection_file, "a: b: c\n")
        p.commit()
    code, out, err = central.bmz(
        "partner",
        "add",
        "alpha",
        p.url if case != "gone" else str(tmp_path / "nowhere"),
        "--allow-local",
        "--repo",
        str(central.root),
        *argv,
    )
    expected = {  # why it failed, and the exit code that goes with it
        "missing-branch": (2, "branch 'nope' not found"),
        "missing-file": (1, "collection file other.yaml not found"),
        "yaml-error": (1, "[yaml-syntax]"),
        "gone": (2, "nowhere is not a git repository (or does not exist)"),
    }[case]
    assert (code, expected[1] in out + err) == (expected[0], True), out + err
    assert "Traceback" not in err
    assert snapshot(central) == before
    assert central.status() == ""


def test_add_refuses_a_registered_id(central: Central, tmp_path: Path) -> None:
    p = make_partner(tmp_path, "alpha")
    assert central.add(p)[0] == 0
    before = snapshot(central)
    code, _, err = central.add(p)
    assert code == 2
    assert "already registered" in err
    assert snapshot(central) == before


def test_the_central_registry_cannot_leave_partners(central: Central) -> None:
    path = central.root / "collection.yaml"
    head, gen = central_mod.split(central.collection)
    for bad_id in ("../escape", "a/b", "..", "UPPER"):
        bad = head.replace(
            b"  partners: []\n",
            f"  partners:\n    - id: '{bad_id}'\n      repository: https://example.org/x\n".encode(),
        )
        path.write_bytes(bad + central_mod.MARKER.encode() + b"\n" + (gen or b""))
        code, _, err = central.sync()
        assert code == 2
        assert "invalid partner id" in err
    bad = head.replace(
        b"  partners: []\n",
        b"  partners:\n    - id: x\n      repository: https://example.org/x\n"
        b"      collection_file_name: ../../etc/passwd\n",
    )
    path.write_bytes(bad + central_mod.MARKER.encode() + b"\n" + (gen or b""))
    code, _, err = central.sync()
    assert code == 2
    assert "invalid collection file name" in err


def test_an_interrupted_add_is_rolled_back(
    central: Central, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bmz_collection.engine.sync import membership

    before = snapshot(central)

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(membership, "evaluate", interrupted)
    code, _, err = central.add(make_partner(tmp_path, "alpha"))
    assert code == 130
    assert "interrupted" in err
    assert snapshot(central) == before
