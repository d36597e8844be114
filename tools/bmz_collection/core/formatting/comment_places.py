"""The fourth pass: every comment in order, and where each full-line comment goes.

A full-line comment aligned with the next content line (else the previous one) stays aligned
with it (with its first token, or with a collection that starts further right on it, as the
key after a dash); any other comment moves as much as the next content line (else the
previous); after a block scalar it stays left of the scalar's text, or it would become part of
it. A comment after content stays where it is on its line.
"""

from __future__ import annotations

from bisect import bisect_left

from bmz_collection.core.formatting.state import BLANK, COMMENT, STRUCT, Layout


def place_comments(layout: Layout) -> None:
    """Fill ``comments``; mark full-line comments COMMENT and set their ``new_indent``."""
    text, starts, kind = layout.text, layout.starts, layout.kind
    comment_lines: list[tuple[int, int]] = []
    # The tokens pass and the block-scalars pass each found some: in the text's order again.
    for start, end in sorted(layout.found):
        line = bisect_left(starts, start + 1) - 1
        own_line = text[starts[line] : start].strip(" \t") == ""
        layout.comments.append((own_line, text[start:end].rstrip(" \t")))
        if own_line and kind[line] == BLANK:
            kind[line] = COMMENT
            comment_lines.append((line, start - starts[line]))
    if comment_lines:
        _align(layout, comment_lines)


def _align(layout: Layout, comment_lines: list[tuple[int, int]]) -> None:
    """The new column of each (line, column) full-line comment."""
    text, starts, ends = layout.text, layout.starts, layout.ends
    kind, new_indent, inline_cols = layout.kind, layout.new_indent, layout.inline_cols
    n = len(kind)
    nxt_of = [-1] * n
    prv_of = [-1] * n
    above_of = [-1] * n  # the nearest line above that is neither blank nor a comment
    nxt = -1
    for j in range(n - 1, -1, -1):
        nxt_of[j] = nxt
        if kind[j] == STRUCT:
            nxt = j
    prv = above = -1
    for j in range(n):
        prv_of[j] = prv
        above_of[j] = above
        if kind[j] == STRUCT:
            prv = j
        if kind[j] not in (BLANK, COMMENT):
            above = j
    limits = dict(layout.blocks_after)

    def columns(line: int) -> list[tuple[int, int]]:
        """(column in the input, column in the output) of the places a comment may align to."""
        seg = text[starts[line] : ends[line]]
        first = (len(seg) - len(seg.lstrip(" \t")), new_indent[line])
        return [first, *inline_cols.get(line, [])]

    for line, col in comment_lines:
        nxt, prv = nxt_of[line], prv_of[line]
        new = None
        for other in (nxt, prv):
            if other >= 0 and new is None:
                new = next((to for at, to in columns(other) if at == col), None)
        if new is None:
            other = nxt if nxt >= 0 else prv
            if other >= 0:
                at, to = columns(other)[0]
                new = max(0, col + to - at)
            else:
                new = col
        limit = limits.get(above_of[line])
        if limit is not None:
            new = min(new, limit - 1)
        new_indent[line] = new
