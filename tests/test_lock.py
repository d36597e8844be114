"""One writer at a time per central repository: the lock is refused while held, and dies
with the process that holds it, whatever it forked."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest

from bmz_collection.core.errors import FatalError
from bmz_collection.io import lock


def _work(started: Any) -> None:
    started.set()
    time.sleep(30)


def test_a_second_writer_is_refused_at_once(tmp_path: Path) -> None:
    busy = "another bmz sync or partner command is running"
    with lock.exclusive(tmp_path), pytest.raises(FatalError, match=busy), lock.exclusive(tmp_path):
        pass
    with lock.exclusive(tmp_path):  # free again
        pass


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this platform"
)
def test_a_forked_worker_does_not_keep_the_lock(tmp_path: Path) -> None:
    """Sync decides partners in forked workers while it holds the lock: were the parent
    killed, a worker still rendering must not keep the repository locked."""
    context = multiprocessing.get_context("fork")
    started = context.Event()
    with lock.exclusive(tmp_path):
        worker = context.Process(target=_work, args=(started,), daemon=True)
        worker.start()
        assert started.wait(30)  # the worker runs (its copy of the lock was dropped at fork)
    try:
        with lock.exclusive(tmp_path):  # the parent let go; the worker holds nothing
            pass
    finally:
        worker.kill()
        worker.join()
