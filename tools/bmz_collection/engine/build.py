"""``bmz build``: the website feed as data, from the pins only.

The feed is what the catalogue's website and its clients read (``collection.json``). It is a
pure function of the central repository's head (``collection.yaml`` above the marker) and of
each partner's collection at its pinned commit, resolved by the same code as ``bmz sync`` and
``bmz validate``; nothing is fetched. Relative file references (covers, documentation) become
URLs of the files at the pinned commit, so a page shows exactly what was reviewed.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bmz_collection.core import central, limits, policy
from bmz_collection.core.central import Partner
from bmz_collection.core.errors import FatalError
from bmz_collection.core.findings import Finding
from bmz_collection.core.github import raw_root
from bmz_collection.core.resolve import Entry
from bmz_collection.engine.sync.evaluate import evaluate
from bmz_collection.engine.sync.model import LOADING, Progress
from bmz_collection.engine.sync.plan import load_central, plan
from bmz_collection.io.git.repo import Repo

PARTNER_FIELDS = (
    "name",
    "logo",
    "icon",
    "tags",
    "splash_title",
    "splash_subtitle",
    "splash_feature_list",
    "explore_button_text",
    "background_image",
    "resource_types",
    "default_type",
    "url_root",
    "docs",
    "contact",
    "about_url",
)
"""The partner's ``config`` fields the deployed feed carries (as the partner wrote them)."""
REGISTRY_FIELDS = ("repository", "branch", "collection_file_name")
"""Where the partner's collection comes from (the central registry)."""

ITEM_FIELDS = (
    "id",
    "type",
    "name",
    "description",
    "authors",
    "covers",
    "tags",
    "license",
    "links",
    "icon",
    "source",
    "download_url",
    "badges",
    "documentation",
)
"""The fields of a deployed feed item that the pins give (``rdf_source`` is added: the
partner's file at the pin). Fields only the old pipeline computed are left out (docs/feed.md)."""


@dataclass
class PartnerFeed:
    """One partner's part of the feed: its registry entry, display config and items."""

    partner: Partner
    config: Mapping[str, Any] | None
    items: list[dict[str, Any]]
    pin: str | None = None


@dataclass
class Build:
    feed: dict[str, Any]
    partners: list[PartnerFeed]
    findings: list[Finding] = field(default_factory=list)
    """Problems of the collections read (a pin with errors; preview's validation)."""
    notes: list[str] = field(default_factory=list)
    root: Path | None = None
    """The repository the feed was built from (its ``site/`` is the default output)."""


# -- items -----------------------------------------------------------------------------------


def feed_item(entry: Entry, files_root: str, rdf_source: str | None) -> dict[str, Any]:
    """One feed item: the resolved entry's feed fields; relative references made into
    addresses under ``files_root`` (the partner repository's files at the pin)."""
    base_dirs = {key: origin.base_dir for key, origin in entry.origins.items()}
    data = central.rebase_references(entry.data, base_dirs, files_root)
    item = {k: data[k] for k in ITEM_FIELDS if k in data and data[k] is not None}
    if "authors" in item:
        item["authors"] = authors_as_objects(item["authors"])
    if rdf_source is not None:
        item["rdf_source"] = rdf_source
    return item


def authors_as_objects(authors: Any) -> Any:
    """Authors as the feed's readers expect them: objects (a bare name becomes ``{name}``)."""
    if not isinstance(authors, list):
        return authors
    return [{"name": a} if isinstance(a, str) else a for a in authors]


def source_file(entry: Entry, collection_file: str, prefix: str) -> str:
    """The file in the partner repository the entry's own fields come from: its local
    ``rdf_source`` when it has one, else the collection file. ``prefix`` is how the
    resolution named the repository's files (``partners/<id>/`` in the central one)."""
    collection = prefix + collection_file
    for origin in entry.origins.values():
        if origin.prefix == () and origin.file != collection and origin.file.startswith(prefix):
            return origin.file[len(prefix) :]
    return collection_file


def partner_items(
    entries: Iterable[Entry], partner: Partner, files_root: str, prefix: str
) -> list[dict[str, Any]]:
    """The partner's feed items, sorted by id."""
    root = files_root.rstrip("/")
    cfile = partner.collection_file_name
    items = [feed_item(e, root, f"{root}/{source_file(e, cfile, prefix)}") for e in entries]
    return sorted(items, key=lambda i: str(i["id"]))


def files_root_at(partner: Partner, pin: str) -> str:
    """Where the partner's files at ``pin`` are read from: raw GitHub for GitHub partners,
    else the submodule's path in the central repository."""
    return raw_root(partner.url, pin) or partner.path


# -- the whole feed --------------------------------------------------------------------------


def partner_details(p: PartnerFeed) -> dict[str, Any]:
    config = p.config if isinstance(p.config, Mapping) else {}
    out: dict[str, Any] = {k: config[k] for k in PARTNER_FIELDS if k in config}
    out["id"] = p.partner.id
    out.setdefault("name", p.partner.id)
    out["repository"] = p.partner.repository
    out["branch"] = p.partner.branch
    out["collection_file_name"] = p.partner.collection_file_name
    return out


