"""Headless Chromium for the site tests: the DOM after the page's scripts ran, as a small
tree. Without a browser the tests skip on a developer machine and fail in CI (``CI`` set):
``.ci/run`` installs the Debian package ``chromium``."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

needs_browser = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium is not installed (apt-get install chromium; in CI these tests must run)",
)


def chromium_args(profile: str) -> list[str]:
    assert CHROMIUM is not None, "chromium is not installed: `apt-get install chromium`"
    return [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # no network: remote images fail at once
        f"--user-data-dir={profile}",
    ]


def run_chromium(*args: str, timeout: float = 60) -> str:
    with tempfile.TemporaryDirectory(prefix="bmz-chromium-") as profile:
        res = subprocess.run(
            [*chromium_args(profile), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def iter(self) -> list[Node]:
        out = [self]
        for c in self.children:
            if isinstance(c, Node):
                out.extend(c.iter())
        return out

    def find_all(self, tag: str | None = None, **attrs: str | None) -> list[Node]:
        """Elements with ``tag`` whose attributes match (None: present, any value);
        attribute names with ``_`` stand for ``-``."""
        wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag)
            and all(k in n.attrs and (v is None or n.attrs[k] == v) for k, v in wanted.items())
        ]

    def by_id(self, eid: str) -> Node:
        found = self.find_all(id=eid)
        assert len(found) == 1, f"#{eid}: {len(found)} elements"
        return found[0]

    @property
    def hidden(self) -> bool:
        return "hidden" in self.attrs


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    b = _Builder()
    b.feed(html)
    return b.root


def dom(url: str, budget_ms: int = 5000) -> Node:
    """The page's DOM once its scripts ran (and its failed images fell back)."""
    html = run_chromium(f"--virtual-time-budget={budget_ms}", "--dump-dom", url)
    root = parse(html)
    assert root.find_all("html", data_ready=None), "the page's script did not finish:\n" + html
    return root


def page_url(page: Path, query: str = "", *, hash_form: bool = True) -> str:
    url = page.resolve().as_uri()
    if not query:
        return url
    return f"{url}#/?{query}" if hash_form else f"{url}?{query}"


def screenshot(url: str, out: Path, width: int = 1100, height: int = 760) -> None:
    run_chromium(
        "--virtual-time-budget=5000",
        "--hide-scrollbars",
        f"--screenshot={out}",
        f"--window-size={width},{height}",
        url,
    )
    assert out.is_file()
