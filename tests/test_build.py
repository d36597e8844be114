"""``bmz build``: the feed and site from the pins, exactly; errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bmz_collection.core import jsonschemas

from .gitrepos import Central, entry, git, make_central, make_partner

pytestmark = pytest.mark.usefixtures("git_env")


def built(central: Central, out: Path) -> Any:
    code, stdout, err = central.bmz("build", "--repo", str(central.root), "--out", str(out))
    assert code == 0, stdout + err
    return json.loads((out / "collection.json").read_text(encoding="utf-8"))


def test_feed_of_one_github_partner_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    central = make_central(tmp_path, capsys)
    partner = make_partner(
        tmp_path,
        "alpha",
        [
            entry("one", authors=["Ada", {"name": "Lin", "orcid": "0000-0002-1825-0097"}]),
            {
                "id": "two",
                "type": "dataset",
                "name": "Two",
                "description": "Second.",
                "covers": ["img/two.png", "https://example.org/two.png"],
                "documentation": "docs/two.md",
                "nickname": "not-derived",
            },
        ],
        tags=["alpha"],
    )
    partner.write("img/two.png", b"\x89PNG")
    partner.write("docs/two.md", "# Two\n")
    pin = partner.commit("files")
    partner.serve_as("https://github.com/example-org/alpha")
    assert central.add(partner)[0] == 0
    raw = f"https://raw.githubusercontent.com/example-org/alpha/{pin}"
    feed = built(central, tmp_path / "site")
    assert feed == {
        "format_version": "0.2.3",
        "type": "collection",
        "id": "catalogue",
        "name": "Catalogue",
        "description": feed["description"],
        "tags": [],
        "authors": [],
        "config": {
            "partners": [
                {
                    "id": "alpha",
                    "name": "Partner alpha",
                    "logo": "https://example.org/alpha/logo.png",
                    "icon": "https://example.org/alpha/icon.png",
                    "tags": ["alpha"],
                    "splash_title": "The alpha partner",
                    "splash_subtitle": "Models and tools",
                    "resource_types": ["application", "model"],
                    "default_type": "application",
                    "repository": "https://github.com/example-org/alpha",
                    "branch": "main",
                    "collection_file_name": "collection.yaml",
                }
            ],
            "n_resources": {"application": 1, "dataset": 1},
        },
        "collection": [
            {
                "id": "alpha/one",
                "type": "application",
                "name": "App one",
                "description": "The application one.",
                "authors": [{"name": "Ada"}, {"name": "Lin", "orcid": "0000-0002-1825-0097"}],
                "source": "https://example.org/one.html",
                "tags": ["demo"],
                "rdf_source": f"{raw}/collection.yaml",
            },
            {
                "id": "alpha/two",
                "type": "dataset",
                "name": "Two",
                "description": "Second.",
                "authors": [{"name": "alpha team"}],  # inherited from the collection
                "covers": [f"{raw}/img/two.png", "https://example.org/two.png"],
                "documentation": f"{raw}/docs/two.md",
                "rdf_source": f"{raw}/collection.yaml",
            },
        ],
    }
    assert jsonschemas.validate(feed, jsonschemas.FEED, "collection.json") == []
    text = (tmp_path / "site" / "collection.json").read_text(encoding="utf-8")
    assert (
        text == json.dumps(feed, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    )
    script = (tmp_path / "site" / "collection.js").read_text(encoding="utf-8")
    assert script.startswith("window.BMZ_FEED = {") and script.endswith("};\n")
    one, two = feed["collection"]
    cards = [
        {k: one[k] for k in ("id", "type", "name", "description", "tags")},
        {k: two[k] for k in ("id", "type", "name", "description")}
        | {"covers": [f"{raw}/img/two.png"]},
    ]
    assert json.loads(script[len("window.BMZ_FEED = ") : -2]) == {**feed, "collection": cards}
    items = (tmp_path / "site" / "items" / "alpha.js").read_text(encoding="utf-8")
    head = 'window.BMZ_ITEMS = window.BMZ_ITEMS || {};\nwindow.BMZ_ITEMS["alpha"] = '
    assert items.startswith(head) and items.endswith(";\n")
    assert json.loads(items[len(head) : -2]) == feed["collection"]
    for name in ("index.html", "site.css", "site.js"):
        assert (tmp_path / "site" / name).stat().st_size > 0


def test_a_card_keeps_what_the_grid_shows() -> None:
    from bmz_collection.report.feed import MAX_CARD_TEXT, card

    long = {"id": "a/b", "type": "model", "name": "B", "description": "x" * 500, "icon": "i.png"}
    short = card(long)
    assert short == {
        "id": "a/b",
        "type": "model",
        "name": "B",
        "description": "x" * (MAX_CARD_TEXT - 1) + "\u2026",
        "icon": "i.png",
    }
    assert card({**long, "covers": ["c1", "c2"], "authors": []})["covers"] == ["c1"]


def test_a_rebuild_removes_pages_of_partners_gone(tmp_path: Path) -> None:
    from bmz_collection.report.feed import write_site

    def feed(*pids: str) -> dict[str, Any]:
        items = [{"id": f"{p}/x", "type": "model", "name": "X"} for p in pids]
        return {"config": {"partners": [], "n_resources": {}}, "collection": items}

    write_site(tmp_path, feed("a", "b"))
    write_site(tmp_path, feed("a"))
    assert sorted(p.name for p in (tmp_path / "items").iterdir()) == ["a.js"]


def test_rdf_source_of_an_entry_from_its_own_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An entry resolved from a local ``rdf_source`` points at that file; its relative
    references are relative to that file's folder."""
    central = make_central(tmp_path, capsys)
    partner = make_partner(tmp_path, "beta", [{"id": "m", "rdf_source": "models/m/rdf.yaml"}])
    partner.write(
        "models/m/rdf.yaml",
        "format_version: 0.2.3\ntype: application\nname: M\ndescription: M.\n"
        "documentation: README.md\nsource: https://example.org/m\n",
    )
    partner.write("models/m/README.md", "# M\n")
    pin = partner.commit("model")
    partner.serve_as("https://github.com/example-org/beta.git")
    assert central.add(partner)[0] == 0
    (item,) = built(central, tmp_path / "site")["collection"]
    raw = f"https://raw.githubusercontent.com/example-org/beta/{pin}"
    assert item["rdf_source"] == f"{raw}/models/m/rdf.yaml"
    assert item["documentation"] == f"{raw}/models/m/README.md"


