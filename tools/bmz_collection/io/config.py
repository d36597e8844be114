"""The repository's own settings for bmz, read from its pyproject.toml."""

from __future__ import annotations

from pathlib import Path

from bmz_collection.core.errors import FatalError
from bmz_collection.core.formatting.style import DEFAULT_STYLE, Style, StyleError, parse_style


def load_style(root: Path) -> Style:
    """The formatting style of the repository at ``root`` (defaults when it has no
    pyproject.toml or no ``[tool.bmz.format]``). Raises FatalError naming the file for a bad
    setting."""
    pyproject = Path(root) / "pyproject.toml"
    try:
        text = pyproject.read_text(encoding="utf-8")
    except FileNotFoundError:
        return DEFAULT_STYLE
    except (OSError, UnicodeDecodeError) as exc:
        raise FatalError(f"{pyproject}: cannot read: {exc}") from None
    try:
        return parse_style(text)
    except StyleError as exc:
        raise FatalError(f"{pyproject}: {exc}") from None
