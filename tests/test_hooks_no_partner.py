"""Installing our hooks from a catalogue that holds partner submodules clones no partner.

pre-commit installs a hooks repository by fetching it and running `git submodule update
--init --recursive`; `git clone --recursive` does the same. Partner submodules are
`update = none`, so neither fetches a partner repository. Measured, not assumed: every pack
any repository here serves is logged (`uploadpack.packObjectsHook`, in the isolated global
git config), so the log names each repository that was fetched from; the control shows the
partner in the log once its submodule is not `update = none`.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from .gitrepos import Central, git, make_partner

PROJECT = Path(__file__).resolve().parents[1]
WHEELHOUSE = Path(sys.prefix) / "wheelhouse"
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"

pytestmark = [
    pytest.mark.usefixtures("git_env"),
    pytest.mark.slow,  # pre-commit builds the hook's environment: tens of seconds
    pytest.mark.skipif(
        not WHEELHOUSE.is_dir(), reason=f"no {WHEELHOUSE}: run `make test`, which builds it"
    ),
]


def served(log: Path) -> list[str]:
    """The git directories that served a pack since the log was last cleared."""
    if not log.exists():
        return []
    return [str(Path(line).resolve()) for line in log.read_text().splitlines()]


def catalogue_with_a_partner(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """This project as git tracks it (our hooks, and the catalogue at its root), committed
    in a new repository, with one partner added by `bmz partner add`."""
    hooks = tmp_path / "catalogue"
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=PROJECT, capture_output=True, check=True
    ).stdout
    for rel in filter(None, files.decode().split("\0")):
        source = PROJECT / rel
        if source.is_file() and not source.is_symlink():
            target = hooks / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(hooks, "init", "--quiet", "-b", "main")
    git(hooks, "add", "-A")
    git(hooks, "commit", "--quiet", "-m", "the project")
    partner = make_partner(tmp_path, "alpha")
    central = Central(hooks, capsys)
    code, out, err = central.bmz(
        "partner", "add", "alpha", f"file://{partner.path}", "--allow-local", "--repo", str(hooks)
    )
    assert code == 0, out + err
    central.commit("add a partner")
    return hooks


@pytest.fixture
def pack_log(tmp_path: Path) -> Path:
    log = tmp_path / "served.log"
    hook = tmp_path / "log-pack"
    hook.write_text(f'#!/bin/sh\npwd >> "{log}"\nexec "$@"\n')
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    config = os.environ["GIT_CONFIG_GLOBAL"]
    git(tmp_path, "config", "--file", config, "uploadpack.packObjectsHook", str(hook))
    git(tmp_path, "config", "--file", config, "protocol.file.allow", "always")
    return log


def test_hook_install_and_recursive_clone_fetch_no_partner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pack_log: Path
) -> None:
    catalogue = catalogue_with_a_partner(tmp_path, capsys)
    partner_git = str((tmp_path / "remotes" / "alpha" / ".git").resolve())
    catalogue_git = str((catalogue / ".git").resolve())
    assert "update = none" in (catalogue / ".gitmodules").read_text()
    pack_log.unlink(missing_ok=True)

    # real pre-commit installs the hooks from the catalogue, and runs one
    user = tmp_path / "user"
    user.mkdir()
    git(user, "init", "--quiet")
    (user / "rdf.yaml").write_text("not: [valid\n")
    git(user, "add", "-A")
    home = tmp_path / "pre-commit-home"
    user_home = tmp_path / "home"  # pre-commit drops GIT_CONFIG_GLOBAL: the same config here
    user_home.mkdir()
    shutil.copy(os.environ["GIT_CONFIG_GLOBAL"], user_home / ".gitconfig")
    env = {
        **os.environ,
        "HOME": str(user_home),
        "PRE_COMMIT_HOME": str(home),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(WHEELHOUSE),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    res = subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(catalogue), "bmz-validate", "--all-files"],
        cwd=user,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 1, res.stdout + res.stderr  # the hook ran, and found the error
    assert "rdf.yaml:2:1: error:" in res.stdout
    fetched = served(pack_log)
    assert catalogue_git in fetched  # the measurement sees fetches ...
    assert partner_git not in fetched  # ... and the partner was not fetched
    clones = [p for p in home.rglob("modules") if p.parent.name == ".git"]
    assert clones == []

    # a plain `git clone --recursive` of the catalogue
    pack_log.unlink(missing_ok=True)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", "--recursive", f"file://{catalogue}", str(clone))
    assert served(pack_log) == [catalogue_git]
    assert not (clone / ".git" / "modules").exists()

    # control: without `update = none`, the same clone fetches the partner
    git(catalogue, "config", "--file", ".gitmodules", "--unset", "submodule.partners/alpha.update")
    git(catalogue, "commit", "--quiet", "-am", "clone partners again")
    pack_log.unlink(missing_ok=True)
    git(tmp_path, "clone", "--quiet", "--recursive", f"file://{catalogue}", str(tmp_path / "c2"))
    assert partner_git in served(pack_log)
