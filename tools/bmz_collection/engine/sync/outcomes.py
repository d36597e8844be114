"""Every partner's outcome in a sync: fetched in a thread pool, then decided, on every core
when many partners must be loaded (a cold render cache, e.g. a fresh CI clone, or many new
heads). Pins the render cache lacks are rendered on every core while the fetches run, so a
fresh clone's sync with nothing new costs little more than its fetches."""

from __future__ import annotations

import contextlib
import functools
import threading
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import Any

from bmz_collection.core import central, policy
from bmz_collection.core.errors import FatalError
from bmz_collection.engine import batch
from bmz_collection.engine.sync.cache import RenderCache
from bmz_collection.engine.sync.decide import decide
from bmz_collection.engine.sync.model import LOADING, Options, PartnerResult, Progress, Status
from bmz_collection.engine.sync.plan import Work
from bmz_collection.engine.sync.render import render_texts
from bmz_collection.io.git.fetch import fetch
from bmz_collection.io.git.process import GitError, kill_all
from bmz_collection.io.git.repo import Repo

_INIT_LOCK = threading.Lock()


def _register_modules(repo: Repo, work: list[Work], options: Options) -> None:
    """A fresh clone of the central repository: write every missing partner's submodule
    settings into its config in one ``git submodule init``, so that the clones that follow
    can run in parallel (``git submodule update`` of an initialised submodule writes only the
    partner's own git directory). Partners whose URL the policy refuses are left out; any
    failure here leaves ``_init_module`` to do it the slow way."""
    paths = []
    for w in work:
        if w.git_dir.exists():
            continue
        try:
            policy.check_url(w.partner.url, allow_local=options.allow_local)
        except FatalError:
            continue
        paths.append(w.partner.path)
    if paths:
        with contextlib.suppress(GitError):
            init = ["submodule", "init", "--", *paths]
            repo.git.run(*init, timeout=options.timeout, what="git submodule init")


def _init_module(repo: Repo, w: Work, timeout: float) -> None:
    """A fresh clone of the central repository: clone the partner's objects first, in
    parallel with the others once ``_register_modules`` has written the settings; else one
    at a time (``git submodule update --init`` writes the central repository's config)."""
    if w.git_dir.exists():
        return
    update = ["submodule", "update", "--checkout", "--no-recommend-shallow"]
    # --checkout: partner submodules are `update = none`
    with contextlib.suppress(GitError):
        repo.git.run(*update, "--", w.partner.path, timeout=timeout, what="git submodule update")
    if not w.git_dir.exists():
        with _INIT_LOCK, contextlib.suppress(GitError):
            args = [*update, "--init", "--", w.partner.path]
            repo.git.run(*args, timeout=timeout, what="git submodule update --init")
    if not w.git_dir.exists():
        raise GitError(f"cannot clone {w.partner.url}")


def _fetch(repo: Repo, w: Work, options: Options) -> str:
    policy.check_url(w.partner.url, allow_local=options.allow_local)
    _init_module(repo, w, options.timeout)
    return fetch(
        w.git_dir,
        w.partner.url,
        w.partner.branch,
        allow_local=options.allow_local,
        timeout=options.timeout,
    )


def outcomes(
    repo: Repo,
    work: list[Work],
    options: Options,
    cache: RenderCache | None,
    dump: central.Dumper | None = None,
) -> list[PartnerResult]:
    """Fetch in a thread pool, then decide every partner: on every core when many need
    loading (a cold render cache, e.g. a fresh CI clone), else in this process. Pins the
    render cache lacks are rendered on every core while the fetches run."""
    cold = _cold_pins(work, options, cache, dump)
    pending = (
        batch.start(
            functools.partial(_pin_record, cache=cache, dump=dump),
            cold,
            min_items=PARALLEL_MIN_PARTNERS,
        )
        if cache is not None and dump is not None
        else None
    )
    try:
        fetched = _fetch_all(repo, work, options)
        records = pending.results() if pending is not None else []
    except BaseException:  # interrupted: the workers' renders are not wanted
        if pending is not None:
            pending.cancel()
        raise
    if cache is not None:
        for w, record in zip(cold, records, strict=False):
            if record is not None and w.old_pin is not None:
                cache.remember(w.partner, w.old_pin, record)
    for w in work:
        if w.partner.id not in fetched and not w.git_dir.exists() and w.old_pin is not None:
            raise FatalError(
                f"{w.partner.path} is not initialised: run `git submodule update --init "
                f"--checkout {w.partner.path}` (or `bmz sync` without --no-fetch and --check)"
            )
    jobs = [(w, *fetched.get(w.partner.id, (None, None))) for w in work]
    heavy = [j for j in jobs if _loads(j[0], j[1], cache)]
    settled = {r.id: r for r in _decide_all(heavy, cache, dump, options.progress)}
    return [
        settled[w.partner.id] if w.partner.id in settled else decide(w, head, exc, cache)
        for w, head, exc in jobs
    ]


