"""``bmz sync``: advance partner pins to valid commits only, regenerate ``collection.yaml``.

The pins are the gitlinks in the index; the merged collection is a pure function of them (see
``central``). A partner's new commit is read from git objects, resolved and validated with the
same code as ``bmz validate``; only a commit without errors becomes the new pin, so a partner's
broken push never removes a published resource. Every result is data (``SyncResult``) so the
text report, the Markdown summary and later reviews are rendered from the same facts.

Crash safety: nothing of the project is touched before every partner is evaluated; then the
file is replaced atomically, then the index is updated in one ``git update-index`` call whose
whole input is in argv. A run killed anywhere leaves the previous complete file (or the new
one), and the next run converges to the same bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import fcntl
import functools
import gc
import hashlib
import json
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from bmz_collection.core import central, codeowners
from bmz_collection.core.central import FILE_NAME, Partner, PartnerBlock
from bmz_collection.core.errors import FatalError, UsageError
from bmz_collection.core.findings import Finding, Severity, unique_sorted
from bmz_collection.core.loading import LoadError, load_mapping
from bmz_collection.core.resolve import Entry, resolve_collection
from bmz_collection.core.tree import Kind
from bmz_collection.engine.validate import CollectionResult, check_collection
from bmz_collection.io import fsio, gitio

DEFAULT_JOBS = 8
LOCK_NAME = "bmz-sync.lock"


class Status(str, enum.Enum):
    CURRENT = "current"
    """Pinned at the branch head (or not fetched)."""
    UPDATED = "updated"
    """Pin advanced to a new, valid head."""
    HELD_BACK = "held back"
    """Kept at its pin: the new head (or the fetch) failed; the reasons say why."""


@dataclass
class PartnerResult:
    partner: Partner
    old_pin: str | None
    pin: str | None
    """The pin after the run (the old one when held back)."""
    head: str | None = None
    """The fetched branch head; None when not fetched or the fetch failed."""
    status: Status = Status.CURRENT
    forced: bool = False
    """The branch was rewritten: the old pin is not an ancestor of the new head."""
    reasons: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    """At the rejected head when held back, else at the pin (warnings, or resolution errors)."""
    entries: list[Entry] = field(default_factory=list)
    """At the pin after the run, when it was evaluated in this run (not taken from the
    cache); ``ids`` is always there."""
    ids: list[str] = field(default_factory=list)
    """The resource ids the merged collection shows for this partner."""
    texts: dict[str, str] | None = None
    """Those resources' lines in the generated part, by id (from the cache, or rendered)."""
    config: dict[str, Any] | None = None
    maintainers: list[list[str | None]] = field(default_factory=list)
    """``[name, github_user]`` of the collection's maintainers at the pin (review routing)."""
    resource_tags: dict[str, list[str]] | None = None
    """The resources' folded tags by id at the pin (partner page counts)."""
    git_dir: Path | None = None
    """The partner's git directory (objects of old and new pins)."""
    subjects: list[str] = field(default_factory=list)
    """``<short> <subject>`` of the partner commits between the old and the new pin."""
    clean_pin: bool = True
    """The pin after the run resolves without errors (always, unless set by hand)."""

    @property
    def id(self) -> str:
        return self.partner.id

    @property
    def path(self) -> str:
        return self.partner.path

    @property
    def changed(self) -> bool:
        return self.pin != self.old_pin

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    def entries_at(self, commit: str) -> list[Entry]:
        """Resolved entries at any commit of this partner (e.g. the old pin, for reviews)."""
        if self.git_dir is None:
            return []
        return evaluate(self.git_dir, commit, self.partner, validate=False).entries


