"""A new central repository: ``collection.yaml`` with an empty registry, ``partners/``, the
pre-commit configuration and the CI workflows, staged. Kept apart from the command so that a
test, the demo or a future web form creates the same repository.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bmz_collection import PROJECT_URL, RELEASE_TAG, REQUIREMENT
from bmz_collection.core import central, policy
from bmz_collection.core.errors import FatalError
from bmz_collection.engine import partner_repository, workflows
from bmz_collection.io import fsio
from bmz_collection.io.git.process import Git
from bmz_collection.io.git.repo import Repo

PARTNERS_README = """\
# partners/

One git submodule per community partner, at `partners/<partner-id>`, pinned to the last
partner commit whose collection validated. Managed by `bmz partner add|remove` and `bmz sync`;
do not edit these folders: the merged `collection.yaml` is generated from the pins.
"""

PRE_COMMIT_CONFIG = f"""\
# Hooks of the central repository. They run the `bmz` installed in this environment
#   pip install "{REQUIREMENT}"
# To pin a release instead, use
#   - repo: {PROJECT_URL}
#     rev: {RELEASE_TAG}
#     hooks: [{{id: bmz-check-collection}}, {{id: bmz-validate}}, {{id: bmz-format}}]
repos:
  - repo: local
    hooks:
      - id: bmz-check-collection
        name: collection.yaml matches the partner pins (bmz sync --no-fetch --check)
        entry: bmz-check-collection
        language: system
        pass_filenames: false
        always_run: true
      - id: bmz-validate
        name: bmz validate
        entry: bmz-validate
        language: system
        files: ^collection\\.yaml$
      - id: bmz-format
        name: bmz format
        entry: bmz-format
        language: system
        files: ^collection\\.yaml$
"""


@dataclass
class Created:
    folder: Path
    """The repository's top-level folder (resolved)."""
    files: list[str] = field(default_factory=list)
    """What was written and staged, relative to ``folder``; files already there are kept."""


def default_id(folder: Path) -> str:
    """The collection id a folder name gives: lower case, runs of other characters as ``-``."""
    cid = re.sub(r"[^a-z0-9_-]+", "-", folder.name.lower()).strip("-_")
    return cid or "collection"


def create_central(
    folder: Path, *, cid: str | None = None, name: str | None = None, description: str | None = None
) -> Created:
    """Create the central repository in ``folder`` (``git init`` when it is not a repository
    yet; refused inside another repository, in a partner repository, or where
    ``collection.yaml`` exists)."""
    partner_repository.refuse(folder, *partner_repository.INIT)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FatalError(f"cannot create {folder}: {exc.strerror or exc}") from None
    folder = folder.resolve()
    probe = Git(folder).run("rev-parse", "--show-toplevel", check=False)
    if probe.returncode != 0:
        Git(folder).run("init", "--quiet", what="git init")
    elif Path(probe.text.strip()).resolve() != folder:
        raise FatalError(
            f"{folder} is inside the git repository {probe.text.strip()}; "
            "give that folder, or one outside it"
        )
    repo = Repo(folder)
    target = folder / central.FILE_NAME
    if target.exists():
        raise FatalError(f"{target} already exists: this is a central repository already")
    cid = cid or default_id(folder)
    policy.check_partner_id(cid)
    name = name or folder.name
    description = description or f"{name}: resources from its community partners."
    head = central.initial_head(cid=cid, name=name, description=description)
    central.read(head)  # the head we write must be one the tool accepts
    created = Created(folder)
    fsio.atomic_write(target, central.render(head, []))
    created.files.append(central.FILE_NAME)
    partners = folder / central.PARTNERS_DIR
    partners.mkdir(exist_ok=True)
    readme = partners / "README.md"
    if not readme.exists():
        fsio.atomic_write(readme, PARTNERS_README.encode())
        created.files.append(f"{central.PARTNERS_DIR}/README.md")
    config = folder / ".pre-commit-config.yaml"
    if not config.exists():
        fsio.atomic_write(config, PRE_COMMIT_CONFIG.encode())
        created.files.append(".pre-commit-config.yaml")
    for relpath, content in workflows.central_workflows().items():
        path = folder / relpath
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fsio.atomic_write(path, content)
            created.files.append(relpath)
    repo.update_index([], created.files)
    return created
