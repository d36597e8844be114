"""Running git: the hardened environment, one process group per call, timeouts, kill_all.

See the package docstring for why every call is hardened.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bmz_collection.core import limits
from bmz_collection.core.errors import FatalError

_KEEP_ENV = re.compile(
    r"GIT_(CONFIG_(GLOBAL|SYSTEM|NOSYSTEM)|SSL_\w+|HTTP_\w+|"
    r"CURL_VERBOSE|TRACE\w*|EXEC_PATH|(AUTHOR|COMMITTER)_\w+)"
)
"""The GIT_* variables a user may set for us; every other one is dropped. Decided case by case:

- kept: identity (``GIT_AUTHOR_*``, ``GIT_COMMITTER_*``), TLS and HTTP settings, tracing, which
  config files git reads (``GIT_CONFIG_GLOBAL/SYSTEM/NOSYSTEM``): the user's machine, not
  what git does to a repository;
- dropped: ``GIT_CONFIG_PARAMETERS`` and ``GIT_CONFIG_COUNT/KEY_<n>/VALUE_<n>`` alike: both
  inject config that would outrank our hardening (``core.hooksPath``, ``protocol.*``), as
  a calling hook or CI step may set them; dropping one and keeping the other was no policy;
- dropped: ``GIT_DIR``, ``GIT_WORK_TREE``, ``GIT_COMMON_DIR``, ``GIT_OBJECT_DIRECTORY`` ...:
  inherited from a hook they would redirect a call into another repository;
