"""``.github/CODEOWNERS`` on disk: its reading and writing, apart from the pure section logic
in ``core.codeowners``, so every writer of the file goes through one atomic path."""

from __future__ import annotations

from pathlib import Path

from bmz_collection.core import codeowners
from bmz_collection.core.errors import FatalError
from bmz_collection.io import fsio


def read(root: Path) -> bytes | None:
    """The repository's ``.github/CODEOWNERS`` (None: there is none)."""
    try:
        return (root / codeowners.PATH).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise FatalError(f"cannot read {codeowners.PATH}: {exc.strerror or exc}") from None


def write(root: Path, data: bytes) -> None:
    """Replace the file atomically, creating ``.github/`` when needed."""
    path = root / codeowners.PATH
    try:
        path.parent.mkdir(exist_ok=True)
    except OSError as exc:
        raise FatalError(f"cannot create {path.parent}: {exc.strerror or exc}") from None
    fsio.atomic_write(path, data)


def other_locations(root: Path) -> list[str]:
    """The other places GitHub reads a CODEOWNERS file from that exist in this repository."""
    return [other for other in codeowners.OTHER_LOCATIONS if (root / other).is_file()]
