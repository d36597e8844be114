"""All git, behind one module: the git CLI through subprocess, in a hardened environment.

Partners are organisations we do not control, so no git call may run anything they wrote:
hooks are off (``core.hooksPath=/dev/null``), submodules never recurse, only ``https`` (and
``file`` with ``--allow-local``) may be spoken, nothing prompts, and every call has a timeout
after which its whole process group is killed. Partner repositories are read from git objects
(``GitTree``), never from a working tree.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bmz_collection.core.errors import FatalError
from bmz_collection.core.tree import Kind

DEFAULT_TIMEOUT = 60.0
"""Seconds for a local git call; a remote call gets ``FETCH_TIMEOUT``."""
FETCH_TIMEOUT = 300.0
MAX_BLOB = 8 * 1024 * 1024
"""Partner blobs larger than this are never read into memory: real partner collections are
under 120 kB, so a partner file this big is hostile (the loader's own limit is higher, for
the central collection)."""

ZERO = "0" * 40
GITLINK = "160000"

_KEEP_ENV = re.compile(
    r"GIT_(CONFIG_(GLOBAL|SYSTEM|NOSYSTEM|COUNT|KEY_\d+|VALUE_\d+)|SSL_\w+|HTTP_\w+|"
    r"CURL_VERBOSE|TRACE\w*|EXEC_PATH|(AUTHOR|COMMITTER)_\w+)"
)
"""The GIT_* variables a user may set for us (identity, TLS, tracing); all others (GIT_DIR,
GIT_WORK_TREE, GIT_INDEX_FILE, GIT_CONFIG_PARAMETERS, ...) are dropped so that nothing
inherited, e.g. from a hook, redirects a call into another repository."""


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
    ]
    out: list[str] = []
    for setting in settings:
        out += ["-c", setting]
    return out


def hardened_env(*, allow_local: bool, index_file: str | None = None) -> dict[str, str]:
    """The environment of every git call (see the module docstring)."""
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


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def kill_all() -> None:
    """Kill every git process still running (on interruption): each runs in its own process
    group, so helpers such as ``git-remote-https`` go too."""
    with _live_lock:
        procs = list(_live)
    for proc in procs:
        _kill(proc)


def _spawn(
    argv: Sequence[str], cwd: Path | None, env: dict[str, str], stdin: int
) -> subprocess.Popen[bytes]:
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
    with _live_lock:
        _live.add(proc)
    return proc


def _forget(proc: subprocess.Popen[bytes]) -> None:
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
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.cwd = cwd
        self.git_dir = git_dir
        self.allow_local = allow_local
        self.timeout = timeout
        self.env = hardened_env(allow_local=allow_local, index_file=index_file)

    def argv(self, args: Iterable[str]) -> list[str]:
        head = ["git", *_hardening(self.allow_local)]
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
        proc = _spawn(self.argv(args), self.cwd, self.env, stdin)
        try:
            try:
                out, err = proc.communicate(input, timeout=limit)
            except subprocess.TimeoutExpired:
                _kill(proc)
                proc.communicate()
                raise GitTimeout(
                    f"{what or 'git ' + args[0]}: no answer within {limit:g} s", returncode=None
                ) from None
            except BaseException:
                _kill(proc)
                proc.communicate()
                raise
        finally:
            _forget(proc)
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


# -- URLs, ids, refs -------------------------------------------------------------------------

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_GITHUB_SHORT = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


def transport_of(url: str) -> str:
    """``https``, ``file`` (also plain local paths), or what else it is (refused)."""
    m = _SCHEME.match(url)
    if m:
        return m.group(1).lower()
    if "::" in url:
        return url.split("::", 1)[0] + "::"  # git's <transport>::<address>: a remote helper
    if re.match(r"^[^/]+@[^/]+:", url) or re.match(r"^[^/:]+:", url):
        return "ssh"  # scp-like syntax
    return "file"


def expand_repository(value: str) -> str:
    """The registry's ``repository``: a URL, or ``owner/name`` on GitHub as in the catalogue's
    own template."""
    if _GITHUB_SHORT.fullmatch(value) and not value.startswith("."):
        return f"https://github.com/{value}"
    return value


def check_url(url: str, *, allow_local: bool) -> str:
    """A fetchable URL or FatalError. Local paths become absolute (with ``--allow-local``)."""
    if not url or url.startswith("-") or any(c in url for c in "\n\r\x00") or url != url.strip():
        raise FatalError(f"refusing repository URL {url!r}: not a URL")
    transport = transport_of(url)
    if transport == "https":
        return url
    if transport == "file":
        if not allow_local:
            raise FatalError(
                f"refusing repository URL {url!r}: local repositories need --allow-local"
            )
        if url.startswith("file://"):
            return url
        return str(Path(url).expanduser().resolve())
    raise FatalError(
        f"refusing repository URL {url!r}: transport {transport!r} is not allowed "
        "(only https://, and local paths with --allow-local)"
    )


_BAD_REF = re.compile(
    r"(^[-./])|(\.\.)|([\x00-\x20\x7f~^:?*\[\\])|(@\{)|(/\.)|(\.lock$)|(/$)|(\.$)|(//)"
)


def check_branch(branch: str) -> str:
    """A branch name git accepts (``git check-ref-format`` rules), never option-like."""
    if not branch or _BAD_REF.search(branch) or branch == "@":
        raise FatalError(f"refusing branch name {branch!r}")
    return branch


# -- the central repository ------------------------------------------------------------------


@dataclass(frozen=True)
class IndexEntry:
    mode: str
    sha: str
    path: str


class Repo:
    """The central repository: its root, git directory and hardened git."""

    def __init__(self, root: Path, *, allow_local: bool = False) -> None:
        self.root = root
        index_file = os.environ.get("GIT_INDEX_FILE")
        if index_file:
            # A hook runs while git commits from this (maybe temporary) index: --check must
            # see what is being committed. git gives it relative to the top-level folder.
            index_file = str((Path.cwd() / index_file).resolve())
        self.git = Git(root, allow_local=allow_local, index_file=index_file)
        self.allow_local = allow_local
        common = self.git.out("rev-parse", "--git-common-dir", what="git rev-parse")
        self.common_dir = (root / common).resolve()

    @classmethod
    def discover(cls, start: Path, *, allow_local: bool = False) -> Repo:
        probe = Git(start, allow_local=allow_local)
        res = probe.run("rev-parse", "--is-bare-repository", "--show-toplevel", check=False)
        lines = res.text.splitlines()
        if res.returncode != 0 or len(lines) < 2:
            raise FatalError(f"{start} is not inside a git repository (run `bmz init` first)")
        if lines[0] == "true":
            raise FatalError(f"{start} is a bare repository; a working tree is needed")
        return cls(Path(lines[1]), allow_local=allow_local)

    def module_dir(self, name: str) -> Path:
        """``.git/modules/<name>``. ``.gitmodules`` is content anyone can propose in a pull
        request, so a name that would lead elsewhere (``..``, absolute) is refused, as git
        itself refuses it; otherwise a sync would fetch into, and ``partner remove`` delete,
        any folder on the disk."""
        steps = re.split(r"[/\\]", name)
        if (
            name.startswith(("/", "\\"))
            or any(step in ("", ".", "..") for step in steps)
            or any(c in name for c in "\n\r\x00")
        ):
            raise FatalError(
                f".gitmodules: refusing submodule name {name!r} "
                "(a path step that leads outside .git/modules)"
            )
        return self.common_dir / "modules" / name

    def index_entries(self, prefix: str) -> list[IndexEntry]:
        """Index entries below ``prefix`` (stage 0 only)."""
        res = self.git.run("ls-files", "--stage", "-z", "--", prefix)
        out = []
        for record in res.stdout.split(b"\0"):
            if not record:
                continue
            meta, _, path = record.partition(b"\t")
            mode, sha, stage = meta.decode().split()
            if stage == "0":
                out.append(IndexEntry(mode, sha, path.decode("utf-8", "surrogateescape")))
        return out

    def gitlinks(self, prefix: str) -> dict[str, str]:
        """Path -> pinned commit, for every gitlink below ``prefix`` in the index."""
        return {e.path: e.sha for e in self.index_entries(prefix) if e.mode == GITLINK}

    def index_entry(self, path: str) -> IndexEntry | None:
        for e in self.index_entries(path):
            if e.path == path:
                return e
        return None

    def update_index(self, cacheinfo: Sequence[IndexEntry], add_paths: Sequence[str] = ()) -> None:
        """One index update, all or nothing: the whole change travels in argv (never a pipe a
        killed parent could cut short), and git swaps the new index in with one rename."""
        args = ["update-index", "--add"]
        for e in cacheinfo:
            args += ["--cacheinfo", f"{e.mode},{e.sha},{e.path}"]
        if add_paths:
            args += ["--", *add_paths]
        if len(args) > 2:
            self.git.run(*args, what="git update-index")

    def remove_from_index(self, paths: Sequence[str]) -> None:
        if paths:
            self.git.run("update-index", "--force-remove", "--", *paths, what="git update-index")

    def gitmodules(self, *, from_index: bool = False) -> dict[str, dict[str, str]]:
        """``.gitmodules`` as {name: {key: value}}; read from the index with ``from_index``."""
        source = ["--blob", ":.gitmodules"] if from_index else ["--file", ".gitmodules"]
        if not from_index and not (self.root / ".gitmodules").exists():
            return {}
        res = self.git.run("config", *source, "-z", "--list", check=False)
        if res.returncode != 0:
            return {}
        out: dict[str, dict[str, str]] = {}
        for record in res.text.split("\0"):
            if not record:
                continue
            key, _, value = record.partition("\n")
            if not key.startswith("submodule."):
                continue
            name, _, var = key[len("submodule.") :].rpartition(".")
            out.setdefault(name, {})[var] = value
        return out


# -- partner repositories --------------------------------------------------------------------


def fetch(
    git_dir: Path,
    url: str,
    branch: str,
    *,
    allow_local: bool,
    timeout: float = FETCH_TIMEOUT,
) -> str:
    """Fetch one branch of a partner into ``refs/remotes/origin/<branch>`` of its git
    directory; the fetched commit. Tags, submodules and the partner's config are ignored."""
    url = check_url(url, allow_local=allow_local)
    check_branch(branch)
    git = Git(git_dir=git_dir, allow_local=allow_local, timeout=timeout)
    ref = f"refs/remotes/origin/{branch}"
    git.run(
        "fetch",
        "--quiet",
        "--no-tags",
        "--no-recurse-submodules",
        "--no-write-fetch-head",
        "--no-auto-gc",
        "--no-auto-maintenance",
        "--",
        url,
        f"+refs/heads/{branch}:{ref}",
        what="git fetch",
    )
    return resolve_commit(git_dir, ref)


