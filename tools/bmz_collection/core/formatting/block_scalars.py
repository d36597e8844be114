"""The third pass: where the text of each ``|`` and ``>`` scalar goes.

Its text goes one step right of its key (two right of its dash) and keeps its own relative
indentation; with an indentation indicator its place is fixed relative to the key, so it moves
along with the key instead. Its white space is data and stays. A comment after the header is
recorded; a tab before that comment becomes a space; a scalar at the very end of a file without
a final newline gets the ``-`` chomping indicator, or the newline we add would join its value.
"""

from __future__ import annotations

import re

from bmz_collection.core.formatting.state import BLOCK, Layout

_BLOCK_HEADER = re.compile(r"[|>](?:([1-9])([+-]?)|([+-])([1-9]?))?")
_HEADER_COMMENT = re.compile(r"[|>][0-9+-]*[ \t]+(#.*)")
_TAB_IN_HEADER = re.compile(r"[|>][0-9+-]*(?P<ws>[ \t]*)")


def indent_block_scalars(layout: Layout) -> None:
    """Mark the lines of every block scalar BLOCK and fill their ``delta``, ``block_indent``,
    ``keep``; add to ``blocks_after``, ``found`` and ``edits``."""
    text, starts, ends, n_text = layout.text, layout.starts, layout.ends, len(layout.text)
    kind, delta, block_indent, keep = layout.kind, layout.delta, layout.block_indent, layout.keep
    for scalar in layout.block_scalars:
        start, end, line, end_line = scalar.start, scalar.end, scalar.line, scalar.end_line
        header = _BLOCK_HEADER.match(text, start)
        assert header is not None
        digit = header[1] or header[4]
        chomp = header[2] or header[3] or ""
        last = end_line if end == n_text and scalar.end_column > 0 else end_line - 1
        scanner_indent = scalar.scanner_indent
        if digit:
            c = scanner_indent + int(digit) if scanner_indent >= 0 else int(digit)
        else:  # the indentation of its first non-blank line, as the scanner finds it
            c = max(scanner_indent + 1, 1)
            for j in range(line + 1, last + 1):
                seg = text[starts[j] : ends[j]]
                spaces = len(seg) - len(seg.lstrip(" "))
                c = max(c, spaces)
                if spaces < len(seg):
                    break
        # With an indentation indicator the text's place is fixed relative to its key.
        moves = scalar.moved if digit or scalar.target is None else scalar.target - c
        for j in range(line + 1, last + 1):
            kind[j] = BLOCK
            delta[j] = moves
            block_indent[j] = c
            keep[j] = chomp == "+"
        if last > line:
            layout.blocks_after.append((last, c + moves))
        comment = _HEADER_COMMENT.match(text, start, ends[line])
        if comment:
            layout.found.append((comment.start(1), ends[line]))
        ws = _TAB_IN_HEADER.match(text, start, ends[line])
        if ws is not None and "\t" in ws["ws"] and comment:
            layout.edits[ws.start("ws")] = (ws.end("ws"), " ")
        if (
            end == n_text
            and not text.endswith("\n")
            and chomp != "-"
            and not scalar.value.endswith("\n")
        ):  # the final newline we add would become part of the value
            layout.edits[header.start()] = (header.end(), header.group()[0] + (digit or "") + "-")
