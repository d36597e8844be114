"""The ``bmz`` command: parses arguments and hands over to one module per command."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import NoReturn, Protocol, TextIO

from bmz_collection import __version__
from bmz_collection.core.errors import FatalError

EXIT_OK, EXIT_FINDINGS, EXIT_FATAL = 0, 1, 2

COMMANDS = (
    "validate",
    "format",
    "init",
    "partner",
    "sync",
    "diff",
    "outdated",
    "build",
    "preview",
)
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


class _ReaderGone(io.TextIOBase):
    """A standard stream whose reader may go away (``bmz outdated | head``). A closed pipe is
    not an error of the command: from then on its output goes nowhere, the command finishes
    its work (a sync is never cut short by its reader) and exits with its own code."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.gone = False

    def _closed_pipe(self) -> None:
        self.gone = True
        # what the stream still buffers, and the interpreter's flush at exit, go nowhere too
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                self.stream.write(text)
            except BrokenPipeError:
                self._closed_pipe()
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._closed_pipe()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.stream.encoding


@contextlib.contextmanager
def _tolerate_closed_pipes() -> Iterator[None]:
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _ReaderGone(out), _ReaderGone(err)
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        sys.stdout, sys.stderr = out, err


def main(argv: Sequence[str] | None = None) -> int:
    with _tolerate_closed_pipes():
        parser, commands = build_parser()
        args = parser.parse_args(argv)  # --help goes through the same streams
        return _run(commands[args.command], args)


class Terminated(BaseException):
    """SIGTERM (how CI cancels a job), raised in the main thread like KeyboardInterrupt so that
    every ``finally`` and rollback on the way runs."""


def _on_signal(signum: int, frame: object) -> None:
    """SIGINT and SIGTERM: stop starting git and kill the running git processes (their process
    groups), then unwind the main thread (rollbacks run, the lock is released). A second
    signal is ignored so that it cannot cut a rollback short."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    process = sys.modules.get("bmz_collection.io.git.process")  # no git started: none to stop
    if process is not None:
        process.stop()
    raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt


@contextlib.contextmanager
def _signals_handled() -> Iterator[None]:
    """``_on_signal`` for the command's run; the previous handlers afterwards (``main`` is
    also called in-process, by tests and the hooks)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in before:
        signal.signal(sig, _on_signal)
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
        process = sys.modules.get("bmz_collection.io.git.process")
        if process is not None:
            process.resume()


def _run(command: _Command, args: argparse.Namespace) -> int:
    try:
        with _signals_handled():
            return command.run(args)
    except FatalError as exc:
        print(f"bmz {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_FATAL
    except KeyboardInterrupt:
        print(f"bmz {args.command}: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print(f"bmz {args.command}: terminated", file=sys.stderr)
        return 143
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
