"""Many partners to load (a cold render cache, as in a fresh CI clone, or many new heads) are
decided on every core, and a cold cache's pins are rendered there while the fetches run: the
same report, bytes, pins and cache records as deciding them one after the other in this
process."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from bmz_collection.engine import batch
from bmz_collection.engine.sync import outcomes

from .gitrepos import Central, entry, git, make_central, make_partner

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
    started: list[int] = []
    real_run, real_start = batch.run, batch.start

    def spy(fn: Any, items: Any, **kwargs: Any) -> Any:
        forked.append(len(items))
        return real_run(fn, items, **kwargs)

    def spy_start(fn: Any, items: Any, *, min_items: int) -> Any:
        pending = real_start(fn, items, min_items=min_items)
        if items:  # a check fetches nothing: no pins to render meanwhile
            started.append(len(items) if pending is not None else 0)
        return pending

    monkeypatch.setattr(batch, "run", spy)
    monkeypatch.setattr(batch, "start", spy_start)
    parallel = [outcome(central, "--no-fetch", "--check"), outcome(central)]
    parallel.append(outcome(central, "--no-fetch", "--check"))
    # the cold sync renders the 9 pins while it fetches, then decides the 8 new heads
    assert started == [PARTNERS]
    assert forked == [PARTNERS, PARTNERS - 1, PARTNERS]
    monkeypatch.setattr(outcomes, "PARALLEL_MIN_PARTNERS", 10**6)
    sequential = [outcome(copy, "--no-fetch", "--check"), outcome(copy)]
    sequential.append(outcome(copy, "--no-fetch", "--check"))
    assert started == [PARTNERS, 0]  # nothing forked: all in this process
    assert forked == [PARTNERS, PARTNERS - 1, PARTNERS]  # not called again

    def same(result: tuple[Any, ...]) -> tuple[Any, ...]:
        code, out, err, data, pins, cached = result
        return code, out.replace(str(copy.root), str(central.root)), err, data, pins, cached

    assert parallel == [same(r) for r in sequential]
    code, out, _, _, pins, cached = parallel[1]
    assert code == 1  # p3 held back
    assert "p3" in out and "held back" in out
    assert len(cached) == PARTNERS  # one record per pin, written by the workers
    assert pins != parallel[0][4]  # the valid heads were adopted


def test_pins_rendered_while_fetching_give_the_same_outcome_in_every_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold cache with fetches: each pin is rendered in a worker while the fetches run, and
    the partner is then decided as usual. A pin with errors (held back at its pin), a moved
    head, a broken new head and an unchanged partner come out exactly as when nothing is
    rendered ahead; records of pins nobody kept are pruned."""
    central = make_central(tmp_path, capsys)
    partners = {}
    for pid in ("alpha", "beta", "gamma", "delta"):
        partners[pid] = make_partner(tmp_path, pid, [entry(f"e{j}") for j in range(2)])
        assert central.add(partners[pid])[0] == 0
    central.commit("add partners")
    # beta's pin cannot be loaded (set by hand, as a person could); its head stays there
    beta = partners["beta"]
    beta.write(beta.collection_file, "not: [valid\n")
    broken_pin = beta.commit("a bad entry")
    git(central.root / "partners" / "beta", "fetch", "--quiet", beta.url, "main")
    central.git("update-index", "--cacheinfo", f"160000,{broken_pin},partners/beta")
    central.commit("beta pinned by hand")
    partners["gamma"].write_collection([entry("e0"), entry("e9")])  # moves on
    partners["gamma"].commit("more")
    partners["delta"].write_collection([entry("e0"), entry("bad", name=42)])  # held back
    partners["delta"].commit("broken")
    copy = Central(tmp_path / "copy", capsys)
    shutil.copytree(central.root, copy.root, symlinks=True)

    started: list[int] = []
    real_start = batch.start

    def spy_start(fn: Any, items: Any, *, min_items: int) -> Any:
        pending = real_start(fn, items, min_items=min_items)
        started.append(len(items) if pending is not None else 0)
        return pending

    monkeypatch.setattr(batch, "start", spy_start)
    monkeypatch.setattr(outcomes, "PARALLEL_MIN_PARTNERS", 2)
    ahead = outcome(central)
    assert started == [4]
    monkeypatch.setattr(outcomes, "PARALLEL_MIN_PARTNERS", 10**6)
    plain = outcome(copy)
    assert started == [4, 0]
    code, out, err, data, pins, cached = plain
    assert ahead == (code, out.replace(str(copy.root), str(central.root)), err, data, pins, cached)
    assert code == 1
    assert f"partners/beta: held back at {broken_pin[:7]}" in out
    assert "the pinned commit" in out and "itself has 1 error(s)" in out
    assert "partners/delta: held back" in out
    assert pins["gamma"] == partners["gamma"].head()
    assert len(cached) == 3  # alpha's and delta's pins, gamma's new head; not beta's
