"""The hostile-input corpus (``tests/hostile/cases.py``) against `bmz validate`, `bmz format` and
`bmz sync`, each a real process on real git repositories.

For every case and tool: the run ends within its (generous) timeout, exits as the table says,
names the rule and the file (and line) on one line, shows no traceback, runs nothing of the
partner's (trap files leave markers if they ever run), and leaves every file, the index and
``git status`` as they were, except for what an accepted case lets the tool change.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bmz_collection.io import fsio

from .gitrepos import collection_yaml, entry, load
from .hostile.cases import (
    BASE_FILES,
    CASES,
    HOOK_NAMES,
    TRAP_FILES,
    Case,
    Content,
    Expect,
    Link,
    fill,
    trap_script,
)
from .hostile.gitenv import bmz as run_bmz
from .hostile.gitenv import copy_tree, git, isolate_git

TIMEOUT = 120
"""A guard against hangs, not a timing assertion: every case runs in well under a second or
two; only a run that never ends would reach it."""


def bmz(cwd: Path, *argv: str) -> tuple[int, str]:
    code, out, err = run_bmz(cwd, *argv, timeout=TIMEOUT)
    return code, out + err


@dataclass
class World:
    root: Path
    remote: Path
    central: Path
    markers: Path
    base_pin: str

    @property
    def pristine(self) -> Path:
        return self.root / "pristine"

    def reset(self, *repos: Path) -> None:
        """Fresh copies of the repositories a test touches."""
        for live in repos:
            if live.exists():
                shutil.rmtree(live)
            copy_tree(self.pristine / live.name, live)


def write(repo: Path, relpath: str, content: Content, root: Path) -> None:
    target = repo / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() or target.exists():
        target.unlink()
    if isinstance(content, Link):
        os.symlink(fill(content.target, root), target)
    elif isinstance(content, bytes):
        target.write_bytes(content)
    elif isinstance(content, str):
        target.write_bytes(fill(content, root).encode("utf-8"))
    else:
        target.write_bytes(content())


def install_traps(repo: Path, root: Path, markers: Path) -> None:
    """Things in a partner repository that would run if anything executed partner content."""
    for relpath, content in TRAP_FILES.items():
        write(repo, relpath, content, root)
    (repo / ".githooks" / "post-checkout").chmod(0o755)
    nested = root / "remotes" / "nested"
    nested.mkdir(parents=True)
    git(nested, "init", "--quiet", "-b", "main")
    (nested / "README.md").write_text("nested\n")
    git(nested, "add", "-A")
    git(nested, "commit", "--quiet", "-m", "nested")
    nested_head = git(nested, "rev-parse", "HEAD")
    (repo / ".gitmodules").write_text(
        f'[submodule "nested"]\n\tpath = nested\n\turl = {nested}\n'
        f'[submodule "evil"]\n\tpath = evil\n\turl = ext::sh -c touch% {markers}/ext-nested\n'
    )
    for path in ("nested", "evil"):
        (repo / path).mkdir()  # an uninitialised submodule: `git add -A` keeps its gitlink
        git(repo, "update-index", "--add", "--cacheinfo", f"160000,{nested_head},{path}")
    for where in (repo, nested):
        hooks = where / ".git" / "hooks"
        hooks.mkdir(exist_ok=True)
        for name in HOOK_NAMES:
            hook = hooks / name
            hook.write_text(trap_script(markers, f"{where.name}-{name}"))
            hook.chmod(0o755)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("hostile")
    with pytest.MonkeyPatch.context() as mp:
        isolate_git(mp, root)

        markers = root / "markers"
        markers.mkdir()
        outside = root / "remotes"
        outside.mkdir()
        (outside / "outside.md").write_text("# not the partner's\n")
        (outside / "outside.png").write_bytes(b"\x89PNG")
        (outside / "outside.yaml").write_text(
            "format_version: 0.2.3\ntype: application\nname: Outside\n"
            "description: Someone else's file.\nsource: https://example.org/outside\n"
        )
        remote = outside / "hostile"
        remote.mkdir()
        git(remote, "init", "--quiet", "-b", "main")
        for relpath, content in BASE_FILES.items():
            write(remote, relpath, content, root)
        install_traps(remote, root, markers)
        git(remote, "add", "-A")
        git(remote, "commit", "--quiet", "-m", "base")
        base_pin = git(remote, "rev-parse", "HEAD")

        beta = outside / "beta"
        beta.mkdir()
        git(beta, "init", "--quiet", "-b", "main")
        (beta / "collection.yaml").write_text(
            collection_yaml("beta", [entry("beta-app"), entry("beta-tool")])
        )
        git(beta, "add", "-A")
        git(beta, "commit", "--quiet", "-m", "beta")

        central = root / "central"
        for argv in (
            ("init", str(central), "--id", "catalogue", "--name", "Catalogue"),
            ("partner", "add", "hostile", str(remote), "--allow-local", "--repo", str(central)),
            ("partner", "add", "beta", str(beta), "--allow-local", "--repo", str(central)),
        ):
            code, out = bmz(root, *argv)
            assert code == 0, out
        git(central, "commit", "--quiet", "-m", "catalogue with two partners")
        assert not list(markers.iterdir()), "a trap ran while building the world"
        for live in (remote, central):
            (root / "pristine").mkdir(exist_ok=True)
            copy_tree(live, root / "pristine" / live.name)
        yield World(root, remote, central, markers, base_pin)


def apply(world: World, case: Case, *, sync: bool = False) -> None:
    """The case's commit in the partner repository, or its edit of the central one."""
    if sync:
        world.reset(world.remote, world.central)
    else:
        world.reset(repo_of(world, case))
    if case.where == "central":
        assert case.setup is not None
        case.setup(world.central, world.root)
        return
    for relpath, content in case.files.items():
        write(world.remote, relpath, content, world.root)
    if case.setup is not None:
        case.setup(world.remote, world.root)
    if case.files:
        git(world.remote, "add", "-A")
        git(world.remote, "commit", "--quiet", "-m", f"hostile: {case.name}")


