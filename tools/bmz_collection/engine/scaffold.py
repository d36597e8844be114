"""The files of a new partner repository (``bmz partner init``), from a few answers.

``render`` is pure (options in, ``{relative path: bytes}`` out) so that tests and other
commands can look at the scaffold without a disk; ``check_rendered`` runs the same validation
as ``bmz validate`` on it, and ``write`` puts it on disk without replacing anything. The
collection file is written in ``bmz format``'s canonical style, so the hooks it installs have
nothing to say about a fresh scaffold.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bmz_collection import PROJECT_URL, RELEASE_TAG
from bmz_collection.core import policy
from bmz_collection.core.central import CATALOGUE_URL
from bmz_collection.core.errors import FatalError, UsageError
from bmz_collection.core.tree import Kind
from bmz_collection.engine.workflows import PARTNER_WORKFLOW, partner_workflow

if TYPE_CHECKING:
    from bmz_collection.core.findings import Finding

COLLECTION_FILE = "collection.yaml"
PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
README = "README.md"
PATHS = (COLLECTION_FILE, PRE_COMMIT_CONFIG, README, PARTNER_WORKFLOW)
"""Everything ``render`` produces; ``write`` refuses to run if any of them exists."""

BMZ_REPO_URL = PROJECT_URL
"""Where pre-commit finds the ``bmz-validate`` and ``bmz-format`` hooks (``--hooks-repo``)."""
HOOKS_REV = RELEASE_TAG
"""This release's tag (``--hooks-rev``): the hooks a scaffold runs are the ones it was made by."""
HOOK_IDS = ("bmz-validate", "bmz-format")

FORMAT_VERSION = "0.2.3"
"""Of the collection file: the newest collection format (checked against the schema in the
tests); its entries are written at today's formats (generic 0.3.x, model 0.5.x)."""
RESOURCE_TYPES = ("model", "application", "dataset", "notebook")
"""The types the website knows; ``config.resource_types`` outside these is a warning."""
DEFAULT_RESOURCE_TYPES = ("model",)
EXPLORE_BUTTON_TEXT = "Start Exploring"
BACKGROUND_IMAGE = "static/img/zoo-background.svg"
"""The catalogue's own splash background (a path on the website)."""
_ONE_LINE = re.compile(r"[^\x00-\x1f\x7f\x85\u2028\u2029]*")


# -- options ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerOptions:
    """What a partner tells us; empty optional values get the defaults of :func:`complete`."""

    id: str
    name: str
    logo: str
    maintainers: tuple[str, ...]
    description: str = ""
    icon: str = ""
    splash_title: str = ""
    splash_subtitle: str = ""
    features: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    resource_types: tuple[str, ...] = ()
    branch: str = "main"
    hooks_repo: str = BMZ_REPO_URL
    hooks_rev: str = HOOKS_REV
    defaults: tuple[str, ...] = field(default=(), compare=False)
    """Names of the fields :func:`complete` filled in (for the report to the user)."""


def _usage(check: Callable[[str], str], value: str) -> str:
    """``check(value)``, its refusal as a usage error: the options are the command line."""
    try:
        return check(value)
    except FatalError as exc:
        raise UsageError(str(exc)) from None


def check_id(value: str) -> str:
    """The id the central repository will register the partner under (`bmz partner add`)."""
    return _usage(policy.check_partner_id, value)


def check_github_user(value: str) -> str:
    return _usage(policy.check_github_user, value)


def check_text(what: str, value: str) -> str:
    """One line of text, white space at the ends dropped; never empty."""
    text = value.strip()
    if not text:
        raise UsageError(f"{what} must not be empty")
    if not _ONE_LINE.fullmatch(text):
        raise UsageError(f"{what} must be one line of text without control characters")
    return text


def check_logo(value: str) -> str:
    """A URL, or a path on the website: one word."""
    logo = check_text("--logo", value)
    if any(c.isspace() for c in logo):
        raise UsageError(f"--logo must be a URL or a path on the website, not {logo!r}")
    return logo


