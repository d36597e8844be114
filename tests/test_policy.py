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


@pytest.mark.parametrize("pid", ["ilastik", "zero-cost_dl4mic", "a", "0", "x" * 64])
def test_partner_ids_accepted(pid: str) -> None:
    assert policy.check_partner_id(pid) == pid


@pytest.mark.parametrize("pid", ["", "Ilastik", "-a", "_a", "a/b", "a b", "x" * 65, None, 3])
def test_partner_ids_refused(pid: object) -> None:
    with pytest.raises(FatalError, match="invalid partner id"):
        policy.check_partner_id(pid)


@pytest.mark.parametrize("name", ["collection.yaml", "sub/collection.yaml", "a-b.yml"])
def test_collection_files_accepted(name: str) -> None:
    assert policy.check_collection_file(name) == name


@pytest.mark.parametrize(
    "name", ["", "-x", "../c.yaml", "/etc/passwd", "a/../c.yaml", "./c.yaml", "a\\c.yaml", 1]
)
def test_collection_files_refused(name: object) -> None:
    with pytest.raises(FatalError, match="invalid collection file name"):
        policy.check_collection_file(name)


def test_a_plain_branch_is_a_valid_branch_spelled_plainly() -> None:
    assert policy.check_plain_branch("release/1.0") == "release/1.0"
    with pytest.raises(FatalError, match=r"refusing branch name 'a\.\.b'$"):
        policy.check_plain_branch("a..b")  # git's rules first
    with pytest.raises(FatalError, match=r"letters, digits"):
        policy.check_plain_branch("caf\u00e9")  # valid for git, not for a workflow file


@pytest.mark.parametrize(("typed", "user"), [("octocat", "octocat"), (" @a-b ", "a-b")])
def test_github_users_accepted(typed: str, user: str) -> None:
    assert policy.check_github_user(typed) == user


@pytest.mark.parametrize("typed", ["", "-a", "a-", "a--b", "a_b", "x" * 40, "a b"])
def test_github_users_refused(typed: str) -> None:
    with pytest.raises(FatalError, match="invalid GitHub user name"):
        policy.check_github_user(typed)


def test_the_github_user_rule_is_the_schemas() -> None:
    from bmz_collection.core import jsonschemas

    pattern, placeholders = policy.github_user_rules()
    rule = jsonschemas.schema("common")["$defs"]["github_user"]["allOf"]
    assert pattern.pattern == rule[0]["pattern"]
    assert "None" in placeholders


def test_the_registry_uses_the_policy() -> None:
    from bmz_collection.core import central

    head = "config:\n  partners:\n    - id: ok\n      repository: o/r\n      branch: {}\n"
    [partner] = central.registry_of(central.read(head.format("main").encode()).data)
    assert partner.url == "https://github.com/o/r"
    with pytest.raises(FatalError, match=r"config\.partners\[0\]: refusing branch name 'a\.\.b'"):
        central.read(head.format("a..b").encode())
