"""Run ``bmz`` and kill it with SIGKILL at a chosen point, from the test side.

Nothing in the product knows about this: the runner wraps three functions before handing over
to ``bmz`` (``process.Git.run``, ``os.fdopen`` for writing, ``os.replace``), numbers every event
across the process and its forked workers (a counter file under ``flock``), and at the chosen
event sends SIGKILL to the whole process group, exactly as a crash, an OOM kill or a CI
cancellation would. Events:

``git``       the n-th git command has just completed (its effect is done, bmz has not seen it)
``write``     the n-th atomic write is half done: half of the temporary file written, flushed
``replace``   the n-th atomic rename is about to happen (temporary file complete)
``replaced``  the n-th atomic rename has just happened

Usage: ``python crashpoints.py COUNTER PLAN BMZ-ARGS...`` where PLAN is ``kind:n``, or
``count`` to run to the end and leave the number of events of each kind in COUNTER (JSON).
``SIGINT@kind:n`` or ``SIGTERM@kind:n`` sends that signal to bmz at the event instead (as
Ctrl-C or a CI cancellation would) and lets it go on: bmz must stop, roll back and exit.
Run it in a new session (``start_new_session=True``) so the group is bmz and its workers.
"""

from __future__ import annotations

import fcntl
import json
import os
import runpy
import signal
import sys
import threading
from pathlib import Path
from typing import Any

KINDS = ("git", "write", "replace", "replaced")

_lock = threading.Lock()


class Plan:
    def __init__(self, counter: Path, plan: str) -> None:
        self.counter = counter
        sig, _, plan = plan.rpartition("@")
        self.signal = getattr(signal, sig) if sig else None
        self.kind, _, n = plan.partition(":")
        self.at = int(n) if n else 0

    def event(self, kind: str) -> bool:
        """Count one event; True when it is the one to die at."""
        with _lock, open(self.counter, "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            fh.seek(0)
            text = fh.read()
            counts: dict[str, int] = json.loads(text) if text else {}
            counts[kind] = counts.get(kind, 0) + 1
            fh.seek(0)
            fh.truncate()
            fh.write(json.dumps(counts))
            fh.flush()
            return kind == self.kind and counts[kind] == self.at


_plan: Plan | None = None


def die() -> None:
    if _plan is not None and _plan.signal is not None:
        os.kill(os.getpid(), _plan.signal)  # delivered to the main thread; bmz goes on
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os.killpg(os.getpgid(0), signal.SIGKILL)


class _HalfWriter:
    """A binary file whose next write stops half-way, as a writer killed mid-write."""

    def __init__(self, fh: Any, plan: Plan) -> None:
        self._fh = fh
        self._plan = plan

    def write(self, data: bytes) -> int:
        if self._plan.event("write"):
            if self._plan.signal is not None:
                die()  # the handler raises here, in the main thread, before the write
                return int(self._fh.write(data))
            self._fh.write(data[: len(data) // 2])
            self._fh.flush()
            os.fsync(self._fh.fileno())
            die()
        return int(self._fh.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __enter__(self) -> _HalfWriter:
        self._fh.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.__exit__(*exc)


def install(plan: Plan) -> None:
    global _plan
    _plan = plan
    from bmz_collection.io.git import process

    real_run = process.Git.run

    def run(self: process.Git, *args: str, **kwargs: Any) -> process.Result:
        try:
            return real_run(self, *args, **kwargs)
        finally:
            if plan.event("git"):
                die()

    process.Git.run = run  # type: ignore[method-assign]

    real_fdopen = os.fdopen

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        fh = real_fdopen(fd, mode, *args, **kwargs)
        return _HalfWriter(fh, plan) if "w" in mode and "b" in mode else fh

    os.fdopen = fdopen

    real_replace = os.replace

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        if plan.event("replace"):
            die()
        real_replace(src, dst, **kwargs)
        if plan.event("replaced"):
            die()

    os.replace = replace


def main() -> None:
    counter, plan_text, *argv = sys.argv[1:]
    plan = Plan(Path(counter), "" if plan_text == "count" else plan_text)
    install(plan)
    sys.argv = ["bmz", *argv]
    runpy.run_module("bmz_collection", run_name="__main__", alter_sys=True)


def full() -> bool:
    """``BMZ_CRASH_FULL=1`` (bench/crash sets it): every point, not a sample."""
    return os.environ.get("BMZ_CRASH_FULL", "") not in ("", "0")


def sample(events: dict[str, int], *, full: bool, every: int = 3) -> list[str]:
    """Plans for the events of an uninterrupted run: all of them, or the first, the last and
    every ``every``-th of each kind (what ``make test`` runs)."""
    plans = []
    for kind in KINDS:
        n = events.get(kind, 0)
        if n == 0:
            continue
        chosen = range(1, n + 1) if full else sorted({1, n, *range(1, n + 1, every)} - {0})
        plans += [f"{kind}:{i}" for i in chosen]
    return plans


def log(scenario: str, plan: str) -> None:
    """``BMZ_CRASH_LOG=FILE`` (bench/crash sets it): one line per kill point exercised."""
    target = os.environ.get("BMZ_CRASH_LOG")
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(f"{scenario}\t{plan}\n")


def counts(counter: Path) -> dict[str, int]:
    text = counter.read_text() if counter.exists() else ""
    data: dict[str, int] = json.loads(text) if text else {}
    return {kind: data.get(kind, 0) for kind in KINDS}


if __name__ == "__main__":
    main()