@dataclass
class SyncResult:
    partners: list[PartnerResult]
    before: bytes
    after: bytes
    check: bool = False
    wrote: bool = False
    staged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Warnings about the central repository itself (unregistered submodules, ...)."""
    codeowners_before: bytes | None = None
    codeowners_after: bytes | None = None
    """``.github/CODEOWNERS`` as it was and as the pins give it (None: no file)."""
    wrote_codeowners: bool = False
    review_notes: list[str] = field(default_factory=list)
    """Maintainers who cannot be asked to review, partners without any: for the partners
    updated in this run, or all of them when the CODEOWNERS section changed."""

    @property
    def held_back(self) -> list[PartnerResult]:
        return [p for p in self.partners if p.status is Status.HELD_BACK]

    @property
    def updated(self) -> list[PartnerResult]:
        return [p for p in self.partners if p.status is Status.UPDATED]

    @property
    def up_to_date(self) -> bool:
        """``collection.yaml`` is what the pins give."""
        return self.before == self.after

    @property
    def codeowners_current(self) -> bool:
        """The generated section of ``.github/CODEOWNERS`` is what the pins give."""
        return self.codeowners_before == self.codeowners_after

    @property
    def resources(self) -> int:
        return sum(len(p.ids) for p in self.partners)

    @property
    def exit_code(self) -> int:
        if self.check:
            current = self.up_to_date and self.codeowners_current
            return 0 if current and not self.held_back else 1
        return 1 if self.held_back else 0


@dataclass
class Options:
    partners: Sequence[str] = ()
    """Only fetch and advance these (the others keep their pins and entries)."""
    fetch: bool = True
    check: bool = False
    jobs: int = DEFAULT_JOBS
    allow_local: bool = False
    timeout: float = gitio.FETCH_TIMEOUT
    progress: TextIO | None = None
    """Where to draw a progress bar (a terminal), or None."""


# -- reading a partner at a commit -------------------------------------------------------------


def _display(partner: Partner) -> str:
    return f"{partner.path}/{partner.collection_file_name}"


def _failure(partner: Partner, rule: str, message: str) -> CollectionResult:
    return CollectionResult(None, [], [Finding(_display(partner), Severity.ERROR, rule, message)])


class MissingCommit(FatalError):
    pass


def evaluate(git_dir: Path, commit: str, partner: Partner, *, validate: bool) -> CollectionResult:
    """The partner's collection at ``commit``, read from git objects: resolved, and with
    ``validate`` also checked like ``bmz validate`` checks it."""
    display = _display(partner)
    relpath = partner.collection_file_name
    short = commit[:7]
    with gitio.tree_at(git_dir, commit) as tree:
        if not tree.has_commit():
            raise MissingCommit(
                f"{partner.path}: commit {short} is not in {git_dir} "
                "(run `git submodule update --init`, or `bmz sync` to fetch it)"
            )
        try:
            kind = tree.kind(relpath)
            if kind is Kind.OUTSIDE:
                return _failure(
                    partner,
                    "collection-file-outside",
                    f"{relpath} leads outside the repository (symlink) at {short}",
                )
            if kind is not Kind.FILE:
                return _failure(
                    partner,
                    "collection-file-missing",
                    f"collection file {relpath} not found at commit {short}",
                )
            raw = tree.read(relpath)
        except OSError as exc:
            return _failure(
                partner, "collection-file-unreadable", f"cannot read {relpath} at {short}: {exc}"
            )
        if validate:
            checked = check_collection(
                raw, relpath, tree, collection_id=partner.id, display=display
            )
            return _with_details_findings(checked, partner, display)
        try:
            doc = load_mapping(raw, display)
        except LoadError as exc:
            return CollectionResult(None, [], [exc.finding])
        res = resolve_collection(doc, relpath, tree, partner.id, display)
        docs = {display: doc, **res.sources}
        findings = [docs[f.file].locate(f) if f.file in docs else f for f in res.findings]
        return CollectionResult(doc, res.entries, findings)


def _with_details_findings(
    res: CollectionResult, partner: Partner, display: str
) -> CollectionResult:
    """The partner page's details, as the merged file will show them, checked against the
    central collection's schema: a partner whose page cannot be shown (no logo, ...) is held
    back like any other error. Findings point into the partner's ``config``."""
    if res.document is None:
        return res
    block = PartnerBlock(partner, res.config, count=len(res.entries))
    found = central.check_details(central.partner_details(block), display)
    if found:
        doc = res.document
        located = [doc.locate(f, key=f.path == ("config",)) for f in found]  # a missing field
        res.findings = unique_sorted([*res.findings, *located])
    return res


