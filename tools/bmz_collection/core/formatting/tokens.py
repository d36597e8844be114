"""The second pass: walk libyaml's tokens and decide where each line of the structure goes.

Every block collection met is pushed with its column in the input and in the output; a line
that starts with a token is indented where its collection now stands (STRUCT), the further
lines of a multi-line plain, quoted or flow value move with their first (CONT). On the way the
text between tokens is searched for comments and for tabs used as spaces, the gap after a
sequence dash becomes one space, and tabs in double quotes become ``\\t``. Block scalars are
only recorded here, with the collections around them: the block-scalars pass places them.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from bmz_collection.core.formatting.state import CONT, STRUCT, BlockScalar, Layout
from bmz_collection.core.formatting.style import Style

_CParser: Any
try:  # the same libyaml scanner the safe loader uses; pure Python where it is missing
    import ruamel.yaml.cyaml as _cyaml

    _CParser = getattr(_cyaml, "CParser", None)
except ImportError:  # pragma: no cover - CPython wheels ship ruamel.yaml.clib
    _CParser = None


Token = tuple[str, int, int, int, int, str, int, int, str]
"""(kind, start, end, line, column, scalar style, end line, end column, block scalar value):
plain values only, so a big file's tokens do not keep the garbage collector busy."""


def scan(text: str) -> list[Token]:
    """Every token of ``text`` from libyaml's scanner (ruamel.yaml's pure one without it).
    Raises ruamel.yaml's YAMLError for text that does not scan."""
    out: list[Token] = []
    append = out.append
    if _CParser is not None:
        parser = _CParser(text)
        get = parser.get_token
        scanned: Any = iter(get, None)
    else:
        from ruamel.yaml import YAML

        parser = None
        scanned = YAML(typ="safe", pure=True).scan(text)
    for tok in scanned:
        sm, em = tok.start_mark, tok.end_mark
        name = type(tok).__name__
        style = (tok.style or "") if name == "ScalarToken" else ""
        value = tok.value if style in ("|", ">") else ""
        append((name, sm.index, em.index, sm.line, sm.column, style, em.line, em.column, value))
    if parser is not None:
        parser.dispose()
    return out


class _Block:
    """A block collection met while walking the tokens: the column of its entries in the
    input (``col``) and in the output (``new``)."""

    __slots__ = ("col", "indentless", "is_map", "new")

    def __init__(self, is_map: bool, col: int, new: int, indentless: bool = False) -> None:
        self.is_map = is_map
        self.col = col
        self.new = new
        self.indentless = indentless


def read_tokens(layout: Layout, style: Style) -> None:
    """Fill ``kind`` (STRUCT, CONT), ``new_indent``, ``delta``, ``dq_open``, ``edits``,
    ``found``, ``inline_cols`` and ``block_scalars``."""
    text, starts, ends = layout.text, layout.starts, layout.ends
    kind, new_indent, delta = layout.kind, layout.new_indent, layout.delta
    edits, found, inline_cols = layout.edits, layout.found, layout.inline_cols
    shift = [0] * len(starts)  # STRUCT lines: how far the token being read has moved
    tokens = scan(text)
    stack: list[_Block] = []
    flow = 0
    prev_end = 0

    def first_on_line(index: int, line_start: int) -> bool:
        return text[line_start:index].strip(" \t") == ""

    def gap(a: int, b: int) -> None:
        """Text between tokens: white space and comments."""
        pos = a
        while True:
            hash_at = text.find("#", pos, b)
            stop = b if hash_at < 0 else hash_at
            tab = text.find("\t", pos, stop)
            while tab >= 0:
                edits[tab] = (tab + 1, " ")
                tab = text.find("\t", tab + 1, stop)
            if hash_at < 0:
                return
            line = bisect_left(starts, hash_at + 1) - 1
            end = min(ends[line], b)
            found.append((hash_at, end))
            pos = end

    def assign(line: int, col: int, new: int) -> None:
        if kind[line] != STRUCT:
            kind[line] = STRUCT
            new_indent[line] = new
            shift[line] = new - col

    for i, (name, start, end, line, col, style_char, end_line, end_col, value) in enumerate(tokens):
        if start > prev_end:
            gap(prev_end, start)
        prev_end = max(prev_end, end)
        line_start = start - col
        top = stack[-1] if stack else None

        if name == "BlockEndToken":
            if stack and stack[-1].indentless:
                stack.pop()
            if stack:
                stack.pop()
            continue
        if name in ("BlockMappingStartToken", "BlockSequenceStartToken"):
            is_map = name == "BlockMappingStartToken"
            if not first_on_line(start, line_start):
                new = col + shift[line]  # compact: `- key: v`, `- - x`
                inline_cols.setdefault(line, []).append((col, new))
            elif top is None:
                new = 0
            elif not top.is_map:
                new = top.new + 2
            else:
                new = top.new + (style.indent if is_map or style.indent_sequences else 0)
            stack.append(_Block(is_map, col, new))
            continue
        if flow == 0 and name == "BlockEntryToken":
            if top is None or top.is_map:  # `key:\n- item`: libyaml opens nothing
                new = top.new + (style.indent if style.indent_sequences else 0) if top else 0
                top = _Block(False, col, new, indentless=True)
                stack.append(top)
            if first_on_line(start, line_start):
                assign(line, col, top.new)
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if (
                nxt is not None
                and nxt[3] == line
                and nxt[1] > end
                and nxt[0] not in ("BlockEndToken", "StreamEndToken")
                and text[end : nxt[1]] != " "
            ):
                edits[end] = (nxt[1], " ")
                shift[line] += 1 - (nxt[1] - end)
            continue
        if flow == 0 and name in ("KeyToken", "ValueToken"):
            if top is not None and top.indentless:
                stack.pop()
                top = stack[-1] if stack else None
            if first_on_line(start, line_start):
                assign(line, col, top.new if top is not None else col)
            continue
        if name in ("FlowSequenceStartToken", "FlowMappingStartToken"):
            flow += 1
        elif name in ("FlowSequenceEndToken", "FlowMappingEndToken"):
            flow -= 1
        moved = top.new - top.col if top is not None else 0
        if name not in ("StreamStartToken", "StreamEndToken") and first_on_line(start, line_start):
            assign(line, col, col + moved)
        if name != "ScalarToken":
            continue

        if style_char in ("|", ">"):
            scanner_indent = next((b.col for b in reversed(stack) if not b.indentless), -1)
            target = None if top is None else top.new + (style.indent if top.is_map else 2)
            layout.block_scalars.append(
                BlockScalar(
                    start, end, line, end_line, end_col, value, moved, scanner_indent, target
                )
            )
            continue
        if end_line > line:
            for j in range(line + 1, end_line + 1):
                kind[j] = CONT
                delta[j] = moved
            if style_char == '"':
                for j in range(line, end_line):
                    layout.dq_open[j] = True
        if style_char == '"' and "\t" in text[start:end]:
            tab = text.find("\t", start, end)
            while tab >= 0:
                slashes = 0
                while text[tab - 1 - slashes] == "\\":
                    slashes += 1
                edits[tab] = (tab + 1, "t" if slashes % 2 else "\\t")
                tab = text.find("\t", tab + 1, end)
    if len(text) > prev_end:
        gap(prev_end, len(text))