# -- what must hold after every run ---------------------------------------------------------------


def tree_digest(root: Path) -> dict[str, str]:
    """Every path below ``root`` (a top-level .git folder aside, which git commands describe)
    with its kind and content: symlinks by target, files by hash and mode."""
    out: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        if here == root and ".git" in dirs:
            dirs.remove(".git")
        for name in sorted(dirs + files):
            path = here / name
            rel = path.relative_to(root).as_posix()
            st = path.lstat()
            if stat.S_ISLNK(st.st_mode):
                out[rel] = "link:" + os.readlink(path)
            elif stat.S_ISREG(st.st_mode):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                out[rel] = f"file:{stat.S_IMODE(st.st_mode):o}:{digest}:{st.st_mtime_ns}"
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = "dir"
            else:
                out[rel] = f"special:{stat.S_IFMT(st.st_mode):o}"
    return out


@dataclass
class State:
    files: dict[str, str]
    index: str
    status: str


def state(repo: Path) -> State:
    return State(
        tree_digest(repo),
        git(repo, "ls-files", "--stage"),
        git(repo, "status", "--porcelain", "--ignore-submodules=none", check=False),
    )


def record(tool: str, case: Case, code: int, out: str) -> None:
    """``BMZ_HOSTILE_REPORT=FILE``: what each tool said, one line per case (for the docs)."""
    target = os.environ.get("BMZ_HOSTILE_REPORT")
    if target:
        lines = [ln for ln in out.splitlines() if ln.strip()]
        first = next((ln for ln in lines if "error" in ln or "warning" in ln), "")
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(f"{case.name}\t{tool}\t{code}\t{first[:200]}\n")


def assert_sane_output(code: int, out: str, expect: Expect, display: str) -> None:
    assert "Traceback" not in out, out
    assert "internal error" not in out, out
    assert code == expect.code, out
    if expect.rule is None and expect.says is None and expect.line is None:
        return
    wanted = []
    if expect.rule is not None:
        wanted.append(f"[{expect.rule}]")
    if expect.says is not None:
        wanted.append(expect.says)
    if expect.line is not None:
        wanted.append(f"{display}:{expect.line}:")
    elif expect.says is None:
        wanted.append(display)
    # one line says it all: the file (and line), and the rule or the reason
    assert any(all(w in line for w in wanted) for line in out.splitlines()), (wanted, out)


def assert_nothing_ran(world: World) -> None:
    ran = sorted(p.name for p in world.markers.iterdir())
    assert not ran, f"partner content ran: {ran}"