def check_branch(value: str) -> str:
    """A branch git accepts, spelled plainly enough to go into a workflow file."""
    return _usage(policy.check_plain_branch, value)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def complete(options: PartnerOptions) -> PartnerOptions:
    """Options checked and with defaults filled in; raises UsageError naming the bad one."""
    o = options
    filled: list[str] = []
    pid = check_id(o.id)
    name = check_text("--name", o.name)
    logo = check_logo(o.logo)
    maintainers = _unique(check_github_user(u) for u in o.maintainers)
    if not maintainers:
        raise UsageError("at least one --maintainer (a GitHub user name) is needed")
    description = o.description.strip()
    if not description:
        description = f"Resources from {name} for the BioImage.IO catalogue."
        filled.append("description")
    icon = o.icon.strip()
    if not icon:
        icon = logo
        filled.append("icon")
    splash_title = o.splash_title.strip()
    if not splash_title:
        splash_title = name
        filled.append("splash_title")
    splash_subtitle = o.splash_subtitle.strip()
    if not splash_subtitle:
        splash_subtitle = description
        filled.append("splash_subtitle")
    tags = _unique(check_text("--tag", t) for t in o.tags)
    if not tags:
        tags = (pid,)
        filled.append("tags")
    types = _unique(o.resource_types)
    for t in types:
        if t not in RESOURCE_TYPES:
            raise UsageError(f"unknown resource type {t!r} (known: {', '.join(RESOURCE_TYPES)})")
    if not types:
        types = DEFAULT_RESOURCE_TYPES
        filled.append("resource_types")
    return replace(
        o,
        id=pid,
        name=name,
        logo=logo,
        maintainers=maintainers,
        description=check_text("--description", description),
        icon=check_text("--icon", icon),
        splash_title=check_text("--splash-title", splash_title),
        splash_subtitle=check_text("--splash-subtitle", splash_subtitle),
        features=tuple(check_text("--feature", f) for f in o.features),
        tags=tags,
        resource_types=types,
        branch=check_branch(o.branch),
        hooks_repo=check_text("--hooks-repo", o.hooks_repo),
        hooks_rev=check_text("--hooks-rev", o.hooks_rev),
        defaults=tuple(filled),
    )


# -- rendering --------------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z0-9_/(][^#\x00-\x1f\x7f\x85\u2028\u2029]*")
_RESOLVES = re.compile(
    r"(?i)y|n|yes|no|true|false|on|off|null|~|[-+.0-9][-+.0-9_:eExXoObB]*|[-+]?\.(inf|nan)"
)
"""Plain scalars a YAML loader (1.1 or 1.2) may read as something other than a string."""


def _scalar(value: str) -> str:
    """A plain scalar when it reads back as the same string everywhere, else double quotes
    (JSON's escapes are valid YAML ones)."""
    if (
        _PLAIN.fullmatch(value)
        and not _RESOLVES.fullmatch(value)
        and ": " not in value
        and not value.endswith((":", " "))
    ):
        return value
    return json.dumps(value, ensure_ascii=False)


def _block_list(key: str, values: Iterable[str], indent: str = "") -> list[str]:
    items = [f"{indent}  - {_scalar(v)}" for v in values]
    return [f"{indent}{key}:", *items] if items else [f"{indent}{key}: []"]