# -- the render cache --------------------------------------------------------------------------

CACHE_VERSION = 2
CACHE_DIR = "bmz-cache"


@functools.cache
def _code_fingerprint() -> str:
    """Changes whenever the code or schemas that turn a commit into text change."""
    from importlib import resources

    from bmz_collection import __version__

    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]
    files = sorted(package.rglob("*.py"))
    with contextlib.suppress(Exception):
        folder = Path(str(resources.files("bmz_collection.schemas")))
        files += sorted(folder.glob("*.json"))
    for f in files:
        st = f.stat()
        h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()


class RenderCache:
    """A partner's rendered lines per (pinned commit, collection file, code, style), in the
    git directory: a sync or check with nothing new reads them instead of loading, resolving
    and dumping every partner again. The key covers everything the text depends on; a fresh
    clone simply starts empty."""

    def __init__(self, repo: gitio.Repo, style: object, *, writable: bool) -> None:
        self.folder = repo.common_dir / CACHE_DIR
        self.salt = f"{CACHE_VERSION}:{_code_fingerprint()}:{style!r}"
        self.writable = writable
        self.used: set[str] = set()

    def _key(self, partner: Partner, commit: str) -> str:
        raw = json.dumps([self.salt, partner.id, partner.collection_file_name, commit])
        return hashlib.sha256(raw.encode()).hexdigest()

    def get(self, partner: Partner, commit: str) -> dict[str, Any] | None:
        key = self._key(partner, commit)
        self.used.add(key)
        try:
            data = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if (
            not isinstance(data, dict)
            or data.get("key") != key
            or not isinstance(data.get("texts"), dict)
            or not isinstance(data.get("config"), dict)
            or not isinstance(data.get("maintainers"), list)
            or not isinstance(data.get("tags"), dict)
        ):
            return None
        return data

    def put(self, partner: Partner, commit: str, r: PartnerResult) -> None:
        if not self.writable or r.texts is None:
            return
        key = self._key(partner, commit)
        self.used.add(key)
        record = {
            "key": key,
            "config": central.display_config(r.config),
            "texts": r.texts,
            "maintainers": r.maintainers,
            "tags": r.resource_tags or {},
        }
        with contextlib.suppress(OSError):
            self.folder.mkdir(exist_ok=True)
            fsio.atomic_write(self.folder / f"{key}.json", json.dumps(record).encode())

    def prune(self) -> None:
        """Drop what this run did not use (old pins), so the cache never grows."""
        if not self.writable or not self.folder.is_dir():
            return
        for f in self.folder.iterdir():
            if f.stem not in self.used:
                with contextlib.suppress(OSError):
                    f.unlink()


# -- the engine ----------------------------------------------------------------------------------


@dataclass
class _Work:
    partner: Partner
    name: str
    git_dir: Path
    old_pin: str | None
    selected: bool


@contextlib.contextmanager
def _locked(repo: gitio.Repo) -> Iterator[None]:
    """One sync at a time per repository; the OS drops the lock when a process dies."""
    path = repo.common_dir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FatalError(
                "another bmz sync or partner command is running in this repository"
            ) from None
        yield
    finally:
        os.close(fd)


def _clean_stale_temp_files(folder: Path) -> None:
    """Temporary files of a writer killed mid-write (we hold the lock: none is live)."""
    for stale in folder.glob(fsio.TEMP_PREFIX + "*"):
        with contextlib.suppress(OSError):
            if stale.is_file():
                stale.unlink()


def _blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class Progress:
    """A one-line bar on a terminal; silent elsewhere."""

    def __init__(self, out: TextIO | None, total: int, label: str) -> None:
        self.out = out if out is not None and out.isatty() else None
        self.total = total
        self.label = label
        self.done = 0
        self._lock = threading.Lock()
        self._draw()

    def step(self) -> None:
        with self._lock:
            self.done += 1
            self._draw()

    def _draw(self) -> None:
        if self.out is None or self.total == 0:
            return
        width = 30
        filled = width * self.done // self.total
        self.out.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
        )
        if self.done >= self.total:
            self.out.write("\n")
        self.out.flush()


