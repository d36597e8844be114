"""What we accept as a partner id, a repository URL, a branch, a collection file name and a
GitHub user name: one policy, shared by the registry, ``bmz partner add``, ``bmz partner init``
and sync.

These values come from people we do not control (a partner's answers, a pull request editing
the registry) and end up in git command lines, folder names, workflow files and CODEOWNERS, so
each check is strict and says in one line what it refused. Every check raises ``FatalError``;
a command that wants a usage error (exit 2 with its own wording) converts it.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from bmz_collection.core import limits
from bmz_collection.core.errors import FatalError
from bmz_collection.core.tree import join_inside

# -- partner ids and collection files --------------------------------------------------------

PARTNER_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")


def check_partner_id(pid: object) -> str:
    """A partner id: a folder name under ``partners/``, a URL parameter and a CODEOWNERS path."""
    if (
        not isinstance(pid, str)
        or not PARTNER_ID.fullmatch(pid)
        or len(pid) > limits.MAX_PARTNER_ID
    ):
        raise FatalError(
            f"invalid partner id {pid!r}: use lower-case letters, digits, '_' and '-', "
            f"starting with a letter or digit (at most {limits.MAX_PARTNER_ID} characters)"
        )
    return pid


def check_collection_file(name: object) -> str:
    """A path inside the partner repository, never leaving it."""
    if not isinstance(name, str) or not name or name.startswith("-"):
        raise FatalError(f"invalid collection file name {name!r}")
    inside = join_inside("", name)
    if inside is None or inside == "" or inside != name:
        raise FatalError(
            f"invalid collection file name {name!r}: a plain path inside the partner repository"
        )
    return name


# -- repository URLs -------------------------------------------------------------------------

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


# -- branches --------------------------------------------------------------------------------

_BAD_REF = re.compile(
    r"(^[-./])|(\.\.)|([\x00-\x20\x7f~^:?*\[\\])|(@\{)|(/\.)|(\.lock$)|(/$)|(\.$)|(//)"
)
_PLAIN_BRANCH = re.compile(r"[A-Za-z0-9._/-]+")


def check_branch(branch: str) -> str:
    """A branch name git accepts (``git check-ref-format`` rules), never option-like."""
    if not branch or _BAD_REF.search(branch) or branch == "@":
        raise FatalError(f"refusing branch name {branch!r}")
    return branch


def check_plain_branch(branch: str) -> str:
    """A branch ``check_branch`` accepts, spelled plainly enough to be written unquoted into a
    workflow file (``bmz partner init``)."""
    check_branch(branch)
    if not _PLAIN_BRANCH.fullmatch(branch):
        raise FatalError(f"refusing branch name {branch!r} (letters, digits, '.', '_', '-', '/')")
    return branch


# -- GitHub user names -----------------------------------------------------------------------


@functools.cache
def github_user_rules() -> tuple[re.Pattern[str], frozenset[str]]:
    """The GitHub user name rule of the schemas (the single source of truth): its pattern and
    the placeholders it warns about."""
    from bmz_collection.core import jsonschemas

    parts = jsonschemas.schema("common")["$defs"]["github_user"]["allOf"]
    return re.compile(parts[0]["pattern"]), frozenset(parts[1]["not"]["enum"])


def check_github_user(value: str) -> str:
    """A GitHub user name as a person types it (``@`` and white space at the ends dropped)."""
    user = value.strip().removeprefix("@")
    pattern, _ = github_user_rules()
    if not pattern.fullmatch(user) or "--" in user:
        raise FatalError(
            f"invalid GitHub user name {value!r}: letters, digits and single hyphens, "
            "at most 39 characters"
        )
    return user