def assert_no_leftovers(repo: Path) -> None:
    leftovers = [p for p in repo.rglob(fsio.TEMP_PREFIX + "*")]
    assert not leftovers, leftovers
    assert not (repo / ".git" / "index.lock").exists()


def display_for(case: Case, expect: Expect, prefix: str = "") -> str:
    return prefix + (expect.file or case.target)


def repo_of(world: World, case: Case) -> Path:
    return world.central if case.where == "central" else world.remote


# -- one test per tool ----------------------------------------------------------------------------


def applicable(tool: str) -> list[object]:
    return [pytest.param(c, id=c.name) for c in CASES if getattr(c, tool) is not None]


def test_the_corpus() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    assert all(c.why for c in CASES)  # each expectation, and each tool left out, explained


@pytest.mark.slow
@pytest.mark.parametrize("case", applicable("validate"))
def test_validate(world: World, case: Case) -> None:
    apply(world, case)
    repo = repo_of(world, case)
    before = state(repo)
    expect = case.validate
    assert expect is not None
    code, out = bmz(repo, "validate", case.target)
    record("validate", case, code, out)
    assert_sane_output(code, out, expect, display_for(case, expect))
    assert state(repo) == before
    assert_nothing_ran(world)
    assert_no_leftovers(repo)


@pytest.mark.slow
@pytest.mark.parametrize("case", applicable("format"))
def test_format(world: World, case: Case) -> None:
    apply(world, case)
    repo = repo_of(world, case)
    before = state(repo)
    expect = case.format
    assert expect is not None
    code, out = bmz(repo, "format", case.target)
    record("format", case, code, out)
    assert_sane_output(code, out, expect, display_for(case, expect))
    after = state(repo)
    if expect.changed:
        changed = {k for k in before.files.keys() | after.files.keys()}
        changed = {k for k in changed if before.files.get(k) != after.files.get(k)}
        assert changed == {case.target}, changed
        assert after.index == before.index
        code, out = bmz(repo, "format", case.target)
        assert code == 0, out
        assert state(repo).files == after.files  # a second run changes nothing
    else:
        assert after == before
    assert_nothing_ran(world)
    assert_no_leftovers(repo)


@pytest.mark.slow
@pytest.mark.parametrize("case", applicable("sync"))
def test_sync(world: World, case: Case) -> None:
    apply(world, case, sync=True)
    central = world.central
    before = state(central)
    old = load((central / "collection.yaml").read_bytes())
    expect = case.sync
    assert expect is not None
    code, out = bmz(world.root, "sync", "--allow-local", "--timeout", "60", "--repo", str(central))
    record("sync", case, code, out)
    assert_sane_output(code, out, expect, display_for(case, expect, "partners/hostile/"))
    if expect.changed:
        pins = git(central, "ls-files", "--stage", "--", "partners/hostile").split()
        assert pins[1] == git(world.remote, "rev-parse", "HEAD") != world.base_pin
        new = load((central / "collection.yaml").read_bytes())
        # a partner publishes under its registry id only; the other partner is untouched
        assert all(e["id"].startswith(("hostile/", "beta/")) for e in new["collection"])
        assert [e for e in new["collection"] if e["id"].startswith("beta/")] == [
            e for e in old["collection"] if e["id"].startswith("beta/")
        ]
        assert "hostile" in out  # the report names the partner that moved
    else:
        assert state(central) == before
    assert_nothing_ran(world)
    assert_no_leftovers(central)


@pytest.mark.slow
def test_the_traps_are_armed(world: World, tmp_path: Path) -> None:
    """The traps do fire when git is allowed to run them: their absence above means something."""
    armed = tmp_path / "markers"
    armed.mkdir()
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "--quiet", "-b", "main")
    (repo / "collection.yaml").write_text("a: 1\n")
    install_traps(repo, tmp_path, armed)
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "traps")
    subprocess.run(
        [
            "git",
            "-c",
            "protocol.ext.allow=always",
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "update",
            "--init",
            "--",
            "evil",
        ],
        cwd=repo,
        capture_output=True,
        check=False,
        timeout=TIMEOUT,
    )
    subprocess.run(
        ["git", "checkout", "--quiet", "--detach", "HEAD"],
        cwd=repo,
        capture_output=True,
        check=False,
        timeout=TIMEOUT,
    )
    fired = {p.name for p in armed.iterdir()}
    assert "ext-nested" in fired and "repo-post-checkout" in fired, fired
