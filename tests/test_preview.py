"""``bmz preview``: a partner sees its page, with its findings, before joining."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .browser import dom, needs_browser
from .feedsites import EXAMPLES, bmz


def partner_copy(tmp_path: Path, name: str = "cellscope") -> Path:
    repo = tmp_path / name
    shutil.copytree(EXAMPLES / name, repo)
    (repo / ".git").mkdir()  # the repository root, as `git init` would mark it
    return repo


def test_preview_of_a_valid_partner(tmp_path: Path) -> None:
    repo = partner_copy(tmp_path)
    out = tmp_path / "page"
    code, stdout, err = bmz("preview", str(repo), "--out", str(out))
    assert (code, err) == (0, "")
    page = out / "index.html"
    assert stdout.splitlines() == [
        "cellscope: 2 resources, 0 error(s), 0 warning(s)",
        page.as_uri() + "#/?partner=cellscope",
    ]
    feed = json.loads((out / "collection.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in feed["collection"]] == [
        "cellscope/lightsheet-nuclei",
        "cellscope/nucleus-unet",
    ]
    items = {i["id"]: i for i in feed["collection"]}
    root = repo.resolve().as_uri()
    assert items["cellscope/lightsheet-nuclei"]["documentation"] == (
        f"{root}/docs/lightsheet-nuclei.md"
    )
    assert items["cellscope/nucleus-unet"]["rdf_source"] == f"{root}/models/nucleus-unet/rdf.yaml"
    assert (repo / "collection.yaml").read_bytes() == (
        EXAMPLES / "cellscope" / "collection.yaml"
    ).read_bytes()


def test_default_out_is_outside_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    repo = partner_copy(tmp_path)
    code, stdout, _ = bmz("preview", str(repo / "collection.yaml"))
    assert code == 0
    url = stdout.splitlines()[-1]
    (folder,) = temp.iterdir()
    assert folder.name.startswith("bmz-preview-")
    assert url == (folder / "index.html").as_uri() + "#/?partner=cellscope"
    assert sorted(p.name for p in repo.iterdir()) == sorted(
        [p.name for p in (EXAMPLES / "cellscope").iterdir()] + [".git"]
    )


def test_preview_with_errors_exits_1_and_lists_them(tmp_path: Path) -> None:
    repo = partner_copy(tmp_path)
    text = (repo / "collection.yaml").read_text(encoding="utf-8")
    (repo / "collection.yaml").write_text(
        text.replace("- id: lightsheet-nuclei", "- id: nucleus-unet"), encoding="utf-8"
    )
    out = tmp_path / "page"
    code, stdout, _ = bmz("preview", str(repo), "--out", str(out))
    assert code == 1
    lines = stdout.splitlines()
    assert any(
        line.startswith("collection.yaml:") and "[entry-id-duplicate]" in line for line in lines
    )
    assert lines[-2] == "cellscope: 1 resources, 1 error(s), 0 warning(s)"
    script = (out / "collection.js").read_text(encoding="utf-8")
    assert "window.BMZ_FINDINGS = [" in script


def test_nothing_to_preview_is_a_usage_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = bmz("preview", str(empty))
    assert code == 2
    assert err.count("\n") == 1 and "name the collection file" in err
    broken = tmp_path / "collection.yaml"
    broken.write_text("config: [\n")
    code, _, err = bmz("preview", str(broken), "--out", str(tmp_path / "x"))
    assert code == 2 and err.count("\n") == 1 and "[yaml-syntax]" in err
    assert not (tmp_path / "x").exists()


@pytest.mark.slow
@needs_browser
def test_the_preview_page_shows_the_splash_and_the_findings(tmp_path: Path) -> None:
    repo = partner_copy(tmp_path)
    out = tmp_path / "page"
    assert bmz("preview", str(repo), "--out", str(out))[0] == 0
    doc = dom((out / "index.html").as_uri() + "#/?partner=cellscope")
    assert doc.by_id("splash").attrs["data-partner"] == "cellscope"
    assert doc.by_id("splash-title").text == "CellScope Lab"
    assert doc.by_id("count").attrs["data-count"] == "2"
    findings = doc.by_id("findings")
    assert not findings.hidden and findings.attrs["data-count"] == "0"

    text = (repo / "collection.yaml").read_text(encoding="utf-8")
    (repo / "collection.yaml").write_text(
        text.replace("- id: lightsheet-nuclei", "- id: nucleus-unet"), encoding="utf-8"
    )
    assert bmz("preview", str(repo), "--out", str(out))[0] == 1
    doc = dom((out / "index.html").as_uri() + "?partner=cellscope")
    errors = doc.by_id("finding-list").find_all("li", **{"class": "error"})
    assert len(errors) == 1 and "[entry-id-duplicate]" in errors[0].text
    assert doc.by_id("count").attrs["data-count"] == "1"


@pytest.mark.parametrize("name", ["tissue-atlas", "viewers"])
def test_every_example_partner_previews_cleanly(tmp_path: Path, name: str) -> None:
    repo = partner_copy(tmp_path, name)
    code, stdout, _ = bmz("preview", str(repo), "--out", str(tmp_path / "page"))
    assert code == 0, stdout
    assert ", 0 error(s), 0 warning(s)" in stdout


@pytest.mark.usefixtures("git_env")
def test_preview_names_the_files_git_would_not_carry(tmp_path: Path) -> None:
    """The page the catalogue would make comes from commits: a file not added to git is
    missing there, and the preview says so as the hook does."""
    import subprocess

    repo = tmp_path / "cellscope"
    shutil.copytree(EXAMPLES / "cellscope", repo)
    subprocess.run(["git", "init", "--quiet", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(repo), "rm", "--cached", "--quiet", "docs/lightsheet-nuclei.md"],
        check=True,
    )
    code, stdout, _ = bmz("preview", str(repo), "--out", str(tmp_path / "page"))
    assert code == 1
    assert "documentation 'docs/lightsheet-nuclei.md' is not in git" in stdout
    assert "[path-untracked]" in stdout
