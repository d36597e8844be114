"""What every `bmz` command shares: a reader that goes away, and `--help` that explains."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bmz_collection.cli.main import build_parser

COLLECTION = """\
format_version: 0.2.3
type: collection
name: P
description: A partner.
config: {id: p, logo: "https://example.org/logo.png"}
collection:
"""
ENTRY = """\
  - id: app-{i}
    type: application
    name: App {i}
    description: An app.
    source: https://example.org/app
"""
MANY = 2000
"""Entries behind the newest format: far more output than a pipe buffers."""


@pytest.fixture
def outdated_collection(tmp_path: Path) -> Path:
    path = tmp_path / "collection.yaml"
    path.write_text(COLLECTION + "".join(ENTRY.format(i=i) for i in range(MANY)))
    return path


def bmz_into_closed_pipe(*args: str) -> subprocess.CompletedProcess[str]:
    """`bmz ARGS` whose stdout is a pipe that nobody reads any more (its read end is closed
    before the command starts, so the first write meets the closed pipe, every time)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "bmz_collection", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)


def test_a_closed_pipe_is_not_an_error(outdated_collection: Path) -> None:
    gone = bmz_into_closed_pipe("outdated", str(outdated_collection))
    assert gone.stderr == ""  # no traceback, no "Exception ignored ... BrokenPipeError"
    assert gone.returncode == 1  # the command's own answer: some resources are behind


def test_closed_pipe_keeps_each_commands_exit_code(tmp_path: Path) -> None:
    valid = tmp_path / "collection.yaml"
    valid.write_text(COLLECTION.replace("collection:\n", "collection: []\n"))
    assert bmz_into_closed_pipe("validate", "--quiet", str(valid)).returncode == 0
    broken = tmp_path / "rdf.yaml"
    broken.write_text("type: application\n")
    result = bmz_into_closed_pipe("validate", "--quiet", str(broken))
    assert (result.returncode, result.stderr) == (1, "")
    help_result = bmz_into_closed_pipe("partner", "add", "--help")
    assert (help_result.returncode, help_result.stderr) == (0, "")


def test_outdated_piped_into_head(outdated_collection: Path) -> None:
    """The issue's own words, through a shell that fails the pipeline on any failing part."""
    script = f'set -o pipefail; "{sys.executable}" -m bmz_collection outdated "$1" | head -n 2'
    result = subprocess.run(
        ["bash", "-c", script, "bash", str(outdated_collection)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.splitlines() == [
        "p: 2000 resource(s) behind",
        "  p/app-0     application 0.2.3 -> 0.3.4    needs a person: license",
    ]
    assert result.stderr == ""
    assert result.returncode == 1  # bmz outdated's "some behind", not 2 (nor SIGPIPE's 141)


def _subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out.append((f"{parser.prog.removeprefix('bmz').strip()} {name}".strip(), sub))
                out.extend(_subcommands(sub))
    return out


def test_every_command_and_action_explains_itself_in_help() -> None:
    parser, _ = build_parser()
    commands = _subcommands(parser)
    names = {name for name, _ in commands}
    assert {"partner add", "partner remove", "partner list", "partner show"} <= names
    undescribed = [name for name, sub in commands if not (sub.description or "").strip()]
    assert undescribed == []


def test_partner_action_help_says_what_it_does(capsys: pytest.CaptureFixture[str]) -> None:
    from bmz_collection.cli.main import main

    with pytest.raises(SystemExit) as exit_info:
        main(["partner", "remove", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "usage: bmz partner remove [-h] [--repo DIR] ID\n\nRemove the partner ID:"
    )
    assert "Exit codes: 0 removed, 2 usage or fatal" in out


def test_a_command_after_an_interrupted_one_may_start_git_from_threads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A signal stops git in worker threads for the rest of that command only: ``main`` is
    also called in-process (tests, a hook), and the next command must be able to fetch."""
    from concurrent.futures import ThreadPoolExecutor

    from bmz_collection.cli.main import main
    from bmz_collection.io.git import process

    def git_version() -> str:
        return process.Git(tmp_path).out("--version", what="git --version")

    process.stop()  # as the signal handler of an earlier command did
    try:
        with ThreadPoolExecutor(1) as pool, pytest.raises(process.GitError, match="interrupted"):
            pool.submit(git_version).result()
        rdf = tmp_path / "rdf.yaml"
        rdf.write_text("format_version: 0.2.3\ntype: application\nname: A\ndescription: d.\n")
        main(["validate", str(rdf)])  # any command run through main
        capsys.readouterr()
        with ThreadPoolExecutor(1) as pool:
            assert pool.submit(git_version).result().startswith("git version")
    finally:
        process.resume()  # whatever happened above, the other tests may run git
