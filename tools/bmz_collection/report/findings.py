"""Reporters: the same findings as text lines, one JSON object, or GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from bmz_collection.core.findings import Finding, printable

if TYPE_CHECKING:
    from bmz_collection.engine.validate import Validation

FORMATS = ("text", "json", "github")


def write(validation: Validation, fmt: str, out: TextIO, err: TextIO | None) -> None:
    """A validation's findings in ``fmt`` on ``out``; with text, the counts on ``err`` too
    (stdout then holds nothing but findings, one per line, for tools and pipes). The counts
    come last also where both streams end up in one place (a terminal, a pre-commit hook's
    output): the findings are flushed first."""
    render(validation.findings, validation.files_checked, fmt, out)
    if err is not None and fmt == "text":
        out.flush()
        err.write(summary_line(validation.findings, validation.files_checked) + "\n")
        err.flush()


def errors_first(findings: Sequence[Finding]) -> list[Finding]:
    """Errors, then warnings, each in the order given (by file, line and column): what stops
    a commit is read first, not after a screen of old warnings."""
    return sorted(findings, key=lambda f: not f.is_error)


def render(findings: Sequence[Finding], files_checked: int, fmt: str, out: TextIO) -> None:
    findings = errors_first(findings)
    if fmt == "json":
        _json(findings, files_checked, out)
    elif fmt == "github":
        for f in findings:
            out.write(_github(f) + "\n")
        _summary(findings, files_checked, out, prefix="")
    else:
        for f in findings:
            out.write(f.one_line() + "\n")


def counts(findings: Sequence[Finding]) -> tuple[int, int]:
    errors = sum(1 for f in findings if f.is_error)
    return errors, len(findings) - errors


def summary_line(findings: Sequence[Finding], files_checked: int) -> str:
    errors, warnings = counts(findings)
    files = "file" if files_checked == 1 else "files"
    return f"{files_checked} {files} checked: {errors} error(s), {warnings} warning(s)"


def _summary(findings: Sequence[Finding], files_checked: int, out: TextIO, prefix: str) -> None:
    out.write(prefix + summary_line(findings, files_checked) + "\n")


def _json(findings: Sequence[Finding], files_checked: int, out: TextIO) -> None:
    errors, warnings = counts(findings)
    doc = {
        "files_checked": files_checked,
        "errors": errors,
        "warnings": warnings,
        "findings": [
            {
                "file": f.file,
                "line": f.line,
                "column": f.column,
                "severity": f.severity.value,
                "rule": f.rule,
                "location": f.location,
                "message": f.message,
            }
            for f in findings
        ],
    }
    json.dump(doc, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _escape(value: str, *, prop: bool) -> str:
    value = printable(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def _github(f: Finding) -> str:
    level = "error" if f.is_error else "warning"
    props = [f"file={_escape(f.file, prop=True)}"]
    if f.line is not None:
        props.append(f"line={f.line}")
        props.append(f"col={f.column or 1}")
    props.append(f"title={_escape(f.rule, prop=True)}")
    where = f" ({f.location})" if f.path else ""
    return f"::{level} {','.join(props)}::{_escape(f.message + where, prop=False)}"
