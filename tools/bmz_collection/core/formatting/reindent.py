"""The re-indenter: the five passes over one :class:`~.state.Layout`, in order. No checks
here: :mod:`.guarantees` checks every result."""

from __future__ import annotations

from bmz_collection.core.formatting.assembly import assemble
from bmz_collection.core.formatting.block_scalars import indent_block_scalars
from bmz_collection.core.formatting.comment_places import place_comments
from bmz_collection.core.formatting.lines import split_lines
from bmz_collection.core.formatting.style import Style
from bmz_collection.core.formatting.tokens import read_tokens


def reindent(original: str, style: Style) -> tuple[str, list[tuple[bool, str]]]:
    """The canonical text of ``original`` and its comments (on a line of their own, text).
    Raises ruamel.yaml's YAMLError for text that does not scan."""
    layout = split_lines(original)
    read_tokens(layout, style)
    indent_block_scalars(layout)
    place_comments(layout)
    return assemble(layout), layout.comments