def render_collection(o: PartnerOptions) -> bytes:
    """The partner's collection file: RDF fields, people, display ``config``, no entries yet
    (a commented example shows the shape of one)."""
    s = _scalar
    lines = [
        f"# {o.name}: a partner collection of the BioImage.IO catalogue (partner id {o.id}).",
        "# Edit it by hand: `bmz validate` and `bmz format` check it on every commit",
        "# (.pre-commit-config.yaml) and on every push (.github/workflows/bmz.yml).",
        f"format_version: {FORMAT_VERSION}",
        "type: collection",
        f"name: {s(o.name)}",
        f"description: {s(o.description)}",
        "",
        "# Maintainers are asked to review the catalogue's updates of this collection (by their",
        "# GitHub user); authors are credited on the website: give their full names.",
        "authors:",
    ]
    for user in o.maintainers:
        lines += [f"  - name: {s(user)}", f"    github_user: {s(user)}"]
    lines.append("maintainers:")
    lines += [f"  - github_user: {s(user)}" for user in o.maintainers]
    lines += [
        "",
        "# How the catalogue shows this partner: logo, icon, splash screen, and the predefined",
        "# tags: the partner's page lists its own resources and every resource with one of them.",
        "config:",
        f"  id: {s(o.id)}",
        f"  name: {s(o.name)}",
        f"  logo: {s(o.logo)}",
        f"  icon: {s(o.icon)}",
        f"  splash_title: {s(o.splash_title)}",
        f"  splash_subtitle: {s(o.splash_subtitle)}",
        *_block_list("splash_feature_list", o.features, "  "),
        f"  explore_button_text: {s(EXPLORE_BUTTON_TEXT)}",
        f"  background_image: {s(BACKGROUND_IMAGE)}",
        *_block_list("resource_types", o.resource_types, "  "),
        f"  default_type: {s(o.resource_types[0])}",
        *_block_list("tags", o.tags, "  "),
        "",
        "# One entry per resource. `rdf_source` is the resource's RDF (a path in this repository",
        "# or a URL); the entry's other fields add to it or override it. The catalogue publishes",
        f"# each entry as {o.id}/<entry id>. For example:",
        "#   - id: my-model",
        "#     rdf_source: models/my-model/rdf.yaml  # a model at format 0.5.x",
        "#     tags:",
        "#       - segmentation",
        "collection: []",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_pre_commit_config(o: PartnerOptions) -> bytes:
    lines = [
        "# pre-commit (https://pre-commit.com) runs the bmz hooks on every commit after",
        "# `pip install pre-commit && pre-commit install`; .github/workflows/bmz.yml runs them",
        "# on every push. `pre-commit autoupdate` moves `rev` to the newest release.",
        "repos:",
        f"  - repo: {_scalar(o.hooks_repo)}",
        f"    rev: {_scalar(o.hooks_rev)}",
        "    hooks:",
        *(f"      - id: {hook}" for hook in HOOK_IDS),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


_README = """\
# {name} on BioImage.IO

This repository is the **{name}** partner collection of the
[BioImage.IO](https://bioimage.io) catalogue, partner id `{id}`. `{collection}` lists its
resources; the catalogue publishes each entry as `{id}/<entry id>`.

## What a partner gets

- **Its own model repository**: this one. You decide what goes in; the catalogue follows
  your `{branch}` branch.
- **Its logo and predefined tags**: `config.logo` and `config.tags` in `{collection}`.
  Your page lists your resources and every resource carrying one of your tags.
- **A custom splash screen**: `config.splash_title`, `config.splash_subtitle`,
  `config.splash_feature_list`, `config.background_image`.
- **A URL that brings users to your items**: <{url}>.

## What a partner owes

- **Receiving and reviewing contributed resources**: contributions arrive as pull requests
  to this repository, and the maintainers in `{collection}` (`maintainers`, by GitHub user)
  are asked to review the catalogue's updates of this collection.
- **Keeping them up to date with the latest spec**: when the RDF format moves on, update
  your files; `bmz validate` says what is outdated or wrong, with the line to fix.

## Steps to join

1. Fill in `{collection}`: check the `config` (logo, splash screen, tags) and add one entry
   per resource to `collection` (the comment above it shows the shape of an entry).
2. Install the hooks, so that every commit is validated and formatted:

   ```sh
   pip install pre-commit
   pre-commit install
   pre-commit run --all-files
   ```

3. Commit and push to `{branch}`. `.github/workflows/bmz.yml` runs the same hooks on every
   push and pull request.
4. Register: open a pull request on the central catalogue repository with the changes of

   ```sh
   bmz partner add {id} https://github.com/ORG/REPO --branch {branch} --collection-file {collection}
   ```

   (the URL of this repository in place of `https://github.com/ORG/REPO`). The command
   validates your collection at the head of `{branch}` and adds nothing if it has errors.

## After joining

The central repository runs `bmz sync` on a schedule. It advances its pin of this repository
only to a commit whose collection is valid; a commit with errors is held back, and the sync
pull request lists its errors as `file:line` at your commit. Run `bmz validate {collection}`
to see the same findings here.
"""


def render_readme(o: PartnerOptions) -> bytes:
    text = _README.format(
        name=o.name,
        id=o.id,
        collection=COLLECTION_FILE,
        branch=o.branch,
        url=CATALOGUE_URL.format(id=o.id),
    )
    return text.encode("utf-8")


def render(options: PartnerOptions) -> dict[str, bytes]:
    """Every file of the scaffold, by repository-relative path. Raises UsageError for bad
    options (see :func:`complete`)."""
    o = complete(options)
    return {
        COLLECTION_FILE: render_collection(o),
        PRE_COMMIT_CONFIG: render_pre_commit_config(o),
        README: render_readme(o),
        **partner_workflow(o.branch),
    }


# -- checking ---------------------------------------------------------------------------------


class _MemoryTree:
    """The scaffold as a :class:`~bmz_collection.core.tree.Tree`, to validate it before writing."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = dict(files)
        self.dirs = {""}
        for path in files:
            parts = path.split("/")[:-1]
            self.dirs.update("/".join(parts[: i + 1]) for i in range(len(parts)))

    def kind(self, relpath: str) -> Kind:
        if relpath in self.files:
            return Kind.FILE
        return Kind.DIR if relpath in self.dirs else Kind.MISSING

    def read(self, relpath: str) -> bytes:
        try:
            return self.files[relpath]
        except KeyError:
            raise FileNotFoundError(relpath) from None


def check_rendered(files: Mapping[str, bytes]) -> list[Finding]:
    """What ``bmz validate`` would say about the scaffold's collection file."""
    from bmz_collection.engine.validate import check_collection

    result = check_collection(
        files[COLLECTION_FILE],
        COLLECTION_FILE,
        _MemoryTree(files),
        collection_id=None,
        display=COLLECTION_FILE,
    )
    return result.findings


# -- writing ----------------------------------------------------------------------------------


def existing(root: Path, paths: Iterable[str] = PATHS) -> list[str]:
    """Which of ``paths`` are already there under ``root`` (a dangling symlink counts)."""
    return [p for p in paths if (root / p).exists() or (root / p).is_symlink()]


def write(root: Path, files: Mapping[str, bytes]) -> list[str]:
    """Write ``files`` under ``root`` (which must exist), each atomically; the paths written.
    Refuses, writing nothing, if any of them exists; on any failure removes what it wrote and
    the folders it made, so the tree is left as it was."""
    from bmz_collection.io.fsio import atomic_write

    root = Path(root)
    taken = existing(root, files)
    if taken:
        raise FatalError(f"{root / taken[0]} already exists; nothing was written")
    made_dirs: list[Path] = []
    written: list[Path] = []
    try:
        for relpath, data in files.items():
            target = root / relpath
            missing = [d for d in (target.parent, *target.parent.parents) if not d.exists()]
            for folder in reversed(missing):
                folder.mkdir()
                made_dirs.append(folder)
            if target.exists() or target.is_symlink():  # appeared since we looked
                raise FatalError(f"{target} already exists; nothing was written")
            atomic_write(target, data)
            written.append(target)
    except BaseException:
        for path in reversed(written):
            with contextlib.suppress(OSError):
                path.unlink()
        for folder in reversed(made_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return list(files)


__all__ = [
    "BMZ_REPO_URL",
    "COLLECTION_FILE",
    "HOOKS_REV",
    "HOOK_IDS",
    "PATHS",
    "PRE_COMMIT_CONFIG",
    "README",
    "PartnerOptions",
    "check_github_user",
    "check_id",
    "check_logo",
    "check_rendered",
    "complete",
    "existing",
    "render",
    "write",
]
