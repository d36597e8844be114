"""Progress of long work drawn as a one-line bar on a terminal, silent anywhere else (a pipe,
a CI log): the engine only reports ``(label, done, total)``."""

from __future__ import annotations

import threading
from typing import TextIO

WIDTH = 30


class TerminalBar:
    """A ``Progress`` callback for the engine (``engine.sync.Progress``)."""

    def __init__(self, out: TextIO | None) -> None:
        self.out = out if out is not None and out.isatty() else None
        self._lock = threading.Lock()

    def __call__(self, label: str, done: int, total: int) -> None:
        if self.out is None or total == 0:
            return
        filled = WIDTH * min(done, total) // total
        with self._lock:
            self.out.write(f"\r{label} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total}")
            if done >= total:
                self.out.write("\n")
            self.out.flush()