def test_a_partner_outside_github_keeps_paths_in_the_central_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    central = make_central(tmp_path, capsys)
    partner = make_partner(tmp_path, "local", [entry("x", covers=["c.png"])])
    partner.write("c.png", b"png")
    partner.commit("cover")
    assert central.add(partner)[0] == 0
    (item,) = built(central, tmp_path / "site")["collection"]
    assert item["covers"] == ["partners/local/c.png"]
    assert item["rdf_source"] == "partners/local/collection.yaml"


def test_default_out_is_site_in_the_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    central = make_central(tmp_path, capsys)
    assert central.add(make_partner(tmp_path, "alpha"))[0] == 0
    sub = central.root / "partners"
    code, out, err = central.bmz("build", "--repo", str(sub))
    assert code == 0, err
    page = central.root / "site" / "index.html"
    assert page.is_file()
    assert out.splitlines() == [
        f"wrote {central.root / 'site' / 'collection.json'}: 2 resources from 1 partner(s)",
        f"open {page.as_uri()}",
    ]


def test_an_empty_catalogue_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    central = make_central(tmp_path, capsys)
    feed = built(central, tmp_path / "site")
    assert feed["collection"] == []
    assert feed["config"] == {"partners": [], "n_resources": {}}


def test_errors_are_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    central = make_central(tmp_path, capsys)
    nowhere = tmp_path / "not-a-repo"
    nowhere.mkdir()
    code, _, err = central.bmz("build", "--repo", str(nowhere))
    assert code == 2
    assert err.startswith("bmz build: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err

    (central.root / "collection.yaml").unlink()
    code, _, err = central.bmz("build", "--repo", str(central.root))
    assert (code, err.count("\n")) == (2, 1), err
    assert "no collection.yaml" in err

    blocked = tmp_path / "file"
    blocked.write_text("")
    git(central.root, "checkout", "--quiet", "--", "collection.yaml")
    code, _, err = central.bmz("build", "--repo", str(central.root), "--out", str(blocked))
    assert (code, err.count("\n")) == (2, 1), err
    assert blocked.read_text() == ""


def test_an_uninitialised_partner_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    central = make_central(tmp_path, capsys)
    assert central.add(make_partner(tmp_path, "alpha"))[0] == 0
    central.commit("alpha")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(central.root), str(clone))
    shutil.rmtree(clone / "partners" / "alpha", ignore_errors=True)
    code, _, err = central.bmz("build", "--repo", str(clone), "--out", str(tmp_path / "s"))
    assert code == 2
    assert "partners/alpha is not initialised" in err
    assert not (tmp_path / "s").exists()


def test_the_feed_schema_refuses_what_the_feed_must_not_hold() -> None:
    item = {"id": "a/b", "type": "model", "name": "B"}
    good = {"config": {"partners": [], "n_resources": {"model": 1}}, "collection": [item]}
    assert jsonschemas.validate(good, jsonschemas.FEED, "f") == []
    for bad in (
        {**good, "collection": [{**item, "download_count": 3}]},  # not derived: never written
        {**good, "collection": [{"id": "a/b", "name": "B"}]},
        {**good, "config": {"partners": [{"id": "Bad Id", "name": "x"}], "n_resources": {}}},
        {"collection": []},
    ):
        assert jsonschemas.validate(bad, jsonschemas.FEED, "f") != [], bad
