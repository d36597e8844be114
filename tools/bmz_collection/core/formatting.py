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
"""

from __future__ import annotations

import math
import re
import sys
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError

from bmz_collection.core.errors import FatalError
from bmz_collection.core.findings import DocPath, Finding, Severity, format_path
from bmz_collection.core.loading import LoadError, parse

_CParser: Any
try:  # the same libyaml scanner the safe loader uses; pure Python where it is missing
    import ruamel.yaml.cyaml as _cyaml

    _CParser = getattr(_cyaml, "CParser", None)
except ImportError:  # pragma: no cover - CPython wheels ship ruamel.yaml.clib
    _CParser = None


# -- style ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """The canonical layout; ``[tool.bmz.format]`` in the repository's pyproject.toml tunes it
    with ``indent = 2`` and ``indent-sequences = true``."""

    indent: int = 2
    indent_sequences: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.indent, int) or isinstance(self.indent, bool):
            raise ValueError("indent must be an integer")
        if not 1 <= self.indent <= 8:
            raise ValueError(f"indent must be between 1 and 8, not {self.indent}")


DEFAULT_STYLE = Style()
_STYLE_KEYS = {"indent": "indent", "indent-sequences": "indent_sequences"}


class _BadToml(ValueError):
    """The pyproject.toml is not TOML at all."""


def _format_table(text: str) -> dict[str, Any]:
    """The ``[tool.bmz.format]`` table of a pyproject.toml."""
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            data: Any = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise _BadToml(str(exc)) from None
        for key in ("tool", "bmz", "format"):
            data = data.get(key, {}) if isinstance(data, dict) else {}
        if not isinstance(data, dict):
            raise ValueError("[tool.bmz.format] must be a table")
        return data
    return _format_table_py310(text)


_TABLE = re.compile(r"^[ \t]*\[[ \t]*(?P<name>[^\]]*?)[ \t]*\][ \t]*(#.*)?$")
_ENTRY = re.compile(
    r"^[ \t]*(?P<key>[A-Za-z0-9_-]+)[ \t]*=[ \t]*(?P<value>true|false|[+-]?[0-9]+)[ \t]*(#.*)?$"
)


def _format_table_py310(text: str) -> dict[str, Any]:
    """Python 3.10 has no tomllib and we add no dependency for two settings: read only the
    ``[tool.bmz.format]`` table written as ``key = integer|true|false`` lines, and refuse
    anything else in it rather than guess."""
    out: dict[str, Any] = {}
    inside = False
    for line in text.splitlines():
        table = _TABLE.match(line)
        if table:
            inside = re.sub(r"[ \t]", "", table["name"]) == "tool.bmz.format"
            continue
        if not inside or not line.strip() or line.lstrip().startswith("#"):
            continue
        entry = _ENTRY.match(line)
        if entry is None:
            raise ValueError(f"cannot read {line.strip()!r} without Python 3.11 (tomllib)")
        value = entry["value"]
        out[entry["key"]] = value == "true" if value in ("true", "false") else int(value)
    return out


def load_style(root: Path) -> Style:
    """The style of the repository at ``root`` (defaults when it has no pyproject.toml or no
    ``[tool.bmz.format]``). Raises FatalError naming the file for a bad setting."""
    pyproject = Path(root) / "pyproject.toml"
    try:
        text = pyproject.read_text(encoding="utf-8")
    except FileNotFoundError:
        return DEFAULT_STYLE
    except (OSError, UnicodeDecodeError) as exc:
        raise FatalError(f"{pyproject}: cannot read: {exc}") from None
    try:
        table = _format_table(text)
        settings: dict[str, Any] = {}
        for key, value in table.items():
            if key not in _STYLE_KEYS:
                known = ", ".join(sorted(_STYLE_KEYS))
                raise ValueError(f"unknown setting {key!r} (known: {known})")
            settings[_STYLE_KEYS[key]] = value
        if not isinstance(settings.get("indent_sequences", True), bool):
            raise ValueError("indent-sequences must be true or false")
        return Style(**settings)
    except _BadToml as exc:
        raise FatalError(f"{pyproject}: invalid TOML: {exc}") from None
    except ValueError as exc:
        raise FatalError(f"{pyproject}: [tool.bmz.format]: {exc}") from None


# -- guarantees -------------------------------------------------------------------------------


class FormatError(Exception):
    """A guarantee failed: the formatted text would lose data or comments, or is not stable.
    Nothing is written; it is a bug in the formatter, reported as one line."""

    def __init__(self, file: str, rule: str, message: str) -> None:
        self.finding = Finding(
            file,
            Severity.ERROR,
            rule,
            f"{message}; the file was left as it was (a bug in bmz format: please report it)",
        )
        super().__init__(self.finding.one_line())


def format_text(text: str, style: Style = DEFAULT_STYLE, *, file: str = "<text>") -> str:
    """``text`` in canonical style. Raises LoadError for text the safe loader refuses and
    FormatError when a guarantee fails."""
    return format_document(text, parse(text, file), style, file=file)


def format_document(text: str, data: Any, style: Style, *, file: str) -> str:
    """Like :func:`format_text` for a text already loaded (``data`` is ``parse(text)``)."""
    try:
        out, before = _reformat(text, style)
    except YAMLError as exc:  # only if the scanner and the loader disagree
        problem = str(getattr(exc, "problem", None) or exc).splitlines()[0]
        raise FormatError(file, "format-scan", f"the text does not scan: {problem}") from None
    if out == text:
        return text
    try:
        after_data = parse(out, file)
    except LoadError as exc:
        raise FormatError(
            file, "format-data", f"the formatted text does not load ({exc.finding.message})"
        ) from None
    where = _difference(data, after_data)
    if where is not None:
        place = format_path(where) or "the document root"
        raise FormatError(file, "format-data", f"formatting would change the data at {place}")
    again, after = _reformat(out, style)
    if again != out:
        line = _first_different_line(out, again)
        raise FormatError(
            file, "format-idempotent", f"formatting twice gives a different line {line}"
        )
    if after != before:
        lost = next((c for c in before if c not in after), None)
        what = f"comment {lost[1]!r}" if lost else "a comment's place"
        raise FormatError(file, "format-comments", f"formatting would change {what}")
    return out


def comments(text: str) -> list[tuple[bool, str]]:
    """Every comment of a YAML text in order: (on a line of its own, text without trailing
    white space). Raises ruamel.yaml's YAMLError for text that does not scan."""
    return _reformat(text, DEFAULT_STYLE)[1]


