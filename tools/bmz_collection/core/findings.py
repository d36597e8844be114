"""Findings: what every checker produces and every reporter prints.

A finding is located twice: in the file (line, column) and inside the document (a path of keys
and indices such as ``collection[3].authors[0].orcid``), because a partner fixes the file but
a reviewer thinks in fields.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

DocPath = tuple[str | int, ...]


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    file: str
    severity: Severity
    rule: str
    message: str
    path: DocPath = ()
    line: int | None = None
    column: int | None = None

    @property
    def location(self) -> str:
        return format_path(self.path)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def at(self, line: int | None, column: int | None) -> Finding:
        # not dataclasses.replace: this runs once per finding, and replace costs 10x more
        return Finding(self.file, self.severity, self.rule, self.message, self.path, line, column)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line or 0, self.column or 0, self.rule, self.message)

    def one_line(self) -> str:
        """``file:line:col: severity: message [rule]``, the format editors and CI parse."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        loc = f" ({self.location})" if self.path else ""
        return printable(f"{where}: {self.severity.value}: {self.message}{loc} [{self.rule}]")


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Control characters (C0, DEL, C1), line and paragraph separators, bidirectional overrides."""


def printable(text: str) -> str:
    """Partner text quoted in a message may carry newlines, terminal escapes or bidi overrides:
    shown escaped (``\\n``, ``\\x1b``, ``\\u202e``) so a finding stays one honest line."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def error(file: str, rule: str, message: str, path: DocPath = ()) -> Finding:
    return Finding(file, Severity.ERROR, rule, message, path)


def warning(file: str, rule: str, message: str, path: DocPath = ()) -> Finding:
    return Finding(file, Severity.WARNING, rule, message, path)


def format_path(path: DocPath) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def unique_sorted(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per place and message: inherited fields would otherwise repeat per entry."""
    seen: dict[tuple[object, ...], Finding] = {}
    for f in findings:
        key = (f.file, f.line, f.column, f.severity, f.rule, f.message, f.path)
        seen.setdefault(key, f)
    return sorted(seen.values(), key=Finding.sort_key)


def strict(findings: Iterable[Finding]) -> list[Finding]:
    """``--strict``: every warning counts as an error."""
    return [replace(f, severity=Severity.ERROR) for f in findings]