- ``GIT_INDEX_FILE``: dropped here; ``repo.Repo`` passes it back (``index_file``) only to the
  repository it belongs to (a pre-commit hook's temporary index, inside that git directory).

A user's global ``url.<base>.insteadOf`` is not an environment variable: see ``as_is``."""


def as_is(url: str) -> list[str]:
    """``-c`` options that fetch ``url`` as written: git rewrites with the longest matching
    ``insteadOf``, so the whole URL mapped to itself outranks a user's global rewrite of a
    prefix (``https://github.com/`` to ssh, common among maintainers, which our protocol
    policy then refuses). A rule for this exact URL (a deliberate mirror) still wins the tie."""
    return ["-c", f"url.{url}.insteadOf={url}"]


class GitError(FatalError):
    """A git call failed; ``str()`` is one line, ``stderr`` keeps git's own words."""

    def __init__(self, message: str, *, returncode: int | None = None, stderr: str = "") -> None:
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr


class GitTimeout(GitError):
    pass


def _hardening(allow_local: bool) -> list[str]:
    settings = [
        "core.hooksPath=/dev/null",
        "core.fsmonitor=false",
        "core.askPass=",
        "core.quotePath=false",
        "credential.interactive=never",
        "submodule.recurse=false",
        "fetch.recurseSubmodules=false",
        "protocol.allow=never",
        "protocol.https.allow=always",
        f"protocol.file.allow={'always' if allow_local else 'never'}",
        "gc.auto=0",
        "maintenance.auto=false",
        "advice.detachedHead=false",
        "init.defaultBranch=main",
        "filter.lfs.required=false",
        "transfer.fsckObjects=true",  # corrupt or malformed objects from a partner: refused
        "fetch.fsckObjects=true",
    ]
    out: list[str] = []
    for setting in settings:
        out += ["-c", setting]
    return out


def hardened_env(*, allow_local: bool, index_file: str | None = None) -> dict[str, str]:
    """The environment of every git call (see the package docstring)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GIT_") or _KEEP_ENV.fullmatch(k) is not None
    }
    for k in ("SSH_ASKPASS", "GIT_ASKPASS"):
        env.pop(k, None)
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GCM_INTERACTIVE="never",
        GIT_ALLOW_PROTOCOL="https:file" if allow_local else "https",
        GIT_PROTOCOL_FROM_USER="0",
        GIT_LFS_SKIP_SMUDGE="1",
        LC_ALL="C",
        LANGUAGE="C",
    )
    if index_file:
        env["GIT_INDEX_FILE"] = index_file
    return env


_live: set[subprocess.Popen[bytes]] = set()
_live_lock = threading.Lock()
_stopping = False
"""Set by ``stop`` (SIGINT, SIGTERM): worker threads start no git process any more."""


def kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill one git process and its helpers (its whole process group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def stop() -> None:
    """On SIGINT or SIGTERM: from now on no worker thread starts git (a thread waiting on a
    lock would otherwise start a 300 s ``git submodule update`` after the kill), and every git
    process running is killed with its process group. The main thread may still run git: it
    rolls back."""
    global _stopping
    with _live_lock:
        _stopping = True
    kill_all()


def resume() -> None:
    """After the interrupted command: the next one run in this process (tests, a hook calling
    ``main`` again) may start git from its threads."""
    global _stopping
    with _live_lock:
        _stopping = False


def kill_all() -> None:
    """Kill every git process still running (on interruption): each runs in its own process
    group, so helpers such as ``git-remote-https`` go too."""
    with _live_lock:
        procs = list(_live)
    for proc in procs:
        kill(proc)


def spawn(
    argv: Sequence[str], cwd: Path | None, env: dict[str, str], stdin: int
) -> subprocess.Popen[bytes]:
    """Start git in its own process group, known to ``kill_all`` until ``forget``."""
    with _live_lock:  # held while starting: ``stop`` cannot miss a process being started
        if _stopping and threading.current_thread() is not threading.main_thread():
            raise GitError("interrupted: no new git process is started")
        try:
            proc = subprocess.Popen(
                list(argv),
                cwd=cwd,
                env=env,
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except FileNotFoundError:
            raise GitError("git is not installed (or not on PATH)") from None
        _live.add(proc)
    return proc


def forget(proc: subprocess.Popen[bytes]) -> None:
    with _live_lock:
        _live.discard(proc)


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: bytes
    stderr: str

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8", "replace")


def _first_line(stderr: str) -> str:
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    for ln in lines:
        if ln.startswith(("fatal:", "error:")):
            return ln.split(":", 1)[1].strip()
    return lines[-1] if lines else ""


class Git:
    """Runs git with the hardened configuration in one place: the central repository (with
    the index that a hook is committing from) or a partner's git directory (nothing
    inherited)."""

    def __init__(
        self,
        cwd: Path | None = None,
        *,
        git_dir: Path | None = None,
        allow_local: bool = False,
        index_file: str | None = None,
        timeout: float | None = None,
        config: Sequence[str] = (),
    ) -> None:
        self.cwd = cwd
        self.config = list(config)
        self.git_dir = git_dir
        self.allow_local = allow_local
        self.timeout = limits.DEFAULT_TIMEOUT if timeout is None else timeout
        self.env = hardened_env(allow_local=allow_local, index_file=index_file)

    def argv(self, args: Iterable[str]) -> list[str]:
        head = ["git", *_hardening(self.allow_local), *self.config]
        if self.git_dir is not None:
            head.append(f"--git-dir={self.git_dir}")
        return [*head, *args]

    def run(
        self,
        *args: str,
        input: bytes | None = None,
        timeout: float | None = None,
        check: bool = True,
        what: str | None = None,
    ) -> Result:
        """Run one git command; raises GitError (GitTimeout) unless ``check`` is False."""
        limit = self.timeout if timeout is None else timeout
        stdin = subprocess.PIPE if input is not None else subprocess.DEVNULL
        proc = spawn(self.argv(args), self.cwd, self.env, stdin)
        try:
            try:
                out, err = proc.communicate(input, timeout=limit)
            except subprocess.TimeoutExpired:
                kill(proc)
                proc.communicate()
                raise GitTimeout(
                    f"{what or 'git ' + args[0]}: no answer within {limit:g} s", returncode=None
                ) from None
            except BaseException:
                kill(proc)
                proc.communicate()
                raise
        finally:
            forget(proc)
        res = Result(proc.returncode, out, err.decode("utf-8", "replace"))
        if check and res.returncode != 0:
            reason = _first_line(res.stderr) or f"exit {res.returncode}"
            raise GitError(
                f"{what or 'git ' + args[0]}: {reason}",
                returncode=res.returncode,
                stderr=res.stderr,
            )
        return res

    def out(self, *args: str, what: str | None = None) -> str:
        return self.run(*args, what=what).text.strip()
