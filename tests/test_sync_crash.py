"""A `bmz sync` killed with SIGKILL at any point leaves the previous complete collection.yaml
(or the new one), a sane repository, and the next run converges to the same bytes.

The kills come from the test side (tests/hostile/crashpoints.py wraps git calls, writes and
renames of a real `bmz sync` process); the product has no crash hooks of its own to trust."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bmz_collection.io import fsio
from bmz_collection.io.lock import LOCK_NAME

from .gitrepos import Central, entry, git, make_central, make_partner
from .hostile import crashpoints

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("git_env")]  # every crash point


def bmz_sync(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bmz_collection", "sync", "--allow-local", "--repo", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def pins(root: Path) -> str:
    return git(root, "ls-files", "--stage", "--", "partners/", "collection.yaml")


@pytest.fixture
def moved_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, bytes, bytes, str]:
    """A committed central repository whose partners moved on: (template, old file, file an
    uninterrupted sync writes, index it stages)."""
    central: Central = make_central(tmp_path, capsys)
    alpha = make_partner(tmp_path, "alpha")
    beta = make_partner(tmp_path, "beta")
    for p in (alpha, beta):
        assert central.add(p)[0] == 0
    central.commit("partners")
    alpha.write_collection([entry("alpha-app-0", description="Changed."), entry("alpha-new")])
    alpha.commit()
    beta.write_collection([entry("beta-app-1")])
    beta.commit()
    template = tmp_path / "template"
    shutil.copytree(central.root, template, symlinks=True)
    reference = tmp_path / "reference"
    shutil.copytree(template, reference, symlinks=True)
    done = bmz_sync(reference)
    assert done.returncode == 0, done.stderr
    return (
        template,
        central.collection,
        (reference / "collection.yaml").read_bytes(),
        pins(reference),
    )


def check_recovery(root: Path, old: bytes, new: bytes, staged: str) -> None:
    current = (root / "collection.yaml").read_bytes()
    assert current in (old, new), "a torn collection.yaml"
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True
    )
    assert status.returncode == 0, status.stderr
    again = bmz_sync(root)
    assert again.returncode == 0, again.stdout + again.stderr
    assert (root / "collection.yaml").read_bytes() == new
    assert pins(root) == staged
    assert not list(root.rglob(fsio.TEMP_PREFIX + "*"))  # also none in .git/bmz-cache
    assert not (root / ".git" / "index.lock").exists()
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "bmz_collection",
            "sync",
            "--no-fetch",
            "--check",
            "--repo",
            str(root),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    dirty = git(root, "status", "--porcelain", "--ignore-submodules=none")
    assert all(line[1] == " " for line in dirty.splitlines()), dirty  # all staged, worktree clean


def run_killed(
    root: Path, plan: str, counter: Path, *argv: str
) -> subprocess.CompletedProcess[str]:
    """`bmz sync` (or ``argv``) under the test-side crash runner (tests/hostile/crashpoints.py)."""
    return subprocess.run(
        [
            sys.executable,
            str(crashpoints.__file__),
            str(counter),
            plan,
            *(argv or ("sync", "--allow-local", "--repo", str(root))),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        start_new_session=True,
    )


def check_right_after_the_kill(root: Path, old: bytes, new: bytes) -> None:
    """What a crash may leave: the old or the new complete file, and at most temporary files
    of the write it interrupted (never a git lock: git runs in its own session and finishes)."""
    assert (root / "collection.yaml").read_bytes() in (old, new), "a torn collection.yaml"
    assert not (root / ".git" / "index.lock").exists()
    strays = [p for p in root.rglob("*.lock") if p.name != LOCK_NAME]
    assert not strays, strays


def test_killed_at_every_point(moved_on: tuple[Path, bytes, bytes, str], tmp_path: Path) -> None:
    """SIGKILL after each git call, in the middle of each atomic write, just before and just
    after each rename (a sample of them; BMZ_CRASH_FULL=1, as bench/crash sets it, takes all)."""
    template, old, new, staged = moved_on
    probe = tmp_path / "probe"
    shutil.copytree(template, probe, symlinks=True)
    counter = tmp_path / "events.json"
    done = run_killed(probe, "count", counter)
    assert done.returncode == 0, done.stderr
    events = crashpoints.counts(counter)
    assert events["git"] >= 10 and events["replace"] >= 2, events
    assert (probe / "collection.yaml").read_bytes() == new
    shutil.rmtree(probe)
    for plan in crashpoints.sample(events, full=crashpoints.full()):
        root = tmp_path / f"run-{plan.replace(':', '-')}"
        shutil.copytree(template, root, symlinks=True)
        killed = run_killed(root, plan, tmp_path / f"{plan.replace(':', '-')}.json")
        assert killed.returncode == -signal.SIGKILL, (plan, killed.stdout, killed.stderr)
        check_right_after_the_kill(root, old, new)
        check_recovery(root, old, new, staged)
        crashpoints.log("sync", plan)
        shutil.rmtree(root)


SIGNALS = {"SIGINT": 130, "SIGTERM": 143}


def session_members(sid: int) -> list[int]:
    """Processes still alive (not zombies) in session ``sid``: git children bmz left behind."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


