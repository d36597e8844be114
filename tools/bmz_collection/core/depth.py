"""How deep a YAML text nests, known before it is composed: ruamel's C composer recurses in C
without a guard, so a text nested tens of thousands of levels deep would crash the process
(SIGSEGV) instead of being refused. A few regex passes decide for ordinary texts; any text
they cannot clear gets one pass over the parser's events (the C parser does not recurse)."""

from __future__ import annotations

import re
import threading

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from bmz_collection.core import limits

_local = threading.local()

_INDENT = " " * 128
_COMPACT = (re.compile(r"-[ \t]+[-?][ \t]"), re.compile(r"\?[ \t]+[-?][ \t]"))
"""Deep block nesting shows as deep indentation, or as compact nested block sequences or
explicit keys (``- - - x``, ``? ? x``), which nest on one line. (Patterns that start with a
literal character: the regex engine searches for those ten times faster.)"""
_FLOW_PAIR = re.compile(r"\[[^\[\]{}]*\]|\{[^\[\]{}]*\}")
_BRACKET = re.compile(r"[\[\]{}]")
_NESTED_OPEN = (re.compile(r"\[[^\[\]{}]*[\[{]"), re.compile(r"\{[^\[\]{}]*[\[{]"))
"""An opening bracket whose next bracket opens again: without one, no flow nests at all."""


def first_too_deep(text: str) -> tuple[int, int] | None:
    """(line, column) of the first collection nested deeper than ``limits.MAX_DEPTH``, or None:
    a few regex passes unless the text may be deep (then one event pass, which stops at the
    first level too deep; a text that does not parse is left to the real parse).

    The passes must never let through what would crash the C composer: block nesting shows
    in indentation (at most 128 columns pass), and flow nesting is bounded by the number of
    opening brackets, so only a text with few of them (``limits.FLOW_OPENERS_TRUSTED``) is
    judged by regex. A text with more always gets the event pass, which quotes cannot fool.
    What quoted brackets hide below that bound, the constructor's own depth count finds."""
    deep_block = text.startswith(_INDENT) or f"\n{_INDENT}" in text
    if not deep_block and not any(p.search(text) for p in _COMPACT):
        openers = text.count("[") + text.count("{")
        if openers <= limits.MAX_DEPTH:
            return None  # cannot nest deeper than the limit, whatever is quoted
        if openers <= limits.FLOW_OPENERS_TRUSTED and not flow_may_be_deep(text):
            return None
    return _event_pass(text)


def flow_may_be_deep(text: str) -> bool:
    """Whether flow brackets may nest deeper than ``limits.MAX_DEPTH``: innermost pairs are
    removed level by level at regex speed, so a file with a hundred ``tags: [...]`` lists (one
    level) costs two passes instead of a full event parse. Brackets left unpaired (quoted ones)
    say maybe. Quoted brackets can also hide depth: ``first_too_deep`` bounds what that lets
    through."""
    if not any(p.search(text) for p in _NESTED_OPEN):  # the common case: flat flows
        return False
    for _ in range(limits.MAX_DEPTH):
        text, pairs = _FLOW_PAIR.subn("", text)
        if not pairs:
            return _BRACKET.search(text) is not None
    return True


def _event_pass(text: str) -> tuple[int, int] | None:
    depth, max_depth = 0, limits.MAX_DEPTH
    try:
        for event in _yaml().parse(text):
            name = type(event).__name__
            if name in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                if depth > max_depth:
                    mark = event.start_mark
                    return mark.line + 1, mark.column + 1
            elif name in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
    except YAMLError:
        return None  # the real parse reports syntax errors with the proper message
    return None


def _yaml() -> YAML:
    # A YAML instance is not thread-safe; sync loads partner files from worker threads.
    y: YAML | None = getattr(_local, "yaml", None)
    if y is None:
        y = YAML(typ="safe", pure=False)
        _local.yaml = y
    return y
