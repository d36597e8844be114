"""The first pass: the text cut into lines, as libyaml counts them."""

from __future__ import annotations

import re

from bmz_collection.core.formatting.state import Layout

_BREAKS = re.compile("\n|\x85|\u2028|\u2029")
"""Line breaks as libyaml counts them (after CR LF and CR became LF)."""


def split_lines(original: str) -> Layout:
    """The state for ``original`` without its byte order mark, with LF for CR LF and CR."""
    text = original[1:] if original.startswith("\ufeff") else original
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    starts = [0]
    ends: list[int] = []
    for m in _BREAKS.finditer(text):
        ends.append(m.start())
        starts.append(m.end())
    ends.append(len(text))
    breaks = [text[ends[i] : starts[i + 1]] for i in range(len(starts) - 1)] + [""]
    return Layout(text, starts, ends, breaks)
