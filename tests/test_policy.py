"""The policy for repository URLs and branch names (``core.policy``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bmz_collection.core import policy
from bmz_collection.core.errors import FatalError


@pytest.mark.parametrize(
    "url",
    [
        "ext::sh -c id",
        "https::example.org/r.git",
        "fd::3",
        "--upload-pack=touch /tmp/x",
        "-c",
        "ssh://host/r.git",
        "git@host:r.git",
        "host:r.git",
        "git://host/r.git",
        "http://host/r.git",
        "ftp://host/r.git",
        "https://host/r.git\n--upload-pack=x",
        " https://host/r.git",
        "",
    ],
)
def test_check_url_refuses(url: str) -> None:
    with pytest.raises(FatalError, match="refusing repository URL"):
        policy.check_url(url, allow_local=True)


def test_check_url_accepts(tmp_path: Path) -> None:
    assert policy.check_url("https://github.com/o/r", allow_local=False) == "https://github.com/o/r"
    with pytest.raises(FatalError, match="--allow-local"):
        policy.check_url(str(tmp_path), allow_local=False)
    with pytest.raises(FatalError, match="--allow-local"):
        policy.check_url(f"file://{tmp_path}", allow_local=False)
    assert policy.check_url(str(tmp_path / "x" / ".." / "r"), allow_local=True) == str(
        tmp_path / "r"
    )
    assert policy.check_url(f"file://{tmp_path}", allow_local=True) == f"file://{tmp_path}"


def test_github_shorthand_of_the_catalogue_template() -> None:
    assert policy.expand_repository("ilastik/bioimage-io-resources") == (
        "https://github.com/ilastik/bioimage-io-resources"
    )
    assert policy.expand_repository("https://example.org/r.git") == "https://example.org/r.git"


@pytest.mark.parametrize(
    "branch",
    ["-b", "a..b", "a b", "a:b", "a~1", "a^", "a/", "a.lock", "@", "", "/a", "a//b", "a@{1}"],
)
def test_check_branch_refuses(branch: str) -> None:
    with pytest.raises(FatalError):
        policy.check_branch(branch)


@pytest.mark.parametrize("branch", ["main", "master", "release/1.0", "feature_x-2"])
def test_check_branch_accepts(branch: str) -> None:
    assert policy.check_branch(branch) == branch
