"""Errors that end a command with exit code 2 and one clear line, never a traceback."""

from __future__ import annotations


class FatalError(Exception):
    """Bad usage or input we cannot work with; the message is shown as it is."""


class UsageError(FatalError):
    """The command line itself is wrong."""
