"""The formatter's entry points, and the three guarantees they check on every result before
returning it (and so before any write): the text loads to the same data (:func:`parse`, strict
about types), formatting it again changes nothing, and the same comments are there, in order,
each still on a line of its own or after content as before. A failure raises
:class:`FormatError`: a bug report, never a half-formatted file."""

from __future__ import annotations

import math
from typing import Any

from ruamel.yaml.error import YAMLError

from bmz_collection.core.findings import DocPath, Finding, Severity, format_path
from bmz_collection.core.formatting.reindent import reindent
from bmz_collection.core.formatting.style import DEFAULT_STYLE, Style
from bmz_collection.core.loading import LoadError, parse


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
    """Like :func:`format_text` for a text already loaded (``data`` is ``parse(text)``).
    Raises LoadError (yaml-too-deep) for a text nested deeper than the loader allows whose
    depth only its formatted version shows."""
    try:
        out, before = reindent(text, style)
    except YAMLError as exc:  # only if the scanner and the loader disagree
        problem = str(getattr(exc, "problem", None) or exc).splitlines()[0]
        raise FormatError(file, "format-scan", f"the text does not scan: {problem}") from None
    if out == text:
        return text
    try:
        after_data = parse(out, file)
    except LoadError as exc:
        if exc.finding.rule == "yaml-too-deep":  # the text's own nesting, which quoted
            # brackets hid from the quick check before its load: the file's problem, not ours
            deep = exc.finding
            raise LoadError(Finding(file, deep.severity, deep.rule, deep.message)) from None
        raise FormatError(
            file, "format-data", f"the formatted text does not load ({exc.finding.message})"
        ) from None
    where = _difference(data, after_data)
    if where is not None:
        place = format_path(where) or "the document root"
        raise FormatError(file, "format-data", f"formatting would change the data at {place}")
    again, after = reindent(out, style)
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
    return reindent(text, DEFAULT_STYLE)[1]


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
