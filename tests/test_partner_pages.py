"""Partner pages: the merged file's per-partner details are validated (a logo is required, URLs
well-formed, splash fields typed), list how many resources each page shows through the
partner's predefined tags, and `bmz partner show` prints them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bmz_collection.core import central as central_mod
from bmz_collection.core.loading import load_mapping

from .gitrepos import (
    Central,
    PartnerRepo,
    entry,
    git,
    load,
    make_partner,
)
from .realworld import needs_real_world, partner_files

pytestmark = pytest.mark.usefixtures("git_env")


def details(c: Central) -> dict[str, dict[str, Any]]:
    return {d["id"]: d for d in load(c.collection)["partners"]}


def drop_logo(p: PartnerRepo) -> None:
    """The partner's collection file without its `logo` line."""
    path = p.path / p.collection_file
    text = path.read_text(encoding="utf-8")
    line = f"  logo: https://example.org/{p.id}/logo.png\n"
    assert line in text
    path.write_text(text.replace(line, ""), encoding="utf-8")


# -- validated details -------------------------------------------------------------------------


def test_a_partner_without_a_logo_is_held_back(central: Central, tmp_path: Path) -> None:
    p = make_partner(tmp_path, "alpha")
    assert central.add(p)[0] == 0
    central.commit("alpha")
    pinned = p.head()
    p.write_collection([entry("alpha-app-0"), entry("new")])
    drop_logo(p)
    p.commit("drop the logo")

    code, out, _ = central.sync()

    assert code == 1
    assert f"partners/alpha: held back at {pinned[:7]}: new head {p.head()[:7]} has 1 error" in out
    assert (
        "partners/alpha/collection.yaml:7:1: error: a partner page needs a logo: set "
        "config.logo to a URL or a path on the website (the catalogue requires one) (config) "
        "[partner-logo-missing]"
    ) in out
    assert central.pins()["alpha"] == pinned
    assert details(central)["alpha"]["logo"] == "https://example.org/alpha/logo.png"


def test_a_partner_without_a_logo_cannot_be_added(central: Central, tmp_path: Path) -> None:
    before = central.collection
    p = make_partner(tmp_path, "alpha")
    drop_logo(p)
    p.commit("no logo")
    code, out, err = central.add(p)
    assert code == 1
    assert "[partner-logo-missing]" in out
    assert "nothing was added" in err
    assert central.collection == before


@pytest.mark.parametrize(
    ("config", "rule", "where"),
    [
        ({"icon": "javascript:alert(1)"}, "url-format", "(config.icon)"),
        ({"logo": "https://exa mple.org/logo.png"}, "url-format", "(config.logo)"),
        ({"background_image": "htp:/broken"}, "url-format", "(config.background_image)"),
        ({"splash_feature_list": "one feature"}, "partner-config-splash-feature-list", ""),
        ({"splash_title": ["a", "list"]}, "partner-config-text", "(config.splash_title)"),
    ],
)
def test_malformed_page_details_hold_a_partner_back(
    central: Central, tmp_path: Path, config: dict[str, Any], rule: str, where: str
) -> None:
    p = make_partner(tmp_path, "alpha")
    assert central.add(p)[0] == 0
    p.write_collection([entry("x")], **config)
    p.commit()
    code, out, _ = central.sync()
    assert code == 1
    assert f"{where} [{rule}]" in out
    assert out.count(f"[{rule}]") == 1  # reported once, not again for the details


def test_website_paths_and_emoji_stay_fine(central: Central, tmp_path: Path) -> None:
    p = make_partner(
        tmp_path,
        "alpha",
        logo="static/img/partners/alpha.svg",
        icon="🦒",
        background_image="static/img/zoo-background.svg",
    )
    code, out, err = central.add(p)
    assert code == 0, out + err
    assert details(central)["alpha"]["icon"] == "🦒"


def test_the_merged_file_is_validated_with_its_details(central: Central, tmp_path: Path) -> None:
    assert central.add(make_partner(tmp_path, "alpha"))[0] == 0
    path = central.root / "collection.yaml"
    path.write_bytes(
        central.collection.replace(b"    logo: https://example.org/alpha/logo.png\n", b"")
    )
    code, out, _ = central.bmz("validate", str(path))
    assert code == 1
    assert "(partners[0]) [partner-logo-missing]" in out


@needs_real_world
def test_every_real_partner_page_is_valid() -> None:
    """All 12 real partners have a logo: requiring one holds none of them back."""
    for source in partner_files():
        pid = source.parent.name
        config = load_mapping(source.read_bytes(), source.name).data["config"]
        block = central_mod.PartnerBlock(central_mod.Partner(pid, pid), config, count=1)
        found = central_mod.check_details(central_mod.partner_details(block), str(source))
        assert [f for f in found if f.is_error] == [], pid


