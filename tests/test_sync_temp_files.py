"""`bmz sync` removes the temporary files of writers that were killed, never those of a
writer still at work (a `bmz format` takes no lock)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bmz_collection.io import fsio

from .gitrepos import entry, make_central, make_partner

pytestmark = pytest.mark.usefixtures("git_env")


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_sync_keeps_the_temp_file_of_a_live_writer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    central = make_central(tmp_path, capsys)
    alpha = make_partner(tmp_path, "alpha")
    assert central.add(alpha)[0] == 0
    central.commit("alpha")
    alpha.write_collection([entry("alpha-new")])
    alpha.commit()
    live = central.root / f"{fsio.TEMP_PREFIX}collection.yaml.{os.getpid()}.abc123"
    dead = central.root / f"{fsio.TEMP_PREFIX}collection.yaml.{dead_pid()}.def456"
    nameless = central.root / f"{fsio.TEMP_PREFIX}someone-elses"
    for f in (live, dead, nameless):
        f.write_bytes(b"half")
    code, out, err = central.sync()
    assert code == 0, out + err
    assert live.read_bytes() == b"half"  # this test process is its writer, still alive
    assert nameless.exists()
    assert not dead.exists()
