"""Git failing under `bmz sync`: a `git cat-file` that dies in the middle of a blob, and a
user's git environment (config injected through the environment, a hook's index, a global
``url.<base>.insteadOf``). Each runs a real `bmz sync` process against local repositories."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from .gitrepos import Central, collection_yaml, entry, git, make_central, make_partner
from .hostile.gitenv import bmz

pytestmark = pytest.mark.usefixtures("git_env")

TRUNCATOR = """
import os, subprocess, sys
real, args = sys.argv[1], sys.argv[2:]
if "--batch-command" not in args:
    os.execv(real, [real, *args])
git = subprocess.Popen([real, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
out = sys.stdout.buffer
for line in sys.stdin.buffer:
    git.stdin.write(line)
    git.stdin.flush()
    header = git.stdout.readline()
    out.write(header)
    words = header.split()
    if line.startswith(b"contents") and len(words) == 3:
        size = int(words[2])
        data = git.stdout.read(size + 1)
        if size > 4000:  # the big blob: dies after all but its last 2000 bytes
            out.write(data[: size - 2000])
            out.flush()
            os._exit(0)
        out.write(data)
    out.flush()
"""


def git_on_path(tmp_path: Path, script: str) -> dict[str, str]:
    """An environment whose ``git`` is ``script`` (Python) wrapped around the real git."""
    real = shutil.which("git")
    assert real is not None
    folder = tmp_path / "fakebin"
    folder.mkdir()
    (folder / "wrapper.py").write_text(script)
    wrapper = folder / "git"
    wrapper.write_text(f'#!/bin/sh\nexec {sys.executable} {folder / "wrapper.py"} {real} "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def pin_of(central: Central, pid: str) -> str:
    return git(central.root, "rev-parse", f":partners/{pid}")


def test_cat_file_dying_mid_blob_holds_the_partner_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The new head's collection ends in a long comment: cut anywhere in it, the YAML still
    parses and is valid, so only the length check tells that it is not the file."""
    central = make_central(tmp_path, capsys)
    alpha = make_partner(tmp_path, "alpha")
    assert central.add(alpha)[0] == 0
    central.commit("alpha")
    old_pin = pin_of(central, "alpha")
    text = collection_yaml("alpha", [entry("alpha-app-0"), entry("alpha-late")])
    alpha.write("collection.yaml", text + "# " + "x" * 6000 + "\n")
    alpha.commit()
    env = git_on_path(tmp_path, TRUNCATOR)
    code, out, err = bmz(central.root, "sync", "--allow-local", env=env)
    assert code == 1, out + err
    assert "git cat-file stopped after" in out + err
    assert pin_of(central, "alpha") == old_pin
    assert b"alpha-late" not in central.collection
    # nothing of the truncated read was cached: an honest git adopts the head
    code, out, err = bmz(central.root, "sync", "--allow-local")
    assert code == 0, out + err
    assert pin_of(central, "alpha") == alpha.head()
    assert b"alpha-late" in central.collection


def test_config_injected_through_the_environment_is_dropped_both_ways(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bmz_collection.io.git import process

    for key, value in {
        "GIT_CONFIG_PARAMETERS": "'core.hookspath'='/x'",
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "core.hooksPath",
        "GIT_CONFIG_VALUE_0": "/x",
    }.items():
        monkeypatch.setenv(key, value)
    env = process.hardened_env(allow_local=False)
    assert not [k for k in env if k.startswith(("GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT"))]
    assert not [k for k in env if k.startswith(("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_"))]


def test_a_hooks_index_is_honoured_only_for_its_own_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bmz_collection.io.git.repo import Repo

    central = make_central(tmp_path, capsys)
    other = tmp_path / "other"
    git(tmp_path, "init", "--quiet", str(other))
    monkeypatch.chdir(other)
    monkeypatch.setenv("GIT_INDEX_FILE", ".git/next-index-1.lock")  # as git gives it a hook
    assert "GIT_INDEX_FILE" not in Repo(central.root).git.env
    assert Repo(other).git.env["GIT_INDEX_FILE"] == str(other / ".git" / "next-index-1.lock")


def test_fetched_objects_are_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A partner commit git's fsck refuses (an author line without a date): held back."""
    central = make_central(tmp_path, capsys)
    alpha = make_partner(tmp_path, "alpha")
    assert central.add(alpha)[0] == 0
    central.commit("alpha")
    old_pin = pin_of(central, "alpha")
    tree = git(alpha.path, "rev-parse", "HEAD^{tree}")
    body = (
        f"tree {tree}\nparent {old_pin}\nauthor Someone <someone@example.org>\n"
        "committer Someone <someone@example.org>\n\nmalformed\n"
    )
    bad = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--literally", "--stdin"],
        cwd=alpha.path,
        input=body,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    git(alpha.path, "update-ref", "refs/heads/main", bad)
    code, out, err = central.sync()
    assert code == 1, out + err
    assert pin_of(central, "alpha") == old_pin
    assert "cannot fetch" in out + err


def test_a_global_insteadof_does_not_redirect_partner_fetches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's global config rewrites the partners' host to ssh (here: the folder of
    the local partners, to an unreachable ssh URL): sync still fetches the URL registered."""
    central = make_central(tmp_path, capsys)
    alpha = make_partner(tmp_path, "alpha")
    assert central.add(alpha)[0] == 0
    central.commit("alpha")
    alpha.write_collection([entry("alpha-new")])
    alpha.commit()
    config = Path(os.environ["GIT_CONFIG_GLOBAL"])
    prefix = str(alpha.path.parent) + "/"
    with config.open("a") as fh:
        fh.write(f'[url "ssh://git@unreachable.invalid/"]\n\tinsteadOf = {prefix}\n')
    code, out, err = central.sync()
    assert code == 0, out + err
    assert pin_of(central, "alpha") == alpha.head()
