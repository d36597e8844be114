"""The formatter behind ``bmz format``, and the canonical dumper that ``bmz sync`` uses.

Why not ruamel.yaml's round-trip dumper: it re-emits every node, so a hand-written file comes
back with multi-line flow lists joined, folded strings unfolded, ``"\\U0001F989"`` turned into
the raw character and ``{ id: x }`` respaced, and its pure-Python parser runs at ~0.4 MB/s. Here
ruamel.yaml's scanner (libyaml, through ruamel.yaml.clib) only tells us where every token is, and
we rewrite whitespace around them and nothing else: indentation, trailing spaces, tabs used as
spaces, line endings, the final newline. Comments, quotes, flow lists, block scalars, anchors,
blank lines and document markers therefore stay byte for byte as the author wrote them.

The three guarantees are checked on every result before it is returned (and so before any
write): the text loads to the same data (:func:`loading.parse`, strict about types), formatting
it again changes nothing, and the same comments are there, in order, each still on a line of
its own or after content as before. A failure raises :class:`FormatError`: a bug report.

Canonical layout (``Style``): block mappings indented by ``indent`` (2) under their key, block
sequences indented under their key too (``key:\\n  - item``, or flush with the key when
``indent-sequences = false``), one space after a sequence dash, so a mapping inside a sequence
item starts two columns right of its dash; the text of a block scalar one step right of its key
(two right of its dash), keeping its own relative indentation (with an indentation indicator it
moves with its key instead). Continuation lines of multi-line plain, quoted and flow values keep
their offset from their key. A full-line comment follows the line it was aligned with (the next
content line, else the previous one), otherwise it moves with the lines around it. LF line
endings, one final newline, no byte order mark, no trailing white space; tabs used as spaces
become spaces, tabs inside double quotes become ``\\t``. Nothing is ever wrapped or joined.
Deliberate exceptions, all to keep data: trailing spaces and tabs that are part of a block
scalar, a plain or single-quoted scalar, or a comment's text stay; the blank lines of a ``|+``
scalar at the very end of the file stay.

The modules, in the order the text goes through them:

- ``style``: the two settings (``Style``) and reading them from a pyproject.toml's text;
- ``lines``, ``tokens``, ``block_scalars``, ``comment_places``, ``assembly``: the five passes
  of the re-indenter, each one function over the one ``state.Layout``, run in order by
  ``reindent``;
- ``guarantees``: ``format_text`` and ``format_document``, which check the three guarantees;
- ``emitter``: ``dump_canonical``, YAML written from data in the same canonical layout.
"""

from __future__ import annotations

from bmz_collection.core.formatting.emitter import dump_canonical
from bmz_collection.core.formatting.guarantees import (
    FormatError,
    comments,
    format_document,
    format_text,
)
from bmz_collection.core.formatting.style import DEFAULT_STYLE, Style

__all__ = [
    "DEFAULT_STYLE",
    "FormatError",
    "Style",
    "comments",
    "dump_canonical",
    "format_document",
    "format_text",
]