def load_central(repo: gitio.Repo) -> tuple[bytes, central.CentralFile]:
    path = repo.root / FILE_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FatalError(f"no {FILE_NAME} in {repo.root} (run `bmz init` to create one)") from None
    except OSError as exc:
        raise FatalError(f"cannot read {FILE_NAME}: {exc.strerror or exc}") from None
    return raw, central.read(raw)


def _plan(
    repo: gitio.Repo, registry: list[Partner], selected: set[str]
) -> tuple[list[_Work], list[str]]:
    gitlinks = repo.gitlinks(central.PARTNERS_DIR + "/")
    names = {cfg.get("path"): name for name, cfg in repo.gitmodules().items()}
    notes: list[str] = []
    registered = {p.path for p in registry}
    for path in sorted(gitlinks):
        if path not in registered:
            notes.append(
                f"{path} is a submodule but not in the registry (config.partners); ignored"
            )
    work = []
    for p in registry:
        name = names.get(p.path) or p.path
        work.append(
            _Work(
                p,
                name,
                repo.module_dir(name),
                gitlinks.get(p.path),
                not selected or p.id in selected,
            )
        )
    return work, notes


_INIT_LOCK = threading.Lock()


def _init_module(repo: gitio.Repo, w: _Work, timeout: float) -> None:
    """A fresh clone of the central repository: clone the partner's objects first (one at a
    time: `git submodule update --init` writes the central repository's config)."""
    if w.git_dir.exists():
        return
    with _INIT_LOCK, contextlib.suppress(gitio.GitError):
        repo.git.run(
            "submodule",
            "update",
            "--init",
            "--no-recommend-shallow",
            "--",
            w.partner.path,
            timeout=timeout,
            what="git submodule update --init",
        )
    if not w.git_dir.exists():
        raise gitio.GitError(f"cannot clone {w.partner.url}")


def _fetch(repo: gitio.Repo, w: _Work, options: Options) -> str:
    gitio.check_url(w.partner.url, allow_local=options.allow_local)
    _init_module(repo, w, options.timeout)
    return gitio.fetch(
        w.git_dir,
        w.partner.url,
        w.partner.branch,
        allow_local=options.allow_local,
        timeout=options.timeout,
    )


def _fetch_reason(w: _Work, exc: BaseException) -> str:
    text = str(exc)
    stderr = getattr(exc, "stderr", "") or ""
    if "couldn't find remote ref" in stderr or "couldn't find remote ref" in text:
        return f"branch {w.partner.branch!r} not found at {w.partner.url}"
    if isinstance(exc, gitio.GitTimeout):
        return f"fetch of {w.partner.url} timed out ({text})"
    return f"cannot fetch {w.partner.url}: {text}"


def _decide(
    w: _Work, head: str | None, fetch_error: BaseException | None, cache: RenderCache | None
) -> PartnerResult:
    p = w.partner
    res = PartnerResult(p, w.old_pin, w.old_pin, head, git_dir=w.git_dir)
    if w.old_pin is None:
        res.status = Status.HELD_BACK
        res.reasons.append(
            f"{p.path} is registered but is not a submodule (use `bmz partner add {p.id}`)"
        )
        return res
    old_pin = w.old_pin
    if fetch_error is not None:
        res.status = Status.HELD_BACK
        res.reasons.append(_fetch_reason(w, fetch_error))
    elif head is not None and head != old_pin:
        candidate = evaluate(w.git_dir, head, p, validate=True)
        if candidate.ok:
            res.status = Status.UPDATED
            res.pin = head
            _adopt(res, candidate)
            res.findings = candidate.findings
            known = gitio.has_commit(w.git_dir, old_pin)
            res.forced = not known or not gitio.is_ancestor(w.git_dir, old_pin, head)
            if not res.forced:
                res.subjects = gitio.commit_subjects(w.git_dir, old_pin, head)
            return res
        res.status = Status.HELD_BACK
        res.findings = candidate.findings
        errors = [f for f in candidate.findings if f.is_error]
        res.reasons.append(f"new head {head[:7]} has {len(errors)} error(s)")
    # current, or held back: what the pin gives
    cached = cache.get(p, old_pin) if cache is not None else None
    if cached is not None:
        res.texts = dict(cached["texts"])
        res.ids = list(res.texts)
        res.config = dict(cached["config"])
        res.maintainers = list(cached["maintainers"])
        res.resource_tags = dict(cached["tags"])
        return res
    at_pin = evaluate(w.git_dir, old_pin, p, validate=False)
    _adopt(res, at_pin)
    pin_errors = [f for f in at_pin.findings if f.is_error]
    if pin_errors:
        res.clean_pin = False
        res.status = Status.HELD_BACK
        res.reasons.append(f"the pinned commit {old_pin[:7]} itself has {len(pin_errors)} error(s)")
        res.findings = [*res.findings, *pin_errors]
    elif res.status is Status.CURRENT:
        res.findings = at_pin.findings
    return res


