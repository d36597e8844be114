"""The built site in headless Chromium: the example partners' pages, the filters as the website
takes them, unknown partners and ids, paging at scale, and hostile partner text kept inert."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bmz_collection.core import central
from bmz_collection.report.feed import write_site

from .browser import Node, dom, needs_browser, page_url, screenshot
from .feedsites import Site, example_site, isolated_git

pytestmark = [needs_browser, pytest.mark.slow]  # headless Chromium: seconds per page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("example-site")
    with isolated_git(root):
        yield example_site(root)


@pytest.fixture(scope="module")
def feed(site: Site) -> Any:
    return site.feed()


def cards(doc: Node) -> list[str]:
    return [n.attrs["data-resource-id"] for n in doc.by_id("grid").find_all(data_resource_id=None)]


def tabs(doc: Node) -> dict[str, int]:
    return {
        b.attrs["data-type"]: int(b.attrs["data-count"])
        for b in doc.by_id("tabs").find_all("button")
    }


def selected_tab(doc: Node) -> str:
    (tab,) = [b for b in doc.by_id("tabs").find_all("button") if b.attrs["aria-selected"] == "true"]
    return tab.attrs["data-type"]


def test_each_example_partner_page(site: Site, feed: Any) -> None:
    raw = (site.central / "collection.yaml").read_bytes()
    details = central.generated_details(central.generated_text(raw))
    items = feed["collection"]
    for p in feed["config"]["partners"]:
        pid = p["id"]
        doc = dom(page_url(site.page, f"partner={pid}"))
        assert doc.by_id("splash").attrs["data-partner"] == pid
        assert doc.by_id("splash-title").text == p["splash_title"]
        assert doc.by_id("splash-subtitle").text == p.get("splash_subtitle", "")
        features = [li.text for li in doc.by_id("splash-features").find_all("li")]
        assert features == p.get("splash_feature_list", [])
        assert doc.by_id("explore").text == p.get("explore_button_text", "Start Exploring")
        # no network here: the logo fails to load and falls back to the partner's name
        (logo,) = doc.by_id("splash-logo").find_all(data_src=None)
        assert logo.attrs["data-src"] == p["logo"]
        assert logo.text == p["name"]
        assert not logo.find_all("img")
        expected = details[pid].get("page_resources", details[pid]["resources"])
        assert doc.by_id("count").attrs["data-count"] == str(expected)
        on_page = [
            i
            for i in items
            if i["id"].startswith(pid + "/")
            or {t.lower() for t in i.get("tags", [])} & {t.lower() for t in p.get("tags", [])}
        ]
        assert len(on_page) == expected
        want = {t: sum(1 for i in on_page if i["type"] == t) for t in p["resource_types"]}
        assert tabs(doc) == want
        assert selected_tab(doc) == p["default_type"]
        assert cards(doc) == sorted(i["id"] for i in on_page if i["type"] == p["default_type"])
        # every other tab, through the URL
        for rtype in p["resource_types"]:
            other = dom(page_url(site.page, f"partner={pid}&type={rtype}"))
            assert selected_tab(other) == rtype
            assert len(cards(other)) == want[rtype]


def test_the_partner_strip_and_the_query_form(site: Site, feed: Any) -> None:
    doc = dom(page_url(site.page, "partner=cellscope", hash_form=False))
    assert doc.by_id("splash").attrs["data-partner"] == "cellscope"
    strip = doc.by_id("partners").find_all("a", data_partner_id=None)
    assert [a.attrs["data-partner-id"] for a in strip] == [
        p["id"] for p in feed["config"]["partners"]
    ]
    assert [a.text for a in strip] == [p["name"] for p in feed["config"]["partners"]]
    for a, p in zip(strip, feed["config"]["partners"], strict=True):
        (logo,) = a.find_all(data_src=None)  # logo, else icon; hidden when it fails offline
        assert logo.attrs["data-src"] == (p.get("logo") or p.get("icon"))
    current = [a.attrs["data-partner-id"] for a in strip if a.attrs.get("aria-current") == "page"]
    assert current == ["cellscope"]


def test_tags_and_id_filters(site: Site, feed: Any) -> None:
    doc = dom(page_url(site.page, "tags=nuclei"))
    tagged = [i for i in feed["collection"] if "nuclei" in i.get("tags", [])]
    assert doc.by_id("count").attrs["data-count"] == str(len(tagged))
    assert sum(tabs(doc).values()) == len(tagged)
    assert doc.by_id("splash").hidden

    both = dom(page_url(site.page, "tags=nuclei,zebrafish"))
    assert both.by_id("count").attrs["data-count"] == str(
        sum(1 for i in tagged if "zebrafish" in i["tags"])
    )

    item = feed["collection"][0]
    page = dom(page_url(site.page, f"id={item['id']}"))
    detail = page.by_id("detail")
    assert not detail.hidden and detail.attrs["data-resource-id"] == item["id"]
    assert item["name"] in detail.text
    # loaded with the partner's full items: fields the cards do not carry
    links = [a.attrs.get("href") for a in detail.find_all("a")]
    assert item["rdf_source"] in links
    assert page.find_all("script", src=f"items/{item['id'].split('/')[0]}.js")
    assert page.by_id("resources").hidden
    assert page.by_id("message").hidden


def test_an_unknown_partner_or_id_says_so(site: Site) -> None:
    doc = dom(page_url(site.page, "partner=nobody"))
    message = doc.by_id("message")
    assert not message.hidden
    assert message.attrs["data-error"] == "unknown-partner"
    assert "nobody" in message.text
    assert doc.by_id("resources").hidden and doc.by_id("splash").hidden
    assert doc.by_id("count").attrs["data-count"] == "0"

    doc = dom(page_url(site.page, "id=cellscope/nothing-here", hash_form=False))
    assert doc.by_id("message").attrs["data-error"] == "unknown-id"
    assert "cellscope/nothing-here" in doc.by_id("message").text


def test_a_screenshot_of_a_partner_page(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "page.png"
    screenshot(page_url(site.page, "partner=cellscope"), out, 900, 600)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# -- hostile text, and scale -----------------------------------------------------------------

PWN = "document.documentElement.setAttribute('data-pwned','1')"
HOSTILE = f'<script>{PWN}</script><img src=x onerror="{PWN}">'


def hostile_feed(feed: Any) -> Any:
    """Partner text as an attacker would write it, straight into the feed (the site must be
    safe even when validation let something through)."""
    data = copy.deepcopy(feed)
    p = data["config"]["partners"][0]
    p.update(
        name="Evil " + HOSTILE,
        splash_title=HOSTILE,
        splash_subtitle="</p>" + HOSTILE,
        splash_feature_list=[HOSTILE, "plain"],
        logo=f"javascript:{PWN}",
        about_url=f"java\tscript:{PWN}",
        background_image=f'x.png"); background: url("javascript:{PWN}',
        explore_button_text=HOSTILE,
    )
    item = next(i for i in data["collection"] if i["id"].startswith(p["id"] + "/"))
    item.update(
        name=HOSTILE,
        description=HOSTILE,
        tags=[HOSTILE],
        covers=[f"javascript:{PWN}"],
        source=f"JAVASCRIPT:{PWN}",
        documentation=f"data:text/html,{HOSTILE}",
    )
    return data, p["id"], item["id"]


def test_hostile_partner_text_stays_inert(site: Site, feed: Any, tmp_path: Path) -> None:
    data, pid, rid = hostile_feed(feed)
    page = write_site(tmp_path / "site", data)
    for query in (f"partner={pid}", f"partner={pid}&id={rid}"):
        doc = dom(page_url(page, query))
        html = doc.find_all("html")[0]
        assert "data-pwned" not in html.attrs
        scripts = [s.attrs.get("src") for s in doc.find_all("script")]
        loaded = [f"items/{pid}.js"] if "id=" in query else []  # the resource's full data
        assert scripts == ["collection.js", "site.js", *loaded]
        assert not [n for n in doc.iter() if any(k.startswith("on") for k in n.attrs)]
        hrefs = [a.attrs.get("href", "") for a in doc.find_all("a")]
        assert not [h for h in hrefs if "script" in h.lower() or h.lower().startswith("data:")]
        assert not [n for n in doc.find_all("img") if "script" in n.attrs.get("src", "").lower()]
        splash = doc.by_id("splash")
        assert doc.by_id("splash-title").text == HOSTILE  # shown as text
        style = splash.attrs.get("style", "")
        assert style.count("url(") == 1 and style.count('"') == 2, style  # one URL, quoted
    doc = dom(page_url(page, f"partner={pid}"))
    assert doc.by_id("about").hidden
    assert any(HOSTILE in li.text for li in doc.by_id("splash-features").find_all("li"))


def test_fifty_thousand_resources_are_paged(site: Site, feed: Any, tmp_path: Path) -> None:
    data = copy.deepcopy(feed)
    pid = data["config"]["partners"][0]["id"]
    rtype = data["config"]["partners"][0]["default_type"]
    data["collection"] = [
        {"id": f"{pid}/r{i:05d}", "type": rtype, "name": f"Resource {i}", "tags": ["bulk"]}
        for i in range(50_000)
    ]
    page = write_site(tmp_path / "site", data)
    doc = dom(page_url(page, f"partner={pid}&page=3"), budget_ms=20000)
    assert doc.by_id("count").attrs["data-count"] == "50000"
    assert cards(doc) == [f"{pid}/r{i:05d}" for i in range(96, 144)]
    pager = doc.by_id("pager")
    assert (pager.attrs["data-page"], pager.attrs["data-pages"]) == ("3", str(-(-50_000 // 48)))