def _difference(a: Any, b: Any, path: DocPath = ()) -> DocPath | None:
    """Where two loaded documents first differ (types strict: ``1`` is not ``1.0`` nor
    ``true``; key order counts), or None when they are equal."""
    seen: set[tuple[int, int]] = set()

    def walk(a: Any, b: Any, path: DocPath) -> DocPath | None:
        if type(a) is not type(b):
            return path
        if isinstance(a, dict):
            if (id(a), id(b)) in seen:
                return None
            seen.add((id(a), id(b)))
            if list(a) != list(b):
                return path
            for key in a:
                found = walk(a[key], b[key], (*path, key))
                if found is not None:
                    return found
            return None
        if isinstance(a, list):
            if (id(a), id(b)) in seen:
                return None
            seen.add((id(a), id(b)))
            if len(a) != len(b):
                return path
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                found = walk(x, y, (*path, i))
                if found is not None:
                    return found
            return None
        if isinstance(a, float) and math.isnan(a) and math.isnan(b):
            return None
        return None if a == b else path

    return walk(a, b, path)


def _first_different_line(a: str, b: str) -> int:
    for number, (x, y) in enumerate(zip(a.split("\n"), b.split("\n"), strict=False), 1):
        if x != y:
            return number
    return min(a.count("\n"), b.count("\n")) + 1


# -- the re-indenter --------------------------------------------------------------------------

_BREAKS = re.compile("\n|\x85|\u2028|\u2029")
"""Line breaks as libyaml counts them (after CR LF and CR became LF)."""
_BLOCK_HEADER = re.compile(r"[|>](?:([1-9])([+-]?)|([+-])([1-9]?))?")
_HEADER_COMMENT = re.compile(r"[|>][0-9+-]*[ \t]+(#.*)")
_TAB_IN_HEADER = re.compile(r"[|>][0-9+-]*(?P<ws>[ \t]*)")

_BLANK, _STRUCT, _CONT, _BLOCK, _COMMENT = 0, 1, 2, 3, 4


