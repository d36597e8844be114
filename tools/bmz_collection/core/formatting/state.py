"""The one state the re-indenter's passes share: the text cut into lines, and what each pass
decided per line. A pass reads the fields earlier passes filled and fills its own; the list
below says which pass fills which."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

# What a line is, which decides how the assembly indents it.
BLANK = 0  # only white space: written empty
STRUCT = 1  # starts with a token of the structure: indented at ``new_indent``
CONT = 2  # continues a multi-line plain, quoted or flow value: moved by ``delta``
BLOCK = 3  # text of a block scalar: moved by ``delta``, its white space kept as data
COMMENT = 4  # a comment on a line of its own: indented at ``new_indent``

Edit = tuple[int, str]
"""An edit of the text at a position (the key of ``Layout.edits``): (end, replacement)."""


class BlockScalar(NamedTuple):
    """A ``|`` or ``>`` scalar met by the tokens pass, with what the block-scalars pass needs
    to know of the collections around it."""

    start: int  # of its header
    end: int
    line: int  # of its header
    end_line: int
    end_column: int
    value: str
    moved: int  # how far the collection holding it moves
    scanner_indent: int  # the indentation the scanner measures it against (-1 at the top)
    target: int | None  # where its text goes: one step right of its key, two of its dash


@dataclass(slots=True)
class Layout:
    """The text being formatted (line breaks normalised) and the decisions about it."""

    # -- the lines pass
    text: str
    starts: list[int]  # where each line starts
    ends: list[int]  # where its content ends, before the line break
    breaks: list[str]  # the line break that ends it ("" for the last line)
    # -- the tokens pass (the block-scalars and comments passes refine ``kind``)
    kind: list[int] = field(init=False)
    new_indent: list[int] = field(init=False)  # STRUCT and COMMENT lines
    delta: list[int] = field(init=False)  # CONT and BLOCK lines: how far the line moves
    dq_open: list[bool] = field(init=False)  # its break is inside a double-quoted scalar
    edits: dict[int, Edit] = field(default_factory=dict)  # tabs, dash gaps, block headers
    found: list[tuple[int, int]] = field(default_factory=list)  # comments: (start, end)
    inline_cols: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    """Per line, the collections that start mid-line (``- key: v``): (column, new column)."""
    block_scalars: list[BlockScalar] = field(default_factory=list)
    # -- the block-scalars pass
    block_indent: list[int] = field(init=False)  # BLOCK lines: the text's indentation as read
    keep: list[bool] = field(init=False)  # BLOCK lines of a `+` scalar: blank lines are data
    blocks_after: list[tuple[int, int]] = field(default_factory=list)
    """(last line of a block scalar, the new indentation of its text)."""
    # -- the comments pass
    comments: list[tuple[bool, str]] = field(default_factory=list)
    """Every comment in order: (on a line of its own, its text without trailing spaces)."""

    def __post_init__(self) -> None:
        n = len(self.starts)
        self.kind = [BLANK] * n
        self.new_indent = [0] * n
        self.delta = [0] * n
        self.dq_open = [False] * n
        self.block_indent = [0] * n
        self.keep = [False] * n