def _adopt(res: PartnerResult, at: CollectionResult) -> None:
    """What the merged file and the review routing take from the partner's collection."""
    res.entries = at.entries
    res.ids = [e.id for e in at.entries]
    res.config = at.config
    res.maintainers = codeowners.maintainers_of(at.document.data if at.document else None)
    res.resource_tags = {e.id: central.fold_tags(e.data.get("tags")) for e in at.entries}


def _run_all(
    repo: gitio.Repo, work: list[_Work], options: Options, cache: RenderCache | None
) -> list[PartnerResult]:
    """Fetch in a thread pool; evaluate (CPU-bound Python) in this thread as fetches land."""
    results: dict[str, PartnerResult] = {}
    to_fetch = [w for w in work if options.fetch and w.selected and w.old_pin is not None]
    progress = Progress(options.progress, len(to_fetch), "fetching")
    evaluated: set[str] = set()

    def settle(w: _Work, head: str | None, error: BaseException | None) -> None:
        results[w.partner.id] = _decide(w, head, error, cache)
        evaluated.add(w.partner.id)

    if to_fetch:
        with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
            futures: dict[Future[str], _Work] = {
                pool.submit(_fetch, repo, w, options): w for w in to_fetch
            }
            try:
                for fut in as_completed(futures):
                    w = futures[fut]
                    progress.step()
                    exc = fut.exception()
                    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                        raise exc
                    settle(w, None if exc else fut.result(), exc)
            except BaseException:
                for fut in futures:
                    fut.cancel()
                gitio.kill_all()
                raise
    for w in work:
        if w.partner.id not in evaluated:
            if not w.git_dir.exists() and w.old_pin is not None:
                raise FatalError(
                    f"{w.partner.path} is not initialised: run `git submodule update --init` "
                    "(or `bmz sync` without --no-fetch and --check)"
                )
            settle(w, None, None)
    return [results[w.partner.id] for w in work]


def _renderer(repo: gitio.Repo, *, writable: bool) -> tuple[central.Dumper, RenderCache]:
    """The repository's canonical dumper and the render cache for that style."""
    from bmz_collection.core.formatting import load_style

    style = load_style(repo.root)
    return central.dumper(style), RenderCache(repo, style, writable=writable)


def published(entry: Entry, partner: Partner) -> dict[str, Any]:
    """The entry as the central collection shows it: relative file references point into
    the partner's submodule."""
    base_dirs = {key: origin.base_dir for key, origin in entry.origins.items()}
    return central.rebase_references(entry.data, base_dirs, partner.path)


def _blocks(
    results: list[PartnerResult], dump: central.Dumper, cache: RenderCache | None
) -> list[PartnerBlock]:
    blocks = []
    for r in results:
        if r.pin is None:
            continue
        if r.texts is None:
            r.texts = central.render_entries((published(e, r.partner) for e in r.entries), dump)
            if cache is not None and r.clean_pin:
                cache.put(r.partner, r.pin, r)
        text = "".join(r.texts.values())
        blocks.append(
            PartnerBlock(
                r.partner, r.config, text=text, count=len(r.texts), resource_tags=r.resource_tags
            )
        )
    return blocks


