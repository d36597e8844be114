"""The ``bmz`` command: parses arguments and hands over to one module per command."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, Protocol

from bmz_collection import __version__
from bmz_collection.core.errors import FatalError

EXIT_OK, EXIT_FINDINGS, EXIT_FATAL = 0, 1, 2

COMMANDS = ("validate", "format", "init", "partner", "sync", "diff", "outdated")
"""Each name is a module in ``bmz_collection.cli`` with ``add_parser`` and ``run``."""


class _Command(Protocol):
    def add_parser(self, sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None: ...
    def run(self, args: argparse.Namespace) -> int: ...


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_FATAL)


def _commands() -> dict[str, _Command]:
    return {name: importlib.import_module(f"{__package__}.{name}") for name in COMMANDS}


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, _Command]]:
    parser = _Parser(
        prog="bmz",
        description=(
            "Validate, format and aggregate BioImage.IO partner collections kept in git.\n\n"
            "In a partner repository: `bmz validate .` and `bmz format .` (also as pre-commit\n"
            "hooks). In the central repository: `bmz init`, `bmz partner add`, `bmz sync`,\n"
            "then review with `bmz diff`. `bmz COMMAND --help` explains each command.\n\n"
            "Exit codes: 0 ok, 1 findings (or files changed), 2 usage or fatal error."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"bmz {__version__}")
    sub: argparse._SubParsersAction[argparse.ArgumentParser] = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser
    )
    sub.required = True
    commands = _commands()
    for command in commands.values():
        command.add_parser(sub)
    return parser, commands


def main(argv: Sequence[str] | None = None) -> int:
    parser, commands = build_parser()
    args = parser.parse_args(argv)
    try:
        return commands[args.command].run(args)
    except FatalError as exc:
        print(f"bmz {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_FATAL
    except KeyboardInterrupt:
        print(f"bmz {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_FATAL
    except Exception as exc:
        if os.environ.get("BMZ_DEBUG"):
            raise
        print(
            f"bmz {args.command}: internal error: {type(exc).__name__}: {exc} "
            "(this is a bug; rerun with BMZ_DEBUG=1 for the traceback and report it)",
            file=sys.stderr,
        )
        return EXIT_FATAL


if __name__ == "__main__":
    raise SystemExit(main())
