"""The 12 real partner collections, each made into a local partner repository, sync into one
central repository with the ids the real catalogue published."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bmz_collection.core.loading import load_mapping

from .gitrepos import PartnerRepo, git, load, make_central
from .realworld import needs_real_world, partner_files

pytestmark = [needs_real_world, pytest.mark.usefixtures("git_env")]

TYPED_LISTS = ("collection", "application", "model", "dataset", "notebook")


def published_ids(path: Path, pid: str) -> list[str]:
    """The ids as the catalogue published them, read straight from the partner's file."""
    data = load_mapping(path.read_bytes(), path.name).data
    return [
        f"{pid}/{item['id']}"
        for key in TYPED_LISTS
        for item in data.get(key) or []
        if isinstance(item, dict) and "id" in item
    ]


@pytest.mark.slow
def test_twelve_real_partners_sync_into_one_central_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = partner_files()
    assert len(files) == 12
    central = make_central(tmp_path, capsys)
    expected: list[str] = []
    configs = {}
    for source in files:
        pid = source.parent.name
        path = tmp_path / "remotes" / pid
        path.mkdir(parents=True)
        git(path, "init", "--quiet", "-b", "main")
        shutil.copyfile(source, path / source.name)  # into the temporary repo, never the project
        partner = PartnerRepo(path, pid, source.name)
        partner.commit("real collection")
        code, out, err = central.add(partner)
        assert code == 0, out + err
        expected += published_ids(source, pid)
        configs[pid] = load_mapping(source.read_bytes(), source.name).data["config"]

    code, out, err = central.sync()
    assert code == 0, out + err

    data = load(central.collection)
    ids = [e["id"] for e in data["collection"]]
    assert len(ids) == 111
    assert ids == sorted(expected)
    details = {d["id"]: d for d in data["partners"]}
    assert sorted(details) == sorted(configs)
    for pid, config in configs.items():
        assert details[pid]["logo"] == config["logo"]
        assert details[pid]["splash_title"] == config["splash_title"]
        assert details[pid]["resources"] == sum(1 for i in ids if i.startswith(pid + "/"))
    assert central.sync("--no-fetch", "--check")[0] == 0
    code, out, _ = central.bmz("format", "--check", str(central.root / "collection.yaml"))
    assert code == 0, out
    code, out, _ = central.bmz("validate", str(central.root / "collection.yaml"))
    assert ": error:" not in out
