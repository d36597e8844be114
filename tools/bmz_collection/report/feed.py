"""The website feed and the static site, as files.

``collection.json`` is the feed the website and clients read: canonical JSON (keys sorted,
items sorted by id, no timestamps), so the same pins give the same bytes. The site beside it
(``index.html``, ``site.css``, ``site.js``, shipped as package data) reads the same data from
``collection.js``: browsers refuse ``fetch()`` of ``file://`` pages, a script file they load.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from bmz_collection.core.errors import FatalError
from bmz_collection.core.findings import Finding
from bmz_collection.io.fsio import atomic_write

FEED = "collection.json"
DATA_SCRIPT = "collection.js"
PAGE = "index.html"
SITE_FILES = (PAGE, "site.css", "site.js")
"""The static files of the site, in ``bmz_collection/report/site/``."""


def feed_bytes(feed: Mapping[str, Any]) -> bytes:
    """The feed as the website reads it: one canonical text (compact: a generated file,
    and the C encoder, which indentation would turn off, writes 50k items in a fraction
    of a second)."""
    text = json.dumps(feed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode()


def data_script(feed_json: bytes, findings: Iterable[Finding] | None = None) -> bytes:
    """The feed as a script assigning ``window.BMZ_FEED`` (JSON is valid JavaScript), and
    for a preview the findings to list (``window.BMZ_FINDINGS``)."""
    text = b"window.BMZ_FEED = " + feed_json.rstrip(b"\n") + b";\n"
    if findings is not None:
        lines = [f.one_line() for f in findings]
        text += f"window.BMZ_FINDINGS = {json.dumps(lines, ensure_ascii=False)};\n".encode()
    return text


def static_file(name: str) -> bytes:
    return (resources.files("bmz_collection.report") / "site" / name).read_bytes()


def write_site(
    out: Path, feed: Mapping[str, Any], findings: Iterable[Finding] | None = None
) -> Path:
    """Write the feed and the site into ``out`` (each file replaced atomically); returns the
    page's path."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FatalError(f"cannot create {out}: {exc.strerror or exc}") from None
    if not out.is_dir():
        raise FatalError(f"{out} is not a folder")
    files = {name: static_file(name) for name in SITE_FILES}
    files[FEED] = feed_bytes(feed)
    files[DATA_SCRIPT] = data_script(files[FEED], findings)
    try:
        for name, data in files.items():
            atomic_write(out / name, data)
    except OSError as exc:
        raise FatalError(f"cannot write into {out}: {exc.strerror or exc}") from None
    return out / PAGE


def page_url(page: Path, partner: str | None = None) -> str:
    """The ``file://`` URL to open, filtered to one partner when given."""
    url = page.resolve().as_uri()
    if partner:
        from urllib.parse import quote

        url += "#/?partner=" + quote(partner, safe="")
    return url
