"""GitHub addresses of a partner repository: pure string functions, no network."""

from __future__ import annotations

import re

_GITHUB = re.compile(
    r"^https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$", re.IGNORECASE
)


def owner_and_name(url: str) -> tuple[str, str] | None:
    """(owner, name) of a ``https://github.com/<owner>/<name>`` URL, else None."""
    m = _GITHUB.match(url or "")
    if m is None or m.group(2) in (".", ".."):
        return None
    return m.group(1), m.group(2)


def github_repository(url: str) -> str | None:
    """``https://github.com/<owner>/<repo>`` for a partner repository on GitHub, else None."""
    found = owner_and_name(url)
    return f"https://github.com/{found[0]}/{found[1]}" if found else None


def raw_root(url: str, commit: str) -> str | None:
    """Where the files of a GitHub repository at ``commit`` are served as they are."""
    found = owner_and_name(url)
    return f"https://raw.githubusercontent.com/{found[0]}/{found[1]}/{commit}" if found else None
