"""Partner faults during `bmz sync`, each in one partner of fifty: the others sync, the faulty
one keeps its pin and its entries, the report and the summary say why, exit 1.

`tests/test_sync.py` covers each hold-back reason with two partners (broken YAML, schema
errors, deleted collection file, duplicate ids, remote gone, branch deleted) and a force-push
followed with a warning; here every fault is one partner among fifty that all moved on at the
same time, plus what only shows at that scale or with a real process: a renamed collection
file, a fetch that never answers (bounded by `--timeout`), and the Markdown summary.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .gitrepos import collection_yaml, entry, load, pins_of
from .hostile.gitenv import bmz, copy_tree, git, isolate_git

pytestmark = pytest.mark.slow  # fifty partners per scenario

PARTNERS = 50
VICTIM = "p17"
FETCH_TIMEOUT = "2"
"""Per-partner fetch timeout of the runs here: small, so the hanging fetch costs 2 s."""


def pid(i: int) -> str:
    return f"p{i:02d}"


def partner_file(p: str, *extra: str) -> str:
    return collection_yaml(p, [entry(f"{p}-a"), entry(f"{p}-b"), *(entry(e) for e in extra)])


@dataclass
class Fleet:
    root: Path
    central: Path
    remotes: Path

    def remote(self, p: str) -> Path:
        return self.remotes / p

    def reset(self) -> None:
        """A fresh central repository and victim (the other partners are only read)."""
        for live in (self.central, self.remote(VICTIM)):
            shutil.rmtree(live, ignore_errors=True)
            copy_tree(self.root / "pristine" / live.relative_to(self.root), live)

    def pins(self) -> dict[str, str]:
        return pins_of(self.central)

    def heads(self) -> dict[str, str]:
        return {pid(i): git(self.remote(pid(i)), "rev-parse", "HEAD") for i in range(PARTNERS)}

    def sync(self, *argv: str) -> tuple[int, str, str]:
        return bmz(
            self.root,
            "sync",
            "--allow-local",
            "--timeout",
            FETCH_TIMEOUT,
            "--repo",
            str(self.central),
            *argv,
        )


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    """Fifty partners pinned at their first commit; each has one new resource upstream."""
    root = tmp_path_factory.mktemp("fleet")
    with pytest.MonkeyPatch.context() as mp:
        isolate_git(mp, root)
        remotes = root / "remotes"
        for i in range(PARTNERS):
            path = remotes / pid(i)
            path.mkdir(parents=True)
            git(path, "init", "--quiet", "-b", "main")
            (path / "collection.yaml").write_text(partner_file(pid(i)))
            git(path, "add", "-A")
            git(path, "commit", "--quiet", "-m", "first")
        central = root / "central"
        code, out, err = bmz(root, "init", str(central), "--id", "catalogue")
        assert code == 0, out + err
        registry = "".join(
            f"    - id: {pid(i)}\n      repository: {remotes / pid(i)}\n      branch: main\n"
            "      collection_file_name: collection.yaml\n"
            for i in range(PARTNERS)
        )
        text = (central / "collection.yaml").read_text()
        (central / "collection.yaml").write_text(
            text.replace("  partners: []\n", "  partners:\n" + registry)
        )
        for i in range(PARTNERS):
            git(
                central,
                "submodule",
                "add",
                "--quiet",
                "--name",
                f"partners/{pid(i)}",
                "--branch",
                "main",
                str(remotes / pid(i)),
                f"partners/{pid(i)}",
            )
        code, out, err = bmz(root, "sync", "--no-fetch", "--repo", str(central))
        assert code == 0, out + err
        git(central, "add", "-A")
        git(central, "commit", "--quiet", "-m", "fifty partners")
        for i in range(PARTNERS):
            path = remotes / pid(i)
            (path / "collection.yaml").write_text(partner_file(pid(i), f"{pid(i)}-new"))
            git(path, "commit", "--quiet", "-am", "one more resource")
        (root / "pristine").mkdir()
        for live in (central, remotes):
            copy_tree(live, root / "pristine" / live.name)
        shutil.rmtree(central)  # each test starts from its own copy
        yield Fleet(root, central, remotes)


# -- the faults ------------------------------------------------------------------------------------


def remote_gone(remote: Path) -> None:
    shutil.rmtree(remote)


def branch_deleted(remote: Path) -> None:
    git(remote, "branch", "-m", "main", "renamed")


def collection_deleted(remote: Path) -> None:
    git(remote, "rm", "--quiet", "collection.yaml")
    git(remote, "commit", "--quiet", "-m", "delete the collection")


def collection_renamed(remote: Path) -> None:
    git(remote, "mv", "collection.yaml", "collection.bioimage.io.yaml")
    git(remote, "commit", "--quiet", "-m", "rename the collection")


def fetch_hangs(remote: Path) -> None:
    """A local remote that never answers: its refs are read from a FIFO no one writes to, so
    the `git upload-pack` serving the fetch blocks on open() forever."""
    git(remote, "pack-refs", "--all")
    for ref in (remote / ".git" / "refs" / "heads").iterdir():
        ref.unlink()
    (remote / ".git" / "packed-refs").unlink()
    os.mkfifo(remote / ".git" / "packed-refs")


FAULTS: dict[str, tuple[Callable[[Path], None], str]] = {
    "remote-gone": (remote_gone, "is not a git repository (or does not exist)"),
    "branch-deleted": (branch_deleted, "branch 'main' not found"),
    "collection-file-deleted": (collection_deleted, "[collection-file-missing]"),
    "collection-file-renamed": (collection_renamed, "[collection-file-missing]"),
    "fetch-hangs": (fetch_hangs, f"timed out (git fetch: no answer within {FETCH_TIMEOUT} s)"),
}


def entries_of(data: bytes, p: str) -> list[object]:
    return [e for e in load(data)["collection"] if e["id"].startswith(f"{p}/")]


def processes_mentioning(text: str) -> list[str]:
    """Command lines of live processes naming ``text`` (a fetch must not outlive its timeout)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (
                (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            )
        except OSError:
            continue
        if text in cmdline:
            found.append(cmdline)
    return found


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_one_faulty_partner_of_fifty(fleet: Fleet, fault: str) -> None:
    fleet.reset()
    breaks, reason = FAULTS[fault]
    victim_remote = fleet.remote(VICTIM)
    pins_before = fleet.pins()
    collection_before = (fleet.central / "collection.yaml").read_bytes()
    heads = {p: h for p, h in fleet.heads().items() if p != VICTIM}
    breaks(victim_remote)
    summary = fleet.root / "summary.md"

    code, out, err = fleet.sync("--summary", str(summary))

    assert code == 1, out + err
    assert "Traceback" not in out + err
    # the faulty partner keeps its pin and its entries
    pins = fleet.pins()
    assert pins[VICTIM] == pins_before[VICTIM]
    collection = (fleet.central / "collection.yaml").read_bytes()
    assert entries_of(collection, VICTIM) == entries_of(collection_before, VICTIM)
    # every other partner moved on
    assert {p: s for p, s in pins.items() if p != VICTIM} == heads
    ids = {e["id"] for e in load(collection)["collection"]}
    assert all(f"{p}/{p}-new" in ids for p in heads)
    # the report and the summary say who and why
    held = [line for line in out.splitlines() if line.startswith(f"partners/{VICTIM}: held back")]
    assert held, out
    assert reason in out, out
    assert f"{PARTNERS - 1} updated, 1 held back" in err
    text = summary.read_text()
    assert any(VICTIM in line and "held back" in line for line in text.splitlines()), text
    assert reason in text, text
    # staged, consistent, nothing left behind
    status = git(fleet.central, "status", "--porcelain")
    assert all(line[1] == " " for line in status.splitlines()), status
    assert not (fleet.central / ".git" / "index.lock").exists()
    assert not processes_mentioning(str(victim_remote))


def test_a_force_pushed_partner_among_fifty_is_followed_and_reported(fleet: Fleet) -> None:
    fleet.reset()
    remote = fleet.remote(VICTIM)
    old = fleet.pins()[VICTIM]
    (remote / "collection.yaml").write_text(partner_file(VICTIM, "rewritten"))
    git(remote, "checkout", "--quiet", "--orphan", "rewritten")
    git(remote, "add", "-A")
    git(remote, "commit", "--quiet", "-m", "history rewritten")
    git(remote, "branch", "--quiet", "-M", "rewritten", "main")
    new = git(remote, "rev-parse", "HEAD")
    summary = fleet.root / "summary.md"

    code, out, err = fleet.sync("--summary", str(summary))

    assert code == 0, out + err
    assert fleet.pins()[VICTIM] == new != old
    assert f"partners/{VICTIM}: {old[:7]} -> {new[:7]}" in out
    assert f"branch 'main' was force-pushed ({old[:7]} is not an ancestor" in out
    text = summary.read_text()
    assert any(VICTIM in line and "force-pushed" in line for line in text.splitlines()), text
    assert f"{VICTIM}/rewritten" in {
        e["id"] for e in load(fleet.central.joinpath("collection.yaml").read_bytes())["collection"]
    }
    assert f"{PARTNERS} updated, 0 held back" in err
