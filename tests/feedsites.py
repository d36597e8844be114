"""Central repositories whose feed and site the build and browser tests read: the example
partners and the 12 real ones, each partner a local repository that git fetches under its
GitHub address (``url.<path>.insteadOf``), so the feed carries real GitHub URLs and no network
is used. Built once per session; git runs with an isolated configuration."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bmz_collection.cli.main import main as bmz_main
from bmz_collection.core.loading import load_mapping

from .gitrepos import git
from .realworld import REAL_WORLD, partner_files

PROJECT = Path(__file__).resolve().parents[1]
EXAMPLES = PROJECT / "examples" / "partners"
TEMPLATE = REAL_WORLD / "central" / "collection_rdf_template.yaml"
DEPLOYED = REAL_WORLD / "central" / "collection.json"


def bmz(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = bmz_main(list(argv))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def isolated_git(home: Path) -> Iterator[None]:
    """What ``gitrepos.git_env`` does, for session-scoped fixtures."""
    config = home / "gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n")
    env = {
        "GIT_CONFIG_GLOBAL": str(config),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Partner",
        "GIT_AUTHOR_EMAIL": "partner@example.org",
        "GIT_COMMITTER_NAME": "Partner",
        "GIT_COMMITTER_EMAIL": "partner@example.org",
        "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
        "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
    }
    saved = {k: os.environ.get(k) for k in [*env, "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"]}
    os.environ.update(env)
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        os.environ.pop(key, None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def partner_repo(root: Path, pid: str, files: Path, branch: str = "main") -> Path:
    """A partner repository holding ``files`` (a folder's content, or one file)."""
    path = root / "remotes" / pid
    if files.is_dir():
        shutil.copytree(files, path)
    else:
        path.mkdir(parents=True)
        shutil.copyfile(files, path / files.name)  # into the temporary repo, never the project
    git(path, "init", "--quiet", "-b", branch)
    git(path, "add", "-A")
    git(path, "commit", "--quiet", "-m", f"{pid} collection")
    return path


def serve_as(path: Path, url: str) -> None:
    git(path, "config", "--file", os.environ["GIT_CONFIG_GLOBAL"], f"url.{path}.insteadOf", url)


def checked(result: tuple[int, str, str], *ok: int) -> str:
    code, out, err = result
    assert code in (ok or (0,)), out + err
    return out


@dataclass
class Site:
    central: Path
    out: Path

    @property
    def page(self) -> Path:
        return self.out / "index.html"

    def feed(self) -> Any:
        import json

        return json.loads((self.out / "collection.json").read_text(encoding="utf-8"))


def central_with(root: Path, partners: dict[str, tuple[Path, str, str]]) -> Path:
    """A central repository with ``partners`` (id -> (local repo, GitHub name, collection
    file)) added and synced; each served under ``https://github.com/<name>``."""
    central = root / "central"
    checked(bmz("init", str(central), "--id", "catalogue", "--name", "Catalogue"))
    for pid, (path, name, cfile) in partners.items():
        url = f"https://github.com/{name}"
        serve_as(path, url)
        branch = git(path, "rev-parse", "--abbrev-ref", "HEAD")
        checked(
            bmz(
                "partner", "add", pid, url, "--repo", str(central), "--allow-local",
                "--collection-file", cfile, "--branch", branch,
            )
        )  # fmt: skip
    checked(bmz("sync", "--allow-local", "--repo", str(central)))
    git(central, "commit", "--quiet", "-m", "partners")
    return central


def example_site(root: Path) -> Site:
    files = {"viewers": "manifest.bioimage.io.yaml"}
    partners = {
        d.name: (
            partner_repo(root, d.name, d),
            f"example-org/{d.name}",
            files.get(d.name, "collection.yaml"),
        )
        for d in sorted(EXAMPLES.iterdir())
        if d.is_dir()
    }
    central = central_with(root, partners)
    out = root / "site"
    checked(bmz("build", "--repo", str(central), "--out", str(out)))
    return Site(central, out)


def real_registry() -> list[dict[str, Any]]:
    data = load_mapping(TEMPLATE.read_bytes(), TEMPLATE.name).data
    return list(data["config"]["partners"])


def real_site(root: Path) -> Site:
    """The 12 real partners on the branches the catalogue registered, under their GitHub
    names, with the catalogue's own head (its template) above the generated part."""
    registry = {p["id"]: p for p in real_registry()}
    partners = {}
    for source in partner_files():
        pid = source.parent.name
        reg = registry[pid]
        path = partner_repo(root, pid, source, branch=reg["branch"])
        partners[pid] = (path, reg["repository"], reg["collection_file_name"])
    central = central_with(root, partners)
    # the catalogue's head, byte for byte but for its empty `collection` (generated here)
    head = TEMPLATE.read_text(encoding="utf-8").replace("collection: []\n", "")
    (central / "collection.yaml").write_text(head, encoding="utf-8")
    checked(bmz("sync", "--no-fetch", "--repo", str(central)))
    out = root / "site"
    checked(bmz("build", "--repo", str(central), "--out", str(out)))
    return Site(central, out)
