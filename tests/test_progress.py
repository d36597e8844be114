"""The progress bar: drawn on a terminal only, from the engine's (label, done, total) calls."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bmz_collection.engine.sync import Options, sync
from bmz_collection.report.progress import TerminalBar

from .gitrepos import make_central, make_partner


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_is_drawn_on_a_terminal_and_ends_its_line() -> None:
    out = Terminal()
    bar = TerminalBar(out)
    for done in range(3):
        bar("fetching", done, 2)
    assert out.getvalue() == (
        "\rfetching [..............................] 0/2"
        "\rfetching [###############...............] 1/2"
        "\rfetching [##############################] 2/2\n"
    )


def test_nothing_is_drawn_elsewhere_or_without_work() -> None:
    pipe = io.StringIO()
    TerminalBar(pipe)("fetching", 1, 2)
    assert pipe.getvalue() == ""
    out = Terminal()
    TerminalBar(out)("fetching", 0, 0)
    assert out.getvalue() == ""


@pytest.mark.usefixtures("git_env")
def test_a_sync_reports_each_fetch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    central = make_central(tmp_path, capsys)
    for pid in ("alpha", "beta"):
        assert central.add(make_partner(tmp_path, pid))[0] == 0
    calls: list[tuple[str, int, int]] = []
    options = Options(allow_local=True, progress=lambda *call: calls.append(call))
    assert sync(central.root, options).exit_code == 0
    assert calls == [("fetching", 0, 2), ("fetching", 1, 2), ("fetching", 2, 2)]
