"""The canonical layout's two settings, and reading them from the text of a pyproject.toml.

Pure: reading the file itself is :func:`bmz_collection.io.config.load_style`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any


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


class StyleError(ValueError):
    """A pyproject.toml that is not TOML, or a bad ``[tool.bmz.format]`` table; the message
    says which, and the caller adds the file's name."""


class _BadToml(ValueError):
    """The pyproject.toml is not TOML at all."""


def parse_style(pyproject: str) -> Style:
    """The style set by the ``[tool.bmz.format]`` table of a pyproject.toml's text (defaults
    for what it does not set). Raises StyleError."""
    try:
        table = _format_table(pyproject)
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
        raise StyleError(f"invalid TOML: {exc}") from None
    except ValueError as exc:
        raise StyleError(f"[tool.bmz.format]: {exc}") from None


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
