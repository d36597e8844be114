"""The last pass: the lines written out at their new indentation, with the edits applied.

White space at the start and end of a line goes (except in a block scalar's text, where it is
data, and after an escaping backslash inside double quotes, where it becomes an escape); the
line breaks stay as they were; the text ends with exactly one newline, after the blank lines
of a ``|+`` scalar that ends the file, which are data.
"""

from __future__ import annotations

from bisect import bisect_left

from bmz_collection.core.formatting.state import BLOCK, COMMENT, CONT, STRUCT, Layout


def assemble(layout: Layout) -> str:
    """The formatted text."""
    text, starts, ends, edits = layout.text, layout.starts, layout.ends, layout.edits
    kind, new_indent, delta = layout.kind, layout.new_indent, layout.delta
    block_indent, dq_open = layout.block_indent, layout.dq_open
    edit_at = sorted(edits)
    out: list[str] = []
    for j in range(len(starts)):
        s, e = starts[j], ends[j]
        k = kind[j]
        if k == BLOCK:
            seg = text[s:e]
            d = delta[j]
            if len(seg) <= block_indent[j] and seg.strip(" ") == "":
                out.append("")
            elif d >= 0:
                out.append(" " * d + seg)
            else:
                out.append(seg[-d:])
            continue
        a = s
        while a < e and text[a] in " \t":
            a += 1
        if a == e:
            out.append("")
            continue
        b = e
        while text[b - 1] in " \t":
            b -= 1
        if k in (STRUCT, COMMENT):
            indent = new_indent[j]
        elif k == CONT:
            indent = a - s + delta[j]
        else:  # pragma: no cover - every non-blank line is one of the above
            indent = a - s
        first = bisect_left(edit_at, a)
        if first < len(edit_at) and edit_at[first] < b:
            parts = []
            pos = a
            for at in edit_at[first:]:
                if at >= b:
                    break
                if at < pos:  # a tab inside a dash gap that was replaced as a whole
                    continue
                stop, replacement = edits[at]
                parts.append(text[pos:at])
                parts.append(replacement)
                pos = stop
            parts.append(text[pos:b])
            body = "".join(parts)
        else:
            body = text[a:b]
        if b < e and dq_open[j]:
            slashes = 0
            while text[b - 1 - slashes] == "\\":
                slashes += 1
            if slashes % 2:  # `\ ` or `\<tab>` at the end of a line is an escape: data
                body += "x20" if text[b] == " " else "t"
        out.append(" " * indent + body)

    # Exactly one final newline; blank lines that belong to a `|+` scalar are data.
    last = len(out)
    while last > 0 and out[last - 1] == "" and not layout.keep[last - 1]:
        last -= 1
    if last == 0:
        return ""
    pieces = []
    breaks = layout.breaks
    for j in range(last - 1):
        pieces.append(out[j])
        pieces.append(breaks[j])
    pieces.append(out[last - 1])
    pieces.append("\n")
    return "".join(pieces)