def run_signalled(
    root: Path, plan: str, counter: Path, *argv: str
) -> subprocess.CompletedProcess[str]:
    """As ``run_killed``, and afterwards: no process of bmz's session (its git children in
    their own sessions are checked through the lock and the index) and the lock is free."""
    proc = subprocess.Popen(
        [
            sys.executable,
            str(crashpoints.__file__),
            str(counter),
            plan,
            *(argv or ("sync", "--allow-local", "--repo", str(root))),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    out, err = proc.communicate(timeout=120)  # a guard against a hang, not a timing assertion
    assert session_members(proc.pid) == [], (plan, err)
    with open(root / ".git" / LOCK_NAME, "a") as fh:  # released: taken at once
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def no_git_left(root: Path) -> None:
    """No git process of this run (working in ``root``, or on a git directory in it) is still
    alive: they run in their own sessions, so bmz must have killed them. Other git processes
    on the machine are not ours."""
    mine = str(root).encode()
    left = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            argv = cmdline.read_bytes().split(b"\0")
            state = (cmdline.parent / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cwd = os.readlink(cmdline.parent / "cwd").encode()
        except (OSError, IndexError):
            continue
        if b"git" in argv[0] and state != "Z" and (cwd.startswith(mine) or mine in b" ".join(argv)):
            left.append(b" ".join(argv).decode(errors="replace"))
    assert left == [], left


def test_signalled_at_every_point(moved_on: tuple[Path, bytes, bytes, str], tmp_path: Path) -> None:
    """SIGINT and SIGTERM at each event of a sync: exit 130 or 143, the old or new complete
    file, no git process left, the lock released; the next run converges."""
    template, old, new, staged = moved_on
    probe = tmp_path / "probe"
    shutil.copytree(template, probe, symlinks=True)
    counter = tmp_path / "events.json"
    assert run_killed(probe, "count", counter).returncode == 0
    events = crashpoints.counts(counter)
    shutil.rmtree(probe)
    for plan in crashpoints.sample(events, full=crashpoints.full(), every=4):
        for name, code in SIGNALS.items():
            tag = f"{name}-{plan.replace(':', '-')}"
            root = tmp_path / f"run-{tag}"
            shutil.copytree(template, root, symlinks=True)
            done = run_signalled(root, f"{name}@{plan}", tmp_path / f"{tag}.json")
            assert done.returncode == code, (tag, done.stdout, done.stderr)
            assert "Traceback" not in done.stderr, done.stderr
            no_git_left(root)
            check_right_after_the_kill(root, old, new)
            check_recovery(root, old, new, staged)
            crashpoints.log("sync-signal", f"{name}@{plan}")
            shutil.rmtree(root)


def add_beta_setup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, tuple[str, ...]]:
    """A central repository with partner alpha committed, copied as ``template``, and the argv
    (less the repository) of adding partner beta to a copy of it."""
    central = make_central(tmp_path, capsys)
    assert central.add(make_partner(tmp_path, "alpha"))[0] == 0
    central.commit("alpha")
    beta = make_partner(tmp_path, "beta")
    template = tmp_path / "template"
    shutil.copytree(central.root, template, symlinks=True)
    return template, ("partner", "add", "beta", str(beta.path), "--allow-local", "--repo")


def test_partner_add_signalled_at_every_point_is_rolled_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SIGINT and SIGTERM at each event of `bmz partner add`: exit 130 or 143 and the central
    repository exactly as before (files, index, .gitmodules, .git/modules), lock released."""
    template, argv = add_beta_setup(tmp_path, capsys)

    def state(root: Path) -> tuple[str, str, bytes, bool, bool]:
        return (
            git(root, "ls-files", "--stage"),
            git(root, "status", "--porcelain", "--ignore-submodules=none"),
            (root / "collection.yaml").read_bytes(),
            (root / ".git" / "modules" / "partners" / "beta").exists(),
            (root / "partners" / "beta").exists(),
        )

    probe = tmp_path / "probe"
    shutil.copytree(template, probe, symlinks=True)
    counter = tmp_path / "events.json"
    done = run_killed(probe, "count", counter, *argv, str(probe))
    assert done.returncode == 0, done.stderr
    events = crashpoints.counts(counter)
    shutil.rmtree(probe)
    expected = state(template)
    for plan in crashpoints.sample(events, full=crashpoints.full(), every=4):
        for name, code in SIGNALS.items():
            tag = f"add-{name}-{plan.replace(':', '-')}"
            root = tmp_path / f"run-{tag}"
            shutil.copytree(template, root, symlinks=True)
            done = run_signalled(root, f"{name}@{plan}", tmp_path / f"{tag}.json", *argv, str(root))
            assert done.returncode == code, (tag, done.stdout, done.stderr)
            assert "Traceback" not in done.stderr, done.stderr
            no_git_left(root)
            assert state(root) == expected, tag
            crashpoints.log("partner-add-signal", f"{name}@{plan}")
            shutil.rmtree(root)


def test_a_partner_add_killed_anywhere_is_settled_by_the_next_sync(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SIGKILL at each event of `bmz partner add`, then `bmz sync`: the repository is as
    before the add, or as after a complete add (killed after its last step), nothing between."""
    template, argv = add_beta_setup(tmp_path, capsys)

    def state(root: Path) -> tuple[str, str, bytes]:
        return (
            git(root, "ls-files", "--stage"),
            git(root, "status", "--porcelain", "--ignore-submodules=none"),
            (root / "collection.yaml").read_bytes(),
        )

    done_root = tmp_path / "done"
    shutil.copytree(template, done_root, symlinks=True)
    counter = tmp_path / "events.json"
    assert run_killed(done_root, "count", counter, *argv, str(done_root)).returncode == 0
    events = crashpoints.counts(counter)
    settled = {state(template), state(done_root)}
    for plan in crashpoints.sample(events, full=crashpoints.full()):
        tag = f"add-kill-{plan.replace(':', '-')}"
        root = tmp_path / f"run-{tag}"
        shutil.copytree(template, root, symlinks=True)
        killed = run_killed(root, plan, tmp_path / f"{tag}.json", *argv, str(root))
        assert killed.returncode == -signal.SIGKILL, (plan, killed.stderr)
        again = bmz_sync(root)
        assert again.returncode == 0, (plan, again.stdout, again.stderr)
        assert state(root) in settled, (plan, state(root)[1])
        crashpoints.log("partner-add-kill", plan)
        shutil.rmtree(root)
