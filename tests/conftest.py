"""The fixtures shared by several test modules; pytest finds them here, so no test module
imports another's. Plain helpers stay in their modules (gitrepos.py builds repositories,
realworld.py finds the real data, hostile/ holds the hostile corpus and crash runner).

A test that takes more than a few seconds is marked ``slow`` (registered in pyproject.toml):
``make test-quick`` (``pytest -m "not slow"``) leaves those out, ``make test`` runs all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from . import summary_scenario
from .gitrepos import Central, make_central


@pytest.fixture
def git_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """An isolated git: own global config, fixed identity and dates (stable hashes)."""
    home = tmp_path_factory.mktemp("gitconfig")
    config = home / "gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Partner")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "partner@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Partner")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "partner@example.org")
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z")
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(key, raising=False)
    yield


@pytest.fixture
def central(tmp_path: Path, capsys: pytest.CaptureFixture[str], git_env: None) -> Central:
    """A central repository made by ``bmz init`` in ``tmp_path``, no partners yet."""
    return make_central(tmp_path, capsys)


@pytest.fixture
def scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str], git_env: None) -> Central:
    """The change scenario of the summary and diff golden files (see summary_scenario.py)."""
    return summary_scenario.build(tmp_path, capsys)