def feed(head: Mapping[str, Any], partners: Sequence[PartnerFeed]) -> dict[str, Any]:
    """The feed in the deployed shape: the central head's fields, ``config`` with each
    partner's details and the resource counts by type, and every item sorted by id."""
    out = {k: v for k, v in head.items() if k not in ("config", "collection")}
    head_config = head.get("config")
    config = (
        {k: v for k, v in (head_config or {}).items() if k != "partners"}
        if isinstance(head_config, Mapping)
        else {}
    )
    ordered = sorted(partners, key=lambda p: p.partner.id)
    items = sorted((i for p in ordered for i in p.items), key=lambda i: str(i["id"]))
    config["partners"] = [partner_details(p) for p in ordered]
    config["n_resources"] = dict(sorted(Counter(str(i.get("type")) for i in items).items()))
    out["config"] = config
    out["collection"] = items
    return out


@dataclass(frozen=True)
class _Job:
    partner: Partner
    git_dir: Path
    pin: str


def _partner_feed(job: _Job) -> tuple[dict[str, Any] | None, list[dict[str, Any]], list[Finding]]:
    """One partner at its pin: (config, feed items, errors). Runs in a worker process."""
    p = job.partner
    at = evaluate(job.git_dir, job.pin, p, validate=False)
    items = partner_items(at.entries, p, files_root_at(p, job.pin), p.path + "/")
    return at.config, items, [f for f in at.findings if f.is_error]


def build(start: Path, progress: Progress | None = None) -> Build:
    """The feed of the central repository at (or above) ``start``, from its pins. Partners
    are loaded on every core (loading YAML is most of the time); ``progress`` hears
    ("loading partners", done, total)."""
    from bmz_collection.engine import batch

    repo = Repo.discover(start)
    _, cf = load_central(repo)
    work, orphans = plan(repo, cf.registry, set())
    notes = [f"{o.path} is a submodule but not in the registry; left out" for o in orphans]
    jobs: list[_Job] = []
    for w in work:
        p = w.partner
        if w.old_pin is None:
            notes.append(f"{p.path} is pending (registered, not added yet); left out")
            continue
        if not w.git_dir.exists():
            raise FatalError(
                f"{p.path} is not initialised: run "
                f"`git submodule update --init --checkout {p.path}`"
            )
        jobs.append(_Job(p, w.git_dir, w.old_pin))
    partners: list[PartnerFeed] = []
    findings: list[Finding] = []
    for job, (config, items, errors) in zip(
        jobs,
        batch.run(
            _partner_feed,
            jobs,
            min_items=limits.BUILD_PARALLEL_MIN_PARTNERS,
            done=None if progress is None else functools.partial(progress, LOADING),
        ),
        strict=True,
    ):
        if errors:
            notes.append(
                f"{job.partner.path}: the pinned commit {job.pin[:7]} has {len(errors)} "
                "error(s); only the entries that resolve are published"
            )
            findings.extend(errors)
        partners.append(PartnerFeed(job.partner, config, items, job.pin))
    return Build(feed(dict(cf.data), partners), partners, findings, notes, repo.root)


# -- a partner's own repository (``bmz preview``) --------------------------------------------

COLLECTION_NAMES = ("collection.yaml", "collection.bioimage.io.yaml", "manifest.bioimage.io.yaml")
"""Where a partner repository's collection usually is (the real partners use these three)."""


def find_collection(path: Path) -> Path:
    """The collection file named, or the one collection file at the top of a repository."""
    if path.is_file():
        return path
    if not path.is_dir():
        raise FatalError(f"{path}: no such file or folder")
    found = [path / n for n in COLLECTION_NAMES if (path / n).is_file()]
    if len(found) != 1:
        names = ", ".join(COLLECTION_NAMES)
        what = "none of" if not found else "more than one of"
        raise FatalError(f"{path}: {what} {names} found; name the collection file")
    return found[0]


def preview(path: Path) -> Build:
    """The feed of one partner repository's working tree, as the catalogue would show it
    once joined, with the findings a sync would hold it back for."""
    from bmz_collection.core.loading import LoadError, load_mapping
    from bmz_collection.core.resolve import collection_id_of
    from bmz_collection.engine import batch
    from bmz_collection.engine.validate import check_collection
    from bmz_collection.io.fsio import find_repo_root

    file = find_collection(path).resolve()
    root = find_repo_root(file.parent)
    relpath = file.relative_to(root).as_posix()
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise FatalError(f"cannot read {file}: {exc.strerror or exc}") from None
    try:
        data = load_mapping(raw, relpath).data
    except LoadError as exc:
        raise FatalError(exc.finding.one_line()) from None
    pid = collection_id_of(data) or root.name
    try:
        policy.check_partner_id(pid)
    except FatalError:
        pid = "partner"
    partner = Partner(pid, root.as_uri(), collection_file_name=relpath)
    tree = batch.repository_tree(root)
    checked = check_collection(raw, relpath, tree, collection_id=pid, display=relpath)
    items = partner_items(checked.entries, partner, root.as_uri(), "")
    one = PartnerFeed(partner, checked.config, items)
    head = {"name": f"Preview of {pid}", "type": "collection"}
    return Build(feed(head, [one]), [one], checked.findings)