# -- what a partner page shows -----------------------------------------------------------------


def test_page_counts_follow_the_predefined_tags(central: Central, tmp_path: Path) -> None:
    alpha = make_partner(
        tmp_path,
        "alpha",
        [entry("a1"), entry("a2", tags=["Segmentation"])],
        tags=["alpha", "Segmentation"],
    )
    beta = make_partner(
        tmp_path,
        "beta",
        [entry("b1", tags=["SEGMENTATION"]), entry("b2", tags=["ALPHA", "x"]), entry("b3")],
        tags=["x"],
    )
    gamma = make_partner(tmp_path, "gamma", [entry("g1", tags=["x", "alpha"])])
    for p in (alpha, beta, gamma):
        assert central.add(p)[0] == 0
    d = details(central)
    # alpha: its 2 + beta/b1 (segmentation) + beta/b2 (alpha) + gamma/g1 (alpha), each once
    assert d["alpha"]["resources"] == 2 and d["alpha"]["page_resources"] == 5
    # beta: its 3 + gamma/g1 (x); its own b2 also carries x but counts once
    assert d["beta"]["resources"] == 3 and d["beta"]["page_resources"] == 4
    # gamma has no predefined tags: its page shows its own resources
    assert d["gamma"]["resources"] == 1 and "page_resources" not in d["gamma"]
    assert d["alpha"]["url"] == "https://bioimage.io/#/?partner=alpha"
    central.commit("partners")

    gamma.write_collection([entry("g1", tags=["y"])])
    gamma.commit("retag")
    assert central.sync()[0] == 0
    d = details(central)
    assert d["alpha"]["page_resources"] == 4
    assert d["beta"]["page_resources"] == 3
    assert central.sync("--no-fetch", "--check")[0] == 0
    central.commit("sync")
    assert central.sync()[0] == 0  # served from the render cache: the same counts
    assert central.status() == ""


def test_partner_show(central: Central, tmp_path: Path) -> None:
    alpha = make_partner(
        tmp_path,
        "alpha",
        [entry("a1")],
        maintainers=[{"name": "Ada", "github_user": "ada-lovelace"}],
        tags=["segmentation"],
        splash_feature_list=["Fast", "Open"],
    )
    beta = make_partner(tmp_path, "beta", [entry("b1", tags=["Segmentation"]), entry("b2")])
    for p in (alpha, beta):
        assert central.add(p)[0] == 0

    code, out, err = central.bmz("partner", "show", "alpha", "--repo", str(central.root))

    assert code == 0, err
    assert out == (
        "alpha: Partner alpha\n"
        f"  repository    {alpha.path} (branch main, collection.yaml)\n"
        f"  pin           {alpha.head()[:7]}\n"
        "  page          https://bioimage.io/#/?partner=alpha\n"
        "  logo          https://example.org/alpha/logo.png\n"
        "  icon          https://example.org/alpha/icon.png\n"
        "  splash title  The alpha partner\n"
        "  subtitle      Models and tools\n"
        "  feature       Fast\n"
        "  feature       Open\n"
        "  tags          segmentation\n"
        "  types         application, model (default application)\n"
        "  resources     1 own + 1 of other partners through its tags = 2 on its page\n"
        "  reviewers     @ada-lovelace\n"
    )
    code, out, _ = central.bmz(
        "partner", "show", "beta", "--format", "json", "--repo", str(central.root)
    )
    assert code == 0
    info = json.loads(out)
    assert info["page"] == "https://bioimage.io/#/?partner=beta"
    assert info["pin"] == beta.head()
    assert (info["resources"], info["tagged_resources"], info["page_resources"]) == (2, [], 2)
    assert info["reviewers"] == []
    assert info["details"]["splash_title"] == "The beta partner"
    assert info["problems"] == []
    code, _, err = central.bmz("partner", "show", "nope", "--repo", str(central.root))
    assert code == 2 and "unknown partner 'nope'" in err


def test_partner_show_reports_a_page_without_logo(central: Central, tmp_path: Path) -> None:
    """A pin adopted before the logo was required still shows; `show` says what is wrong."""
    p = make_partner(tmp_path, "alpha")
    assert central.add(p)[0] == 0
    p.write_collection([entry("x")], logo=None)
    no_logo = p.commit("no logo")
    sub = central.root / "partners" / "alpha"
    git(sub, "fetch", "--quiet", p.url, "main")
    central.git("update-index", "--cacheinfo", f"160000,{no_logo},partners/alpha")
    assert central.sync("--no-fetch")[0] == 0  # the pin is never re-validated: it stays
    assert "logo" not in details(central)["alpha"]
    code, out, _ = central.bmz("partner", "show", "alpha", "--repo", str(central.root))
    assert code == 1
    assert "  error: (details): a partner page needs a logo" in out
