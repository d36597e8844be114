"""The feed of the 12 real partners against the catalogue's last deployed ``collection.json``,
item by item on the fields we derive: equal, or one of the documented differences (docs/feed.md),
each asserted here by name. Then the same site in a real browser: every partner page."""

from __future__ import annotations

import json
import posixpath
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bmz_collection.core import central, jsonschemas
from bmz_collection.core.loading import load_mapping
from bmz_collection.engine.build import ITEM_FIELDS

from .browser import dom, needs_browser, page_url
from .feedsites import DEPLOYED, Site, isolated_git, real_site
from .realworld import needs_real_world

pytestmark = needs_real_world

REHOSTED = "https://bioimage-io.github.io/collection-bioimage-io/rdfs"
"""Where the old pipeline re-hosted every partner RDF and cover."""
FIELDS = (*ITEM_FIELDS, "rdf_source")
MISSING: Any = "<missing>"
PLUGIN_FIELDS = ("name", "description", "tags", "icon", "badges", "covers")
"""What the catalogue read from an ImJoy plugin's source instead of the partner's entry."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("real-feed")
    with isolated_git(root):
        yield real_site(root)


@pytest.fixture(scope="module")
def ours(site: Site) -> Any:
    return site.feed()


@pytest.fixture(scope="module")
def deployed() -> Any:
    return json.loads(DEPLOYED.read_text(encoding="utf-8"))


# -- the classes of difference (docs/feed.md) ------------------------------------------------


def is_imjoy_plugin(item: dict[str, Any]) -> bool:
    source = item.get("source")
    return isinstance(source, str) and source.split("?", 1)[0].endswith(".imjoy.html")


def classify(field: str, ours: dict[str, Any], theirs: dict[str, Any]) -> str | None:
    """The documented reason why ``field`` differs, or None when no reason applies."""
    a, b = ours.get(field, MISSING), theirs.get(field, MISSING)
    rid = ours["id"]
    raw = "https://raw.githubusercontent.com/"
    if field == "rdf_source" and b == f"{REHOSTED}/{rid}/latest/rdf.yaml" and a.startswith(raw):
        return "rehosted-rdf-source"
    if field == "covers" and isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        rehosted = [f"{REHOSTED}/{rid}/latest/{posixpath.basename(x)}" for x in a]
        if b == rehosted:
            return "rehosted-covers"
    if field == "documentation" and b is MISSING:
        return "documentation-not-deployed"
    if is_imjoy_plugin(ours) and field in PLUGIN_FIELDS:
        return "from-imjoy-plugin"
    return None


def compare(ours: Any, deployed: Any) -> tuple[Counter[str], dict[str, list[tuple[str, str]]]]:
    """(equal items per field, {class: [(item id, field)]}); class "unexplained" must stay
    empty."""
    theirs = {i["id"]: i for i in deployed["collection"]}
    equal: Counter[str] = Counter()
    classes: dict[str, list[tuple[str, str]]] = {}
    for item in ours["collection"]:
        other = theirs[item["id"]]
        for field in FIELDS:
            if item.get(field, MISSING) == other.get(field, MISSING):
                equal[field] += field in item
                continue
            reason = classify(field, item, other) or "unexplained"
            classes.setdefault(reason, []).append((item["id"], field))
    return equal, classes


# -- the tests -------------------------------------------------------------------------------


def test_the_feed_validates_against_its_schema(ours: Any) -> None:
    assert jsonschemas.validate(ours, jsonschemas.FEED, "collection.json") == []


def test_same_items_as_the_deployed_feed_from_the_partners(ours: Any, deployed: Any) -> None:
    partner_ids = {p["id"] for p in deployed["config"]["partners"]}
    theirs = sorted(i["id"] for i in deployed["collection"] if i["id"].split("/")[0] in partner_ids)
    assert len(theirs) == 111
    assert [i["id"] for i in ours["collection"]] == theirs


def test_same_top_level_and_config_as_deployed(ours: Any, deployed: Any) -> None:
    assert sorted(ours) == sorted(deployed)
    for key in deployed:
        if key not in ("collection", "config"):
            assert ours[key] == deployed[key], key
    not_derived = {"n_resource_versions"}  # Zenodo versions: the old pipeline's (docs/feed.md)
    assert sorted(ours["config"]) == sorted(set(deployed["config"]) - not_derived)
    for key in ours["config"]:
        if key not in ("partners", "n_resources"):
            assert ours["config"][key] == deployed["config"][key], key


def test_difference_n_resources_counts_zenodo_uploads_too(ours: Any, deployed: Any) -> None:
    """The deployed counts include the 46 resources uploaded through Zenodo (not partners')."""
    zenodo = Counter(i["type"] for i in deployed["collection"] if i["id"].startswith("10.5281/"))
    assert sum(zenodo.values()) == 46
    theirs = Counter(deployed["config"]["n_resources"])
    assert Counter(ours["config"]["n_resources"]) == theirs - zenodo


def test_partner_details_as_deployed(ours: Any, deployed: Any) -> None:
    """Equal field by field; the deployed file also carries `version` and `test_summaries`
    (difference "partner-fields-not-derived": not display details)."""
    theirs = {p["id"]: p for p in deployed["config"]["partners"]}
    assert [p["id"] for p in ours["config"]["partners"]] == sorted(theirs)
    left_out = set()
    for p in ours["config"]["partners"]:
        other = theirs[p["id"]]
        for key in set(p) | set(other):
            if key not in p:
                left_out.add(key)
            else:
                assert p[key] == other[key], (p["id"], key)
    assert left_out == {"version", "test_summaries"}


def test_items_agree_with_the_deployed_feed_or_differ_for_a_documented_reason(
    ours: Any, deployed: Any
) -> None:
    equal, classes = compare(ours, deployed)
    assert classes.get("unexplained", []) == []
    # the item-level agreement (in docs/feed.md); equal means present in both and the same
    assert {k: n for k, n in equal.items() if n} == {
        "id": 111,
        "type": 111,
        "name": 108,
        "description": 103,
        "authors": 104,
        "tags": 101,
        "license": 15,
        "links": 50,
        "icon": 10,
        "source": 38,
        "download_url": 75,
        "badges": 49,
    }


def test_difference_rehosted_rdf_source(ours: Any, deployed: Any) -> None:
    """Every deployed `rdf_source` is the old pipeline's re-hosted copy; ours is the
    partner's own file at the pinned commit."""
    _, classes = compare(ours, deployed)
    assert len(classes["rehosted-rdf-source"]) == 111
    pins = {p["id"]: p for p in ours["config"]["partners"]}
    for item in ours["collection"]:
        p = pins[item["id"].split("/")[0]]
        root = f"https://raw.githubusercontent.com/{p['repository']}/"
        assert item["rdf_source"].startswith(root)
        assert item["rdf_source"].endswith("/" + p["collection_file_name"])


def test_difference_rehosted_covers(ours: Any, deployed: Any) -> None:
    """The old pipeline copied covers next to its re-hosted RDFs (same file names)."""
    _, classes = compare(ours, deployed)
    assert len(classes["rehosted-covers"]) == 97


def test_difference_documentation_not_deployed(ours: Any, deployed: Any) -> None:
    """The deployed items carry no `documentation` at all; ours keep the resolved one."""
    _, classes = compare(ours, deployed)
    assert not any("documentation" in i for i in deployed["collection"])
    assert len(classes["documentation-not-deployed"]) == 111


def test_difference_from_imjoy_plugin(ours: Any, deployed: Any) -> None:
    """For the 11 ImJoy plugins the catalogue read name, description, tags, icon, badges and
    covers from the plugin's source (`*.imjoy.html`), which we do not fetch."""
    _, classes = compare(ours, deployed)
    plugins = {rid for rid, _ in classes["from-imjoy-plugin"]}
    assert len(plugins) == 11
    assert all(is_imjoy_plugin(i) for i in ours["collection"] if i["id"] in plugins)
    assert Counter(f for _, f in classes["from-imjoy-plugin"]) == {
        "badges": 11,
        "covers": 11,
        "icon": 10,
        "tags": 10,
        "description": 8,
        "name": 3,
    }


def test_build_is_deterministic(site: Site, tmp_path: Path) -> None:
    from .feedsites import bmz, checked

    first = (site.out / "collection.json").read_bytes()
    checked(bmz("build", "--repo", str(site.central), "--out", str(tmp_path)))
    assert (tmp_path / "collection.json").read_bytes() == first
    assert (tmp_path / "collection.js").read_bytes() == (site.out / "collection.js").read_bytes()


# -- in a browser ----------------------------------------------------------------------------


def page_resources(site: Site) -> dict[str, dict[str, Any]]:
    raw = (site.central / "collection.yaml").read_bytes()
    return central.generated_details(central.generated_text(raw))


@pytest.mark.slow
@needs_browser
def test_every_real_partner_page_in_a_browser(site: Site, ours: Any) -> None:
    details = page_resources(site)
    items = ours["collection"]
    for p in ours["config"]["partners"]:
        pid = p["id"]
        doc = dom(page_url(site.page, f"partner={pid}"))
        splash = doc.by_id("splash")
        assert splash.attrs["data-partner"] == pid
        assert doc.by_id("splash-title").text == (p.get("splash_title") or p["name"])
        features = [li.text for li in doc.by_id("splash-features").find_all("li")]
        assert features == (p.get("splash_feature_list") or [])
        logo = doc.by_id("splash-logo").find_all(data_src=None)
        assert [n.attrs["data-src"] for n in logo] == [p["logo"]]
        # the page's count is what sync wrote as the partner page's size
        expected = details[pid].get("page_resources", details[pid]["resources"])
        assert doc.by_id("count").attrs["data-count"] == str(expected)
        tabs = {b.attrs["data-type"]: int(b.attrs["data-count"]) for b in doc.find_all("button")
                if "data-type" in b.attrs}  # fmt: skip
        assert list(tabs) == p["resource_types"]
        wanted = {t.lower() for t in p["tags"]}
        on_page = [
            i
            for i in items
            if i["id"].startswith(pid + "/") or {t.lower() for t in i.get("tags", [])} & wanted
        ]
        assert len(on_page) == expected
        for rtype, n in tabs.items():
            assert n == sum(1 for i in on_page if i["type"] == rtype), (pid, rtype)
        selected = [b for b in doc.find_all("button") if b.attrs.get("aria-selected") == "true"]
        default = p.get("default_type")
        want = default if default in p["resource_types"] else p["resource_types"][0]
        assert [b.attrs["data-type"] for b in selected] == [want]
        cards = doc.find_all(data_resource_id=None)
        assert len(cards) == min(48, tabs[want])


@pytest.mark.slow
@needs_browser
def test_real_resource_page_and_load_of_the_query_form(site: Site, ours: Any) -> None:
    rid = "zero/Notebook_U-Net_2D_ZeroCostDL4Mic"
    doc = dom(page_url(site.page, f"partner=zero&id={rid}", hash_form=False))
    detail = doc.by_id("detail")
    assert not detail.hidden
    assert detail.attrs["data-resource-id"] == rid
    assert "U-Net (2D) - ZeroCostDL4Mic" in detail.text
    assert doc.by_id("splash").attrs["data-partner"] == "zero"


def test_real_feed_is_what_the_pins_give(site: Site) -> None:
    """A partner file read from the pin, not the working tree: editing the checkout changes
    nothing."""
    from .feedsites import bmz, checked

    before = (site.out / "collection.json").read_bytes()
    target = site.central / "partners" / "icy" / "collection.yaml"
    original = target.read_bytes()
    try:
        target.write_bytes(original.replace(b"Icy", b"Changed"))
        out = site.out.parent / "again"
        checked(bmz("build", "--repo", str(site.central), "--out", str(out)))
        assert (out / "collection.json").read_bytes() == before
    finally:
        target.write_bytes(original)
    data = load_mapping(original, "collection.yaml").data
    assert data["config"]["id"] == "icy"
