"""The canonical emitter: JSON-like data written as YAML in the canonical layout (what
``bmz sync`` writes into the central collection), and the scalar quoting it needs so that
YAML 1.1 and 1.2 readers both load each string back as a string."""

from __future__ import annotations

import functools
import math
import re
from typing import Any

from bmz_collection.core.formatting.style import DEFAULT_STYLE, Style

_NEEDS_QUOTES = re.compile(
    r"""
    ^(?:
        ~ | null | Null | NULL
      | [yY] | yes | Yes | YES | [nN] | no | No | NO
      | true | True | TRUE | false | False | FALSE | on | On | ON | off | Off | OFF
      | [-+]?[0-9_]+(?::[0-5]?[0-9])*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?
      | [-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?
      | 0[bB][01_]+ | 0[oO]?[0-7_]+ | [-+]?0[xX][0-9a-fA-F_]+
      | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
      | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt \t].*)?
      | = | <<
    )$
    """,
    re.VERBOSE,
)
"""Strings a YAML 1.1 or 1.2 reader would load as something else (null, bool, number, date,
merge key): they are quoted. The 1.1 forms matter: PyYAML reads ``yes`` and ``0755`` so."""
_PLAIN_OK = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`]([^\n\t]*[^\s:])?$")
_PRINTABLE = re.compile(
    "^[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*$"
)
"""What can stand in a YAML file as it is: no control character, no byte order mark, none of
the line breaks libyaml knows besides LF (NEL, LS, PS)."""
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def _plain_ok(s: str) -> bool:
    return (
        _PLAIN_OK.fullmatch(s) is not None
        and ": " not in s
        and " #" not in s
        and _PRINTABLE.fullmatch(s) is not None
        and _NEEDS_QUOTES.fullmatch(s) is None
    )


def _double_quoted(s: str) -> str:
    out = []
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _PRINTABLE.fullmatch(ch):
            out.append(ch)
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            raise ValueError(f"string {s!r} holds a lone surrogate, it cannot be written")
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _scalar(value: Any) -> str:
    if type(value) is str:  # by far the most common: first, and cached
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        if "e" in text and "." not in text:  # YAML 1.1 readers need the dot: 1.0e-05
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent}"
        return text
    if isinstance(value, str):
        return _string(value)
    raise TypeError(f"cannot write a {type(value).__name__} value: {value!r}")


@functools.lru_cache(maxsize=1 << 14)
def _string(value: str) -> str:
    """A string as it is written. Cached: keys and many values (tags, affiliations, licences)
    come back in every entry, and a sync renders tens of thousands of entries."""
    if _plain_ok(value):
        return value
    if _PRINTABLE.fullmatch(value):
        return "'" + value.replace("'", "''") + "'"
    return _double_quoted(value)


def _literal_ok(s: str) -> bool:
    """A multi-line string that reads best as a ``|`` block: printable, no tab, no trailing
    space on a line, no leading space on the first line, at most one final newline."""
    if "\n" not in s or s.endswith("\n\n") or s == "\n" or s[0] in " \n":
        return False
    body = s[:-1] if s.endswith("\n") else s
    return all(
        _PRINTABLE.fullmatch(line) is not None and line == line.rstrip(" ")
        for line in body.split("\n")
    )


def dump_canonical(data: Any, style: Style = DEFAULT_STYLE) -> str:
    """JSON-like data (dicts with string keys, lists, str, int, float, bool, None) as YAML in
    the canonical style: block collections (``{}``/``[]`` only when empty), quotes only where a
    string would otherwise read as another type or break the syntax, multi-line strings as
    ``|`` blocks where that keeps them exact, no wrapping. ``format_text`` leaves it as it is."""
    lines: list[str] = []
    step = style.indent
    seq_step = style.indent if style.indent_sequences else 0

    def key_text(key: Any) -> str:
        if type(key) is str:
            return _string(key)
        if not isinstance(key, str):
            raise TypeError(f"mapping keys must be strings, not {type(key).__name__}: {key!r}")
        return _scalar(key)

    def value_lines(prefix: str, value: Any, col: int, child_col: int) -> None:
        """``prefix`` ends where the value starts (after ``key:`` or ``-``); the common
        one-line string never comes here (``mapping`` and ``sequence`` write it)."""
        if isinstance(value, dict) and value:
            if prefix.endswith("-"):
                mapping(value, child_col, prefix + " ")
            else:
                lines.append(prefix)
                mapping(value, child_col, None)
        elif isinstance(value, (list, tuple)) and value:
            if prefix.endswith("-"):
                sequence(value, child_col, prefix + " ")
            else:
                lines.append(prefix)
                sequence(value, child_col, None)
        elif isinstance(value, dict):
            lines.append(prefix + " {}")
        elif isinstance(value, (list, tuple)):
            lines.append(prefix + " []")
        elif isinstance(value, str) and "\n" in value and _literal_ok(value):
            lines.append(prefix + (" |" if value.endswith("\n") else " |-"))
            pad = " " * col
            for line in value[:-1].split("\n") if value.endswith("\n") else value.split("\n"):
                lines.append(pad + line if line else "")
        else:
            lines.append(prefix + " " + _scalar(value))

    def mapping(value: dict[Any, Any], col: int, first: str | None) -> None:
        pad = " " * col
        for n, (key, item) in enumerate(value.items()):
            head = (first if n == 0 and first is not None else pad) + key_text(key) + ":"
            if type(item) is str and "\n" not in item:  # the common case, inline
                lines.append(head + " " + _string(item))
            elif isinstance(item, (list, tuple)) and item:
                value_lines(head, item, col + step, col + seq_step)
            else:
                value_lines(head, item, col + step, col + step)

    def sequence(value: list[Any] | tuple[Any, ...], col: int, first: str | None) -> None:
        pad = " " * col
        for n, item in enumerate(value):
            head = (first if n == 0 and first is not None else pad) + "-"
            if type(item) is str and "\n" not in item:  # the common case, inline
                lines.append(head + " " + _string(item))
            else:
                value_lines(head, item, col + 2, col + 2)

    if isinstance(data, dict):
        mapping(data, 0, None) if data else lines.append("{}")
    elif isinstance(data, (list, tuple)):
        sequence(data, 0, None) if data else lines.append("[]")
    else:
        lines.append(_scalar(data))
    text = "\n".join(lines) + "\n"
    # The nested functions call each other: a reference cycle that holds ``lines``. Emptied
    # here, the lines go at once instead of piling up while sync runs with the gc paused.
    lines.clear()
    return text
