"""Formatting files on disk: folders walked, one style per repository, both cores for large
batches, every write atomic (``bmz format`` and the ``bmz-format`` hook)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from bmz_collection.core.formatting import Style
    from bmz_collection.engine.batch import Located


def format_paths(
    paths: Sequence[Path],
    *,
    check: bool = False,
    diff: bool = False,
    upgrade: bool = False,
    out: TextIO,
    err: TextIO,
    quiet: bool = False,
) -> int:
    """``bmz format`` and the ``bmz-format`` hook: 0 nothing to do, 1 changed (or would
    change, or a readable file is not valid YAML), 2 when a file cannot be read or cannot be
    formatted safely."""
    from bmz_collection.core import limits
    from bmz_collection.engine import batch

    repos = batch.Repos()
    files = [repos.locate(f) for f in batch.collect(paths)]
    write = not (check or diff)
    styles = _Styles()
    tasks = [(f, styles.of(f.root), write, diff, upgrade) for f in files]
    results = batch.run(_format_one, tasks, min_items=limits.FORMAT_PARALLEL_MIN_FILES)

    changed = errors = findings = 0
    listing = err if diff else out
    for (file, *_), (status, message, patch) in zip(tasks, results, strict=True):
        name = str(file.path)
        if message and status not in ("error", "finding"):  # what an upgrade left
            err.write(message + "\n")
        if status in ("error", "finding"):
            errors += status == "error"
            findings += status == "finding"
            err.write(message + "\n")
        elif status == "changed":
            changed += 1
            if patch:
                out.write(patch)
            listing.write(f"{'reformatted' if write else 'would reformat'} {name}\n")
    if not quiet and len(files) > 1:  # for one file its own line says it all
        err.write(_summary(len(files), changed, errors + findings, write) + "\n")
    if errors:
        return 2
    # notes are warnings: `bmz outdated` is the one that fails
    return 1 if changed or findings else 0


def _summary(total: int, changed: int, errors: int, write: bool) -> str:
    def files(n: int) -> str:
        return f"{n} file{'' if n == 1 else 's'}"

    verb = "reformatted" if write else "would be reformatted"
    parts = [f"{files(changed)} {verb}", f"{files(total - changed - errors)} left unchanged"]
    if errors:
        parts.append(f"{files(errors)} not formatted (errors above)")
    return "bmz format: " + ", ".join(parts)


class _Styles:
    """The style of each repository (its pyproject.toml), read once per run."""

    def __init__(self) -> None:
        self._styles: dict[Path, Style] = {}

    def of(self, root: Path) -> Style:
        from bmz_collection.io.config import load_style

        style = self._styles.get(root)
        if style is None:
            style = self._styles[root] = load_style(root)
        return style


Task = tuple["Located", "Style", bool, bool, bool]
"""(file, style, write, diff, upgrade)."""
Result = tuple[str, str, str]
"""(status: "same", "changed" or "error"; the error line, or the upgrade's notes; the diff)."""


def _format_one(task: Task) -> Result:
    """Read, format, check and (when asked) write one file. Any failure leaves it as it was."""
    from bmz_collection.core.central import split as split_central
    from bmz_collection.core.errors import FatalError
    from bmz_collection.core.findings import Finding, Severity
    from bmz_collection.core.formatting import FormatError, format_document
    from bmz_collection.core.loading import LoadError, load_mapping
    from bmz_collection.engine.batch import read
    from bmz_collection.engine.upgrade import UpgradeError
    from bmz_collection.engine.upgrade import upgrade as upgrade_to_newest
    from bmz_collection.io.fsio import atomic_write

    file, style, write, want_diff, upgrade = task
    path, name = file.path, str(file.path)

    def failed(rule: str, message: str) -> Result:
        return "error", Finding(name, Severity.ERROR, rule, message).one_line(), ""

    try:
        raw = read(file)
    except LoadError as exc:  # not read at all
        return "error", exc.finding.one_line(), ""
    # A central collection.yaml: only its hand-written head is ours to format. The generated
    # part is canonical by construction and `bmz sync --check` guards it byte for byte; at 50k
    # resources formatting it would cost half a minute and gigabytes on every commit.
    try:
        head, generated = split_central(raw)
    except FatalError as exc:
        return failed("central-marker", str(exc))
    try:
        doc = load_mapping(head, name)
    except LoadError as exc:  # a readable file's content (syntax, keys, tags): a finding
        return "finding", exc.finding.one_line(), ""
    try:
        new = format_document(doc.text, doc.data, style, file=name)
        notes = ""
        if upgrade and generated is None:
            upgraded = upgrade_to_newest(new, style, file=name)
            new, notes = upgraded.text, "\n".join(n.one_line() for n in upgraded.notes)
    except (FormatError, UpgradeError) as exc:
        return "error", exc.finding.one_line(), ""
    except LoadError as exc:  # nesting only the formatted text shows (format_document)
        return "finding", exc.finding.one_line(), ""
    data = new.encode("utf-8") + raw[len(head) :]
    if data == raw:
        return "same", notes, ""
    patch = unified_diff(doc.text, new, name) if want_diff else ""
    if write:
        try:
            atomic_write(Path(os.path.realpath(path)), data)  # a symlink stays a symlink
        except OSError as exc:
            return failed("file-unwritable", f"cannot write the file: {exc.strerror or exc}")
    return "changed", notes, patch


def unified_diff(before: str, after: str, name: str) -> str:
    """A patch ``git apply`` takes (``a/`` and ``b/`` prefixes for relative paths)."""
    import difflib

    shown = name if os.path.isabs(name) else name.replace(os.sep, "/")
    a, b = (shown, shown) if os.path.isabs(name) else (f"a/{shown}", f"b/{shown}")
    lines = []
    for line in difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), a, b
    ):
        lines.append(line)
        if not line.endswith("\n"):
            lines.append("\n\\ No newline at end of file\n")
    return "".join(lines)