def _worktree_head(git_dir: Path) -> str | None:
    try:
        head = (git_dir / "HEAD").read_text().strip()
    except OSError:
        return None
    if len(head) == 40 and all(c in "0123456789abcdef" for c in head):
        return head
    return None


def _checkout(
    repo: gitio.Repo, results: list[PartnerResult], work: list[_Work], jobs: int
) -> list[str]:
    """Move each checked-out partner working tree to its pin, so `git status` is sane and a
    later `git add -A` cannot stage an old commit back. Best effort: the pin is what counts."""
    dirs = {w.partner.id: w.git_dir for w in work}
    todo = [
        r
        for r in results
        if r.pin is not None
        and (repo.root / r.path / ".git").exists()
        and _worktree_head(dirs[r.id]) != r.pin
    ]
    notes: list[str] = []

    def one(r: PartnerResult) -> None:
        git = gitio.Git(repo.root / r.path, allow_local=repo.allow_local)
        git.run("checkout", "--quiet", "--detach", r.pin or "", "--", what="git checkout")

    if not todo:
        return notes
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for r, fut in [(r, pool.submit(one, r)) for r in todo]:
            exc = fut.exception()
            if exc is not None:
                notes.append(f"{r.path}: working tree not moved to {r.pin and r.pin[:7]}: {exc}")
    return notes


def sync(start: Path, options: Options) -> SyncResult:
    repo = gitio.Repo.discover(start, allow_local=options.allow_local)
    if options.check:
        return _sync(repo, options)
    with _locked(repo):
        return _sync(repo, options)


def _sync(repo: gitio.Repo, options: Options) -> SyncResult:
    before, cf = load_central(repo)
    registry = cf.registry
    ids = {p.id for p in registry}
    unknown = [pid for pid in options.partners if pid not in ids]
    if unknown:
        raise UsageError(f"unknown partner {unknown[0]!r} (not in config.partners)")
    if not options.check:
        _clean_stale_temp_files(repo.root)
        _clean_stale_temp_files((repo.root / codeowners.PATH).parent)
    opts = dataclasses.replace(options, fetch=options.fetch and not options.check)
    work, notes = _plan(repo, registry, set(options.partners))
    gc_was_enabled = gc.isenabled()
    gc.disable()  # loading allocates many small objects and frees none
    try:
        dump, cache = _renderer(repo, writable=not options.check)
        results = _run_all(repo, work, opts, cache)
        after = central.render(cf.head, _blocks(results, dump, cache), dump)
    finally:
        if gc_was_enabled:
            gc.enable()
    co_before, co_after, co_notes = review_routing(repo, results)
    out = SyncResult(
        results,
        before,
        after,
        check=options.check,
        notes=notes,
        codeowners_before=co_before,
        codeowners_after=co_after,
    )
    changed = {r.id for r in results if r.status is Status.UPDATED}
    out.review_notes = [n for pid, n in co_notes if pid in changed or co_before != co_after]
    if options.check:
        return out
    if after != before:
        fsio.atomic_write(repo.root / FILE_NAME, after)
        out.wrote = True
    if co_after is not None and co_after != co_before:
        write_codeowners(repo, co_after)
        out.wrote_codeowners = True
    links = [
        gitio.IndexEntry(gitio.GITLINK, r.pin, r.path)
        for r in results
        if r.pin is not None and r.pin != r.old_pin
    ]
    add: list[str] = []
    if links or out.wrote or out.wrote_codeowners:
        add = _to_stage(repo, {FILE_NAME: after, codeowners.PATH: co_after})
    repo.update_index(links, add)
    out.staged = [e.path for e in links] + add
    cache.prune()
    out.notes.extend(_checkout(repo, results, work, options.jobs))
    return out


def _to_stage(repo: gitio.Repo, files: dict[str, bytes | None]) -> list[str]:
    """The files whose index entry is not what was written."""
    add = []
    for path, data in files.items():
        if data is None:
            continue
        current = repo.index_entry(path)
        if current is None or current.sha != _blob_sha(data):
            add.append(path)
    return add


