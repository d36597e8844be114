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


def square(x: int) -> int:
    return x * x


@pytest.mark.parametrize("min_items", [1, 10**6], ids=["forked", "here"])
def test_a_batch_reports_its_progress_and_ends_at_the_total(min_items: int) -> None:
    from bmz_collection.engine import batch

    calls: list[tuple[int, int]] = []
    items = list(range(9))
    out = batch.run(square, items, min_items=min_items, done=lambda *c: calls.append(c))
    assert out == [x * x for x in items]
    assert calls[0] == (0, 9) and calls[-1] == (9, 9)
    counts = [d for d, _ in calls]
    assert counts == sorted(counts)  # never backwards
    assert counts.count(9) == 1  # the total once, at the end
    if min_items == 1 and batch.cpus() >= 2:  # estimated from this process's share
        workers = min(batch.cpus(), 9)
        assert calls[1] == (workers, 9)


@pytest.mark.usefixtures("git_env")
def test_build_reports_the_partners_it_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bmz_collection.engine.build import build

    central = make_central(tmp_path, capsys)
    for pid in ("alpha", "beta"):
        assert central.add(make_partner(tmp_path, pid))[0] == 0
    calls: list[tuple[str, int, int]] = []
    build(central.root, progress=lambda *call: calls.append(call))
    assert calls == [("loading partners", n, 2) for n in range(3)]


@pytest.mark.usefixtures("git_env")
def test_a_sync_reports_the_partners_it_loads_on_every_core(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from bmz_collection.engine.sync import outcomes

    central = make_central(tmp_path, capsys)
    for pid in ("alpha", "beta", "gamma"):
        assert central.add(make_partner(tmp_path, pid))[0] == 0
    shutil.rmtree(central.root / ".git" / "bmz-cache")  # cold: every pin is loaded
    monkeypatch.setattr(outcomes, "PARALLEL_MIN_PARTNERS", 2)
    calls: list[tuple[str, int, int]] = []
    options = Options(fetch=False, progress=lambda *call: calls.append(call))
    assert sync(central.root, options).exit_code == 0
    loading = [c for c in calls if c[0] == "loading partners"]
    assert loading[0] == ("loading partners", 0, 3) and loading[-1] == ("loading partners", 3, 3)
    counts = [d for _, d, _ in loading]
    assert counts == sorted(counts) and counts.count(3) == 1
