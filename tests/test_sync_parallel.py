"""Many partners to load (a cold render cache, as in a fresh CI clone, or many new heads) are
decided on every core: the same report, bytes, pins and cache records as deciding them one
after the other in this process."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from bmz_collection.engine import batch
from bmz_collection.engine.sync import run

from .gitrepos import Central, entry, make_central, make_partner

pytestmark = pytest.mark.usefixtures("git_env")
PARTNERS = 9


def records(central: Central) -> dict[str, str]:
    folder = central.root / ".git" / "bmz-cache"
    return {f.name: f.read_text() for f in folder.iterdir()} if folder.is_dir() else {}


def outcome(central: Central, *argv: str) -> tuple[Any, ...]:
    shutil.rmtree(central.root / ".git" / "bmz-cache", ignore_errors=True)  # cold
    code, out, err = central.sync(*argv)
    return code, out, err, central.collection, central.pins(), records(central)


def test_a_cold_cache_is_decided_on_every_core_with_the_same_outcome(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    central = make_central(tmp_path, capsys)
    partners = []
    for i in range(PARTNERS):
        # warnings at the pins (a deprecated licence) must be reported either way
        p = make_partner(tmp_path, f"p{i}", [entry(f"e{j}", license="GPL-3.0") for j in range(3)])
        code, out, err = central.add(p)
        assert code == 0, out + err
        partners.append(p)
    central.commit("add partners")
    for i, p in enumerate(partners[:-1]):  # new heads: all valid but one
        entries = [entry(f"e{j}", license="GPL-3.0") for j in range(4)]
        p.write_collection([*entries, entry("bad", name=42)] if i == 3 else entries)
        p.commit("more")
    copy = Central(tmp_path / "copy", capsys)
    shutil.copytree(central.root, copy.root, symlinks=True)

    forked: list[int] = []
    real_run = batch.run

    def spy(fn: Any, items: Any, *, min_items: int) -> Any:
        forked.append(len(items))
        return real_run(fn, items, min_items=min_items)

    monkeypatch.setattr(batch, "run", spy)
    parallel = [outcome(central, "--no-fetch", "--check"), outcome(central)]
    parallel.append(outcome(central, "--no-fetch", "--check"))
    assert forked == [PARTNERS] * 3  # every partner loads: a cold pin or a new head
    monkeypatch.setattr(run, "PARALLEL_MIN_PARTNERS", 10**6)
    sequential = [outcome(copy, "--no-fetch", "--check"), outcome(copy)]
    sequential.append(outcome(copy, "--no-fetch", "--check"))
    assert forked == [PARTNERS] * 3  # not called again

    def same(result: tuple[Any, ...]) -> tuple[Any, ...]:
        code, out, err, data, pins, cached = result
        return code, out.replace(str(copy.root), str(central.root)), err, data, pins, cached

    assert parallel == [same(r) for r in sequential]
    code, out, _, _, pins, cached = parallel[1]
    assert code == 1  # p3 held back
    assert "p3" in out and "held back" in out
    assert len(cached) == PARTNERS  # one record per pin, written by the workers
    assert pins != parallel[0][4]  # the valid heads were adopted
