"""Real git repositories in temporary folders: partner repositories and central ones.

Plain helpers; the fixtures over them (``git_env``: an isolated git configuration, no global or
system config of the machine; ``central``) are in conftest.py.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bmz_collection.cli.main import main as bmz_main

ENV_KEYS = (
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_NOSYSTEM",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_DATE",
)


def git(cwd: Path, *args: str, check: bool = True) -> str:
    """Plain git for building fixtures (the code under test uses its own hardened calls);
    hooks off, so a partner's trap hooks never fire while a test builds its repositories."""
    res = subprocess.run(
        ["git", "-c", "protocol.file.allow=always", "-c", "core.hooksPath=/dev/null", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and res.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed in {cwd}: {res.stderr}")
    return res.stdout.strip()


def entry(eid: str, **fields: Any) -> dict[str, Any]:
    """A valid application entry."""
    data: dict[str, Any] = {
        "id": eid,
        "type": "application",
        "name": f"App {eid}",
        "description": f"The application {eid}.",
        "source": f"https://example.org/{eid}.html",
        "tags": ["demo"],
    }
    data.update(fields)
    return data


def collection_yaml(
    pid: str,
    entries: Sequence[Mapping[str, Any]],
    *,
    maintainers: Sequence[Mapping[str, Any]] | None = None,
    **config: Any,
) -> str:
    """A partner collection file, written as a person would (block style); ``maintainers``
    (the collection's, with ``github_user``) only when given."""
    import io

    from ruamel.yaml import YAML

    cfg: dict[str, Any] = {
        "id": pid,
        "name": f"Partner {pid}",
        "logo": f"https://example.org/{pid}/logo.png",
        "icon": f"https://example.org/{pid}/icon.png",
        "splash_title": f"The {pid} partner",
        "splash_subtitle": "Models and tools",
        "resource_types": ["application", "model"],
        "default_type": "application",
    }
    cfg.update(config)
    doc = {
        "format_version": "0.2.3",
        "type": "collection",
        "name": f"{pid} collection",
        "description": f"Resources of {pid}.",
        "authors": [{"name": f"{pid} team"}],
        **({"maintainers": [dict(m) for m in maintainers]} if maintainers is not None else {}),
        "config": cfg,
        "collection": [dict(e) for e in entries],
    }
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    yaml.dump(doc, buf)
    return buf.getvalue()


@dataclass
class PartnerRepo:
    """A partner's repository (non-bare, branch ``main``), fetched by path."""

    path: Path
    id: str
    collection_file: str = "collection.yaml"
    alias: str | None = None
    """A URL git fetches this repository under (see ``serve_as``), else its path."""

    @property
    def url(self) -> str:
        return self.alias or str(self.path)

    def serve_as(self, url: str) -> str:
        """Make ``url`` (e.g. ``https://github.com/<owner>/<name>``) fetch this local repository,
        through ``url.<path>.insteadOf`` in the isolated global git config of ``git_env``: the
        code under test sees a GitHub partner, and no network is used."""
        import os

        config = os.environ["GIT_CONFIG_GLOBAL"]
        git(self.path, "config", "--file", config, f"url.{self.path}.insteadOf", url)
        self.alias = url
        return url

    def write(self, relpath: str, text: str | bytes) -> None:
        target = self.path / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")

    def write_collection(
        self,
        entries: Sequence[Mapping[str, Any]],
        *,
        maintainers: Sequence[Mapping[str, Any]] | None = None,
        **config: Any,
    ) -> None:
        self.write(
            self.collection_file,
            collection_yaml(self.id, entries, maintainers=maintainers, **config),
        )

    def commit(self, message: str = "update") -> str:
        git(self.path, "add", "-A")
        git(self.path, "commit", "--quiet", "--allow-empty", "-m", message)
        return git(self.path, "rev-parse", "HEAD")

    def head(self, branch: str = "main") -> str:
        return git(self.path, "rev-parse", f"refs/heads/{branch}")

    def rewrite_history(self, message: str = "rewritten") -> str:
        """A force-push: a new root commit with the current files (old head not an ancestor)."""
        git(self.path, "checkout", "--quiet", "--orphan", "rewritten")
        git(self.path, "add", "-A")
        git(self.path, "commit", "--quiet", "-m", message)
        git(self.path, "branch", "--quiet", "-M", "rewritten", "main")
        return self.head()


def make_partner(
    root: Path,
    pid: str,
    entries: Sequence[Mapping[str, Any]] | None = None,
    *,
    collection_file: str = "collection.yaml",
    maintainers: Sequence[Mapping[str, Any]] | None = None,
    **config: Any,
) -> PartnerRepo:
    path = root / "remotes" / pid
    path.mkdir(parents=True)
    git(path, "init", "--quiet", "-b", "main")
    repo = PartnerRepo(path, pid, collection_file)
    if entries is None:
        entries = [entry(f"{pid}-app-{i}") for i in range(2)]
    repo.write_collection(entries, maintainers=maintainers, **config)
    repo.commit("initial collection")
    return repo


@dataclass
class Central:
    """A central repository driven through the CLI in-process."""

    root: Path
    capsys: pytest.CaptureFixture[str]

    def bmz(self, *argv: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        try:
            code = bmz_main(list(argv))
        except SystemExit as exc:  # argparse's usage errors
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err

    def sync(self, *argv: str) -> tuple[int, str, str]:
        return self.bmz("sync", "--allow-local", "--repo", str(self.root), *argv)

    def add(self, partner: PartnerRepo, *argv: str) -> tuple[int, str, str]:
        extra = ["--collection-file", partner.collection_file]
        return self.bmz(
            "partner",
            "add",
            partner.id,
            partner.url,
            "--allow-local",
            "--repo",
            str(self.root),
            *extra,
            *argv,
        )

    def remove(self, pid: str) -> tuple[int, str, str]:
        return self.bmz("partner", "remove", pid, "--repo", str(self.root))

    @property
    def collection(self) -> bytes:
        return (self.root / "collection.yaml").read_bytes()

    def pins(self) -> dict[str, str]:
        return pins_of(self.root)

    def git(self, *args: str, check: bool = True) -> str:
        return git(self.root, *args, check=check)

    def commit(self, message: str = "sync") -> None:
        git(self.root, "commit", "--quiet", "--allow-empty", "-m", message)

    def status(self) -> str:
        return git(self.root, "status", "--porcelain")


def make_central(root: Path, capsys: pytest.CaptureFixture[str]) -> Central:
    central = Central(root / "central", capsys)
    code, _, err = central.bmz(
        "init", str(central.root), "--id", "catalogue", "--name", "Catalogue"
    )
    assert code == 0, err
    return central


def load(data: bytes) -> Any:
    from bmz_collection.core.loading import parse

    return parse(data.decode("utf-8"), "collection.yaml")


def ids(central_bytes: bytes) -> list[str]:
    return [e["id"] for e in load(central_bytes)["collection"]]


def pins_of(central: Path) -> dict[str, str]:
    """Partner id -> pinned commit, from the gitlinks in the central repository's index."""
    pins = {}
    for line in git(central, "ls-files", "--stage", "--", "partners/").splitlines():
        meta, path = line.split("\t", 1)
        mode, sha, _ = meta.split()
        if mode == "160000":
            pins[path.split("/", 1)[1]] = sha
    return pins