class _Block:
    """A block collection met while walking the tokens: the column of its entries in the
    input (``col``) and in the output (``new``)."""

    __slots__ = ("col", "indentless", "is_map", "new")

    def __init__(self, is_map: bool, col: int, new: int, indentless: bool = False) -> None:
        self.is_map = is_map
        self.col = col
        self.new = new
        self.indentless = indentless


_Token = tuple[str, int, int, int, int, str, int, int, str]
"""(kind, start, end, line, column, scalar style, end line, end column, block scalar value):
plain values only, so a big file's tokens do not keep the garbage collector busy."""


def _tokens(text: str) -> list[_Token]:
    """Every token of ``text`` from libyaml's scanner (ruamel.yaml's pure one without it)."""
    out: list[_Token] = []
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


def _normalise(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _reformat(original: str, style: Style) -> tuple[str, list[tuple[bool, str]]]:
    """The canonical text and the comments of ``original``; no checks here."""
    text = _normalise(original)
    n_text = len(text)
    # Lines: starts, content ends (before the break) and the break itself.
    starts = [0]
    ends: list[int] = []
    for m in _BREAKS.finditer(text):
        ends.append(m.start())
        starts.append(m.end())
    ends.append(n_text)
    n_lines = len(starts)
    breaks = [text[ends[i] : starts[i + 1]] for i in range(n_lines - 1)] + [""]

    kind = [_BLANK] * n_lines
    new_indent = [0] * n_lines  # STRUCT and COMMENT lines
    delta = [0] * n_lines  # CONT and BLOCK lines: how far the line moves
    block_c = [0] * n_lines  # BLOCK lines: the scalar's content indentation in the input
    keep = [False] * n_lines  # BLOCK lines of a `+` scalar: blank lines that are data
    dq_open = [False] * n_lines  # the line break is inside a double-quoted scalar
    shift = [0] * n_lines  # STRUCT lines: how far the token being read has moved
    edits: dict[int, tuple[int, str]] = {}
    found: list[tuple[int, int]] = []  # comments: (start, end)
    blocks_after: list[tuple[int, int]] = []  # (last line of a block scalar, its new indent)
    inline_cols: dict[int, list[tuple[int, int]]] = {}  # collections starting mid-line

    tokens = _tokens(text)
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
        if kind[line] != _STRUCT:
            kind[line] = _STRUCT
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
            header = _BLOCK_HEADER.match(text, start)
            assert header is not None
            digit = header[1] or header[4]
            chomp = header[2] or header[3] or ""
            last = end_line if end == n_text and end_col > 0 else end_line - 1
            scanner_indent = next((b.col for b in reversed(stack) if not b.indentless), -1)
            if digit:
                c = scanner_indent + int(digit) if scanner_indent >= 0 else int(digit)
            else:
                c = max(scanner_indent + 1, 1)
                for j in range(line + 1, last + 1):
                    seg = text[starts[j] : ends[j]]
                    spaces = len(seg) - len(seg.lstrip(" "))
                    c = max(c, spaces)
                    if spaces < len(seg):
                        break
            # The text goes one step right of its key (two right of its dash); with an
            # indentation indicator its place is fixed relative to the key, so it moves along.
            if digit or top is None:
                moves = moved
            else:
                moves = top.new + (style.indent if top.is_map else 2) - c
            for j in range(line + 1, last + 1):
                kind[j] = _BLOCK
                delta[j] = moves
                block_c[j] = c
                keep[j] = chomp == "+"
            if last > line:
                blocks_after.append((last, c + moves))
            comment = _HEADER_COMMENT.match(text, start, ends[line])
            if comment:
                found.append((comment.start(1), ends[line]))
            ws = _TAB_IN_HEADER.match(text, start, ends[line])
            if ws is not None and "\t" in ws["ws"] and comment:
                edits[ws.start("ws")] = (ws.end("ws"), " ")
            if (
                end == n_text
                and not text.endswith("\n")
                and chomp != "-"
                and not value.endswith("\n")
            ):  # the final newline we add would become part of the value
                edits[header.start()] = (header.end(), header.group()[0] + (digit or "") + "-")
            continue
        if end_line > line:
            for j in range(line + 1, end_line + 1):
                kind[j] = _CONT
                delta[j] = moved
            if style_char == '"':
                for j in range(line, end_line):
                    dq_open[j] = True
        if style_char == '"' and "\t" in text[start:end]:
            tab = text.find("\t", start, end)
            while tab >= 0:
                slashes = 0
                while text[tab - 1 - slashes] == "\\":
                    slashes += 1
                edits[tab] = (tab + 1, "t" if slashes % 2 else "\\t")
                tab = text.find("\t", tab + 1, end)
    if n_text > prev_end:
        gap(prev_end, n_text)

    # Full-line comments: they follow the content line they were aligned with.
    comment_lines: list[tuple[int, int]] = []
    out_comments: list[tuple[bool, str]] = []
    for start, end in found:
        line = bisect_left(starts, start + 1) - 1
        own_line = text[starts[line] : start].strip(" \t") == ""
        out_comments.append((own_line, text[start:end].rstrip(" \t")))
        if own_line and kind[line] == _BLANK:
            kind[line] = _COMMENT
            comment_lines.append((line, start - starts[line]))
    if comment_lines:
        _place_comments(
            comment_lines, kind, starts, ends, new_indent, text, blocks_after, inline_cols
        )

    # Assemble.
    edit_at = sorted(edits)
    out: list[str] = []
    for j in range(n_lines):
        s, e = starts[j], ends[j]
        k = kind[j]
        if k == _BLOCK:
            seg = text[s:e]
            d = delta[j]
            if len(seg) <= block_c[j] and seg.strip(" ") == "":
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
        if k in (_STRUCT, _COMMENT):
            indent = new_indent[j]
        elif k == _CONT:
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
    while last > 0 and out[last - 1] == "" and not keep[last - 1]:
        last -= 1
    if last == 0:
        return "", out_comments
    pieces = []
    for j in range(last - 1):
        pieces.append(out[j])
        pieces.append(breaks[j])
    pieces.append(out[last - 1])
    pieces.append("\n")
    return "".join(pieces), out_comments


def _place_comments(
    comment_lines: list[tuple[int, int]],
    kind: list[int],
    starts: list[int],
    ends: list[int],
    new_indent: list[int],
    text: str,
    blocks_after: list[tuple[int, int]],
    inline_cols: dict[int, list[tuple[int, int]]],
) -> None:
    """A full-line comment aligned with the next content line (else the previous one) stays
    aligned with it (with its first token, or with a collection that starts further right on
    it, as the key after a dash); any other comment moves as much as the next content line
    (else the previous); after a block scalar it stays left of the scalar's text, or it would
    become part of it."""
    n = len(kind)
    nxt_of = [-1] * n
    prv_of = [-1] * n
    above_of = [-1] * n  # the nearest line above that is neither blank nor a comment
    nxt = -1
    for j in range(n - 1, -1, -1):
        nxt_of[j] = nxt
        if kind[j] == _STRUCT:
            nxt = j
    prv = above = -1
    for j in range(n):
        prv_of[j] = prv
        above_of[j] = above
        if kind[j] == _STRUCT:
            prv = j
        if kind[j] not in (_BLANK, _COMMENT):
            above = j
    limits = dict(blocks_after)

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


# -- the canonical dumper ---------------------------------------------------------------------

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
        if _plain_ok(value):
            return value
        if _PRINTABLE.fullmatch(value):
            return "'" + value.replace("'", "''") + "'"
        return _double_quoted(value)
    raise TypeError(f"cannot write a {type(value).__name__} value: {value!r}")


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
        if not isinstance(key, str):
            raise TypeError(f"mapping keys must be strings, not {type(key).__name__}: {key!r}")
        return _scalar(key)

    def value_lines(prefix: str, value: Any, col: int, child_col: int) -> None:
        """``prefix`` ends where the value starts (after ``key:`` or ``-``)."""
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
        elif isinstance(value, str) and _literal_ok(value):
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
            if isinstance(item, (list, tuple)) and item:
                value_lines(head, item, col + step, col + seq_step)
            else:
                value_lines(head, item, col + step, col + step)

    def sequence(value: list[Any] | tuple[Any, ...], col: int, first: str | None) -> None:
        pad = " " * col
        for n, item in enumerate(value):
            head = (first if n == 0 and first is not None else pad) + "-"
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


__all__ = [
    "DEFAULT_STYLE",
    "FormatError",
    "Style",
    "comments",
    "dump_canonical",
    "format_document",
    "format_text",
    "load_style",
]