def resolve_commit(git_dir: Path, rev: str) -> str:
    git = Git(git_dir=git_dir)
    res = git.run(
        "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", check=False
    )
    if res.returncode != 0:
        raise GitError(f"no commit {rev!r}")
    return res.text.strip()


def has_commit(git_dir: Path, sha: str) -> bool:
    git = Git(git_dir=git_dir)
    return git.run("cat-file", "-e", f"{sha}^{{commit}}", check=False).returncode == 0


def is_ancestor(git_dir: Path, old: str, new: str) -> bool:
    git = Git(git_dir=git_dir)
    return git.run("merge-base", "--is-ancestor", old, new, check=False).returncode == 0


def commit_subjects(git_dir: Path, old: str, new: str, limit: int = 50) -> list[str]:
    """Subjects of the commits from ``old`` (excluded) to ``new``, newest first."""
    git = Git(git_dir=git_dir)
    res = git.run("log", f"--max-count={limit}", "--format=%h %s", f"{old}..{new}", check=False)
    return res.text.splitlines() if res.returncode == 0 else []


class GitTree:
    """A ``Tree`` over one commit of a repository, read from its objects through one
    ``git cat-file --batch-command --follow-symlinks`` process: symlinks are followed while
    they stay in the commit's tree (OUTSIDE when they leave it), gitlinks are not files."""

    def __init__(self, git_dir: Path, commit: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.git_dir = git_dir
        self.commit = commit
        self.timeout = timeout
        self._proc: subprocess.Popen[bytes] | None = None
        self._info: dict[str, tuple[Kind, int]] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> GitTree:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            _kill(proc)
            proc.wait()
        finally:
            for stream in (proc.stdout, proc.stderr):
                if stream:
                    stream.close()
            _forget(proc)

    def _process(self) -> subprocess.Popen[bytes]:
        if self._proc is None:
            git = Git(git_dir=self.git_dir)
            self._proc = _spawn(
                git.argv(["cat-file", "--batch-command", "--follow-symlinks"]),
                None,
                git.env,
                subprocess.PIPE,
            )
        return self._proc

    def _ask(self, command: str, obj: str) -> tuple[str, bytes | None]:
        """One batch command; (kind word, content) where content is read for ``contents``."""
        proc = self._process()
        assert proc.stdin is not None and proc.stdout is not None
        timer = threading.Timer(self.timeout, _kill, (proc,))
        timer.start()
        try:
            proc.stdin.write(f"{command} {obj}\n".encode())
            proc.stdin.flush()
            header = proc.stdout.readline().decode("utf-8", "surrogateescape")
            if not header.endswith("\n"):
                raise OSError(f"git cat-file stopped answering at {obj!r}")
            words = header.split()
            if len(words) == 2 and words[1] == "missing":
                return "missing", None
            if len(words) == 2 and words[0] in ("symlink", "dangling", "loop", "notdir"):
                size = int(words[1])
                proc.stdout.read(size + 1)
                return words[0], None
            if len(words) != 3:
                raise OSError(f"git cat-file: unexpected answer {header.strip()!r}")
            kind, size = words[1], int(words[2])
            if command == "contents":
                data = proc.stdout.read(size)
                proc.stdout.read(1)
                return kind, data
            return kind, str(size).encode()
        except BaseException:
            self.close()
            raise
        finally:
            timer.cancel()

    def _lookup(self, relpath: str) -> tuple[Kind, int]:
        if relpath in self._info:
            return self._info[relpath]
        if any(c in relpath for c in "\n\r\x00") or relpath.startswith("/"):
            found = (Kind.MISSING, 0)
        else:
            word, size = self._ask("info", f"{self.commit}:{relpath}")
            if word == "blob":
                found = (Kind.FILE, int(size or b"0"))
            elif word == "tree":
                found = (Kind.DIR, 0)
            elif word == "symlink":
                found = (Kind.OUTSIDE, 0)
            else:  # missing, dangling, loop, notdir, commit (a gitlink), tag
                found = (Kind.MISSING, 0)
        self._info[relpath] = found
        return found

    def has_commit(self) -> bool:
        """Whether the commit itself is in the repository (a pin may predate a clone)."""
        with self._lock:
            if not re.fullmatch(r"[0-9a-f]{40}", self.commit) or not self.git_dir.is_dir():
                return False  # e.g. a partner whose clone failed in a fresh clone
            return self._ask("info", self.commit)[0] == "commit"

    def kind(self, relpath: str) -> Kind:
        with self._lock:
            return self._lookup(relpath)[0]

    def read(self, relpath: str) -> bytes:
        with self._lock:
            kind, size = self._lookup(relpath)
            if kind is Kind.OUTSIDE:
                raise PermissionError(f"{relpath} leads outside the repository")
            if kind is not Kind.FILE:
                raise FileNotFoundError(2, "No such file", relpath)
            if size > MAX_BLOB:
                raise OSError(27, f"file is {size} bytes, over the limit of {MAX_BLOB}", relpath)
            word, data = self._ask("contents", f"{self.commit}:{relpath}")
            if word != "blob" or data is None:
                raise FileNotFoundError(2, "No such file", relpath)
            return data


@contextlib.contextmanager
def tree_at(git_dir: Path, commit: str) -> Iterator[GitTree]:
    tree = GitTree(git_dir, commit)
    try:
        yield tree
    finally:
        tree.close()
