"""``bmz partner init DIR --id ID``: scaffold a new partner repository.

Wired into ``bmz partner`` by the ``partner`` command module: ``add_init_parser(actions)``
adds the ``init`` action, ``run_init(args)`` runs it.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bmz_collection.engine.scaffold import PartnerOptions

HELP = """\
Create a new partner repository in DIR (running `git init` when DIR is not a repository yet;
nothing is committed, the new files are staged):

  collection.yaml              the partner collection: name, description, maintainers and the
                               display `config` (logo, icon, splash screen, predefined tags),
                               no entries yet; it passes `bmz validate` as created
  .pre-commit-config.yaml      the bmz-validate and bmz-format hooks
  README.md                    what a partner gets and owes, and the steps to join
  .github/workflows/bmz.yml    the hooks on every push and pull request

Values missing from the options are asked for on a terminal (--id, --name, --logo and at least
one --maintainer are needed; the others have defaults). With --no-input, or when stdin is not
a terminal, a missing value is a usage error. Existing files are never replaced.

Exit codes: 0 created, 2 usage error (bad or missing values, a file already there) or fatal.
"""

RESOURCE_TYPES = ("model", "application", "dataset", "notebook")
"""As ``scaffold.RESOURCE_TYPES``, repeated so that building the parser imports nothing."""

REQUIRED = (
    ("id", "--id", "Partner id (lower-case letters, digits, '_' and '-')"),
    ("name", "--name", "Partner name, as the website shows it"),
    ("logo", "--logo", "Logo (a URL)"),
    ("maintainer", "--maintainer", "GitHub user names of the maintainers (space-separated)"),
)
"""(attribute of args, option, prompt) of each value without a default, in prompting order."""


def add_init_parser(
    partner_subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    p = partner_subparsers.add_parser(
        "init",
        help="scaffold a new partner repository",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("dir", metavar="DIR", help="the folder of the partner repository")
    p.add_argument("--id", help="the partner id: lower-case letters, digits, '_' and '-'")
    p.add_argument("--name", help="the partner's name on the website")
    p.add_argument("--description", help="one sentence about the collection")
    p.add_argument("--logo", metavar="URL", help="the partner's logo")
    p.add_argument("--icon", metavar="URL", help="a small icon (default: the logo)")
    p.add_argument("--splash-title", metavar="T", help="splash screen title (default: the name)")
    p.add_argument(
        "--splash-subtitle", metavar="S", help="splash screen subtitle (default: the description)"
    )
    p.add_argument(
        "--feature",
        action="append",
        default=[],
        metavar="F",
        help="a line of the splash screen's feature list (repeatable)",
    )
    p.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="T",
        help="a predefined tag: the partner page also lists resources with it "
        "(repeatable; default: the id)",
    )
    p.add_argument(
        "--resource-type",
        action="append",
        default=[],
        choices=RESOURCE_TYPES,
        metavar="T",
        help=f"a resource type shown on the partner page, one of {', '.join(RESOURCE_TYPES)} "
        "(repeatable; the first is the default tab; default: model)",
    )
    p.add_argument(
        "--maintainer",
        action="append",
        default=[],
        metavar="GITHUB_USER",
        help="a maintainer's GitHub user name: asked to review the partner's updates "
        "(repeatable; at least one)",
    )
    p.add_argument("--branch", default="main", help="the branch the catalogue follows (main)")
    p.add_argument("--hooks-repo", metavar="URL", help="where pre-commit gets the bmz hooks")
    p.add_argument("--hooks-rev", metavar="REV", help="the release of the bmz hooks")
    p.add_argument(
        "--no-input", action="store_true", help="never prompt: a missing value is an error"
    )
    return p


def _interactive(args: argparse.Namespace) -> bool:
    return not args.no_input and sys.stdin.isatty()


def _split_users(text: str) -> list[str]:
    return [u for u in re.split(r"[\s,]+", text) if u]


def _ask(prompt: str, option: str, check: Callable[[str], object]) -> str:
    """Ask until ``check`` accepts the answer; end of input is a usage error."""
    from bmz_collection.core.errors import FatalError, UsageError

    while True:
        try:
            answer = input(f"{prompt}: ").strip()
        except EOFError:
            print(file=sys.stderr)
            raise UsageError(f"no answer for {option} (end of input)") from None
        if not answer:
            print("  a value is needed", file=sys.stderr)
            continue
        try:
            check(answer)
        except FatalError as exc:
            print(f"  {exc}", file=sys.stderr)
            continue
        return answer


def gather(args: argparse.Namespace) -> PartnerOptions:
    """The options from the command line, prompting for the missing required ones."""
    from bmz_collection.core.errors import UsageError
    from bmz_collection.engine import scaffold

    values: dict[str, object] = {
        "id": args.id or "",
        "name": args.name or "",
        "logo": args.logo or "",
        "maintainer": list(args.maintainer),
    }
    if args.id:
        scaffold.check_id(args.id)  # a bad id given as an option fails before anything else
    missing = [opt for attr, opt, _ in REQUIRED if not values[attr]]
    if missing and not _interactive(args):
        raise UsageError(
            f"missing {', '.join(missing)} (no prompts: "
            f"{'--no-input' if args.no_input else 'stdin is not a terminal'})"
        )
    checks: dict[str, Callable[[str], object]] = {
        "id": scaffold.check_id,
        "name": lambda v: scaffold.check_text("--name", v),
        "logo": scaffold.check_logo,
        "maintainer": lambda v: [scaffold.check_github_user(u) for u in _split_users(v)],
    }
    for attr, option, prompt in REQUIRED:
        if values[attr]:
            continue
        answer = _ask(prompt, option, checks[attr])
        values[attr] = _split_users(answer) if attr == "maintainer" else answer
    maintainers = values["maintainer"]
    assert isinstance(maintainers, list)
    return scaffold.PartnerOptions(
        id=str(values["id"]),
        name=str(values["name"]),
        logo=str(values["logo"]),
        maintainers=tuple(str(u) for u in maintainers),
        description=args.description or "",
        icon=args.icon or "",
        splash_title=args.splash_title or "",
        splash_subtitle=args.splash_subtitle or "",
        features=tuple(args.feature),
        tags=tuple(args.tag),
        resource_types=tuple(args.resource_type),
        branch=args.branch,
        hooks_repo=args.hooks_repo or scaffold.BMZ_REPO_URL,
        hooks_rev=args.hooks_rev or scaffold.HOOKS_REV,
    )


def _repository_state(folder: Path) -> bool:
    """Whether ``folder`` needs `git init`; refuses a folder inside another repository."""
    from bmz_collection.core.errors import FatalError
    from bmz_collection.io.git.process import Git

    probe_dir = next((d for d in (folder, *folder.parents) if d.is_dir()), None)
    if probe_dir is None:  # pragma: no cover - the root always exists
        return True
    probe = Git(probe_dir).run("rev-parse", "--show-toplevel", check=False)
    if probe.returncode != 0:
        return True
    top = Path(probe.text.strip()).resolve()
    if top != folder:
        raise FatalError(
            f"{folder} is inside the git repository {top}; a partner repository is a "
            "repository of its own: give that repository's folder, or one outside it"
        )
    return False


def run_init(args: argparse.Namespace) -> int:
    import contextlib
    import shutil

    from bmz_collection.core.errors import FatalError, UsageError
    from bmz_collection.core.findings import format_path
    from bmz_collection.engine import scaffold
    from bmz_collection.io.git.process import Git

    folder = Path(args.dir).expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    taken = scaffold.existing(folder)
    if taken:
        raise FatalError(
            f"{folder / taken[0]} already exists; `bmz partner init` never replaces files "
            "(move it away, or scaffold into an empty folder)"
        )
    needs_init = _repository_state(folder)
    options = scaffold.complete(gather(args))
    files = scaffold.render(options)
    errors = [f for f in scaffold.check_rendered(files) if f.is_error]
    if errors:
        raise UsageError(
            "the collection would not be valid: "
            + "; ".join(f"{f.message} ({format_path(f.path) or 'document'})" for f in errors)
        )
    made_folder = not folder.exists()
    made_git = False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if needs_init:
            Git(folder).run(
                "init", "--quiet", f"--initial-branch={options.branch}", what="git init"
            )
            made_git = True
        written = scaffold.write(folder, files)
        Git(folder).run("add", "--", *written, what="git add")
    except BaseException:
        if made_git:
            shutil.rmtree(folder / ".git", ignore_errors=True)
        if made_folder:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    print(f"Created the partner repository {options.id!r} in {folder} (staged, not committed):")
    for path in written:
        print(f"  {path}")
    if options.defaults:
        print(
            f"Defaults used for: {', '.join(options.defaults)} (edit {scaffold.COLLECTION_FILE})."
        )
    print("Next: review collection.yaml, `pip install pre-commit && pre-commit install`, commit,")
    print(f"push to {options.branch}, then register with the central repository (see README.md).")
    sys.stdout.flush()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bmz_collection.cli.partner_init``: the same command on its own."""
    from bmz_collection.core.errors import FatalError

    parser = argparse.ArgumentParser(prog="bmz partner")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    add_init_parser(actions)
    args = parser.parse_args(["init", *(sys.argv[1:] if argv is None else argv)])
    try:
        return run_init(args)
    except FatalError as exc:
        print(f"bmz partner init: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bmz partner init: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
