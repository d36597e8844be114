"""GitHub workflow files that `bmz init` and `bmz partner init` write.

The YAML lives in ``templates/`` (package data) so that it can be read, diffed and linted as
what it is; the only variables are ``@NAME@`` tokens. The workflows stay thin on purpose: they
install ``bmz`` and run it, and every decision (which pin may advance, what the summary says,
what an exit code means) is made by ``bmz`` itself.
"""

from __future__ import annotations

import re
from importlib import resources

from bmz_collection import REQUIREMENT

CHECK_WORKFLOW = ".github/workflows/bmz-check.yml"
SYNC_WORKFLOW = ".github/workflows/bmz-sync.yml"
PAGES_WORKFLOW = ".github/workflows/bmz-pages.yml"
PARTNER_WORKFLOW = ".github/workflows/bmz.yml"

DEFAULT_REQUIREMENT = REQUIREMENT
"""What the central workflows `pip install`: the release the repository was created with,
from its tag at the project's home."""

_TOKEN = re.compile(r"@([A-Z][A-Z_]*)@")
_SAFE_VALUE = re.compile(r"[^\s\"\\$]([^\x00-\x1f\x7f\"\\$]*[^\s\"\\$])?")
"""Values go inside double-quoted YAML scalars (read by shell steps as quoted `"$VARS"`):
one line, no quote, backslash or `$` (GitHub's `${{ }}`), no white space at either end."""


def template(name: str, **values: str) -> bytes:
    """The template ``name`` with each ``@KEY@`` replaced by ``values[key]`` (lower case).
    Raises KeyError for a token without a value and ValueError for an unsafe value."""
    for key, value in values.items():
        if not _SAFE_VALUE.fullmatch(value):
            raise ValueError(f"unsafe value for {key}: {value!r}")
    folder = resources.files(__package__).joinpath("templates")
    text = folder.joinpath(name).read_text(encoding="utf-8")
    return _TOKEN.sub(lambda m: values[m.group(1).lower()], text).encode("utf-8")


def central_workflows(requirement: str = DEFAULT_REQUIREMENT) -> dict[str, bytes]:
    """The central repository's workflows, by path: ``bmz-check.yml`` (pull requests: the
    hooks and ``bmz sync --no-fetch --check``) and ``bmz-sync.yml`` (a schedule: ``bmz sync``
    and one pull request with its summary and the built site) and ``bmz-pages.yml`` (pushes
    to the default branch: ``bmz build`` deployed to GitHub Pages). ``requirement`` is what
    they `pip install`."""
    return {
        CHECK_WORKFLOW: template("bmz-check.yml", bmz_requirement=requirement),
        SYNC_WORKFLOW: template("bmz-sync.yml", bmz_requirement=requirement),
        PAGES_WORKFLOW: template("bmz-pages.yml", bmz_requirement=requirement),
    }


def partner_workflow(branch: str) -> dict[str, bytes]:
    """A partner repository's workflow: its pre-commit hooks on pushes to ``branch`` and on
    pull requests."""
    return {PARTNER_WORKFLOW: template("partner-bmz.yml", branch=branch)}


__all__ = [
    "CHECK_WORKFLOW",
    "DEFAULT_REQUIREMENT",
    "PAGES_WORKFLOW",
    "PARTNER_WORKFLOW",
    "SYNC_WORKFLOW",
    "central_workflows",
    "partner_workflow",
    "template",
]