def review_routing(
    repo: gitio.Repo, results: Sequence[PartnerResult]
) -> tuple[bytes | None, bytes | None, list[tuple[str, str]]]:
    """``.github/CODEOWNERS`` as it is and as the pins give it, and the notes on partners
    whose maintainers cannot all be asked to review, as (partner id, note)."""
    path = repo.root / codeowners.PATH
    try:
        before: bytes | None = path.read_bytes()
    except FileNotFoundError:
        before = None
    except OSError as exc:
        raise FatalError(f"cannot read {codeowners.PATH}: {exc.strerror or exc}") from None
    owners = [codeowners.owners(r.id, r.maintainers) for r in results if r.pin is not None]
    after = codeowners.update(before, owners)
    notes = [(o.partner, n) for o in owners for n in o.notes()]
    if before is None and after is not None:
        for other in codeowners.OTHER_LOCATIONS:
            if (repo.root / other).is_file():
                notes.append(
                    (
                        "",
                        f"warning: {other} exists, but GitHub ignores it once {codeowners.PATH} "
                        f"exists: move its rules into {codeowners.PATH}",
                    )
                )
    return before, after, notes


def write_codeowners(repo: gitio.Repo, data: bytes) -> None:
    path = repo.root / codeowners.PATH
    try:
        path.parent.mkdir(exist_ok=True)
    except OSError as exc:
        raise FatalError(f"cannot create {path.parent}: {exc.strerror or exc}") from None
    fsio.atomic_write(path, data)


def regenerate(repo: gitio.Repo, head: bytes) -> tuple[bytes, list[PartnerResult]]:
    """The whole file for ``head``'s registry from the current pins (no fetch): what
    ``bmz partner add/remove`` write after editing the registry."""
    registry = central.read(head).registry
    work, _ = _plan(repo, registry, set())
    dump, cache = _renderer(repo, writable=True)
    results = _run_all(repo, work, Options(fetch=False), cache)
    return central.render(head, _blocks(results, dump, cache), dump), results


# -- reporting -----------------------------------------------------------------------------------


def report_lines(result: SyncResult) -> list[str]:
    """What a person reads after a sync: one line per partner that moved or was held back
    (resources counted from the file before and after, as the summary counts them)."""
    from bmz_collection.report.summary import compare, resource_counts

    lines: list[str] = []
    changes = compare(result.before, result.after, fields=False) if result.updated else {}
    for r in result.partners:
        if r.status is Status.UPDATED:
            added, changed, removed = resource_counts(changes, r.id)
            old, new = _short(r.old_pin), _short(r.pin)
            lines.append(
                f"{r.path}: {old} -> {new} ({added} added, {changed} changed, {removed} removed)"
            )
            if r.forced:
                lines.append(
                    f"  warning: branch {r.partner.branch!r} was force-pushed ({old} is not an "
                    "ancestor of the new head); following it. The old pin may vanish from the "
                    "partner's remote: clones of the central repository need the new pin."
                )
        elif r.status is Status.HELD_BACK:
            reasons = "; ".join(r.reasons)
            lines.append(f"{r.path}: held back at {_short(r.pin) or '(no pin)'}: {reasons}")
            lines.extend("  " + f.one_line() for f in r.findings if f.is_error)
    lines.extend(f"warning: {n}" for n in result.notes)
    lines.extend(result.review_notes)
    return lines


def _short(sha: str | None) -> str:
    return sha[:7] if sha else ""


def summary_line(result: SyncResult) -> str:
    n = len(result.partners)
    state = (
        ("up to date" if result.up_to_date else "differs from what the pins give")
        if result.check
        else ("updated" if result.wrote else "unchanged")
    )
    line = (
        f"{FILE_NAME} {state}: {result.resources} resources from {n} partner(s); "
        f"{len(result.updated)} updated, {len(result.held_back)} held back"
    )
    if result.check and not result.codeowners_current:
        line += f"; {codeowners.PATH} differs from what the pins give"
    elif result.wrote_codeowners:
        line += f"; {codeowners.PATH} updated"
    return line


def first_difference(before: bytes, after: bytes) -> int | None:
    """1-based line of the first difference (for --check's message)."""
    if before == after:
        return None
    a, b = before.split(b"\n"), after.split(b"\n")
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i + 1
    return min(len(a), len(b)) + 1