def _cold_pins(
    work: list[Work], options: Options, cache: RenderCache | None, dump: central.Dumper | None
) -> list[Work]:
    """Partners whose pin the render cache lacks, when fetches are coming to overlap with
    (a fresh clone's no-op sync renders every pin; a moved partner's pin is rendered for
    nothing, but on a core the fetches leave idle)."""
    if not options.fetch or cache is None or dump is None:
        return []
    return [
        w
        for w in work
        if w.old_pin is not None and w.git_dir.exists() and not cache.has(w.partner, w.old_pin)
    ]


def _pin_record(w: Work, *, cache: RenderCache, dump: central.Dumper) -> dict[str, Any] | None:
    """In a forked worker: the partner rendered at its pin, as a render-cache record (also
    written to the cache there); None when the pin has errors or cannot be read yet (its
    commit may come with the fetch): the partner is then decided the usual way."""
    try:
        r = decide(w, None, None, cache)
        if r.status not in (Status.CURRENT, Status.ADDED) or not r.clean_pin or r.pin is None:
            return None  # held back at its pin (errors, or kept from collection.yaml)
        render_texts(r, dump, cache)
    except Exception:
        return None
    return cache.record(r)


def _fetch_all(
    repo: Repo, work: list[Work], options: Options
) -> dict[str, tuple[str | None, BaseException | None]]:
    """Each selected partner's new head (or why it could not be fetched), by partner id."""
    fetched: dict[str, tuple[str | None, BaseException | None]] = {}
    to_fetch = [
        w for w in work if options.fetch and w.selected and w.old_pin is not None and not w.added
    ]
    progress = options.progress
    if progress is not None:
        progress("fetching", 0, len(to_fetch))
    if to_fetch:
        _register_modules(repo, to_fetch, options)
        with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
            futures: dict[Future[str], Work] = {
                pool.submit(_fetch, repo, w, options): w for w in to_fetch
            }
            try:
                for done, fut in enumerate(as_completed(futures), 1):
                    w = futures[fut]
                    if progress is not None:
                        progress("fetching", done, len(to_fetch))
                    exc = fut.exception()
                    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                        raise exc
                    fetched[w.partner.id] = (None if exc else fut.result(), exc)
            except BaseException:
                for fut in futures:
                    fut.cancel()
                kill_all()
                raise
    return fetched


PARALLEL_MIN_PARTNERS = 8
"""Fewer partners to load than this are decided here: forking costs more than it saves."""


def _loads(w: Work, head: str | None, cache: RenderCache | None) -> bool:
    """Whether deciding this partner loads a collection (a new head, or a pin not cached)."""
    if w.old_pin is None:
        return False
    if head is not None and head != w.old_pin:
        return True
    return cache is None or not cache.has(w.partner, w.old_pin)


def _decide_all(
    jobs: list[tuple[Work, str | None, BaseException | None]],
    cache: RenderCache | None,
    dump: central.Dumper | None,
    progress: Progress | None = None,
) -> list[PartnerResult]:
    """Decide (and render) many partners on every core: each is loaded, checked and rendered
    in a forked worker exactly as here, and its record goes to the render cache there."""
    if len(jobs) < PARALLEL_MIN_PARTNERS or dump is None:
        return [decide(w, head, exc, cache) for w, head, exc in jobs]
    results = batch.run(
        functools.partial(_decide_and_render, cache=cache, dump=dump),
        jobs,
        min_items=2,
        done=None if progress is None else functools.partial(progress, LOADING),
    )
    if cache is not None:  # what the workers wrote for the pins they kept or chose stays
        for (w, _, _), r in zip(jobs, results, strict=True):
            cache.keep(w.partner, r.pin)
    return results


def _decide_and_render(
    job: tuple[Work, str | None, BaseException | None],
    *,
    cache: RenderCache | None,
    dump: central.Dumper,
) -> PartnerResult:
    w, head, exc = job
    r = decide(w, head, exc, cache)
    render_texts(r, dump, cache)
    return r
