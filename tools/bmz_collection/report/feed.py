"""The website feed and the static site, as files.

``collection.json`` is the feed the website and clients read: canonical JSON (keys sorted,
items sorted by id, no timestamps), so the same pins give the same bytes. The site beside it
(``index.html``, ``site.css``, ``site.js``, shipped as package data) reads the same data from
scripts, since browsers refuse ``fetch()`` of ``file://`` pages: ``collection.js`` holds the
feed with each item cut to what a card and the filters need (parsing the data is nearly all
of a page's first render: 50k full items are 30 MB), ``items/<partner>.js`` each partner's
full items, loaded when one resource's page is opened.
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
ITEMS_DIR = "items"
CARD_FIELDS = ("id", "type", "name", "description", "tags")
MAX_CARD_TEXT = 240
"""A card shows three lines of the description; the resource's page shows all of it."""
PAGE = "index.html"
SITE_FILES = (PAGE, "site.css", "site.js")
"""The static files of the site, in ``bmz_collection/report/site/``."""


def feed_bytes(feed: Mapping[str, Any]) -> bytes:
    """The feed as the website reads it: one canonical text (compact: a generated file,
    and the C encoder, which indentation would turn off, writes 50k items in a fraction
    of a second)."""
    return (_canonical(feed) + "\n").encode()


def _script(assignment: str, data: Any) -> bytes:
    return f"{assignment} = {_canonical(data)};\n".encode()


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def card(item: Mapping[str, Any]) -> dict[str, Any]:
    """What the grid and the filters read of an item: a short description, one picture."""
    out = {k: item[k] for k in CARD_FIELDS if k in item}
    text = out.get("description")
    if isinstance(text, str) and len(text) > MAX_CARD_TEXT:
        out["description"] = text[: MAX_CARD_TEXT - 1].rstrip() + "\u2026"
    covers = item.get("covers")
    if isinstance(covers, list) and covers:
        out["covers"] = covers[:1]
    elif "icon" in item:
        out["icon"] = item["icon"]
    return out


def data_script(feed: Mapping[str, Any], findings: Iterable[Finding] | None = None) -> bytes:
    """``collection.js``: the feed with card items (``window.BMZ_FEED``; JSON is valid
    JavaScript), and for a preview the findings to list (``window.BMZ_FINDINGS``)."""
    items = feed.get("collection") or []
    slim = {**feed, "collection": [card(i) for i in items if isinstance(i, Mapping)]}
    text = _script("window.BMZ_FEED", slim)
    if findings is not None:
        text += _script("window.BMZ_FINDINGS", [f.one_line() for f in findings])
    return text


def partner_scripts(feed: Mapping[str, Any]) -> dict[str, bytes]:
    """``items/<partner>.js`` per partner: its full items, registered in ``window.BMZ_ITEMS``."""
    by_partner: dict[str, list[Any]] = {}
    for item in feed.get("collection") or []:
        pid = str(item.get("id", "")).split("/", 1)[0]
        by_partner.setdefault(pid, []).append(item)
    out = {}
    for pid, items in by_partner.items():
        key = json.dumps(pid, ensure_ascii=False)
        head = b"window.BMZ_ITEMS = window.BMZ_ITEMS || {};\n"
        out[f"{ITEMS_DIR}/{pid}.js"] = head + _script(f"window.BMZ_ITEMS[{key}]", items)
    return out


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
    files[DATA_SCRIPT] = data_script(feed, findings)
    files.update(partner_scripts(feed))
    items = out / ITEMS_DIR
    try:
        items.mkdir(exist_ok=True)
        for name, data in files.items():
            atomic_write(out / name, data, durable=not name.startswith(ITEMS_DIR + "/"))
        for old in items.glob("*.js"):  # partners gone since the last build
            if f"{ITEMS_DIR}/{old.name}" not in files:
                old.unlink()
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
